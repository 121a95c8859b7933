// A scan worker's entry: it lowers its priority before it loads anything (see util/priority.ts),
// then loads the worker proper.
import { waitAtLowPriority } from './util/priority.js';

waitAtLowPriority();
await import('./scan-worker.js');
