// The command line as a user meets it: help, version, exit codes, one-line errors, and the
// user's files touched only when asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_TREE, ROOT, scratchTree } from './helpers.js';

const BIN = join(ROOT, 'bin', 'unembed.js');
function run(args: string[], cwd = ROOT): { code: number; out: string; err: string } {
  const r = spawnSync('node', [BIN, ...args], { cwd, encoding: 'latin1' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
function oneLineError(r: { err: string }): void {
  const lines = r.err.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${r.err}`);
  assert.match(lines[0], /^unembed: /);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
}

test('--help on every command, --version', () => {
  for (const c of [[], ['scan'], ['rewrite'], ['cocci']]) {
    const r = run([...c, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /--help/);
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(run(['--version']).out.trim(), pkg.version);
});

test('bad input: one line, exit code 2', () => {
  for (const args of [
    ['scan', '--tree', '/nonexistent/tree'],
    ['scan', '--tree', join(ROOT, 'src')],
    ['scan', '--tree', EXAMPLE_TREE, 'drivers/nope.c'],
    ['scan', '--tree', EXAMPLE_TREE, '../../etc'],
    ['scan', '--tree', EXAMPLE_TREE, '--subsystem', 'usb'],
    ['frobnicate'],
    [],
  ]) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.err}`);
    oneLineError(r);
  }
  // in a git tree the file listing runs in a child process while the paths are checked
  const git = scratchTree('unembed-cli-git-');
  try {
    execFileSync('git', ['init', '-q'], { cwd: git.dir });
    for (const args of [['scan', '--tree', git.dir, 'drivers/nope'], ['rewrite', '--tree', git.dir, 'drivers/nope.c']]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.err}`);
      oneLineError(r);
    }
  } finally {
    git.done();
  }
});

test('scan --json is data; the text form ends with counts per category', () => {
  const j = run(['scan', '--tree', EXAMPLE_TREE, '--json']);
  assert.equal(j.code, 0);
  const data = JSON.parse(j.out) as { sites: { category: string }[] };
  assert.ok(data.sites.length > 10);
  const t = run(['scan', '--tree', EXAMPLE_TREE]);
  assert.match(t.out, /Sites per category:[\s\S]*total\s+\d+/);
});

test('rewrite prints a diff and leaves the tree alone; --in-place writes; bytes that are not UTF-8 survive', () => {
  const tree = scratchTree();
  try {
    mkdirSync(join(tree.dir, 'drivers/fixture'), { recursive: true });
    const file = join(tree.dir, 'drivers/fixture/latin.c');
    // a comment in ISO-8859-1 (not valid UTF-8), then a site
    const src = Buffer.concat([
      Buffer.from('#include <linux/i2c.h>\n/* Copyleft: J\xfcrgen M\xfcller */\n', 'latin1'),
      Buffer.from('static void f(struct i2c_adapter *adap)\n{\n\tdev_info(&adap->dev, "x\\n");\n}\n', 'latin1'),
    ]);
    writeFileSync(file, src);
    const d = run(['rewrite', '--tree', tree.dir, 'drivers/fixture/latin.c', '--no-headers']);
    assert.equal(d.code, 0, d.err);
    assert.match(d.out, /^\+\tdev_info\(i2c_adapter_dev\(adap\), "x\\n"\);$/m);
    assert.deepEqual(readFileSync(file), src, 'a diff run does not touch the tree');
    const w = run(['rewrite', '--tree', tree.dir, 'drivers/fixture/latin.c', '--no-headers', '--in-place']);
    assert.equal(w.code, 0, w.err);
    const after = readFileSync(file);
    assert.deepEqual(after.subarray(0, 60), src.subarray(0, 60), 'the latin1 comment is byte-identical');
    assert.match(after.toString('latin1'), /dev_info\(i2c_adapter_dev\(adap\)/);
    const again = run(['rewrite', '--tree', tree.dir, 'drivers/fixture/latin.c', '--no-headers']);
    assert.equal(again.out, '', 'running it twice gives no second diff');
  } finally {
    tree.done();
  }
});

test('rewrite --in-place refuses files with uncommitted changes', () => {
  const tree = scratchTree();
  try {
    const git = (...a: string[]) => spawnSync('git', ['-C', tree.dir, ...a], { encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'base');
    const f = join(tree.dir, 'drivers/i2c/busses/i2c-acme.c');
    writeFileSync(f, `${readFileSync(f, 'latin1')}\n/* local change */\n`, 'latin1');
    const before = readFileSync(f);
    const r = run(['rewrite', '--tree', tree.dir, 'drivers/i2c/busses/i2c-acme.c', '--in-place']);
    assert.equal(r.code, 2);
    assert.match(r.err, /uncommitted changes/);
    assert.deepEqual(readFileSync(f), before);
  } finally {
    tree.done();
  }
});

test('the whole example tree: rewrite --in-place, then a second rewrite has nothing left to do', () => {
  const tree = scratchTree();
  try {
    const w = run(['rewrite', '--tree', tree.dir, '--in-place']);
    assert.equal(w.code, 0, w.err);
    const h = readFileSync(join(tree.dir, 'include/linux/i2c.h'), 'latin1');
    assert.match(h, /#define i2c_adapter_dev\(adap\) \(&\(adap\)->dev\)/);
    assert.match(h, /i2c_adapter_set_parent\(struct i2c_adapter \*adap, struct device \*parent\)\n\{\n\tadap->dev\.parent = parent;/);
    const again = run(['rewrite', '--tree', tree.dir]);
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, '');
  } finally {
    tree.done();
  }
});
