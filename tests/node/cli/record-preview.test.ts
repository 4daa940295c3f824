// `portscope record --preview full`: the recorder gives every runtime PREVIEW_FULL; anything else
// but `default` is a usage error.
import { describe, expect, it } from 'vitest';
import { runtimeConfig, type RecordOptions } from '../../../cli/record.ts';
import { PREVIEW_FULL } from '../../../protocol/facts.ts';
import { runCli } from './run-cli.ts';

const opts = (more: Partial<RecordOptions>): RecordOptions => ({
  url: 'http://x.test/',
  out: 'x.json',
  durationMs: 1,
  browser: 'chromium',
  workers: false,
  headed: false,
  ...more,
});

describe('record --preview', () => {
  it('full: the runtime config carries PREVIEW_FULL; default: the runtime keeps its own', () => {
    expect(runtimeConfig(opts({ preview: 'full' }))).toEqual({
      captureStacks: false,
      inWorker: false,
      preview: PREVIEW_FULL,
    });
    expect(runtimeConfig(opts({ preview: 'default' }))).toBeUndefined();
    expect(runtimeConfig(opts({ browser: 'firefox', workers: true, preview: 'full' }))).toEqual({
      captureStacks: false,
      inWorker: true,
      preview: PREVIEW_FULL,
    });
  });

  it('refuses any other value with a usage error', async () => {
    const r = await runCli('record', 'http://x.test/', '--out', 'x.json', '--preview', 'all');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--preview: expected default or full, got "all"/);
  });
});
