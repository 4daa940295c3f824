// A Chromium's processes found through /proc by the extension it loaded, and their CPU time by role:
// the benches that read CPU per process (bench/relay-profile.mjs, transport-cost.mjs). 10 ms ticks.
import { readdirSync, readFileSync } from 'node:fs';
import { BenchSetupError } from './chromium.mjs';

const TICKS_PER_SECOND = 100;

/** This browser's processes (the ones started with its user-data dir), by role. */
export function processes(distChrome) {
  const all = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // Chromium rewrites its children's argv as one line (the process title): split on spaces too.
      all.push({ pid, cmd: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/) });
    } catch {
      // Gone meanwhile.
    }
  }
  const browser = all.find(
    (p) => !p.cmd.some((a) => a.startsWith('--type=')) && p.cmd.includes(`--load-extension=${distChrome}`),
  );
  if (!browser) throw new BenchSetupError(`no browser process with --load-extension=${distChrome}`);
  const dataDir = browser.cmd.find((a) => a.startsWith('--user-data-dir='));
  const role = (p) => {
    if (p === browser) return 'browser process';
    if (!p.cmd.includes('--type=renderer')) return 'other processes';
    return p.cmd.includes('--extension-process') ? 'extension renderer' : 'page renderers';
  };
  return all.filter((p) => p === browser || p.cmd.includes(dataDir)).map((p) => ({ pid: p.pid, role: role(p) }));
}

/** CPU seconds per role (user + system). */
export function cpuByRole(procs) {
  const out = {};
  for (const { pid, role } of procs) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out[role] = (out[role] ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    } catch {
      // Exited: its time is lost to the count (the run says which roles it measured).
    }
  }
  return out;
}
