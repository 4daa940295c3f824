/**
 * The HTML Standard's words the panel keeps, each with the one line that explains it where it
 * is shown (a `title`): the word is what the spec and the browser's errors say, the line is
 * what it means for the page.
 */
export const GLOSSARY = {
  entangled: 'Entangled: the two ports of one channel; what one posts, the other receives.',
  disentangled:
    'Disentangled: the port lost its other end (closed, collected, or its context ended); what it posts goes nowhere.',
  shipped:
    'Shipped: the port was transferred in a postMessage transfer list; ' +
    'the object left behind is detached and unusable.',
  carrier:
    'Carrier: a message sent with window, worker or service worker postMessage (not on a MessagePort) ' +
    'that carried ports in its transfer list.',
  portMessageQueue:
    'Port message queue: where messages wait until the receiving port is started (start() or onmessage).',
  clientMessageQueue:
    "Client message queue: where a service worker's messages to this page wait (navigator.serviceWorker) " +
    'until it is started: startMessages(), onmessage, or the document finishing parsing (DOMContentLoaded).',
  fact:
    'Fact: one thing Portscope saw the page do (a post, a dispatch, a transfer); ' +
    'the panel builds its picture from them.',
  cleared:
    'Cleared: message records dropped by Clear. ' +
    'Contexts, channels, ports and messages still queued stay: the page goes on using them.',
} as const;
