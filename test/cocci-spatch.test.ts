// Real spatch on the fixtures in testdata/cocci/ with the generated semantic patches: the patch
// mode makes the expected rewrites and leaves other devices alone; the report mode lists what is
// left to a human. Skipped when spatch is not installed.
import assert from 'node:assert/strict';
import { cp, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyPatch } from 'diff';
import { findSpatch, runSpatch, type SpatchMode } from '../src/cocci/spatch.js';
import { planRewrite } from '../src/rewrite.js';
import { scratchTree } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = path.join(root, 'testdata', 'cocci');
const spatch = findSpatch();
const skip = spatch ? false : 'spatch not installed';

async function run(transform: string, file: string, mode: SpatchMode): Promise<string> {
  const r = await runSpatch(spatch!, {
    cocci: path.join(root, 'cocci', `${transform}.cocci`), mode, targets: [file], cwd: fixtures, includeDirs: ['include'],
  });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

/** The fixture after applying spatch's diff. */
async function patched(transform: string, file: string): Promise<{ diff: string; before: string; after: string }> {
  const diff = await run(transform, file, 'patch');
  const before = await readFile(path.join(fixtures, file), 'utf8');
  const after = applyPatch(before, diff);
  assert.equal(typeof after, 'string', `spatch's diff applies to ${file}`);
  return { diff, before, after: after as string };
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ');
}

test('i2c: the usual driver forms are rewritten', { skip }, async () => {
  const { diff, after } = await patched('i2c-adapter-dev', 'basic.c');
  const a = squash(after);
  for (const expected of [
    'return to_i2c_adapter(d);',
    'dev_err(i2c_adapter_dev(adap), "no messages (%d)\\n", num);',
    'i2c_adapter_set_parent(adap, &pdev->dev);',
    'i2c_adapter_set_of_node(adap, pdev->dev.of_node);',
    'i2c_adapter_set_node(adap, dev_fwnode(&pdev->dev));',
    'i2c_adapter_set_acpi_companion(adap, ACPI_COMPANION(&pdev->dev));',
    'dev_info(i2c_adapter_dev(&priv->adap), "registered as %s\\n", dev_name(i2c_adapter_dev(adap)));',
    'if (i2c_adapter_dev(&priv->adap)->of_node)',
    'sysfs_create_link(&i2c_adapter_dev(adap)->kobj, &pdev->dev.kobj, "foo");',
    'i2c_adapter_set_parent(&priv->adap, parent);',
    'i2c_adapter_set_of_node_from_dev(&priv->adap, parent);',
    // typed through the (stand-in) header: needs the include options of the generated file
    'dev_info(i2c_adapter_dev(client->adapter), "client at 0x%02x\\n", client->addr);',
  ]) assert.ok(a.includes(expected), `patched basic.c contains: ${expected}\n${diff}`);
  assert.doesNotMatch(after, /adap(ter)?(->|\.)dev\b/, 'no access to the embedded device is left');
  assert.doesNotMatch(after, /container_of/);
  // other devices stay as they are
  for (const kept of ['devm_kzalloc(&pdev->dev, sizeof(*priv), GFP_KERNEL)', 'priv->dev = &pdev->dev;',
    'pm_runtime_enable(&pdev->dev);', 'dev_info(&client->dev, "hello\\n");', 'dev_dbg(priv->dev, "xfer\\n");']) {
    assert.ok(a.includes(kept), `kept: ${kept}`);
  }
  // `&pdev->dev` may sit on a changed line, but is never itself rewritten
  const count = (sign: string) => diff.split('\n').filter((l) => l.startsWith(sign) && !l.startsWith(sign.repeat(3)))
    .join('\n').split('&pdev->dev').length;
  assert.equal(count('-'), count('+'), 'as many &pdev->dev after as before');
});

test('i2c: parent reads use the getter, writes and &parent do not, and unembed agrees', { skip }, async () => {
  const { diff, after } = await patched('i2c-adapter-dev', 'parent.c');
  const a = squash(after);
  for (const expected of [
    'dev_err(i2c_adapter_parent(adap), "no registers\\n");',
    'if (i2c_adapter_parent(adap)->of_node == dev->of_node)',
    'return i2c_adapter_parent(adap) == dev;',
    '*q->slot = i2c_adapter_parent(&q->aux[0]);',
    'q->slot = &i2c_adapter_dev(&q->aux[1])->parent;',
    'i2c_adapter_set_parent(&q->adap, parent);',
    'dev_name(i2c_adapter_parent(&q->aux[1]))',
    'dev_dbg(i2c_adapter_parent(client->adapter), "client at 0x%02x\\n", client->addr);',
    'dev_dbg(client->dev.parent, "hello\\n");',
  ]) assert.ok(a.includes(expected), `patched parent.c contains: ${expected}\n${diff}`);
  // the engine makes the same rewrite, token for token
  const tree = scratchTree();
  try {
    await mkdir(path.join(tree.dir, 'drivers/fixture'), { recursive: true });
    await cp(path.join(fixtures, 'parent.c'), path.join(tree.dir, 'drivers/fixture/parent.c'));
    const plan = await planRewrite({ tree: tree.dir, subsystem: 'i2c', paths: ['drivers/fixture/parent.c'], headers: false, jobs: 0 });
    const ours = plan.changes.find((c) => c.file === 'drivers/fixture/parent.c')?.after ?? '';
    assert.equal(squash(ours), a);
  } finally {
    tree.done();
  }
  // report mode: each read once, as a getter; the write by the setter rule only
  const report = (await run('i2c-adapter-dev', 'parent.c', 'report')).trim().split('\n');
  assert.equal(report.filter((l) => l.includes('(unembed rule get-parent)')).length, 7, report.join('\n'));
  assert.deepEqual(report.filter((l) => l.startsWith('parent.c:23:')).map((l) => l.replace(/^\S+ /, '')),
    ['WARNING: use i2c_adapter_set_parent(&q->adap, parent) (unembed rule set-parent)']);
  assert.ok(report.some((l) => l.startsWith('parent.c:22:') && l.includes('i2c_adapter_dev(&q->aux[1])->parent')));
});

test('spi: accessor, converter and the spi_master alias', { skip }, async () => {
  const { diff, after } = await patched('spi-controller-dev', 'spi.c');
  const a = squash(after);
  for (const expected of [
    'static struct spi_controller *bar_to_ctlr(struct device *dev) { return to_spi_controller(dev); }',
    'static struct spi_master *bar_to_master(struct device *dev) { return to_spi_controller(dev); }',
    'dev_dbg(spi_controller_dev(spi->controller), "transfer for %s\\n", dev_name(&spi->dev));',
    'dev_warn(spi_controller_dev(master), "old style\\n");',
    'spi_controller_dev(host)->of_node = pdev->dev.of_node;',
    'if (!spi_controller_dev(host)->of_node)',
    'dev_info(spi_controller_dev(priv->host), "no OF node\\n");',
    'devm_spi_alloc_host(&pdev->dev, sizeof(*priv));',
    'return devm_spi_register_controller(&pdev->dev, host);',
  ]) assert.ok(a.includes(expected), `patched spi.c contains: ${expected}\n${diff}`);
  assert.doesNotMatch(after, /(host|master|controller)->dev\b/);
});

test('what cannot be rewritten safely is reported, not patched', { skip }, async () => {
  const { after, before } = await patched('i2c-adapter-dev', 'human.c');
  // only the plain &adap->dev in baz_fine() changes
  assert.equal(squash(after), squash(before).replace('put_device(&adap->dev);', 'put_device(i2c_adapter_dev(adap));'));
  const report = await run('i2c-adapter-dev', 'human.c', 'report');
  const lines = report.trim().split('\n').sort();
  const at = (line: number, what: RegExp) =>
    assert.ok(lines.some((l) => l.startsWith(`human.c:${line}:`) && what.test(l)), `report at line ${line} ${what}:\n${report}`);
  at(7, /initialiser .* baz_static/);
  at(13, /initialiser .* baz_designated/);
  at(24, /initialiser .* baz_nested\.adap/);
  at(30, /used by value/);
  at(32, /sizeof\/offsetof/);
  at(37, /use i2c_adapter_dev\(adap\)/);
  assert.equal(lines.filter((l) => /sizeof\/offsetof/.test(l)).length, 2, 'sizeof and offsetof');
  assert.equal(lines.filter((l) => /by value/.test(l)).length, 1, 'sizeof(adap->dev) is not also "by value"');
});

test('report and org modes print file:line messages, once per access', { skip }, async () => {
  const report = await run('i2c-adapter-dev', 'basic.c', 'report');
  const lines = report.trim().split('\n');
  assert.ok(lines.every((l) => /^basic\.c:\d+:\d+-\d+: WARNING: /.test(l)), report);
  // `adap->dev.parent = …` is reported by the setter rule only, not also by the member rule
  const line45 = lines.filter((l) => l.startsWith('basic.c:45:'));
  assert.deepEqual(line45.map((l) => l.replace(/^\S+ /, '')),
    ['WARNING: use i2c_adapter_set_parent(adap, &pdev->dev) (unembed rule set-parent)']);
  assert.ok(lines.some((l) => l.startsWith('basic.c:28:') && l.includes('i2c_adapter_dev(client->adapter)')));
  const org = await run('i2c-adapter-dev', 'basic.c', 'org');
  assert.match(org, /^\* TODO \[\[view:basic\.c::face=ovl-face1::linb=45::colb=7::cole=10\]\[WARNING: use i2c_adapter_set_parent/m);
  const context = await run('i2c-adapter-dev', 'basic.c', 'context');
  assert.match(context, /^-\tadap->dev\.parent = &pdev->dev;$/m);
  assert.doesNotMatch(context, /^\+(?!\+\+ )/m, 'context mode only marks lines');
});

test('helpers are not rewritten inside their own definitions', { skip }, async () => {
  const { after } = await patched('i2c-adapter-dev', 'helpers.h');
  assert.match(after, /^#define to_i2c_adapter\(d\) container_of\(d, struct i2c_adapter, dev\)$/m);
  assert.match(after, /return &adap->dev;/);
  assert.match(after, /^#define foo_to_adap\(d\) to_i2c_adapter\(d\)$/m);
  assert.match(after, /return dev_get_drvdata\(i2c_adapter_dev\(adap\)\);/);
});

test('the header options are what types a receiver declared in a header', { skip }, async () => {
  // Without includes spatch cannot type `client->adapter` (struct i2c_client is in linux/i2c.h)
  // and leaves the access alone; with the options of the generated file it is rewritten.
  const bare = await runSpatch(spatch!, {
    cocci: path.join(root, 'cocci', 'i2c-adapter-dev.cocci'), mode: 'patch', targets: ['basic.c'], cwd: fixtures,
    options: ['--no-includes'],
  });
  assert.doesNotMatch(bare.stdout, /^-.*&client->adapter->dev/m);
  assert.match(bare.stdout, /^-.*&adap->dev/m, 'locally typed receivers are still rewritten');
  const { diff } = await patched('i2c-adapter-dev', 'basic.c');
  assert.match(diff, /^-.*&client->adapter->dev/m);
});

test('spatch-run: several semantic patches over a tree give one diff with timings', { skip }, async () => {
  const { spatchRun } = await import('../scripts/spatch-run.js');
  const { diff, summary } = await spatchRun({
    tree: fixtures, targets: ['basic.c', 'spi.c'], jobs: 1,
    cocci: ['i2c-adapter-dev', 'spi-controller-dev'].map((t) => path.join(root, 'cocci', `${t}.cocci`)),
  });
  assert.match(diff, /^diff -up a\/basic\.c b\/basic\.c\n--- a\/basic\.c\n\+\+\+ b\/basic\.c$/m);
  assert.match(diff, /^\+\ti2c_adapter_set_parent\(adap, &pdev->dev\);$/m);
  assert.match(diff, /^\+\tdev_warn\(spi_controller_dev\(master\), "old style\\n"\);$/m);
  assert.equal(summary.files, 2);
  assert.equal(summary.changedFiles, 2);
  assert.equal(summary.runs.length, 2);
  assert.equal(summary.hunks, diff.split('\n').filter((l) => l.startsWith('@@ ')).length);
  assert.ok(summary.hunks >= 2 && summary.added > 0 && summary.removed > 0);
  assert.ok(summary.runs.every((r) => r.exitCode === 0 && r.wallMs > 0));
  // the fixtures themselves are untouched (spatch ran on a scratch copy)
  assert.doesNotMatch(await readFile(path.join(fixtures, 'basic.c'), 'utf8'), /i2c_adapter_dev/);
});
