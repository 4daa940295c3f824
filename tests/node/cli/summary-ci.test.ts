/**
 * `portscope summary` as a CI step: `--fail-on`, totals that add up, contexts named by URL,
 * plurals, the versioned `--json` envelope.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.ts';
import { createTrace } from '../../../protocol/trace.ts';
import type { Fact } from '../../../protocol/facts.ts';
import { SAMPLE_PATH } from '../trace/samples.ts';
import { Stream } from '../model/facts.ts';

const dir = mkdtempSync(join(tmpdir(), 'portscope-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function traceFile(name: string, facts: readonly Fact[]): string {
  const path = join(dir, name);
  const meta = {
    browser: 'test',
    url: 'https://app.test/',
    startedAt: new Date(0).toISOString(),
    portscopeVersion: 'test',
    dropped: {},
    evicted: { messages: 0, facts: 0 },
  };
  writeFileSync(path, JSON.stringify(createTrace({ meta, facts })));
  return path;
}

/** One channel, both ports started, one message each way: nothing to report. */
function cleanTrace(): string {
  const s = new Stream();
  const top = s.context('top');
  const [a, b] = top.channel();
  top.start(a);
  top.start(b);
  top.post(a, 'ping');
  top.dispatch(b, 'ping');
  top.post(b, 'pong');
  top.dispatch(a, 'pong');
  return traceFile('clean.json', s.all);
}

/** The worker RPC shape: messages sent into a worker no runtime runs in. */
function workerTrace(): string {
  const s = new Stream();
  const top = s.context('top');
  const worker = top.worker('https://app.test/w.js');
  const [a, b] = top.channel();
  top.carrierPost('worker', `worker:${worker}`, 'port for you', [b]);
  top.start(a);
  top.post(a, 'one');
  top.post(a, 'two');
  return traceFile('worker.json', s.all);
}

describe('summary --fail-on', () => {
  it('exits 1 with a one-line reason when any diagnostic is present', async () => {
    const r = await runCli('summary', SAMPLE_PATH, '--fail-on', 'any');
    expect(r.code).toBe(1);
    expect(r.out).toContain('port-never-started');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^portscope: failing: --fail-on any: \d+ diagnostics? \(.*port-never-started.*\)$/);
  });

  it('exits 0 on a clean trace', async () => {
    const r = await runCli('summary', cleanTrace(), '--fail-on', 'any');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('no diagnostics');
  });

  it('fails only on the codes named', async () => {
    expect((await runCli('summary', SAMPLE_PATH, '--fail-on', 'post-after-close,handler-threw')).code).toBe(0);
    const r = await runCli('summary', SAMPLE_PATH, '--json', '--fail-on', 'handler-threw, port-never-started');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^portscope: failing: --fail-on handler-threw,port-never-started: 1 diagnostic \(port-never-started\)$/,
    );
    expect(JSON.parse(r.out).format).toBe('portscope-summary');
  });

  it('refuses an unknown code, naming the known ones', async () => {
    const r = await runCli('summary', SAMPLE_PATH, '--fail-on', 'port-never-startd');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^portscope: --fail-on: unknown diagnostic code "port-never-startd" \(known: any, port-never-started, /,
    );
    expect(r.out).toBe('');
  });

  it('without --fail-on, diagnostics do not change the exit code', async () => {
    expect((await runCli('summary', SAMPLE_PATH)).code).toBe(0);
  });
});

describe('summary totals and names', () => {
  it('accounts for every posted message, receivers not observed included', async () => {
    const r = await runCli('summary', workerTrace());
    expect(r.out).toContain('messages: 2 posted = 0 delivered + 0 queued + 0 dropped + 2 to a receiver not observed');
    const json = JSON.parse((await runCli('summary', workerTrace(), '--json')).out);
    expect(json.messages).toEqual({ posted: 2, delivered: 0, queued: 0, dropped: 0, unobserved: 2 });
  });

  it('the totals line adds up on the sample', async () => {
    const r = await runCli('summary', SAMPLE_PATH);
    const m =
      /messages: (\d+) posted = (\d+) delivered \+ (\d+) queued \+ (\d+) dropped \+ (\d+) to a receiver not observed$/m.exec(
        r.out,
      );
    expect(m).not.toBeNull();
    const [posted, ...parts] = m!.slice(1).map(Number);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(posted);
  });

  it('names contexts by URL, and by place only where two share a URL or one has none', async () => {
    const s = new Stream();
    const top = s.context('top', 'window', { url: 'https://app.test/' });
    s.context('f1', 'iframe', { url: 'https://app.test/child.html', framePath: 'top.frames[0]' });
    s.context('f2', 'iframe', { url: 'https://app.test/child.html', framePath: 'top.frames[1]' });
    top.channel();
    const r = await runCli('summary', traceFile('names.json', s.all));
    const rows = r.out.split('\n');
    expect(rows.some((row) => /^https:\/\/app\.test\/\s+window\s+yes$/.test(row))).toBe(true);
    expect(rows.some((row) => row.startsWith('https://app.test/child.html #1 '))).toBe(true);
    expect(rows.some((row) => row.startsWith('https://app.test/child.html #2 '))).toBe(true);
    expect(rows.find((row) => row.startsWith('p1 '))).toMatch(/^p1\s+c1\s+https:\/\/app\.test\/\s/);
  });

  it('--json is the same for two runs of one page (context ids are random per run)', async () => {
    const recordRun = (ids: [string, string, string]) => {
      const s = new Stream();
      const top = s.context(ids[0], 'window', { url: 'https://app.test/' });
      const frame = s.context(ids[1], 'iframe', {
        url: 'https://app.test/child.html',
        framePath: 'top.frames[0]',
        parent: ids[0],
      });
      s.context(ids[2], 'iframe', { url: 'https://app.test/child.html', framePath: 'top.frames[1]', parent: ids[0] });
      const [a, b] = top.channel();
      top.post(a, 'never read');
      void frame;
      void b;
      return traceFile(`run-${ids[0]}.json`, s.all);
    };
    const first = await runCli('summary', recordRun(['w-1a2b', 'f-3c4d', 'f-5e6f']), '--json');
    const second = await runCli('summary', recordRun(['w-9f8e', 'f-7d6c', 'f-5b4a']), '--json');
    expect(second.out).toBe(first.out);
    expect(JSON.parse(first.out).contexts.map((c: { id: string }) => c.id)).toEqual([
      'https://app.test/',
      'https://app.test/child.html #1',
      'https://app.test/child.html #2',
    ]);
  });

  it('uses singular and plural forms', async () => {
    const r = await runCli('summary', workerTrace());
    expect(r.out.split('\n')[0]).toBe('2 contexts, 1 channel, 2 ports, 1 carrier message, 1 port transfer');
  });

  it('--json is a versioned envelope around the stable Summary', async () => {
    const s = JSON.parse((await runCli('summary', SAMPLE_PATH, '--json')).out);
    expect(Object.keys(s)).toEqual([
      'format',
      'version',
      'contexts',
      'channels',
      'ports',
      'messages',
      'carriers',
      'transfers',
      'diagnostics',
    ]);
    expect([s.format, s.version]).toEqual(['portscope-summary', 1]);
  });
});
