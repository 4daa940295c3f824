/**
 * Navigation markers: the reloads and navigations a preserved log spans (the store's
 * `navigations`, recording.ts), each at the first fact of the new document, so that a marker
 * falls between the two documents' messages. Times that are not finite are left out, not drawn
 * at the origin.
 */
import type { Navigation } from '../recording.ts';

export interface NavigationMarker {
  time: number;
  /** What the marker says: where the page went (as the Messages table's mark says it). */
  label: string;
}

export function navigationMarkers(navigations: readonly Navigation[]): NavigationMarker[] {
  const out: NavigationMarker[] = [];
  for (const n of navigations)
    if (Number.isFinite(n.time)) out.push({ time: n.time, label: n.url ? `Navigated to ${n.url}` : 'Navigated' });
  return out.sort((a, b) => a.time - b.time);
}

/** The markers inside a time range (the ones the ruler flags and the plot draws). */
export function markersIn(markers: readonly NavigationMarker[], start: number, end: number): NavigationMarker[] {
  return markers.filter((m) => m.time >= start && m.time <= end);
}
