// The timeline printed on stderr with UNEMBED_DEBUG set (where a run's time goes).
import { readFileSync } from 'node:fs';

function debug(line: string): void {
  if (process.env.UNEMBED_DEBUG) process.stderr.write(`unembed: ${line}\n`);
}

// the process's start, the same in the main thread and in the workers
const processStart = Date.now() - process.uptime() * 1000;

/** This thread's CPU time so far in ms (Linux), or undefined: wall time alone hides waiting for a core. */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** A timeline line stamped with the milliseconds since the process started (and the thread's CPU ms). */
export function debugAt(line: string): void {
  if (!process.env.UNEMBED_DEBUG) return;
  const cpu = threadCpuMs();
  debug(`${Math.round(Date.now() - processStart)} ms: ${line}${cpu === undefined ? '' : ` [thread CPU ${cpu} ms]`}`);
}
