/** The `portscope` command line: record, summary, convert, view. */
import { writeFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { BrowserName } from './browsers.ts';
import { PortscopeCliError } from './errors.ts';
import { toChromeTrace } from './perfetto.ts';
import { record } from './record.ts';
import { PORTSCOPE_VERSION } from './recording.ts';
import { failureReason, parseFailOn } from './fail-on.ts';
import { summaryDocument } from './summary-json.ts';
import { summaryTable } from './summary-table.ts';
import { terminalText } from './terminal-text.ts';
import { readTrace, replay } from './trace-file.ts';
import { view } from './view.ts';

export const USAGE = `usage: portscope <command>

  record <url> --out <trace.json> [--duration <ms>] [--browser chromium|firefox] [--workers] [--headed]
         [--preview default|full]   (full: every node of each message, up to safety limits; slower pages)
  summary <trace.json> [--json] [--fail-on any|<code>,<code>...]   (exit 1 when a diagnostic matches)
  convert <trace.json> --perfetto <out.json>
  view <trace.json> [--port <n>]
  --version, --help

  Chromium: every worker (dedicated, nested, shared, service) is seen from inside from its
  first line, through the DevTools protocol. --workers applies to Firefox only: it builds
  dedicated and shared workers from a bootstrap so they are seen from inside, those of the
  page's first script too (the recorder fetches the page once to read its Content Security
  Policy first); service workers stay outside (docs/in-worker.md).`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** A progress line that replaces the previous one; undefined when progress is off. */
  progress?: (line: string) => void;
}

function args(argv: string[], options: NonNullable<ParseArgsConfig['options']>, positionals: string[]) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new PortscopeCliError(`${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}\n${USAGE}`);
  }
  if (parsed.positionals.length !== positionals.length) {
    throw new PortscopeCliError(
      `expected ${positionals.map((p) => `<${p}>`).join(' ')}, got ${parsed.positionals.length} argument(s)\n${USAGE}`,
    );
  }
  return parsed;
}

function integer(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value))
    throw new PortscopeCliError(`--${name}: expected a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * Runs one command; resolves with the exit code (0 done, 1 `--fail-on` matched, 2 a usage or
 * input error). `view` resolves when its server closes.
 */
export async function main(argv: string[], terminal: Io): Promise<number> {
  // Every line can carry page data or trace content (URLs, keys, V8's JSON snippets).
  const io: Io = {
    out: (text) => terminal.out(terminalText(text)),
    err: (text) => terminal.err(terminalText(text)),
    progress: terminal.progress && ((line) => terminal.progress!(terminalText(line))),
  };
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'record': {
        const { values, positionals } = args(
          rest,
          {
            out: { type: 'string' },
            duration: { type: 'string' },
            browser: { type: 'string' },
            workers: { type: 'boolean' },
            headed: { type: 'boolean' },
            preview: { type: 'string' },
          },
          ['url'],
        );
        if (!values.out) throw new PortscopeCliError('record: --out <trace.json> is required');
        const browser = (values.browser ?? 'chromium') as string;
        if (browser !== 'chromium' && browser !== 'firefox')
          throw new PortscopeCliError(`--browser: expected chromium or firefox, got ${JSON.stringify(browser)}`);
        const preview = (values.preview ?? 'default') as string;
        if (preview !== 'default' && preview !== 'full')
          throw new PortscopeCliError(`--preview: expected default or full, got ${JSON.stringify(preview)}`);
        const result = await record({
          url: positionals[0],
          out: values.out as string,
          durationMs: integer(values.duration as string | undefined, 'duration', 5000),
          browser: browser as BrowserName,
          workers: Boolean(values.workers),
          headed: Boolean(values.headed),
          preview,
          progress: io.progress,
        });
        io.out(result.line);
        if (result.recording.firstError)
          io.err(`note: some runtime output was refused: ${result.recording.firstError}`);
        if (result.workersNote) io.err(`note: ${result.workersNote}`);
        if (values.workers && browser === 'chromium')
          io.err('note: --workers applies to Firefox only: Chromium sees every worker from inside without it');
        return 0;
      }
      case 'summary': {
        const { values, positionals } = args(rest, { json: { type: 'boolean' }, 'fail-on': { type: 'string' } }, [
          'trace.json',
        ]);
        const failOn = values['fail-on'] === undefined ? undefined : parseFailOn(values['fail-on'] as string);
        const model = replay(await readTrace(positionals[0]));
        const summary = model.summary();
        const sites = model.diagnostics().map((d) => d.site);
        io.out(values.json ? JSON.stringify(summaryDocument(summary), null, 2) : summaryTable(summary, { sites }));
        const reason = failOn && failureReason(summary, failOn);
        if (reason) {
          io.err(`portscope: failing: ${reason}`);
          return 1;
        }
        return 0;
      }
      case 'convert': {
        const { values, positionals } = args(rest, { perfetto: { type: 'string' } }, ['trace.json']);
        if (!values.perfetto) throw new PortscopeCliError('convert: --perfetto <out.json> is required');
        const trace = await readTrace(positionals[0]);
        const model = replay(trace);
        const chrome = toChromeTrace(model, model.factLog(), {
          source: positionals[0],
          url: trace.meta.url,
          browser: trace.meta.browser,
        });
        await writeFile(values.perfetto as string, JSON.stringify(chrome)).catch((err: Error) => {
          throw new PortscopeCliError(`cannot write ${values.perfetto}: ${err.message}`);
        });
        io.out(
          `wrote ${chrome.traceEvents.length} trace events → ${values.perfetto} (open it at https://ui.perfetto.dev)`,
        );
        return 0;
      }
      case 'view': {
        const { values, positionals } = args(rest, { port: { type: 'string' } }, ['trace.json']);
        const viewer = await view(positionals[0], integer(values.port as string | undefined, 'port', 0));
        io.out(`serving the Portscope viewer at ${viewer.url} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          viewer.server.once('close', () => resolve());
          process.once('SIGINT', () => {
            void viewer.close();
          });
          process.once('SIGTERM', () => {
            void viewer.close();
          });
        });
        return 0;
      }
      case '--version':
        io.out(PORTSCOPE_VERSION);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new PortscopeCliError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } catch (err) {
    if (err instanceof PortscopeCliError) {
      io.err(`portscope: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
