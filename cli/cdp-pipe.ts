/**
 * Chromium driven over its own DevTools pipe (`--remote-debugging-pipe`: JSON messages ended by
 * a NUL byte, written on fd 3, read on fd 4), with flattened sessions. The recorder owns this
 * connection alone: a second client attached to the same workers (Playwright resumes every
 * worker it auto-attaches as soon as it sees it) would let them run before the runtime is in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

import { CdpEvents, type CdpListener, type CdpParams, type CdpTransport } from '../extension/worker-targets.ts';

export type { CdpListener, CdpParams, CdpTransport };

export class CdpError extends Error {}

export class CdpConnection extends CdpEvents implements CdpTransport {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve(v: CdpParams): void; reject(e: Error): void; method: string }>();
  private closed = false;
  private readonly onClose: (() => void)[] = [];

  constructor(
    private readonly toBrowser: Writable,
    fromBrowser: Readable,
  ) {
    super();
    let pending = '';
    fromBrowser.setEncoding('utf8');
    fromBrowser.on('data', (chunk: string) => {
      pending += chunk;
      for (let end = pending.indexOf('\0'); end >= 0; end = pending.indexOf('\0')) {
        const text = pending.slice(0, end);
        pending = pending.slice(end + 1);
        this.dispatch(text);
      }
    });
    fromBrowser.on('close', () => this.shutDown());
    toBrowser.on('error', () => this.shutDown());
  }

  send(method: string, params: CdpParams = {}, sessionId?: string): Promise<CdpParams> {
    if (this.closed) return Promise.reject(new CdpError(`${method}: the browser connection is closed`));
    const id = this.nextId++;
    const message: Record<string, unknown> = { id, method, params };
    if (sessionId !== undefined) message.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject, method });
      this.toBrowser.write(JSON.stringify(message) + '\0');
    });
  }

  whenClosed(callback: () => void): void {
    if (this.closed) callback();
    else this.onClose.push(callback);
  }

  private dispatch(text: string): void {
    let message: {
      id?: number;
      method?: string;
      params?: CdpParams;
      result?: CdpParams;
      error?: { message: string };
      sessionId?: string;
    };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.id !== undefined) {
      const call = this.calls.get(message.id);
      if (!call) return;
      this.calls.delete(message.id);
      if (message.error) call.reject(new CdpError(`${call.method}: ${message.error.message}`));
      else call.resolve(message.result ?? {});
      return;
    }
    if (message.method === undefined) return;
    this.emit(message.method, message.params ?? {}, message.sessionId);
  }

  private shutDown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.calls.values()) call.reject(new CdpError(`${call.method}: the browser connection closed`));
    this.calls.clear();
    for (const callback of this.onClose.splice(0)) callback();
  }
}

export interface LaunchedBrowser {
  process: ChildProcess;
  connection: CdpConnection;
  /** The last lines Chromium wrote on stderr, for an error message. */
  stderr(): string;
}

export function launchOverPipe(executable: string, args: string[]): LaunchedBrowser {
  const child = spawn(executable, [...args, '--remote-debugging-pipe'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const connection = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  return { process: child, connection, stderr: () => stderr };
}
