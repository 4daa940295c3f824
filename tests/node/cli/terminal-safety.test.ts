/**
 * CLI output never carries raw control or bidi characters from a
 * trace (errors included), and no table or total spreads unbounded data into a call.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.ts';
import { summaryTable } from '../../../cli/summary-table.ts';
import type { Summary } from '../../../protocol/summary.ts';
import { sample } from '../trace/samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'portscope-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ESC (colour, title, clear screen), BEL, C1 CSI, and the bidi override U+202E.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202etxt.exe';

describe('terminal escapes from trace content', () => {
  it('escapes a trace key named in a validation error', async () => {
    const t = sample();
    t.meta.dropped[EVIL] = -1;
    const path = join(dir, 'key.json');
    writeFileSync(path, JSON.stringify(t));
    const r = await runCli('summary', path);
    expect(r.code).toBe(2);
    expect(r.err).toContain('meta.dropped');
    expect(r.err).not.toMatch(RAW);
    expect(r.err).toContain('\\u202e');
  });

  it('escapes the raw bytes of a JSON syntax error snippet', async () => {
    const path = join(dir, 'syntax.json');
    // V8 quotes the text around an unexpected token verbatim.
    writeFileSync(path, `{"format": ${EVIL}}`);
    const r = await runCli('summary', path);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not valid JSON/);
    expect(r.err).not.toMatch(RAW);
  });

  it('escapes bidi overrides in the summary table and in --json (which stays valid JSON)', async () => {
    const t = sample();
    t.facts[0].url = `https://evil.test/${EVIL}`;
    t.contexts[0].url = t.facts[0].url;
    const path = join(dir, 'bidi.json');
    writeFileSync(path, JSON.stringify(t));
    const table = await runCli('summary', path);
    expect(table.out).not.toMatch(RAW);
    expect(table.out).toContain('\\u202etxt.exe');
    const json = await runCli('summary', path, '--json');
    expect(json.out).not.toMatch(RAW);
    expect(JSON.parse(json.out).contexts[0].url).toBe(t.facts[0].url);
  });
});

describe('large traces', () => {
  it('prints the summary of a trace with 200,000 contexts', () => {
    const contexts: Summary['contexts'] = [];
    for (let i = 0; i < 200_000; i++)
      contexts.push({ id: `c${i}`, kind: 'iframe', url: `https://app.test/${i}`, observed: true });
    const s: Summary = {
      contexts,
      channels: 0,
      ports: [],
      messages: { posted: 0, delivered: 0, queued: 0, dropped: 0 },
      carriers: 0,
      transfers: [],
      diagnostics: [],
    };
    const text = summaryTable(s);
    expect(text.split('\n')[0]).toBe('200000 contexts, 0 channels, 0 ports, 0 carrier messages, 0 port transfers');
    expect(text).toContain('https://app.test/199999');
    // What is checked is that it finishes at all (a spread over 200,000 widths overflowed the
    // stack); its time under a loaded machine is not the point, so vitest's 5 s default is lifted.
  }, 60_000);
});
