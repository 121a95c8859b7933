// Reading .git/index ourselves: the same paths and sizes as `git ls-files --debug` prints, for
// every index version git writes, and a clear "don't know" for the layouts it does not read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitIndex } from '../src/util/git-index.js';
import { parseLsFilesDebug, SourceList } from '../src/match/prefilter.js';
import { fileTree } from './helpers.js';

function repo(): { dir: string; git: (...args: string[]) => string; done: () => void } {
  const files: Record<string, string> = {
    'Makefile': 'all:\n',
    'a.c': 'int a;\n',
    'include/linux/i2c.h': 'struct i2c_adapter;\n'.repeat(50),
    'drivers/i2c/busses/i2c-x.c': 'x'.repeat(5000),
    'drivers/i2c/busses/i2c-x.h': '',
    // a name of more than 8 bytes past a padding boundary, and one in UTF-8
    [`drivers/${'d'.repeat(200)}/deep.h`]: 'deep\n',
    'drivers/misc/caf\u00e9.c': 'int cafe;\n',
    'Documentation/readme.txt': 'not a source\n',
  };
  const { dir, done } = fileTree(files, 'unembed-git-index-');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_DIR: undefined, GIT_INDEX_FILE: undefined } });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return { dir, git, done };
}

function lsFiles(git: (...args: string[]) => string): { paths: string[]; sizes: (number | undefined)[] } {
  const sizes = new Map<string, number>();
  const paths = parseLsFilesDebug(git('-c', 'core.quotepath=off', 'ls-files', '-z', '--debug', '--', '*.c', '*.h'), sizes);
  return { paths, sizes: paths.map((p) => sizes.get(p)) };
}

test('git index: versions 2, 3 and 4 read as git ls-files --debug lists them', () => {
  const r = repo();
  try {
    for (const version of ['2', '3', '4']) {
      r.git('update-index', '--index-version', version);
      if (version === '3') {
        // an intent-to-add entry carries the extended flags of version 3
        writeFileSync(join(r.dir, 'new.h'), 'int n;\n');
        r.git('add', '-N', 'new.h');
      }
      const ours = readGitIndex(r.dir, ['.c', '.h']);
      assert.ok(ours, `version ${version} is read`);
      assert.deepEqual(ours, lsFiles(r.git), `version ${version}`);
      assert.ok(ours.paths.includes('drivers/misc/caf\u00e9.c'), 'a UTF-8 name');
      assert.equal(ours.sizes[ours.paths.indexOf('drivers/i2c/busses/i2c-x.c')], 5000);
      assert.ok(!ours.paths.includes('Documentation/readme.txt'), 'only the suffixes asked');
    }
  } finally {
    r.done();
  }
});

test('git index: a split index is not read, and the source list asks git instead', async () => {
  const r = repo();
  try {
    r.git('update-index', '--split-index');
    assert.equal(readGitIndex(r.dir, ['.c', '.h']), undefined);
    const listed = await new SourceList(r.dir, true).files();
    assert.deepEqual(listed, lsFiles(r.git).paths);
  } finally {
    r.done();
  }
});

test('git index: not a repository, or a damaged index, is "don\'t know", never a wrong list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-git-index-'));
  try {
    assert.equal(readGitIndex(dir, ['.c']), undefined);
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), '[core]\n');
    writeFileSync(join(dir, '.git', 'index'), Buffer.concat([Buffer.from('DIRC'), Buffer.from([0, 0, 0, 2, 0, 0, 0, 5]), Buffer.alloc(30)]));
    assert.equal(readGitIndex(dir, ['.c']), undefined, 'five entries promised, none there');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
