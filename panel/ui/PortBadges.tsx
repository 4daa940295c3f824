/**
 * A port's badges: its queue state as the model decided it (model/queueState.ts), shipped,
 * collected, what was inferred, and what waits in its queue. Shared by the Channels tree and
 * the port's detail.
 */
import { neverStartedProblem, type PortNode, type QueueState } from '../model/index.ts';
import { JARGON } from './jargon.ts';
import { usePanel } from './storeContext.ts';

const STATE_BADGE: Record<QueueState, { className: string; text: string; title?: string }> = {
  closed: { className: 'badge closed', text: 'closed' },
  enabled: { className: 'badge enabled', text: 'enabled' },
  'not-started': {
    className: 'badge disabled',
    text: 'not started',
    title:
      "A 'message' listener was added with addEventListener, or messages wait, but the port was never started: " +
      'nothing is delivered until start() (or onmessage)',
  },
  unknown: {
    className: 'badge partial',
    text: 'state unknown',
    title: 'Held by a context Portscope does not run in: whether it was started is not known',
  },
};

export function PortBadges({ port }: { port: PortNode }) {
  const q = port.queued;
  const state = usePanel((s) => s.model.queueState(port.id)) ?? 'not-started';
  // A port that only sends never needs start(): its "not started" is a fact, not a warning.
  const badge =
    state === 'not-started' && !neverStartedProblem(port, state)
      ? {
          className: 'badge idle',
          text: 'not started',
          title: 'Never started, and nothing listens or waits on it: a port that only sends never needs start()',
        }
      : STATE_BADGE[state];
  return (
    <>
      <span className={badge.className} title={badge.title}>
        {badge.text}
      </span>
      {port.shipped ? (
        <span className="badge shipped" title={JARGON.shipped}>
          shipped
        </span>
      ) : null}
      {port.collected ? <span className="badge closed">collected</span> : null}
      {port.partiallyObserved ? (
        <span className="badge partial" title="Part of this port's story was inferred, not observed">
          partially observed
        </span>
      ) : null}
      {port.seenLate ? (
        <span
          className="badge partial"
          title={
            'First seen when page code used it: it arrived by a path Portscope does not observe ' +
            "(a service worker's client.postMessage, say). Recorded from then on; " +
            'where it came from and its other end are unknown.'
          }
        >
          seen late
        </span>
      ) : null}
      {q ? (
        <span
          className={`badge queue${state === 'enabled' ? '' : ' warn'}`}
          title={`${q.toLocaleString('en-US')} messages waiting in the port message queue`}
        >{`${q.toLocaleString('en-US')} queued`}</span>
      ) : null}
    </>
  );
}
