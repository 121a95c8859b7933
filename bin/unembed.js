#!/usr/bin/env node
// The built CLI lives in dist/ (npm run build).
import { setFlagsFromString } from 'node:v8';

// No inlining in V8's optimising compiler: in a run of a few seconds, where three threads each
// compile the same hot code, compiling costs more than inlining saves (a partial rewrite of
// 6.12: 6 % less wall time, 7 % less CPU; a whole-tree scan no slower). And a function is
// optimised only after eight times the default work (interrupt budget): it then has the type
// feedback of its rare paths, so fewer optimisations are thrown away and redone (compiles in a
// partial rewrite: 712 to 156, their time 1.5 s to 1.0 s of CPU; wall time 4 % less, and a
// whole-tree scan 5 % less). The flags are process-wide, so the worker threads started later
// have them too; they change no result.
setFlagsFromString('--no-turbo-inlining');
setFlagsFromString('--interrupt-budget=540672');
import('../dist/src/cli.js').catch((e) => {
  process.stderr.write(`unembed: cannot start (${e && e.code === 'ERR_MODULE_NOT_FOUND' ? 'run `npm run build` first' : e.message})\n`);
  process.exit(2);
});
