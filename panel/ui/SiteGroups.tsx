/**
 * Channels grouped by where they were made: fifty channels from one call site are one row
 * ("rpc.js:12 · call ×50"), open on demand. Each group can be muted by its creation site, or
 * by its library when one is recognised; each channel shows its figures (channelFigures.ts).
 */
import { useMemo, useState, type ComponentType } from 'react';
import { creationSite } from '../creationSite.ts';
import type { ChannelNode, PortNode } from '../model/types.ts';
import { channelFigures, type ChannelFigures } from './channelFigures.ts';
import { channelName } from './channelName.ts';
import { formatBytes, plural } from './labels.ts';
import { useMutes } from './mutesStore.ts';
import { TreeToggle } from './TreeToggle.tsx';
import { usePanel, usePanelStore } from './storeContext.ts';

/** Channels listed per open group; the rest are counted. */
export const CHANNELS_PER_GROUP = 200;
/** A group this large starts folded. */
const FOLDED_FROM = 4;

interface Group {
  key: string;
  name: string;
  /** The creation-site key, when the site was recorded (what a mute remembers). */
  site: string | null;
  library: string | undefined;
  channels: ChannelNode[];
}

function groupsOf(channels: Iterable<ChannelNode>): Group[] {
  const groups = new Map<string, Group>();
  for (const c of channels) {
    const site = creationSite(c.site);
    const key = site ? `site:${site.key}` : 'none';
    const g = groups.get(key) ?? {
      key,
      name: site ? channelName(c) : 'creation site not recorded',
      site: site?.key ?? null,
      library: c.library,
      channels: [],
    };
    groups.set(key, g);
    g.channels.push(c);
  }
  // The busiest sites first: that is where the noise is.
  return [...groups.values()].sort((a, b) => b.channels.length - a.channels.length);
}

export function figuresLine(f: ChannelFigures | undefined): string {
  if (!f) return '';
  const parts = [plural(f.messages, 'message'), formatBytes(f.bytes)];
  if (f.rate !== null) parts.push(`${f.rate < 10 ? f.rate.toFixed(1) : Math.round(f.rate).toLocaleString('en-US')}/s`);
  if (f.meanWait !== null && f.maxWait !== null) {
    const about = f.approximate ? '≈' : '';
    parts.push(`wait ${about}${f.meanWait.toFixed(1)} ms mean, ${about}${f.maxWait.toFixed(1)} ms max`);
  }
  parts.push(`${f.queued.toLocaleString('en-US')} queued now`);
  if (f.peakQueue > f.queued) parts.push(`peak queue ${f.peakQueue.toLocaleString('en-US')}`);
  return parts.join(' · ');
}

type PortRow = ComponentType<{ port: PortNode; level: number; muted?: boolean }>;

function GroupItem({
  group,
  figures,
  hide,
  muted,
  Port,
}: {
  group: Group;
  figures: Map<string, ChannelFigures>;
  hide(c: string): boolean;
  muted(c: string): boolean;
  Port: PortRow;
}) {
  const store = usePanelStore();
  const model = usePanel((s) => s.model);
  const mute = useMutes((s) => s.mute);
  const unmute = useMutes((s) => s.unmute);
  const [open, setOpen] = useState(group.channels.length < FOLDED_FROM);
  const shown = group.channels.filter((c) => !hide(c.id));
  if (shown.length === 0) return null;
  const isMuted = muted(shown[0]!.id);
  let messages = 0;
  for (const c of shown) messages += figures.get(c.id)?.messages ?? 0;
  const by = group.library ? 'library' : 'site';
  const key = group.library ?? group.site;
  return (
    <li
      role="treeitem"
      tabIndex={-1}
      aria-level={1}
      aria-expanded={open}
      className={`tree-context site-group${isMuted ? ' muted-item' : ''}`}
    >
      <div className="tree-context-label">
        <TreeToggle open={open} name={group.name} onToggle={() => setOpen(!open)} />
        <span className="page-text" title={group.site ?? undefined}>
          {group.name}
        </span>
        <span className="badge">{`×${shown.length.toLocaleString('en-US')}`}</span>
        <span className="muted">{plural(messages, 'message')}</span>
        {key ? (
          <button
            type="button"
            className="link mute"
            title={
              isMuted
                ? 'Show these channels again'
                : `Hide every channel made ${by === 'library' ? `by ${key}` : 'here'}, on this page and after reloads`
            }
            onClick={() => (isMuted ? unmute(by, key) : mute(by, key))}
          >
            {isMuted ? 'unmute' : by === 'library' ? `mute ${key}` : 'mute'}
          </button>
        ) : (
          <span className="muted" title="No creation site was recorded: nothing to remember a mute by">
            cannot be muted
          </span>
        )}
      </div>
      {open ? (
        <ul role="group">
          {shown.slice(0, CHANNELS_PER_GROUP).map((c) => (
            <li
              key={c.id}
              role="treeitem"
              tabIndex={-1}
              aria-level={2}
              aria-expanded={true}
              className="site-channel"
              data-channel={c.id}
            >
              <div className="tree-context-label">
                <button
                  type="button"
                  className="link id"
                  onClick={() => {
                    store.getState().setFilter(`channel:${c.id}`);
                    store.getState().setView('messages');
                  }}
                  title={`Show the messages of channel ${c.id}`}
                >
                  {c.id}
                </button>
                <span className="muted channel-figures">{figuresLine(figures.get(c.id))}</span>
              </div>
              <ul role="group">
                {c.ports.map((id) => {
                  const p = model.ports.get(id);
                  return p ? <Port key={id} port={p} level={3} muted={muted(c.id)} /> : null;
                })}
              </ul>
            </li>
          ))}
          {shown.length > CHANNELS_PER_GROUP ? (
            <li
              role="none"
              className="muted tree-empty"
            >{`… and ${(shown.length - CHANNELS_PER_GROUP).toLocaleString('en-US')} more channels made here`}</li>
          ) : null}
        </ul>
      ) : null}
    </li>
  );
}

export function SiteGroups({
  hide,
  muted,
  Port,
}: {
  hide(c: string): boolean;
  muted(c: string): boolean;
  Port: PortRow;
}) {
  const model = usePanel((s) => s.model);
  const revision = usePanel((s) => s.revision);
  // biome-ignore-start lint/correctness/useExhaustiveDependencies: the model is mutable; its revision says it changed
  const groups = useMemo(() => groupsOf(model.channels.values()), [model, revision]);
  const figures = useMemo(() => channelFigures(model), [model, revision]);
  // biome-ignore-end lint/correctness/useExhaustiveDependencies: see above
  return (
    <ul role="tree" aria-label="Channels by creation site" className="tree">
      {groups.map((g) => (
        <GroupItem key={g.key} group={g} figures={figures} hide={hide} muted={muted} Port={Port} />
      ))}
    </ul>
  );
}
