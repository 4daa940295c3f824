/**
 * Channels grouped by the context holding each port (frame tree and workers). Each port
 * shows its spec state and queue depth; selecting one shows its history in PortDetail.
 */
import { useMemo, type KeyboardEvent } from 'react';
import type { ContextNode, PortNode, TransferEdge } from '../model/types.ts';
import { contextLabel, contextName, formatTime, timeOrigin } from './labels.ts';
import { contextTree, type ContextBranch } from './contextTree.ts';
import { PortBadges } from './PortBadges.tsx';
import { PortDetail } from './PortDetail.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';

/** The well-known library that made a port's channel (model/libraries.ts), when its creation site says so. */
export function LibraryBadge({ library }: { library: string | undefined }) {
  if (!library) return null;
  return (
    <span className="badge library" title={`Made by ${library}: the channel's creation site is in its code. Filter its messages with library:${library.split(' ')[0]!.toLowerCase()}`}>
      {library}
    </span>
  );
}

function PortItem({ port, level }: { port: PortNode; level: number }) {
  const store = usePanelStore();
  const selected = usePanel((s) => s.selectedPort) === port.id;
  const library = usePanel((s) => s.model.channels.get(port.channel)?.library);
  return (
    <li role="treeitem" aria-level={level} aria-selected={selected} className={`tree-port${selected ? ' selected' : ''}`}>
      <button type="button" data-tree-item="" className="tree-button" onClick={() => store.getState().selectPort(port.id)}>
        <span className="port-name">
          <span className="id">{port.id}</span>
          <span className="muted">{port.entangled ? ` ⇄ ${port.entangled}` : ' (disentangled)'}</span>
          <span className="muted">{` · ${port.channel}`}</span>
        </span>
        <LibraryBadge library={library} />
        <PortBadges port={port} />
      </button>
    </li>
  );
}

/** Ports drawn per context: a page with tens of thousands of live ports must not cost that many rows on every update. */
export const PORTS_SHOWN = 500;

/**
 * The ports a context's branch draws, in their order: those with messages waiting first (a
 * port never started is what this view is for) and the selected one, then the newest; and how
 * many are left out.
 */
export function shownPorts(ports: PortNode[], selected: string | null): { shown: PortNode[]; hidden: number } {
  if (ports.length <= PORTS_SHOWN) return { shown: ports, hidden: 0 };
  const keep = new Set<PortNode>();
  for (const p of ports) {
    if (keep.size >= PORTS_SHOWN) break;
    if (p.queued > 0 || p.id === selected) keep.add(p);
  }
  for (let i = ports.length - 1; i >= 0 && keep.size < PORTS_SHOWN; i--) keep.add(ports[i]);
  const shown = ports.filter((p) => keep.has(p));
  return { shown, hidden: ports.length - shown.length };
}

function Ports({ ports, level }: { ports: PortNode[]; level: number }) {
  const selected = usePanel((s) => s.selectedPort);
  const { shown, hidden } = shownPorts(ports, selected);
  return (
    <>
      {shown.map((p) => (
        <PortItem key={p.id} port={p} level={level} />
      ))}
      {hidden ? <li role="none" className="muted tree-empty" data-testid="ports-hidden">{`… and ${hidden.toLocaleString('en-US')} more ports here, older and with nothing waiting (select one from a message or a diagnostic)`}</li> : null}
    </>
  );
}

/** How a context is seen: from outside (not observed), or a worker from inside, and how. */
export function SeenBadge({ context }: { context: ContextNode }) {
  if (context.noRuntime) {
    return (
      <span className="badge partial" title="Scripts do not run in this document (sandboxed without allow-scripts?), so no Portscope runtime runs here: its channels and messages cannot be seen. Silence here does not mean none.">
        not observable (no scripts)
      </span>
    );
  }
  if (!context.observed) return <span className="badge partial" title="No Portscope runtime ran inside this context: what is shown comes from its peers">not observed</span>;
  if (context.seen === 'inside-protocol') return <span className="badge" title="Portscope's runtime was evaluated in this worker before its first line, through the DevTools protocol: everything it did is seen">seen from inside (DevTools protocol)</span>;
  if (context.seen === 'inside-bootstrap') return <span className="badge" title="This worker was built from Portscope's in-worker bootstrap: its runtime ran before the worker's own script">seen from inside (bootstrap)</span>;
  return null;
}

function Branch({ branch, level }: { branch: ContextBranch; level: number }) {
  const c = branch.context;
  return (
    <li role="treeitem" aria-level={level} aria-expanded={true} className="tree-context">
      <div className="tree-context-label" data-tree-item="" tabIndex={-1}>
        <span className={`kind kind-${c.kind}`}>{c.kind}</span> <span title={c.url}>{contextLabel(c, c.id).slice(c.kind.length + 1)}</span>
        <SeenBadge context={c} />
        {c.destroyed ? <span className="badge closed">{`gone (${c.destroyed.reason})`}</span> : null}
      </div>
      <ul role="group">
        <Ports ports={branch.ports} level={level + 1} />
        {branch.ports.length === 0 && branch.children.length === 0 ? <li role="none" className="muted tree-empty">no ports</li> : null}
        {branch.children.map((b) => (
          <Branch key={b.context.id} branch={b} level={level + 1} />
        ))}
      </ul>
    </li>
  );
}

/** Arrow keys move between tree rows; Tab leaves the tree. */
function moveFocus(e: KeyboardEvent<HTMLElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>('button[data-tree-item]'));
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = items[Math.min(items.length - 1, Math.max(0, at + (e.key === 'ArrowDown' ? 1 : -1)))];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** A transfer inferred while another port fitted as well (docs/model-inference.md, rules 1 and 3). */
export function AmbiguousBadge({ edge }: { edge: TransferEdge }) {
  if (!edge.ambiguous) return null;
  return (
    <span className="badge warn" title="Which port moved is not proven: another port of the sending context fitted as well. No diagnostic rests on this transfer.">
      unknown — two readings fit
    </span>
  );
}

function Transfers() {
  const model = usePanel((s) => s.model);
  usePanel((s) => s.revision);
  const origin = timeOrigin(model);
  const moves = model.transfers.filter((t) => t.kind === 'port');
  if (moves.length === 0) return null;
  const shown = moves.slice(-200);
  return (
    <section aria-label="Port transfers" className="transfers">
      <h3>{`Transfers (${moves.length}${shown.length < moves.length ? `, last ${shown.length} shown` : ''})`}</h3>
      <ul>
        {shown.map((t) => (
          <li key={t.id} className="transfer">
            <span className="id">{t.port}</span>
            {` moved ${contextName(model, t.from)} → ${t.to ? contextName(model, t.to) : 'unknown context'} via ${t.carrier} at ${formatTime(t.time, origin)}`}
            {t.inferred ? <span className="badge partial" title="The sending side was not observed; matched by the receiving side">inferred</span> : null}
            <AmbiguousBadge edge={t} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ChannelsView() {
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const tree = useMemo(() => contextTree(model), [model, revision]);
  return (
    <div className="split">
      <div className="tree-wrap">
        <ul role="tree" aria-label="Contexts and their ports" className="tree" onKeyDown={moveFocus}>
          {tree.roots.map((b) => (
            <Branch key={b.context.id} branch={b} level={1} />
          ))}
          {tree.orphanPorts.length ? (
            <li role="treeitem" aria-level={1} aria-expanded={true} className="tree-context">
              <div className="tree-context-label">unknown context</div>
              <ul role="group">
                <Ports ports={tree.orphanPorts} level={2} />
              </ul>
            </li>
          ) : null}
        </ul>
        <Transfers />
      </div>
      <div className="detail" role="region" aria-label="Port details">
        <PortDetail />
      </div>
    </div>
  );
}
