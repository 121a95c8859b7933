// The timeline printed on stderr with UNEMBED_DEBUG set (where a run's time goes).

function debug(line: string): void {
  if (process.env.UNEMBED_DEBUG) process.stderr.write(`unembed: ${line}\n`);
}

// the process's start, the same in the main thread and in the workers
const processStart = Date.now() - process.uptime() * 1000;

/** A timeline line stamped with the milliseconds since the process started. */
export function debugAt(line: string): void {
  if (process.env.UNEMBED_DEBUG) debug(`${Math.round(Date.now() - processStart)} ms: ${line}`);
}
