/** The CLI's file commands and argument handling, run in-process (no browser). */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.ts';
import { SAMPLE_PATH, sample } from '../trace/samples.ts';
import { chromeTraceProblems } from './chrome-trace-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'portscope-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('portscope summary', () => {
  it('prints the stable Summary shape with --json', async () => {
    const r = await runCli('summary', SAMPLE_PATH, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(Object.keys(s).sort()).toEqual([
      'carriers',
      'channels',
      'contexts',
      'diagnostics',
      'format',
      'messages',
      'ports',
      'transfers',
      'version',
    ]);
    // Context ids are names (the trace's own ids are random per run).
    expect(s.contexts.map((c: any) => [c.id, c.kind])).toEqual([
      ['http://127.0.0.1:4000/demo/', 'window'],
      ['http://127.0.0.1:4000/demo/child.html', 'iframe'],
    ]);
    expect(s.channels).toBe(2);
    expect(s.ports).toHaveLength(4);
    expect(s.messages).toEqual({ posted: 3, delivered: 2, queued: 1, dropped: 0, unobserved: 0 });
    expect(s.transfers).toHaveLength(1);
    expect(s.transfers[0]).toMatchObject({
      from: 'http://127.0.0.1:4000/demo/',
      to: 'http://127.0.0.1:4000/demo/child.html',
    });
    expect(s.diagnostics.map((d: any) => d.code)).toContain('port-never-started');
  });

  it('prints a human table without --json, page strings escaped', async () => {
    const t = sample();
    t.facts[0].url = 'http://evil.test/\u001b[2J\u0007';
    t.contexts[0].url = t.facts[0].url;
    const path = join(dir, 'evil.json');
    writeFileSync(path, JSON.stringify(t));
    const r = await runCli('summary', path);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^2 contexts, 2 channels, 4 ports/);
    expect(r.out).toContain('http://evil.test/\\u001b[2J\\u0007');
    expect(r.out).not.toContain('\u001b');
  });

  it('names the file and the exact field of a broken trace', async () => {
    const t = sample();
    t.facts[8].port = 'x';
    const path = join(dir, 'broken.json');
    writeFileSync(path, JSON.stringify(t));
    const r = await runCli('summary', path);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `portscope: ${path} is not a valid Portscope trace: facts[8].port: expected a positive integer, got "x"`,
    );
  });

  it('says a truncated file looks truncated', async () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, readFileSync(SAMPLE_PATH, 'utf8').slice(0, 777));
    const r = await runCli('summary', path);
    expect(r.err).toBe(
      `portscope: ${path} is not a valid Portscope trace: the file looks truncated: the JSON ends at byte 777 before the document is complete`,
    );
  });

  it('says a missing file is missing', async () => {
    const r = await runCli('summary', join(dir, 'nope.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read .*nope\.json: no such file/);
  });
});

describe('portscope convert', () => {
  it('writes a structurally sound Chrome trace-event file', async () => {
    const out = join(dir, 'perfetto.json');
    const r = await runCli('convert', SAMPLE_PATH, '--perfetto', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^wrote \d+ trace events/);
    const chrome = JSON.parse(readFileSync(out, 'utf8'));
    expect(chromeTraceProblems(chrome)).toEqual([]);
    expect(chrome.traceEvents.filter((e: any) => e.ph === 's')).toHaveLength(2);
    expect(chrome.traceEvents.filter((e: any) => e.name === 'process_name')).toHaveLength(2);
  });
});

describe('arguments', () => {
  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['summary'], /expected <trace\.json>, got 0 argument/],
    [['summary', 'a.json', '--jsn'], /Unknown option '--jsn'/],
    [['convert', SAMPLE_PATH], /--perfetto <out\.json> is required/],
    [['record', 'http://x.test/'], /--out <trace\.json> is required/],
    [
      ['record', 'http://x.test/', '--out', 'x.json', '--browser', 'safari'],
      /--browser: expected chromium or firefox, got "safari"/,
    ],
    [
      ['record', 'http://x.test/', '--out', 'x.json', '--duration', '2s'],
      /--duration: expected a whole number, got "2s"/,
    ],
    [['record', 'not a url', '--out', 'x.json'], /not a URL: "not a url"/],
    [['record', 'ftp://x.test/', '--out', 'x.json'], /cannot record a ftp: URL/],
  ])('%j → %s', async (argv, message) => {
    const r = await runCli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.startsWith('portscope: ')).toBe(true);
  });

  it('prints usage for --help and the version for --version', async () => {
    expect((await runCli('--help')).out).toMatch(/^usage: portscope <command>/);
    expect((await runCli('--version')).out).toBe('0.0.0-test');
  });
});
