/** A channel named by where it was made (file:line, function) and the library that made it, when known. */
import { creationSite } from '../creationSite.ts';
import type { ChannelNode } from '../model/types.ts';
import { visibleText } from '../pageText.ts';

export function channelName(channel: ChannelNode | undefined): string {
  if (!channel) return 'channel not kept';
  const site = creationSite(channel.site);
  const where = site ? visibleText(site.fn ? `${site.where} · ${site.fn}` : site.where) : 'creation site not recorded';
  return channel.library ? `${channel.library} · ${where}` : where;
}
