/**
 * The page's recording path with RPC traffic (issue 16, "The page's recording path, step 5"), in
 * real Chromium with the built extension, recording: requests and replies of different shapes
 * in turn, on a channel whose two ends are in the page and on one whose replies come from a
 * dedicated worker (no runtime there: the page describes each reply from event.data; one of its
 * reply shapes has as many keys as the request, and the same first key). Every
 * message reaches a panel connection whole: the fingerprint of each post and dispatch is the
 * print of its own keys (the runtime remembers several shapes), and each reply from the worker
 * has the preview of the data the worker sent (read from the deserialized copy without a
 * descriptor per key; a hole stays a hole).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fact } from '../../protocol/facts.ts';
import { createModel } from '../../panel/model/model.ts';
import { describe as describeValue } from '../../injected/preview.ts';
import { launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { recordWhileClosedChromium } from '../support/record-while-closed.ts';
import { serveFixtures, type FixtureServer } from '../support/server.ts';
import { backgroundOf, tabIdOf } from '../support/background-tab.ts';
import { until } from '../support/until.ts';
import { openProbe, probeState } from '../fixtures/relay/panel-probe.ts';

let browser: LaunchedChromium;
let server: FixtureServer;

beforeAll(async () => {
  server = await serveFixtures();
  browser = await launchChromium({ extension: true });
  await recordWhileClosedChromium(await backgroundOf(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** FNV-1a of `o,key,…`, as the runtime prints an ordinary object's shape. */
function printOf(keys: string[]): string {
  const shape = `o${keys.map((k) => `,${k}`).join('')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < shape.length; i++) {
    h ^= shape.charCodeAt(i);
    h = (h * 0x01000193) >>> 0;
  }
  return h.toString(16);
}

/** What the worker replies to request `id` (tests/fixtures/rpc-shapes/worker.js). */
function reply(id: number): object {
  const result = id + 1;
  return id % 3 === 1
    ? { id, result }
    : id % 3 === 2
      ? { id, result, done: true }
      : { id, result, tags: ['a', , 'c'], meta: { at: id } };
}

const N = 40;

describe('RPC traffic recorded (Chromium)', () => {
  it('brings every request and reply to a panel connection with its own fingerprint and preview', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin}/rpc-shapes/index.html`;
    await page.goto(url);
    const tabId = await tabIdOf(browser, url);
    const probe = await openProbe(browser.context, browser.extensionId!, tabId);

    const done = await page.evaluate((n) => (window as unknown as { rpc(n: number): Promise<unknown> }).rpc(n), N);
    expect(done).toEqual({ local: N, remote: N });

    const count = (fs: Fact[], kind: Fact['kind']) => fs.filter((f) => f.kind === kind).length;
    // Channel A: N requests and N replies posted and dispatched here; channel B: N requests
    // posted, N replies dispatched.
    const facts = await until(
      'every message to reach the panel connection',
      async () => (await probeState(probe)).facts,
      (fs) => count(fs, 'port-posted') >= 3 * N && count(fs, 'message-dispatched') >= 3 * N,
    );
    expect(facts.filter((f) => f.kind === 'facts-dropped' || f.kind === 'messages-counted')).toEqual([]);
    const [local, remote] = facts.filter((f) => f.kind === 'channel-created');
    const posted = (port: number) => facts.flatMap((f) => (f.kind === 'port-posted' && f.port === port ? [f] : []));
    const dispatched = (port: number) =>
      facts.flatMap((f) => (f.kind === 'message-dispatched' && f.port === port ? [f] : []));

    const requestPrint = printOf(['id', 'method', 'args']);
    expect(posted(local.port1).map((f) => f.fingerprint)).toEqual(Array(N).fill(requestPrint));
    expect(posted(local.port2).map((f) => f.fingerprint)).toEqual(Array(N).fill(printOf(['id', 'result'])));
    expect(posted(remote.port1).map((f) => f.fingerprint)).toEqual(Array(N).fill(requestPrint));
    expect(posted(remote.port1).map((f) => f.preview)).toEqual(
      Array.from({ length: N }, (_, id) => describeValue({ id, method: 'add', args: [id, 1] }).preview),
    );

    // The worker's replies: described here, at the dispatch, each with its own shape's print.
    const replies = dispatched(remote.port1);
    expect(replies.map((f) => f.fingerprint)).toEqual(
      Array.from({ length: N }, (_, id) => printOf(Object.keys(reply(id)))),
    );
    // The sender's walk of the same data (a descriptor per key) is the reference.
    expect(replies.map((f) => f.preview)).toEqual(
      Array.from({ length: N }, (_, id) => describeValue(reply(id)).preview),
    );
    expect(replies[0].preview).toMatchObject({ t: 'object', keys: 4 });
    expect((replies[0].preview as { entries: unknown[] }).entries[2]).toEqual([
      'tags',
      {
        t: 'array',
        len: 3,
        items: [{ t: 'string', v: 'a', len: 1 }, { t: 'undefined' }, { t: 'string', v: 'c', len: 1 }],
      },
    ]);

    const model = createModel();
    model.apply(facts);
    model.settle();
    // Every message of channel A and the worker's replies (placed from their dispatches) are
    // delivered; the requests to the worker are delivered where no runtime runs.
    expect(model.summary().messages).toMatchObject({ posted: 4 * N, delivered: 3 * N, queued: 0, dropped: 0 });
    expect(model.diagnostics()).toEqual([]);
    await probe.close();
    await page.close();
  });
});
