/**
 * The page's channels: the graph of contexts and ports on top, then the channels grouped by
 * the context holding each port (frame tree and workers, each collapsible) or by creation
 * site. Each port shows its spec state and queue depth; selecting one shows its history in
 * PortDetail. Muted channels (panel/mutes.ts) are hidden here and counted.
 */
import { useCallback, useMemo, type KeyboardEvent, type ReactNode } from 'react';
import { mutedChannels } from '../mutes.ts';
import type { ContextNode, PortNode, TransferEdge } from '../model/types.ts';
import { contextLabel, contextName, formatTime, pageOrigin, timeOrigin } from './labels.ts';
import { contextTree, type ContextBranch } from './contextTree.ts';
import { GraphView } from './GraphView.tsx';
import { JARGON } from './jargon.ts';
import { useMutes } from './mutesStore.ts';
import { PortBadges } from './PortBadges.tsx';
import { TreeToggle } from './TreeToggle.tsx';
import { PortDetail } from './PortDetail.tsx';
import { MutedLine } from './MutedLine.tsx';
import { SiteFold, foldBySite } from './SiteFold.tsx';
import { SiteGroups } from './SiteGroups.tsx';
import { channelsViewState, useChannelsView } from './channelsViewState.ts';
import { usePanel, usePanelStore } from './storeContext.ts';

/** The well-known library that made a port's channel (model/libraries.ts), when its creation site says so. */
export function LibraryBadge({ library }: { library: string | undefined }) {
  if (!library) return null;
  return (
    <span
      className="badge library"
      title={`Made by ${library}: the channel's creation site is in its code. Filter its messages with library:${library.split(' ')[0]!.toLowerCase()}`}
    >
      {library}
    </span>
  );
}

export function PortItem({ port, level, muted = false }: { port: PortNode; level: number; muted?: boolean }) {
  const store = usePanelStore();
  const selected = usePanel((s) => s.selectedPort) === port.id;
  const library = usePanel((s) => s.model.channels.get(port.channel)?.library);
  return (
    <li
      role="treeitem"
      aria-level={level}
      aria-selected={selected}
      className={`tree-port${selected ? ' selected' : ''}${muted ? ' muted-item' : ''}`}
    >
      <button
        type="button"
        data-tree-item=""
        className="tree-button"
        onClick={() => store.getState().selectPort(port.id)}
      >
        <span className="port-name">
          <span className="id">{port.id}</span>
          {port.entangled ? (
            <span className="muted">{` ⇄ ${port.entangled}`}</span>
          ) : (
            <span className="muted" title={JARGON.disentangled}>
              {' (disentangled)'}
            </span>
          )}
          <span className="muted">{` · ${port.channel}`}</span>
        </span>
        <LibraryBadge library={library} />
        <PortBadges port={port} />
        {muted ? <span className="badge closed">muted</span> : null}
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

interface TreeProps {
  collapsed: ReadonlySet<string>;
  toggle(id: string): void;
  /** Channels muted and hidden; `muted` ones shown anyway (after "show") are greyed. */
  hide(channel: string): boolean;
  muted(channel: string): boolean;
}

function Ports({ ports, level, tree }: { ports: PortNode[]; level: number; tree: TreeProps }) {
  const selected = usePanel((s) => s.selectedPort);
  const model = usePanel((s) => s.model);
  const { shown, hidden } = shownPorts(
    ports.filter((p) => !tree.hide(p.channel)),
    selected,
  );
  const rows: ReactNode[] = [];
  for (const row of foldBySite(model, shown, selected)) {
    if ('port' in row) {
      rows.push(<PortItem key={row.port.id} port={row.port} level={level} muted={tree.muted(row.port.channel)} />);
    } else {
      const key = `site:${row.site}`;
      rows.push(<SiteFold key={key} ports={row.ports} level={level} muted={tree.muted} Port={PortItem} />);
    }
  }
  return (
    <>
      {rows}
      {hidden ? (
        <li
          role="none"
          className="muted tree-empty"
          data-testid="ports-hidden"
        >{`… and ${hidden.toLocaleString('en-US')} more ports here, older and with nothing waiting (select one from a message or a diagnostic)`}</li>
      ) : null}
    </>
  );
}

/** How a context is seen: from outside (not observed), or a worker from inside, and how. */
export function SeenBadge({ context }: { context: ContextNode }) {
  if (context.noRuntime) {
    return (
      <span
        className="badge partial"
        title="Scripts do not run in this document (sandboxed without allow-scripts?), so no Portscope runtime runs here: its channels and messages cannot be seen. Silence here does not mean none."
      >
        not observable (no scripts)
      </span>
    );
  }
  if (!context.observed)
    return (
      <span
        className="badge partial"
        title="No Portscope runtime ran inside this context: what is shown comes from its peers"
      >
        not observed
      </span>
    );
  if (context.seen === 'inside-protocol')
    return (
      <span
        className="badge"
        title="Portscope's runtime was evaluated in this worker before its first line, through the DevTools protocol: everything it did is seen"
      >
        seen from inside (DevTools protocol)
      </span>
    );
  if (context.seen === 'inside-bootstrap')
    return (
      <span
        className="badge"
        title="This worker was built from Portscope's in-worker bootstrap: its runtime ran before the worker's own script"
      >
        seen from inside (bootstrap)
      </span>
    );
  return null;
}

/** Ports in a branch and all its descendants, muted ones left out: what a collapsed context says it holds. */
function portsUnder(branch: ContextBranch, hide: (channel: string) => boolean): number {
  let n = 0;
  for (const p of branch.ports) if (!hide(p.channel)) n++;
  for (const b of branch.children) n += portsUnder(b, hide);
  return n;
}

function Branch({ branch, level, tree }: { branch: ContextBranch; level: number; tree: TreeProps }) {
  const c = branch.context;
  const origin = usePanel((s) => pageOrigin(s.model));
  const open = !tree.collapsed.has(c.id);
  const label = contextLabel(c, c.id, origin).slice(c.kind.length + 1);
  return (
    <li role="treeitem" aria-level={level} aria-expanded={open} className="tree-context" data-context-row={c.id}>
      <div className="tree-context-label">
        <TreeToggle open={open} name={`${c.kind} ${label}`} onToggle={() => tree.toggle(c.id)} />
        <span className={`kind kind-${c.kind}`}>{c.kind}</span>{' '}
        <span className="page-text" title={c.url}>
          {label}
        </span>
        <SeenBadge context={c} />
        {c.destroyed ? <span className="badge closed">{`gone (${c.destroyed.reason})`}</span> : null}
        {open ? null : (
          <span className="muted">{`${portsUnder(branch, tree.hide).toLocaleString('en-US')} ports`}</span>
        )}
      </div>
      {open ? (
        <ul role="group">
          <Ports ports={branch.ports} level={level + 1} tree={tree} />
          {branch.ports.length === 0 && branch.children.length === 0 ? (
            <li role="none" className="muted tree-empty">
              no ports
            </li>
          ) : null}
          {branch.children.map((b) => (
            <Branch key={b.context.id} branch={b} level={level + 1} tree={tree} />
          ))}
        </ul>
      ) : null}
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
    <span
      className="badge warn"
      title="Which port moved is not proven: another port of the sending context fitted as well. No diagnostic rests on this transfer."
    >
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
            {` moved ${contextName(model, t.from)} → ${t.to ? contextName(model, t.to) : 'unknown context'} `}
            <span title={JARGON.carrier}>{`via ${t.carrier} postMessage`}</span>
            {` at ${formatTime(t.time, origin)}`}
            {t.inferred ? (
              <span className="badge partial" title="The sending side was not observed; matched by the receiving side">
                inferred
              </span>
            ) : null}
            <AmbiguousBadge edge={t} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The ids of the branches from a root down to `id` (empty when it is not in the tree). */
function branchPath(branches: readonly ContextBranch[], id: string): string[] {
  for (const b of branches) {
    if (b.context.id === id) return [id];
    const below = branchPath(b.children, id);
    if (below.length) return [b.context.id, ...below];
  }
  return [];
}

export function ChannelsView() {
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  const mutes = useMutes((s) => s.mutes);
  const showMuted = useMutes((s) => s.showMuted);
  // `revision` is the model's change counter: the model mutates in place, so it is what changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents.
  const tree = useMemo(() => contextTree(model), [model, revision]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: revision stands for the model's contents.
  const muted = useMemo(() => mutedChannels(model, mutes), [model, revision, mutes]);
  const hide = useCallback((channel: string) => !showMuted && muted.has(channel), [muted, showMuted]);
  const isMuted = useCallback((channel: string) => muted.has(channel), [muted]);
  const collapsed = useChannelsView((s) => s.collapsed);
  const grouping = useChannelsView((s) => s.grouping);
  const graphOpen = useChannelsView((s) => s.graphOpen);
  const { toggle, setGrouping, setGraphOpen } = channelsViewState.getState();
  // A box clicked in the graph: open it (and whatever holds it) in the tree, and bring it into view.
  const showContext = useCallback(
    (id: string) => {
      setGrouping('context');
      channelsViewState.getState().expand(branchPath(tree.roots, id));
      requestAnimationFrame(() => {
        const rows = [...document.querySelectorAll<HTMLElement>('[data-context-row]')];
        const row = rows.find((el) => el.dataset.contextRow === id);
        row?.scrollIntoView({ block: 'nearest' });
        row?.querySelector<HTMLElement>('.tree-toggle')?.focus();
      });
    },
    [tree, setGrouping],
  );
  const treeProps: TreeProps = { collapsed, toggle, hide, muted: isMuted };
  return (
    <div className="split">
      <div className="tree-wrap">
        {/* A closed graph is not laid out: on a page with thousands of channels that costs tens of ms. */}
        <details open={graphOpen} className="graph-section" onToggle={(e) => setGraphOpen(e.currentTarget.open)}>
          <summary>Graph</summary>
          {graphOpen ? <GraphView hidden={hide} onContext={showContext} /> : null}
        </details>
        <MutedLine count={muted.size} />
        <div className="group-by" role="radiogroup" aria-label="Group ports by">
          <span className="muted">Group by</span>
          {(['context', 'site'] as const).map((g) => (
            <button
              key={g}
              type="button"
              role="radio"
              aria-checked={grouping === g}
              className="tool"
              onClick={() => setGrouping(g)}
            >
              {g === 'context' ? 'context' : 'creation site'}
            </button>
          ))}
        </div>
        {grouping === 'site' ? (
          <SiteGroups hide={hide} muted={isMuted} Port={PortItem} />
        ) : (
          <ul role="tree" aria-label="Contexts and their ports" className="tree" onKeyDown={moveFocus}>
            {tree.roots.map((b) => (
              <Branch key={b.context.id} branch={b} level={1} tree={treeProps} />
            ))}
            {tree.orphanPorts.length ? (
              <li role="treeitem" aria-level={1} aria-expanded={true} className="tree-context">
                <div className="tree-context-label">unknown context</div>
                <ul role="group">
                  <Ports ports={tree.orphanPorts} level={2} tree={treeProps} />
                </ul>
              </li>
            ) : null}
          </ul>
        )}
        <Transfers />
      </div>
      <div className="detail" role="region" aria-label="Port details">
        <PortDetail />
      </div>
    </div>
  );
}
