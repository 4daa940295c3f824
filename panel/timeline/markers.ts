/**
 * Navigation markers (a reload kept by Preserve log), read from the panel state when it has
 * them. The state may not carry them at all: read defensively, keep only well-formed ones.
 */
export interface NavigationMarker {
  time: number;
  label: string;
}

export function navigationMarkers(state: unknown): NavigationMarker[] {
  if (typeof state !== 'object' || state === null) return [];
  const s = state as Record<string, unknown>;
  const list = Array.isArray(s.navigations) ? s.navigations : Array.isArray(s.markers) ? s.markers : [];
  const out: NavigationMarker[] = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const m = item as Record<string, unknown>;
    if (typeof m.time !== 'number' || !Number.isFinite(m.time)) continue;
    const label = typeof m.url === 'string' ? m.url : typeof m.label === 'string' ? m.label : 'navigation';
    out.push({ time: m.time, label });
  }
  return out;
}
