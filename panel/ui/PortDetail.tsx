/** The selected port: who held it, what waits in its queue (with age), its call sites. */
import { previewText } from '../previewText.ts';
import { CallSiteView } from './CallSiteView.tsx';
import { countedRunLine, evictedRunLine } from './counted.ts';
import { neverStartedProblem, type PortNode, type QueueState } from '../model/index.ts';
import { PortBadges } from './PortBadges.tsx';
import { contextName, formatTime, timeOrigin } from './labels.ts';
import { PortButton } from './PortButton.tsx';
import { SeeInsideWorkersOffer } from './SeeInsideWorkers.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';

/** A queue is shown up to this many entries (a run of counted messages is one); the rest is counted. */
const QUEUE_SHOWN = 200;

/** The queue state the model decided (model/queueState.ts), in words. */
function queueStateText(state: QueueState | undefined, port: PortNode): string {
  const how = port.enabledHow;
  switch (state) {
    case 'enabled':
      return `enabled by ${how === 'onmessage' ? 'setting onmessage' : 'start()'}`;
    case 'closed':
      return 'closed: close() was called, nothing more is dispatched';
    case 'unknown':
      return 'unknown: held by a context Portscope does not run in';
    default:
      return state && neverStartedProblem(port, state)
        ? 'disabled: never started, and something waits on it (call start() or set onmessage)'
        : 'never started: it only sends, which needs no start()';
  }
}

export function PortDetail() {
  const store = usePanelStore();
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const live = usePanel((s) => s.connection !== 'standalone');
  const id = usePanel((s) => s.selectedPort);
  const port = id ? model.ports.get(id) : undefined;
  const state = usePanel((s) => (id ? s.model.queueState(id) : undefined));
  if (!port) return <p className="muted pad">Select a port to see who held it, its queue and its call sites.</p>;
  const origin = timeOrigin(model);
  const last = model.messages.at(-1);
  const now = live ? Date.now() : Math.max(last?.postedAt ?? 0, last?.dispatchedAt ?? 0);
  const channel = model.channels.get(port.channel);
  const entries = port.queueEntries;
  const queue = entries
    .slice(0, QUEUE_SHOWN)
    .map((e) => (typeof e === 'string' ? (model.message(e) ?? e) : { run: e }));
  let shown = 0;
  for (const e of queue) shown += typeof e === 'object' && 'run' in e ? e.run.counted : 1;
  const dropped = Object.entries(port.droppedBy)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return (
    <div className="pad">
      <h2>
        Port <span className="id">{port.id}</span> <PortBadges port={port} />
      </h2>
      <dl className="facts">
        <dt>Channel</dt>
        <dd>
          <span className="id">{port.channel}</span>
          {channel?.createdIn
            ? ` created in ${contextName(model, channel.createdIn)} at ${formatTime(channel.createdAt, origin)}`
            : ' (creation not observed)'}
        </dd>
        <dt>Entangled with</dt>
        <dd>{port.entangled ? <PortButton id={port.entangled} /> : 'nothing (disentangled)'}</dd>
        <dt>Held by</dt>
        <dd>
          {contextName(model, port.context)}
          <SeeInsideWorkersOffer
            contexts={[port.context, port.entangled ? model.ports.get(port.entangled)?.context : null]}
          />
        </dd>
        <dt>Queue</dt>
        <dd>{queueStateText(state, port)}</dd>
        <dt>Listeners</dt>
        <dd>{`message ${port.listeners.message}${port.listeners.onmessage ? ' (onmessage set)' : ''} · messageerror ${port.listeners.messageerror} · close ${port.listeners.close}`}</dd>
        <dt>Messages</dt>
        <dd>
          {`${port.posted} posted · ${port.delivered} delivered here · ${port.dropped} dropped${dropped ? ` (${dropped})` : ''} · `}
          {port.countedPosted || port.countedDelivered
            ? `counted, not recorded: ${port.countedPosted} posted, ${port.countedDelivered} delivered here · `
            : ''}
          <button
            type="button"
            className="link"
            onClick={() => {
              store.getState().setFilter(`port:${port.id}`);
              store.getState().setView('messages');
            }}
          >
            show in Messages
          </button>
        </dd>
      </dl>
      <h3>History (holders)</h3>
      <ol className="holders">
        {port.holders.map((h, i) => (
          <li key={i}>{`${formatTime(h.since, origin)} — ${contextName(model, h.context)} (local #${h.localId})`}</li>
        ))}
      </ol>
      <h3>{`Port message queue (${port.queued.toLocaleString('en-US')} waiting)`}</h3>
      {port.queued === 0 ? (
        <p className="muted">Empty.</p>
      ) : (
        <ol className="queue">
          {queue.map((m, i) =>
            typeof m === 'string' ? (
              <li key={m}>
                <span className="id">{m}</span> <span className="muted">(record evicted)</span>
              </li>
            ) : 'run' in m ? (
              <li key={`run-${i}`} className="counted-run" data-testid="counted-run">
                {m.run.evicted ? evictedRunLine(m.run.counted) : countedRunLine(m.run.counted)}
                {/* A run's time is when its first message was reported, after it was posted. */}
                <span className="muted">{` · waiting at least ${(Math.max(0, now - m.run.postedAt) / 1000).toFixed(1)} s`}</span>
              </li>
            ) : (
              <li key={m.id}>
                <button
                  type="button"
                  className="link id"
                  onClick={() => {
                    store.getState().selectMessage(m.id);
                    store.getState().setView('messages');
                  }}
                >
                  {m.id}
                </button>
                {` waiting ${((now - m.postedAt) / 1000).toFixed(1)} s · `}
                <span className="muted page-text">{previewText(m.preview, 80)}</span>
              </li>
            ),
          )}
          {entries.length > QUEUE_SHOWN ? (
            <li className="muted">{`… and ${(port.queued - shown).toLocaleString('en-US')} more`}</li>
          ) : null}
        </ol>
      )}
      <h3>Port created at</h3>
      <CallSiteView site={port.site ?? channel?.site} empty="No call site recorded." />
    </div>
  );
}
