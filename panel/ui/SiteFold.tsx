/**
 * The quiet ports of one context whose channels were made at one creation site, folded into
 * one row of the Channels tree: fifty channels from one call site are one row, not a hundred.
 * A port something waits on (a problem, queued messages) or the selected port never folds.
 */
import { useState, type ComponentType } from 'react';
import { creationSite } from '../creationSite.ts';
import type { ChannelModel, PortNode } from '../model/types.ts';
import { channelName } from './channelName.ts';
import { neverStartedProblem, queueStateOf } from '../model/index.ts';
import { usePanel } from './storeContext.ts';
import { TreeToggle } from './TreeToggle.tsx';

/** Quiet ports of one context made at one site fold into one row from this many. */
export const SITE_FOLD_FROM = 6;

export type FoldRow = { port: PortNode } | { site: string; ports: PortNode[] };

function foldable(port: PortNode, observed: boolean, selected: string | null): boolean {
  return port.id !== selected && port.queued === 0 && !neverStartedProblem(port, queueStateOf(port, observed));
}

/** The rows for one context's ports, in their order: a fold where its first port was. */
export function foldBySite(model: ChannelModel, ports: PortNode[], selected: string | null): FoldRow[] {
  const siteOf = (p: PortNode) => creationSite(model.channels.get(p.channel)?.site)?.key;
  const bySite = new Map<string, PortNode[]>();
  for (const p of ports) {
    const key = siteOf(p);
    if (key === undefined || !foldable(p, model.contexts.get(p.context)?.observed ?? true, selected)) continue;
    const list = bySite.get(key) ?? [];
    bySite.set(key, list);
    list.push(p);
  }
  const rows: FoldRow[] = [];
  const drawn = new Set<string>();
  for (const p of ports) {
    const key = siteOf(p);
    const fold = key === undefined ? undefined : bySite.get(key);
    if (key === undefined || !fold || fold.length < SITE_FOLD_FROM || !fold.includes(p)) rows.push({ port: p });
    else if (!drawn.has(key)) {
      drawn.add(key);
      rows.push({ site: key, ports: fold });
    }
  }
  return rows;
}

const count = (n: number) => n.toLocaleString('en-US');

type PortRow = ComponentType<{ port: PortNode; level: number; muted?: boolean }>;

/** One row for the quiet ports of one context made at one creation site, opened on demand. */
export function SiteFold(props: { ports: PortNode[]; level: number; muted(channel: string): boolean; Port: PortRow }) {
  const { ports, level, Port } = props;
  const [open, setOpen] = useState(false);
  const channel = usePanel((s) => s.model.channels.get(ports[0]!.channel));
  const name = channelName(channel);
  const enabled = ports.filter((p) => p.enabled).length;
  const rest = ports.length - enabled;
  const muted = ports.every((p) => props.muted(p.channel));
  return (
    <li
      role="treeitem"
      tabIndex={-1}
      aria-level={level}
      aria-expanded={open}
      className={`tree-context site-fold${muted ? ' muted-item' : ''}`}
    >
      <div className="tree-context-label">
        <TreeToggle open={open} name={name} onToggle={() => setOpen(!open)} />
        <span className="page-text" title="The ports' channels were made here (the creation site's first frame)">
          {name}
        </span>
        <span className="badge">{`${ports.length.toLocaleString('en-US')} ports`}</span>
        {muted ? <span className="badge closed">muted</span> : null}
        <span className="muted">
          {`${count(enabled)} enabled · ${count(rest)} not started or closed, none waiting`}
        </span>
      </div>
      {open ? (
        <ul role="group">
          {ports.map((p) => (
            <Port key={p.id} port={p} level={level + 1} muted={props.muted(p.channel)} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
