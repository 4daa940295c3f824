/** The thin React layer over the vanilla store: one context, one selector hook. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { PanelState, PanelStore } from '../store.ts';

export const StoreContext = createContext<PanelStore | null>(null);

export class MissingStoreError extends Error {
  constructor() {
    super('Portscope UI rendered outside <StoreContext.Provider>');
    this.name = 'MissingStoreError';
  }
}

export function usePanelStore(): PanelStore {
  const store = useContext(StoreContext);
  if (!store) throw new MissingStoreError();
  return store;
}

export function usePanel<T>(select: (s: PanelState) => T): T {
  return useStore(usePanelStore(), select);
}
