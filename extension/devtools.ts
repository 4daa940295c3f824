// Registers the Portscope panel. The panel page is built from panel/index.html.
chrome.devtools.panels.create('Portscope', '/extension/icons/16.png', '/panel/index.html');
