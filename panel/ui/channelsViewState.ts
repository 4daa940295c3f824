/**
 * What the user arranged in the Channels view (contexts collapsed, grouping, the graph open),
 * kept while the panel lives so that a look at Messages and back does not undo it.
 */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type Grouping = 'context' | 'site';

interface ChannelsViewState {
  collapsed: ReadonlySet<string>;
  grouping: Grouping;
  graphOpen: boolean;
  toggle(context: string): void;
  /** Opens these contexts (a context and whatever holds it). */
  expand(contexts: readonly string[]): void;
  setGrouping(grouping: Grouping): void;
  setGraphOpen(open: boolean): void;
}

export const channelsViewState = createStore<ChannelsViewState>()((set, get) => ({
  collapsed: new Set(),
  grouping: 'context',
  graphOpen: true,
  toggle(context) {
    const next = new Set(get().collapsed);
    if (!next.delete(context)) next.add(context);
    set({ collapsed: next });
  },
  expand(contexts) {
    const next = new Set(get().collapsed);
    for (const c of contexts) next.delete(c);
    set({ collapsed: next });
  },
  setGrouping: (grouping) => set({ grouping }),
  setGraphOpen: (graphOpen) => set({ graphOpen }),
}));

export function useChannelsView<T>(pick: (s: ChannelsViewState) => T): T {
  return useStore(channelsViewState, pick);
}
