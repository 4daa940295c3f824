/** The words the view uses where the spec's word helps, explained where they are shown. */
export const JARGON = {
  shipped:
    'Transferred to another context at least once (the spec: the port “has been shipped”). ' +
    'This object is detached; the port lives on where it was sent.',
  disentangled:
    'No longer entangled with a peer: it or its peer was closed or collected, so what is posted on it goes nowhere.',
  carrier: 'The carrier: the postMessage call (on a window, worker or port) whose transfer list moved the port.',
} as const;
