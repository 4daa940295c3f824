// The devtools page lives as long as DevTools is open; its only job is to register the panel.
chrome.devtools.panels.create('Portscope', '/extension/icons/16.png', '/panel/index.html');
