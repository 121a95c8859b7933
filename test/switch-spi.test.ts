// The SPI subsystem switch on a synthetic tree (testdata/switch/spi, after phase one): step one
// (the device allocated separately) and step two (the controller's own reference count, the
// back-pointer revoked under SRCU at unregistration, a check on every path back from the device).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPI_SWITCH_SUBJECTS, TESTDATA } from './helpers.js';
import spi from '../transforms/spi-controller-dev.js';
import { flattenSeries, generateSwitch } from '../src/switch/index.js';
import { findFunction, findFunctions, width } from '../src/switch/cedit.js';

const FIXTURE = join(TESTDATA, 'switch', 'spi');
const CORE = 'drivers/spi/spi.c';
const HEADER = 'include/linux/spi/spi.h';
const TABLETS = 'drivers/platform/x86/x86-android-tablets/core.c';
const MGB4 = 'drivers/media/pci/mgb4/mgb4_core.c';

const SUBJECTS = SPI_SWITCH_SUBJECTS;

function finalFiles(tree = FIXTURE): Map<string, string> {
  return new Map(flattenSeries(generateSwitch(tree, spi)).map((c) => [c.file, c.after]));
}

function body(text: string, fn: string): string {
  const f = findFunction(text, 'x', fn);
  return text.slice(f.bodyOpen, f.end);
}

/** Indexes of `parts` in `text`, each found after the previous one; fails naming the first missing. */
function inOrder(text: string, parts: string[], what: string): void {
  let at = 0;
  for (const p of parts) {
    const i = text.indexOf(p, at);
    assert.ok(i >= 0, `${what}: '${p}' after '${text.slice(Math.max(0, at - 40), at)}'`);
    at = i + p.length;
  }
}

/** A copy of the fixture with one file edited; the edit must change it. */
function withEdit(file: string, edit: (s: string) => string, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-spi-switch-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    const f = join(dir, file);
    const before = readFileSync(f, 'latin1');
    const after = edit(before);
    assert.notEqual(after, before, `the test's edit of ${file} changes it`);
    writeFileSync(f, after, 'latin1');
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('SPI step one: the controller points to a device allocated with it, freed with it', () => {
  const ps = generateSwitch(FIXTURE, spi);
  assert.equal(ps[0].subject, SUBJECTS[0]);
  const files = new Map(ps[0].changes.map((c) => [c.file, c.after]));
  const h = files.get(HEADER)!;
  assert.match(h, /struct spi_controller \{\n\tstruct device\t\t\*dev;/);
  assert.match(h, /^struct spi_controller \*to_spi_controller\(const struct device \*dev\);$/m);
  assert.match(h, /#define spi_controller_dev\(ctlr\) \(\(ctlr\)->dev\)/);
  const c = files.get(CORE)!;
  const alloc = body(c, '__spi_alloc_controller');
  assert.ok(alloc.indexOf('ctlr->dev = &cdev->dev;') < alloc.indexOf('device_initialize('), 'device allocated before use');
  assert.match(alloc, /if \(!ctlr->pcpu_statistics\) \{\n\t\tkfree\(ctlr\);\n\t\tkfree\(cdev\);/);
  assert.match(body(c, 'spi_controller_release'), /kfree\(ctlr\);\n\tkfree\(to_spi_controller_device\(dev\)\);/);
  assert.match(body(c, 'to_spi_controller'), /return to_spi_controller_device\(dev\)->ctlr;/);
  // the statistics macro's container_of() over a continuation line, left by phase one
  assert.doesNotMatch(c, /struct spi_controller, dev\)/);
  assert.match(c, /struct spi_controller \*ctlr = to_spi_controller\(dev\);\t\\\n/);
});

test('SPI step two: six more patches, each with a kernel-style message', () => {
  const ps = generateSwitch(FIXTURE, spi);
  assert.deepEqual(ps.map((p) => p.subject), SUBJECTS);
  assert.deepEqual(ps.map((p) => p.changes.map((c) => c.file)), [
    [HEADER, CORE], [CORE], [TABLETS], [HEADER, CORE], [CORE], [CORE], [MGB4],
  ], 'spidev.c is checked, not changed');
  for (const p of ps) {
    assert.ok(p.subject.length <= 75, p.subject);
    assert.ok(p.body.split('\n').every((l) => l.length <= 75), `${p.subject}: body wrapped at 75`);
    assert.match(p.body, /\n\n/, `${p.subject}: more than one paragraph`);
  }
  // the preparatory patches say they change nothing; the lifetime change says what drivers lose
  assert.match(ps[1].body, /No\s+functional\s+change\.$/);
  assert.match(ps[2].body, /No\s+functional\s+change\.$/);
  assert.match(ps[3].body, /Drivers must not use their controller or its driver data after dropping\s+their last reference/);
  assert.match(ps[3].body, /synchronize_srcu\(\)/);
});

test('SPI step two: the controller has its own reference count; the device\'s release frees only the device', () => {
  const files = finalFiles();
  const h = files.get(HEADER)!;
  assert.match(h, /struct spi_controller \{\n\tstruct device\t\t\*dev;[^\n]*\n\tstruct kref\t\trefcount;\n/);
  assert.match(h, / \* @dev: [^\n]*\n \* @refcount: /, 'kernel-doc for the new member');
  assert.match(h, /#include <linux\/kref\.h>\n/);
  assert.match(body(h, 'spi_controller_get'), /kref_get\(&ctlr->refcount\);/);
  assert.doesNotMatch(body(h, 'spi_controller_get'), /get_device/);
  assert.equal(findFunctions(h, 'spi_controller_put').length, 0, 'spi_controller_put() is no longer inline');
  assert.match(h, /^void spi_controller_put\(struct spi_controller \*ctlr\);$/m);
  for (const decl of [
    'struct spi_controller *spi_controller_dev_enter(struct device *dev, int *idx);',
    'void spi_controller_dev_exit(struct device *dev, int idx);',
    'struct spi_controller *spi_controller_get_by_dev(struct device *dev);',
  ]) assert.ok(h.includes(`\n${decl}\n`), decl);

  const c = files.get(CORE)!;
  assert.match(c, /#include <linux\/srcu\.h>\n/);
  assert.match(c, /struct spi_controller_device \{\n\tstruct device dev;\n\tstruct spi_controller __rcu \*ctlr;\n\tstruct srcu_struct srcu;\n\};/);
  const release = body(c, 'spi_controller_release');
  assert.match(release, /cleanup_srcu_struct\(&cdev->srcu\);\n\tkfree\(cdev\);/);
  assert.doesNotMatch(release, /kfree\(ctlr\)|free_percpu|to_spi_controller\(/, 'the release no longer frees the controller');
  const free = body(c, 'spi_controller_free');
  inOrder(free, ['container_of(ref, struct spi_controller, refcount)', 'spi_controller_revoke(ctlr);',
    'free_percpu(ctlr->pcpu_statistics);', 'put_device(spi_controller_dev(ctlr));', 'kfree(ctlr);'], 'spi_controller_free()');
  assert.match(body(c, 'spi_controller_put'), /kref_put\(&ctlr->refcount, spi_controller_free\);/);
  assert.match(c, /\n\}\nEXPORT_SYMBOL_GPL\(spi_controller_put\);\n/);
  const alloc = body(c, '__spi_alloc_controller');
  inOrder(alloc, ['init_srcu_struct(&cdev->srcu)', 'RCU_INIT_POINTER(cdev->ctlr, ctlr);', 'ctlr->dev = &cdev->dev;',
    'kref_init(&ctlr->refcount);', 'device_initialize('], '__spi_alloc_controller()');
  assert.match(alloc, /if \(!ctlr->pcpu_statistics\) \{\n\t\tkfree\(ctlr\);\n\t\tcleanup_srcu_struct\(&cdev->srcu\);\n\t\tkfree\(cdev\);/);
  // the kernel-doc says who frees what
  const doc = c.slice(findFunction(c, 'x', '__spi_alloc_controller').docStart, findFunction(c, 'x', '__spi_alloc_controller').start);
  assert.match(doc, /The controller and its driver data are freed when the last reference to\n \* the controller is dropped/);
});

test('SPI step two: unregistration revokes the controller, then drops the driver\'s reference', () => {
  const c = finalFiles().get(CORE)!;
  const un = body(c, 'spi_unregister_controller');
  inOrder(un, ['list_del(&ctlr->list);', 'device_del(spi_controller_dev(ctlr));', 'mutex_unlock(&ctlr->add_lock);',
    'spi_controller_revoke(ctlr);', 'if (!ctlr->devm_allocated)\n\t\tspi_controller_put(ctlr);'], 'spi_unregister_controller()');
  assert.doesNotMatch(un, /put_device/);
  const revoke = body(c, 'spi_controller_revoke');
  inOrder(revoke, ['if (!rcu_access_pointer(cdev->ctlr))\n\t\treturn;', 'rcu_assign_pointer(cdev->ctlr, NULL);',
    'synchronize_srcu(&cdev->srcu);'], 'spi_controller_revoke()');
  // devres still puts a devm-allocated controller, now its reference count
  assert.match(body(c, 'devm_spi_release_controller'), /spi_controller_put\(/);
});

test('SPI step two: a revocation check on each path from the device back to the controller', () => {
  const files = finalFiles();
  const c = files.get(CORE)!;
  // to_spi_controller(): the revocable pointer, NULL once revoked
  assert.match(body(c, 'to_spi_controller'), /return rcu_dereference_raw\(to_spi_controller_device\(dev\)->ctlr\);/);
  // the pin: the class is checked, the pointer read inside the SRCU read section
  const enter = body(c, 'spi_controller_dev_enter');
  inOrder(enter, ['if (!spi_is_controller_device(dev)) {', '*idx = -1;', 'return NULL;',
    '*idx = srcu_read_lock(&cdev->srcu);', 'return srcu_dereference(cdev->ctlr, &cdev->srcu);'], 'spi_controller_dev_enter()');
  assert.match(body(c, 'spi_is_controller_device'), /dev->class == &spi_slave_class[\s\S]*dev->class == &spi_master_class/);
  const get = body(c, 'spi_controller_get_by_dev');
  inOrder(get, ['spi_controller_dev_enter(dev, &idx);', 'kref_get_unless_zero(&ctlr->refcount)',
    'spi_controller_dev_exit(dev, idx);'], 'spi_controller_get_by_dev()');
  // the class lookups: a reference to the controller under the check, the device's dropped
  for (const fn of ['of_find_spi_controller_by_node', 'acpi_spi_find_controller_by_adev']) {
    const b = body(c, fn);
    inOrder(b, ['ctlr = spi_controller_get_by_dev(dev);', 'put_device(dev);', 'return ctlr;'], fn);
    assert.doesNotMatch(b, /to_spi_controller\(/, fn);
  }
  // their callers drop that reference with spi_controller_put()
  for (const fn of ['of_spi_notify', 'acpi_spi_notify']) {
    assert.match(body(c, fn), /spi_controller_put\(ctlr\);/, fn);
    assert.doesNotMatch(body(c, fn), /put_device\(spi_controller_dev/, fn);
  }
  const tablets = body(files.get(TABLETS)!, 'x86_instantiate_spi_dev');
  inOrder(tablets, ['spi_new_device(controller, &board_info);', 'ret = dev_err_probe(spi_controller_dev(controller)',
    'spi_controller_put(controller);', 'return ret;'], 'x86_instantiate_spi_dev()');
  assert.doesNotMatch(tablets, /put_device/);
  // a driver that finds the controller by its device (mgb4): a controller reference too
  const mgb4 = files.get(MGB4)!;
  inOrder(body(mgb4, 'get_spi_adap'), ['if (!dev)\n\t\treturn NULL;', 'ctlr = spi_controller_get_by_dev(dev);',
    'put_device(dev);', 'return ctlr;'], 'get_spi_adap()');
  assert.doesNotMatch(body(mgb4, 'get_spi_adap'), /to_spi_controller/);
  inOrder(body(mgb4, 'init_spi'), ['spi_new_device(ctlr, &spi_info);', 'spi_controller_put(ctlr);'], 'init_spi()');
  assert.doesNotMatch(body(mgb4, 'init_spi'), /put_device/);
  // the statistics attributes, in their macro
  const macro = /#define SPI_STATISTICS_ATTRS\(field, file\)[^]*?\n\}\n/.exec(c)?.[0] ?? '';
  inOrder(macro, ['stat = spi_controller_dev_stats(dev, &idx);', 'if (stat)',
    'ret = spi_statistics_##field##_show(stat, buf);', 'spi_controller_dev_exit(dev, idx);', 'return ret;'],
  'SPI_STATISTICS_ATTRS()');
  assert.match(macro, /ssize_t ret = -ENODEV;/);
  assert.ok(macro.split('\n').slice(0, -2).every((l) => l.endsWith('\\')), 'every line of the macro but its last continues');
  assert.match(body(c, 'spi_controller_dev_stats'), /spi_controller_dev_enter\(dev, idx\);\n\n\treturn ctlr \? ctlr->pcpu_statistics : NULL;/);
  assert.ok(c.indexOf('spi_controller_dev_stats(struct device *dev') < c.indexOf('#define SPI_STATISTICS_ATTRS'));
  // the target controller's slave attribute: wrappers around the renamed originals, inside the #ifdef
  for (const fn of ['slave_show', 'slave_store']) {
    const b = body(c, fn);
    inOrder(b, ['if (spi_controller_dev_enter(dev, &idx))', `ret = __${fn}(dev, attr, buf`, 'else\n\t\tret = -ENODEV;',
      'spi_controller_dev_exit(dev, idx);'], fn);
    assert.ok(c.indexOf(`ssize_t ${fn}(`) > c.indexOf('#ifdef CONFIG_SPI_SLAVE') && c.indexOf(`ssize_t ${fn}(`) < c.indexOf('#else'));
  }
  // spi_controller_get() users: a new SPI device takes its reference under the check
  const alloc = body(c, 'spi_alloc_device');
  assert.match(alloc, /if \(!ctlr \|\| !spi_controller_get_by_dev\(spi_controller_dev\(ctlr\)\)\)\n\t\treturn NULL;/);
  assert.doesNotMatch(alloc, /spi_controller_get\(/);
  // the SPI device's release keeps putting its reference: it is a reference to the controller
  assert.match(body(c, 'spi_device_release'), /spi_controller_put\(spi->controller\);/);
});

test('SPI step two: the lines it adds fit in 80 columns', () => {
  for (const c of flattenSeries(generateSwitch(FIXTURE, spi))) {
    const old = new Set(c.before.split('\n'));
    assert.deepEqual(c.after.split('\n').filter((l) => !old.has(l) && width(l) > 80), [], c.file);
  }
});

test('SPI step two: a tree without an anchor gets a message naming the file and the anchor', () => {
  // spidev: a file operation that reads the SPI device without the lock
  withEdit('drivers/spi/spidev.c', (s) => s.replace(/(spidev_write\([^]*?)\tmutex_lock\(&spidev->spi_lock\);\n/, '$1'),
    (dir) => assert.throws(() => generateSwitch(dir, spi),
      /"spi: Decouple the lifetime of a controller from its struct device": drivers\/spi\/spidev\.c: spidev->spi checked under spi_lock \(-ESHUTDOWN\) in spidev_write\(\): not found/));
  // spidev_remove() clears the SPI device without the lock
  withEdit('drivers/spi/spidev.c', (s) => s.replace('\tmutex_lock(&spidev->spi_lock);\n\tspidev->spi = NULL;', '\tspidev->spi = NULL;'),
    (dir) => assert.throws(() => generateSwitch(dir, spi), /drivers\/spi\/spidev\.c: spidev->spi = NULL under spi_lock in spidev_remove\(\): not found/));
  // the controller deleted before it leaves the controller list
  withEdit(CORE, (s) => s.replace(/(\tmutex_lock\(&board_lock\);\n\tlist_del\(&ctlr->list\);\n\tmutex_unlock\(&board_lock\);\n\n)(\tdevice_del\(spi_controller_dev\(ctlr\)\);\n)/, '$2$1'),
    (dir) => assert.throws(() => generateSwitch(dir, spi),
      /drivers\/spi\/spi\.c: list_del\(&ctlr->list\) then device_del\(\) in spi_unregister_controller\(\): not found/));
  // a lookup caller that does not drop the controller's reference
  withEdit(CORE, (s) => s.replace(/(acpi_spi_notify[^]*?)\tput_device\(spi_controller_dev\(ctlr\)\);\n/, '$1'),
    (dir) => assert.throws(() => generateSwitch(dir, spi),
      /"spi: Drop the references of controller lookups with spi_controller_put\(\)": drivers\/spi\/spi\.c: put_device\(\) of the controller found by acpi_spi_find_controller_by_adev\(\) in acpi_spi_notify\(\): not found/));
  // spi_controller_get() that does not take a device reference: not the tree the switch expects
  withEdit(HEADER, (s) => s.replace('if (!ctlr || !get_device(spi_controller_dev(ctlr)))', 'if (!ctlr)'),
    (dir) => assert.throws(() => generateSwitch(dir, spi), /include\/linux\/spi\/spi\.h: get_device\(\) in spi_controller_get\(\): not found/));
  // the statistics attributes in another shape
  withEdit(CORE, (s) => s.replace('return spi_statistics_##field##_show(ctlr->pcpu_statistics, buf); \\',
    'return spi_stat_emit(ctlr->pcpu_statistics, buf, 0);\t\\'),
  (dir) => assert.throws(() => generateSwitch(dir, spi), /drivers\/spi\/spi\.c: the body of spi_controller_##field##_show\(\)/));
  // the consumer outside drivers/spi is missing
  const dir = mkdtempSync(join(tmpdir(), 'unembed-spi-switch-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, TABLETS));
    assert.throws(() => generateSwitch(dir, spi), /drivers\/platform\/x86\/x86-android-tablets\/core\.c not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
