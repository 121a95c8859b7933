// A scan worker's entry: it lowers its priority before it loads anything (see util/priority.ts),
// then loads the worker proper.
import { parentPort } from 'node:worker_threads';
import { waitAtLowPriority } from './util/priority.js';

const lowered = waitAtLowPriority();
// the main thread raises it again with the first batch
if (lowered) parentPort?.postMessage({ kind: 'lowered', thread: lowered });
await import('./scan-worker.js');
