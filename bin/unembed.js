#!/usr/bin/env node
// The built CLI lives in dist/ (npm run build).
import { setFlagsFromString } from 'node:v8';

// No inlining in V8's optimising compiler: in a run of a few seconds, where three threads each
// compile the same hot code, compiling costs more than inlining saves (a partial rewrite of
// 6.12: 6 % less wall time, 7 % less CPU; a whole-tree scan no slower). The flag is
// process-wide, so the worker threads started later have it too; it changes no result.
setFlagsFromString('--no-turbo-inlining');
import('../dist/src/cli.js').catch((e) => {
  process.stderr.write(`unembed: cannot start (${e && e.code === 'ERR_MODULE_NOT_FOUND' ? 'run `npm run build` first' : e.message})\n`);
  process.exit(2);
});
