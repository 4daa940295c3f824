/**
 * Muted channels: hidden from the Channels view and its graph, remembered across reloads.
 * Channel ids change on every reload, so a channel is muted by its creation site (every
 * channel made there), and a library by its name. What is muted is counted where it is hidden.
 */
import type { ChannelModel, ChannelNode, MessageRecord } from './model/types.ts';
import { creationSite, SITE_KEY_MAX } from './creationSite.ts';

export interface Mutes {
  /** Creation-site keys (creationSite.ts). */
  sites: string[];
  /** Library names as model/libraries.ts gives them. */
  libraries: string[];
}

export const NO_MUTES: Mutes = { sites: [], libraries: [] };

/** Muted sites and libraries kept, each; a new one past it is refused with a message. */
export const MUTES_CAP = 200;

export class MutesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MutesError';
  }
}

export type MuteReason = { by: 'site'; key: string } | { by: 'library'; key: string };

/** Why a channel is hidden, or null when it is shown. A library mute wins over its site's. */
export function muteOf(mutes: Mutes, channel: ChannelNode): MuteReason | null {
  if (channel.library && mutes.libraries.includes(channel.library)) return { by: 'library', key: channel.library };
  if (mutes.sites.length === 0) return null;
  const site = creationSite(channel.site);
  return site && mutes.sites.includes(site.key) ? { by: 'site', key: site.key } : null;
}

/** The ids of the model's muted channels: what the Channels view hides (and any other view may). */
export function mutedChannels(model: ChannelModel, mutes: Mutes): Set<string> {
  const ids = new Set<string>();
  if (mutes.sites.length + mutes.libraries.length === 0) return ids;
  for (const c of model.channels.values()) if (muteOf(mutes, c)) ids.add(c.id);
  return ids;
}

export function withMute(mutes: Mutes, by: MuteReason['by'], key: string): Mutes {
  const list = by === 'site' ? mutes.sites : mutes.libraries;
  if (list.includes(key)) return mutes;
  if (list.length >= MUTES_CAP)
    throw new MutesError(
      `${MUTES_CAP} muted ${by === 'site' ? 'creation sites' : 'libraries'} at most: unmute one first`,
    );
  return by === 'site' ? { ...mutes, sites: [...list, key] } : { ...mutes, libraries: [...list, key] };
}

export function withoutMute(mutes: Mutes, by: MuteReason['by'], key: string): Mutes {
  return by === 'site'
    ? { ...mutes, sites: mutes.sites.filter((k) => k !== key) }
    : { ...mutes, libraries: mutes.libraries.filter((k) => k !== key) };
}

function keys(raw: unknown, field: string): string[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new MutesError(`${field}: expected an array of strings`);
  if (raw.length > MUTES_CAP) throw new MutesError(`${field}: ${raw.length} entries, ${MUTES_CAP} at most`);
  return raw.map((k, i) => {
    if (typeof k !== 'string' || k.length === 0 || k.length > SITE_KEY_MAX)
      throw new MutesError(`${field}[${i}]: expected a string of 1 to ${SITE_KEY_MAX} characters`);
    return k;
  });
}

/** Mutes as stored (extension storage or localStorage): anything else is refused, naming the field. */
export function parseMutes(raw: unknown): Mutes {
  if (raw === undefined || raw === null) return NO_MUTES;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new MutesError('mutes: expected an object with sites and libraries');
  const o = raw as Record<string, unknown>;
  return { sites: keys(o.sites, 'mutes.sites'), libraries: keys(o.libraries, 'mutes.libraries') };
}

/** Message rows less those on a muted channel, and how many that left out. */
export function hideMuted(
  model: ChannelModel,
  rows: MessageRecord[],
  mutes: Mutes,
): { rows: MessageRecord[]; mutedHidden: number } {
  const muted = mutedChannels(model, mutes);
  if (muted.size === 0) return { rows, mutedHidden: 0 };
  const kept = rows.filter((m) => !muted.has(model.ports.get(m.from.port)?.channel ?? ''));
  return { rows: kept, mutedHidden: rows.length - kept.length };
}
