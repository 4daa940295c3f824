// Muting (panel/mutes.ts, panel/creationSite.ts): a channel is remembered by where it was
// made, which survives a reload (ids and cache-busting queries change); a library by name;
// stored mutes are checked, and bounded.
import { describe, expect, it } from 'vitest';
import { creationSite } from '../../../panel/creationSite.ts';
import type { ChannelNode } from '../../../panel/model/types.ts';
import { createModel } from '../../../panel/model/index.ts';
import {
  MUTES_CAP,
  MutesError,
  NO_MUTES,
  hideMuted,
  muteOf,
  parseMutes,
  withMute,
  withoutMute,
} from '../../../panel/mutes.ts';
import { Stream } from '../model/facts.ts';

const channel = (id: string, stack: string[], library?: string): ChannelNode => ({
  id,
  ports: [`${id}a`, `${id}b`],
  createdAt: 0,
  site: { stack },
  ...(library ? { library } : {}),
});

describe('creation sites', () => {
  it('names a site by file:line and function, in V8 and SpiderMonkey alike, one key across reloads', () => {
    const v8 = creationSite({
      stack: [
        '    at makeCall (http://localhost:8102/rpc.js?v=1:12:19)',
        '    at main (http://localhost:8102/app.js:3:1)',
      ],
    })!;
    expect(v8).toMatchObject({
      where: 'rpc.js:12',
      fn: 'makeCall',
      key: 'makeCall@http://localhost:8102/rpc.js:12:19',
    });
    const reloaded = creationSite({ stack: ['    at makeCall (http://localhost:8102/rpc.js?v=2:12:19)'] })!;
    expect(reloaded.key).toBe(v8.key);
    const gecko = creationSite({ stack: ['makeCall@http://localhost:8102/rpc.js:12:19'] })!;
    expect(gecko.key).toBe(v8.key);
    expect(creationSite({ stack: ['    at http://localhost:8102/rpc.js:12:19'] })).toMatchObject({
      fn: null,
      where: 'rpc.js:12',
    });
    expect(creationSite({ stack: ['not a frame'] })).toMatchObject({ where: 'not a frame', key: 'not a frame' });
    expect(creationSite(undefined)).toBeNull();
  });
});

describe('mutes', () => {
  const noisy = channel('c7', ['    at tick (http://app.test/noisy.js?v=9:10:5)']);
  const react = channel('c1', ['    at http://app.test/react-dom.js:1:1'], 'React scheduler');

  it('hide a channel by its creation site, across reloads, and a library by name', () => {
    let mutes = withMute(NO_MUTES, 'site', creationSite(noisy.site)!.key);
    expect(muteOf(mutes, noisy)).toEqual({ by: 'site', key: 'tick@http://app.test/noisy.js:10:5' });
    // The next load: another id, another query, same site.
    expect(muteOf(mutes, channel('c2', ['    at tick (http://app.test/noisy.js?v=10:10:5)']))).not.toBeNull();
    expect(muteOf(mutes, channel('c3', ['    at tick (http://app.test/noisy.js:11:5)']))).toBeNull();
    expect(muteOf(mutes, react)).toBeNull();
    mutes = withMute(mutes, 'library', 'React scheduler');
    expect(muteOf(mutes, react)).toEqual({ by: 'library', key: 'React scheduler' });
    mutes = withoutMute(mutes, 'site', 'tick@http://app.test/noisy.js:10:5');
    expect(muteOf(mutes, noisy)).toBeNull();
    expect(mutes).toEqual({ sites: [], libraries: ['React scheduler'] });
    expect(muteOf(mutes, channel('c9', []))).toBeNull();
  });

  it(`are bounded: past ${MUTES_CAP} a new one is refused with a message`, () => {
    let mutes = NO_MUTES;
    for (let i = 0; i < MUTES_CAP; i++) mutes = withMute(mutes, 'site', `s${i}`);
    expect(withMute(mutes, 'site', 's0')).toBe(mutes);
    expect(() => withMute(mutes, 'site', 'one more')).toThrow(`${MUTES_CAP} muted creation sites at most`);
  });

  it('read from storage only when well formed, naming the field otherwise', () => {
    expect(parseMutes(undefined)).toEqual(NO_MUTES);
    expect(parseMutes({ sites: ['a'], libraries: ['comlink'] })).toEqual({ sites: ['a'], libraries: ['comlink'] });
    expect(() => parseMutes('a')).toThrow(MutesError);
    expect(() => parseMutes({ sites: 'a' })).toThrow('mutes.sites: expected an array of strings');
    expect(() => parseMutes({ sites: ['a', 3] })).toThrow('mutes.sites[1]: expected a string');
    expect(() => parseMutes({ libraries: Array(MUTES_CAP + 1).fill('x') })).toThrow(
      `mutes.libraries: ${MUTES_CAP + 1} entries`,
    );
  });
});

describe('messages of muted channels', () => {
  it('leaves the muted channels’ messages out of the rows, and counts them', () => {
    const s = new Stream();
    const top = s.context('top');
    const made = (channel: number, line: string) => {
      const [port1, port2] = [top.newPortId(), top.newPortId()];
      top.emit('channel-created', { channel, port1, port2, site: { stack: [line] } });
      top.onmessage(port2);
      return port1;
    };
    const rpc = made(1, '    at makeCall (http://app.test/rpc.js:12:19)');
    const tick = made(2, '    at http://app.test/assets/react-dom-x1.js:148:17');
    top.post(rpc, 'call');
    top.post(tick, 'tick');
    top.post(tick, 'tick');
    const model = createModel();
    model.apply(s.all);
    const rows = [...model.messages];
    expect(hideMuted(model, rows, NO_MUTES)).toEqual({ rows, mutedHidden: 0 });
    const muted = hideMuted(model, rows, withMute(NO_MUTES, 'library', 'React scheduler'));
    expect(muted.mutedHidden).toBe(2);
    expect(muted.rows.map((m) => m.from.port)).toEqual([rows[0]!.from.port]);
    const bySite = hideMuted(model, rows, withMute(NO_MUTES, 'site', 'makeCall@http://app.test/rpc.js:12:19'));
    expect(bySite.mutedHidden).toBe(1);
  });
});
