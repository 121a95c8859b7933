#!/usr/bin/env node
// The built CLI lives in dist/ (npm run build).
import('../dist/src/cli.js').catch((e) => {
  process.stderr.write(`unembed: cannot start (${e && e.code === 'ERR_MODULE_NOT_FOUND' ? 'run `npm run build` first' : e.message})\n`);
  process.exit(2);
});
