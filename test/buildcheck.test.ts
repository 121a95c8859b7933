// The per-commit build check's decisions that need no kernel build: which files a commit
// compiles, the stages of 'stage-ends', and when an earlier commit may share the result of its
// stage's last commit (only when every input of the object is the same).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filesToBuild, splitBySameInputs, stagesOf, type EndResult } from '../src/series/buildcheck.js';
import { relocatingDirs } from '../src/kbuild/build.js';
import { CORPUS } from './helpers.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SERIES = ['include/linux/i2c.h', 'drivers/i2c/i2c-core-base.c', 'drivers/i2c/busses/i2c-a.c', 'drivers/i2c/busses/i2c-b.c',
  'drivers/i2c/busses/b.h', 'drivers/media/x.c'];

test('filesToBuild: a shared header rebuilds the series, a private one its folder', () => {
  assert.deepEqual(filesToBuild(['include/linux/i2c.h'], SERIES),
    ['drivers/i2c/busses/i2c-a.c', 'drivers/i2c/busses/i2c-b.c', 'drivers/i2c/i2c-core-base.c', 'drivers/media/x.c']);
  assert.deepEqual(filesToBuild(['drivers/i2c/busses/b.h', 'drivers/i2c/busses/i2c-b.c'], SERIES),
    ['drivers/i2c/busses/i2c-b.c', 'drivers/i2c/busses/i2c-a.c']);
  assert.deepEqual(filesToBuild(['drivers/media/x.c'], SERIES), ['drivers/media/x.c']);
});

test('stagesOf: consecutive runs of one patch kind', () => {
  assert.deepEqual(stagesOf(['header', 'core', 'core', 'driver', 'driver', 'driver', 'switch'], 7), [[0, 0], [1, 2], [3, 5], [6, 6]]);
  assert.deepEqual(stagesOf(['header', 'core', 'driver'], 2), [[0, 0], [1, 1]]);
  assert.deepEqual(stagesOf([], 3), [[0, 2]]);
});

test('splitBySameInputs: a file is shared only when none of its inputs differ', () => {
  const end = new Map<string, EndResult>([
    ['a.c', { status: 'ok', deps: ['a.c', 'include/linux/i2c.h', 'a.h'] }],
    ['b.c', { status: 'ok', deps: ['b.c', 'include/linux/i2c-mux.h'] }],
    ['c.c', { status: 'failed', deps: ['c.c'] }],
    ['d.c', { status: 'ok', deps: null }],
    ['e.c', { status: 'not-built', deps: null }],
  ]);
  const wanted = ['a.c', 'b.c', 'c.c', 'd.c', 'e.c', 'f.c'];
  // i2c-mux.h differs between the commit and the stage's end: b.c must be compiled at the commit
  assert.deepEqual(splitBySameInputs(wanted, end, new Set(['include/linux/i2c-mux.h', 'drivers/i2c/i2c-mux.c'])),
    { build: ['b.c', 'c.c', 'd.c', 'f.c'], same: ['a.c', 'e.c'] });
  // the file itself differs
  assert.deepEqual(splitBySameInputs(['a.c'], end, new Set(['a.c'])), { build: ['a.c'], same: [] });
  // a private header it includes differs
  assert.deepEqual(splitBySameInputs(['a.c'], end, new Set(['a.h'])), { build: ['a.c'], same: [] });
  // kbuild rules differ: nothing is shared, not even an object outside the configuration
  assert.deepEqual(splitBySameInputs(['a.c', 'e.c'], end, new Set(['drivers/i2c/Makefile'])), { build: ['a.c', 'e.c'], same: [] });
  assert.deepEqual(splitBySameInputs(['e.c'], end, new Set(['drivers/i2c/busses/Kconfig'])), { build: ['e.c'], same: [] });
});

test('relocatingDirs: the amdgpu folders that build ../display and ../pm (corpus)', (t) => {
  if (!existsSync(join(CORPUS, '.git'))) {
    t.skip(`no kernel corpus (git) at ${CORPUS}`);
    return;
  }
  const dirs = relocatingDirs(CORPUS);
  assert.ok(dirs.includes('drivers/gpu/drm'), dirs.join(' '));
  assert.ok(!dirs.some((d) => d.startsWith('drivers/gpu/drm/')), 'a folder under a listed one is covered by it');
  assert.ok(!dirs.some((d) => /^(tools|scripts|arch)\//.test(d)));
});
