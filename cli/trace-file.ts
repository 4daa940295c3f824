/** Reads a trace file for the CLI and replays it into a fresh model. */
import { readFile } from 'node:fs/promises';
import { parseTrace, traceFacts, TraceFormatError, type Trace } from '../protocol/trace.ts';
import { createModel, type ChannelModel } from '../panel/model/index.ts';
import { PortscopeCliError } from './errors.ts';

export async function readTrace(path: string): Promise<Trace> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PortscopeCliError(`cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return parseTrace(text);
  } catch (err) {
    if (err instanceof TraceFormatError)
      throw new PortscopeCliError(`${path} is not a valid Portscope trace: ${err.message}`);
    throw err;
  }
}

export function replay(trace: Trace): ChannelModel {
  // The model keeps at least what the recording kept: its default bounds are the recorder's.
  const model = createModel({ factLogCap: Math.max(1_000_000, trace.facts.length + trace.contexts.length) });
  model.apply(traceFacts(trace));
  return model;
}
