/** The selected message: where it went, its data, its transfer list and where it came from. */
import { useState } from 'react';
import type { Preview, TransferItem } from '../../protocol/facts.ts';
import type { MessageWait } from '../model/types.ts';
import { pairingOf } from '../pairing.ts';
import { previewJson } from '../previewData.ts';
import { visibleText } from '../pageText.ts';
import { CallSiteView } from './CallSiteView.tsx';
import { contextName, formatBytes, formatTime, receiverContext, timeOrigin } from './labels.ts';
import { PortButton } from './PortButton.tsx';
import { PreviewTree } from './PreviewTree.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';
import { GLOSSARY } from './glossary.ts';
import { APPROXIMATE_TITLE, waitText } from './waitText.ts';

/** Writes text to the clipboard; DevTools panels may refuse the async API, so a selection copy is the fallback. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

function CopyJson({ preview }: { preview: Preview | undefined }) {
  const [said, setSaid] = useState<string | null>(null);
  if (!preview) return null;
  const onCopy = async () => {
    const { json, cut } = previewJson(preview);
    const ok = await copyText(json);
    const cutNote =
      'Copied — from the recorded preview, which was cut or holds values JSON cannot say: marked in brackets.';
    setSaid(!ok ? 'Could not copy (the clipboard refused).' : cut ? cutNote : 'Copied.');
  };
  return (
    <span className="copy-json">
      <button type="button" className="link" onClick={() => void onCopy()} title="Copy the recorded data as JSON">
        Copy as JSON
      </button>
      {said ? <span className="muted" role="status">{` ${said}`}</span> : null}
    </span>
  );
}

function TransferList({ items, ports }: { items: TransferItem[]; ports: string[] }) {
  if (items.length === 0) return <p className="muted">Nothing transferred.</p>;
  let portIndex = 0;
  return (
    <ol className="transfer-list">
      {items.map((t, i) => {
        if (t.t === 'port') {
          const global = ports[portIndex++];
          return (
            <li key={i}>
              MessagePort {global ? <PortButton id={global} /> : <span className="muted">(not matched)</span>}
            </li>
          );
        }
        if (t.t === 'arraybuffer')
          return <li key={i}>{`ArrayBuffer · ${formatBytes(t.byteLength)} (detached in the sender)`}</li>;
        return <li key={i}>{t.tag}</li>;
      })}
    </ol>
  );
}

function DeliveredAt({ at, wait }: { at: string; wait: MessageWait | undefined }) {
  if (wait === undefined) return <>{`delivered at ${at} (wait unknown)`}</>;
  return (
    <>
      {`delivered at ${at} (waited `}
      <span title={wait.approximate ? APPROXIMATE_TITLE : undefined}>{waitText(wait)}</span>)
    </>
  );
}

export function MessageDetail() {
  const store = usePanelStore();
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const id = usePanel((s) => s.selectedMessage);
  const m = id ? model.message(id) : undefined;
  if (!m) return <p className="muted pad">Select a message to see its data, transfer list and call sites.</p>;
  const origin = timeOrigin(model);
  const channelId = model.ports.get(m.from.port)?.channel;
  const channel = channelId ? model.channels.get(channelId) : undefined;
  const pairing = pairingOf(model);
  const request = pairing.request.get(m.id);
  const reply = pairing.reply.get(m.id);
  const select = (id: string) => () => store.getState().selectMessage(id);
  return (
    <div className="pad">
      <h2>
        Message <span className="id">{m.id}</span>
      </h2>
      <dl className="facts">
        <dt>From</dt>
        <dd>
          <PortButton id={m.from.port} /> in {contextName(model, m.from.context)}
        </dd>
        <dt>To</dt>
        <dd title={m.to.port ? undefined : GLOSSARY.entangled}>
          {m.to.port ? (
            <>
              <PortButton id={m.to.port} /> in {contextName(model, receiverContext(model, m))}
            </>
          ) : (
            'no entangled port'
          )}
        </dd>
        <dt>Posted</dt>
        <dd>
          {m.counted
            ? `by ${formatTime(m.postedAt, origin)} (counted, not recorded: DevTools was closed on the tab; only its dispatch was recorded)`
            : m.postEvicted
              ? `by ${formatTime(m.postedAt, origin)} (its record was evicted while it waited, to bound memory; only its dispatch is shown)`
              : formatTime(m.postedAt, origin)}
          {m.postObserved ? '' : ' (inferred: the sender is not observed)'}
        </dd>
        <dt>Delivery</dt>
        <dd className={`s-${m.state}`}>
          {m.state === 'delivered' && m.dispatchedAt !== undefined ? (
            <DeliveredAt at={formatTime(m.dispatchedAt, origin)} wait={model.wait(m)} />
          ) : m.state === 'dropped' ? (
            `dropped: ${m.dropReason ?? 'reason unknown'}`
          ) : m.state === 'unobserved' ? (
            'sent to a context Portscope does not run in: its dispatch cannot be seen'
          ) : (
            <span title={GLOSSARY.portMessageQueue}>queued: waiting in the receiving port message queue</span>
          )}
          {m.messageerror ? ' — fired messageerror (could not be deserialized)' : ''}
          {m.dispatchCounted
            ? ' — the dispatch was counted, not recorded (DevTools was closed): no handler details'
            : ''}
        </dd>
        {m.handlers !== undefined ? (
          <>
            <dt>Handlers</dt>
            <dd>
              {`${m.handlers} ran in ${(m.duration ?? 0).toFixed(2)} ms`}
              {m.threw ? (
                <>
                  {' — threw '}
                  <span className="page-text">{visibleText(`${m.threw.name}: ${m.threw.message}`)}</span>
                </>
              ) : (
                ''
              )}
            </dd>
          </>
        ) : null}
        {request ? (
          <>
            <dt>Reply to</dt>
            <dd>
              <button type="button" className="link id" onClick={select(request.id)}>
                {request.id}
              </button>
              {` (same call number, same channel; asked ${(m.postedAt - request.postedAt).toFixed(1)} ms before)`}
            </dd>
          </>
        ) : null}
        {reply ? (
          <>
            <dt>Replied</dt>
            <dd>
              {`in ${(reply.postedAt - m.postedAt).toFixed(1)} ms by `}
              <button type="button" className="link id" onClick={select(reply.id)}>
                {reply.id}
              </button>
            </dd>
          </>
        ) : null}
        <dt>Size</dt>
        <dd>
          {m.counted
            ? 'unknown: the post was counted, not recorded'
            : m.postEvicted
              ? "unknown: the post's record was evicted"
              : m.postObserved
                ? `${formatBytes(m.bytes)} (estimated)`
                : 'unknown: the post was not observed'}
        </dd>
      </dl>
      <h3>
        Data <CopyJson preview={m.preview} />
      </h3>
      <PreviewTree preview={m.preview} label={`data of ${m.id}`} />
      <h3>Transfer list</h3>
      <TransferList items={m.transfer} ports={m.transferredPorts} />
      <h3>Sender call stack</h3>
      <CallSiteView
        site={m.site}
        empty="Not captured. Turn on call-stack capture in settings to record it for new messages."
      />
      <h3>Channel {channelId ? <span className="id">{channelId}</span> : null} created at</h3>
      <CallSiteView
        site={channel?.site}
        empty={
          channel?.createdIn ? 'No call site recorded.' : 'The channel was created where Portscope could not see it.'
        }
      />
    </div>
  );
}
