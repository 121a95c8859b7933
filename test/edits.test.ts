// Edits: applying, folding nested edits, kernel-style re-wrapping, the header helpers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../src/edits/apply.js';
import { breakLong, columns, rewrap } from '../src/edits/wrap.js';
import { addHelpers } from '../src/edits/header.js';
import i2c from '../transforms/i2c-adapter-dev.js';
import spi from '../transforms/spi-controller-dev.js';

test('edits leave every other byte alone', () => {
  const text = 'a\n\tfoo(&adap->dev);\nb\n';
  const at = text.indexOf('&adap->dev');
  const r = applyEdits(text, [{ start: at, end: at + 10, text: 'i2c_adapter_dev(adap)' }]);
  assert.equal(r.text, 'a\n\tfoo(i2c_adapter_dev(adap));\nb\n');
});

test('a nested edit is folded into the edit that carries its text', () => {
  const text = '\tx->dev.parent = &y->dev;\n';
  const outer = { start: 1, end: text.indexOf(';'), text: 'set_parent(x, &y->dev)' };
  const inner = { start: text.indexOf('&y'), end: text.indexOf(';'), text: 'dev_of(y)' };
  const r = applyEdits(text, [outer, inner]);
  assert.equal(r.text, '\tset_parent(x, dev_of(y));\n');
  assert.equal(r.conflicts.length, 0);
});

test('continuation lines follow the parenthesis they were aligned to', () => {
  const before = ['\tdev_err(&adap->dev, "fmt %d\\n",', '\t\t"more", x);'];
  const oldL = ['\tdev_err(&adap->dev, "fmt %d\\n",', '\t\t"more", x);'];
  assert.deepEqual(rewrap(oldL, before), before, 'tab-indented continuation is not touched');
  const old2 = ['\tret = foo(&adap->dev,', '\t\t  bar);'];
  const new2 = ['\tret = foo(i2c_adapter_dev(adap),', '\t\t  bar);'];
  assert.deepEqual(rewrap(old2, new2), ['\tret = foo(i2c_adapter_dev(adap),', '\t\t  bar);']);
  const old3 = ['\tret = dev_foo(&a->dev, x,', '\t\t      y);'];
  const new3 = ['\tret = dev_foo(i2c_adapter_dev(a), x,', '\t\t      y);'];
  assert.deepEqual(rewrap(old3, new3), new3);
  const old4 = ['\tdev_warn(&a->dev, "x",', '\t\t "y");'];
  const new4 = ['\tdev_warn(i2c_adapter_dev(a), "x",', '\t\t "y");'];
  assert.deepEqual(rewrap(old4, new4), new4);
  const old5 = ['\tx = foo(&adap->dev,', '\t\tbar);', ''];
  assert.deepEqual(rewrap(old5, ['\tx = foo(i2c_adapter_dev(adap),', '\t\tbar);', '']), ['\tx = foo(i2c_adapter_dev(adap),', '\t\tbar);', '']);
  // aligned one column after '(' (col 16): moves with it
  const old6 = ['\tret = func(&a->dev,', '\t\t   b);'];
  assert.equal(columns('\t\t   '), 19);
  const new6 = rewrap(old6, ['\tret = func(i2c_adapter_dev(a),', '\t\t   b);']);
  assert.deepEqual(new6, ['\tret = func(i2c_adapter_dev(a),', '\t\t   b);']);
});

test('an aligned continuation moves when the parenthesis moves', () => {
  const old = ['\tdev_info(&adap->dev, "a",', '\t\t "b");'];
  // '(' of dev_info at column 16, continuation at 17 = '\t\t '
  assert.equal(columns('\t\t '), 17);
  const moved = rewrap(old, ['\tx = dev_info(i2c_adapter_dev(adap), "a",', '\t\t "b");']);
  assert.equal(columns(/^[\t ]*/.exec(moved[1])![0]), 8 + 'x = dev_info('.length);
});

test('lines past 100 columns break after a comma, aligned with the parenthesis', () => {
  const long = `\t\tdev_err(i2c_adapter_dev(&priv->adapter), "a very long message %d %d %d here\\n", first_value, second);`;
  assert.ok(columns(long) > 100);
  const lines = breakLong(long);
  assert.equal(lines.length, 2);
  for (const l of lines) assert.ok(columns(l) <= 100, l);
  assert.equal(columns(/^[\t ]*/.exec(lines[1])![0]), 16 + 'dev_err('.length);
  assert.match(lines[1], /^\t+ *first_value, second\);$/);
});

test('header helpers: added once, next to the converter, then skipped', () => {
  const h = 'struct i2c_adapter {\n\tstruct device dev;\n};\n#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)\n\nint x;\n';
  const r = addHelpers(h, i2c)!;
  assert.ok(r.added.includes('i2c_adapter_dev') && r.added.includes('i2c_adapter_set_parent'));
  assert.ok(!r.added.includes('to_i2c_adapter'));
  assert.ok(r.text.indexOf('#define i2c_adapter_dev') > r.text.indexOf('#define to_i2c_adapter'));
  assert.equal(addHelpers(r.text, i2c), undefined);
  const s = 'struct spi_controller {\n\tstruct device dev;\n};\n\nstatic inline void *spi_controller_get_devdata(struct spi_controller *ctlr)\n{\n}\n';
  const rs = addHelpers(s, spi)!;
  assert.deepEqual(rs.added, ['spi_controller_dev', 'to_spi_controller']);
  assert.ok(rs.text.indexOf('spi_controller_dev') < rs.text.indexOf('spi_controller_get_devdata'));
});

test('rewrite: edits and diffs made in the workers are those the main thread makes from the scan', async () => {
  const { planRewrite, planFromScan, planDiff } = await import('../src/rewrite.js');
  const { scan } = await import('../src/scan.js');
  const { EXAMPLE_TREE } = await import('./helpers.js');
  const inWorkers = await planRewrite({ tree: EXAMPLE_TREE, headers: true, diffs: true, jobs: 2 });
  const scanned = await scan({ tree: EXAMPLE_TREE, jobs: 2 });
  const fromScan = planFromScan(scanned, { headers: true });
  // the rewrite does not look for embeddings (it has no use for them); the same sites all the same
  assert.ok(scanned.embeddings.length > 0);
  assert.deepEqual(inWorkers.scan.embeddings, []);
  assert.deepEqual(inWorkers.scan.sites, scanned.sites);
  assert.ok(inWorkers.changes.length > 1);
  assert.ok(inWorkers.changes.some((c) => c.diff !== undefined), 'the workers wrote diffs');
  assert.ok(fromScan.changes.every((c) => c.diff === undefined));
  assert.deepEqual(inWorkers.changes.map((c) => [c.file, c.after]), fromScan.changes.map((c) => [c.file, c.after]));
  assert.equal(planDiff(inWorkers), planDiff(fromScan));
});

test('a file diff taken around the change is the diff of the whole file', async () => {
  const { fileDiff } = await import('../src/edits/diff.js');
  const { createTwoFilesPatch } = await import('diff');
  const whole = (file: string, a: string, b: string) => createTwoFilesPatch(`a/${file}`, `b/${file}`, a, b, '', '', { context: 3 })
    .replace(/^=+\n/m, '').replace(/^(---|\+\+\+) (\S+)\t?\n/gm, '$1 $2\n');
  // a small PRNG, so that a failure can be replayed
  let seed = 12345;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  // few distinct lines, so that repeated lines make alignments ambiguous
  const LINES = ['\treturn 0;', '}', '{', '\tput(&adap->dev);', '', '\tdev_err(&adap->dev, "x");', 'static int f(void)'];
  let compared = 0;
  for (let c = 0; c < 400; c++) {
    const lines = Array.from({ length: 1 + rand(60) }, () => LINES[rand(LINES.length)]);
    const before = lines.join('\n') + (rand(4) ? '\n' : '');
    let after = before;
    // one to four edits: a replacement inside a line, a line added or removed
    for (let e = 1 + rand(4); e > 0; e--) {
      const at = rand(after.length + 1);
      const kind = rand(3);
      if (kind === 0) after = `${after.slice(0, at)}i2c_adapter_dev(adap)${after.slice(Math.min(after.length, at + rand(12)))}`;
      else if (kind === 1) after = `${after.slice(0, at)}\n\tput(&adap->dev);\n${after.slice(at)}`;
      else after = after.slice(0, at) + after.slice(Math.min(after.length, at + rand(30)));
    }
    if (after === before) continue;
    assert.equal(fileDiff('drivers/x.c', before, after), whole('drivers/x.c', before, after), `case ${c}`);
    compared++;
  }
  assert.ok(compared > 350);
});
