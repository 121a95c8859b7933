// The subsystem switch (phase two) on a synthetic tree: the shape of the generated change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TESTDATA } from './helpers.js';
import i2c from '../transforms/i2c-adapter-dev.js';
import { flattenSeries, formatPatch, generateSwitch, writeSeries } from '../src/switch/index.js';
import { callLines, width, findFunction, findFunctions, paramNames, returnType, wrapRevocable } from '../src/switch/cedit.js';

const FIXTURE = join(TESTDATA, 'switch', 'i2c');

function finalFiles(tree = FIXTURE): Map<string, string> {
  return new Map(flattenSeries(generateSwitch(tree, i2c)).map((c) => [c.file, c.after]));
}

function body(text: string, file: string, fn: string): string {
  const f = findFunction(text, file, fn);
  return text.slice(f.bodyOpen, f.end);
}

/** `fn` is a wrapper that calls its inner function only inside the SRCU read section. */
function assertRevocable(text: string, file: string, fn: string, fail: string): void {
  const b = body(text, file, fn);
  const enter = b.indexOf('i2c_adapter_dev_enter(');
  const exit = b.indexOf('i2c_adapter_dev_exit(');
  assert.ok(enter >= 0, `${file}: ${fn}() enters the adapter's SRCU section`);
  assert.ok(exit > enter, `${file}: ${fn}() leaves it`);
  const call = /ret = (\w+)\(/.exec(b.slice(enter, exit));
  assert.ok(call && call[1] !== fn && findFunctions(text, call[1]).length === 1,
    `${file}: ${fn}() calls the original body, renamed`);
  assert.match(b.slice(enter, exit), new RegExp(`else\\s+ret = ${fail};`), `${file}: ${fn}() fails with ${fail}`);
}

test('the switch is four patches, each with a kernel-style commit message', () => {
  const ps = generateSwitch(FIXTURE, i2c);
  assert.deepEqual(ps.map((p) => p.subject), [
    'i2c: mux: Record the ACPI companion of a channel with a setter',
    'i2c: core: Allocate and own the struct device of an adapter',
    'i2c: dev: Fail file operations once the adapter is deleted',
    'i2c: mux: Check the parent adapter is still there',
  ]);
  assert.deepEqual(ps[1].changes.map((c) => c.file),
    ['include/linux/i2c.h', 'drivers/i2c/i2c-core-base.c', 'drivers/i2c/i2c-mux.c']);
  for (const p of ps) {
    assert.ok(p.body.split('\n').every((l) => l.length <= 75), `${p.subject}: body wrapped at 75`);
  }
  assert.match(ps[1].body, /\n\n/, 'more than one paragraph');
  // a file touched by two patches: the second starts where the first ended
  const mux = ps.flatMap((p) => p.changes.filter((c) => c.file === 'drivers/i2c/i2c-mux.c'));
  assert.equal(mux.length, 3);
  assert.equal(mux[1].before, mux[0].after);
  assert.equal(mux[2].before, mux[1].after);
  const mbox = formatPatch(ps[1], 2, 4);
  assert.match(mbox, /^Subject: \[PATCH 2\/4\] i2c: core: /m);
  assert.match(mbox, /^diff --git a\/include\/linux\/i2c.h b\/include\/linux\/i2c.h$/m);
  assert.match(mbox, /^Signed-off-by: /m);
});

test('struct i2c_adapter holds a pointer to a core-owned device, and no completion', () => {
  const h = finalFiles().get('include/linux/i2c.h')!;
  const struct = /struct i2c_adapter \{[\s\S]*?\n\};/.exec(h)![0];
  assert.match(struct, /\n\tstruct device \*dev;/);
  assert.doesNotMatch(struct, /struct device dev;/);
  assert.doesNotMatch(h, /dev_released/);
  assert.match(struct, /struct i2c_adapter_devcfg devcfg;/);
  assert.match(h, /#define i2c_adapter_dev\(adap\) \(\(adap\)->dev\)/);
  // to_i2c_adapter() is a function now, with the revocation API next to it
  assert.doesNotMatch(h, /#define to_i2c_adapter/);
  assert.match(h, /^struct i2c_adapter \*to_i2c_adapter\(const struct device \*dev\);$/m);
  assert.match(h, /^struct i2c_adapter \*i2c_adapter_dev_enter\(struct device \*dev, int \*idx\);$/m);
  assert.match(h, /^void i2c_put_adapter_dev\(struct device \*dev\);$/m);
});

test('the phase-one setters record their value in the adapter', () => {
  const h = finalFiles().get('include/linux/i2c.h')!;
  const file = 'include/linux/i2c.h';
  assert.match(body(h, file, 'i2c_adapter_set_parent'), /adap->devcfg\.parent = parent;/);
  assert.match(body(h, file, 'i2c_adapter_set_node'), /devcfg\.fwnode = fwnode;\n\tadap->devcfg\.of_node = to_of_node\(fwnode\);/);
  assert.match(body(h, file, 'i2c_adapter_use_parent_companion'), /devcfg\.use_parent_companion = true;/);
  for (const s of i2c.setters) assert.doesNotMatch(body(h, file, s.helper), /->dev\b|&adap->dev/, s.helper);
  assert.match(body(h, file, 'i2c_get_adapdata'), /return adap->adapdata;/);
});

test('the parent getter reads the recorded parent until the device exists', () => {
  const h = finalFiles().get('include/linux/i2c.h')!;
  const file = 'include/linux/i2c.h';
  for (const g of i2c.getters ?? []) {
    assert.match(body(h, file, g.helper), new RegExp(`return adap->dev \\? adap->dev->${g.member} : adap->devcfg\\.${g.member};`),
      g.helper);
  }
  assert.ok((i2c.getters ?? []).some((g) => g.helper === 'i2c_adapter_parent'));
  assert.match(h, / \* @parent: set by i2c_adapter_set_parent\(\), read by i2c_adapter_parent\(\)\n/);
  // a tree whose phase one predates the getter: the switch names what is missing
  const tree = mkdtempSync(join(tmpdir(), 'unembed-switch-'));
  try {
    cpSync(FIXTURE, tree, { recursive: true });
    const hp = join(tree, file);
    writeFileSync(hp, readFileSync(hp, 'latin1').replace(/\nstatic inline struct device \*i2c_adapter_parent\([^]*?\n\}\n/, '\n'), 'latin1');
    assert.throws(() => generateSwitch(tree, i2c), /include\/linux\/i2c\.h: function i2c_adapter_parent\(\)/);
  } finally {
    rmSync(tree, { recursive: true, force: true });
  }
});

test('the core allocates the device at registration and frees it in the release callback', () => {
  const c = finalFiles().get('drivers/i2c/i2c-core-base.c')!;
  const file = 'drivers/i2c/i2c-core-base.c';
  assert.doesNotMatch(c, /dev_released|wait_for_completion|init_completion/, 'the completion wait is gone');
  assert.match(c, /#include <linux\/slab.h>\n#include <linux\/srcu.h>\n/);
  assert.match(c, /struct i2c_adapter_device \{\n\tstruct device dev;\n\tstruct i2c_adapter __rcu \*adap;\n\tstruct srcu_struct srcu;/);
  const reg = body(c, file, 'i2c_register_adapter');
  assert.ok(reg.indexOf('i2c_adapter_device_create(adap)') < reg.indexOf('device_add('), 'created before device_add');
  assert.doesNotMatch(reg, /device_initialize/);
  assert.match(reg, /out_list:\n\ti2c_adapter_device_destroy\(adap\);/);
  const release = body(c, file, 'i2c_adapter_dev_release');
  assert.match(release, /cleanup_srcu_struct\(&idev->srcu\);\n\tkfree\(idev\);/);
  const del = body(c, file, 'i2c_del_adapter');
  assert.match(del, /device_del\(i2c_adapter_dev\(adap\)\);\n\ti2c_adapter_device_destroy\(adap\);/);
  assert.doesNotMatch(del, /memset|device_unregister/);
  const destroy = body(c, file, 'i2c_adapter_device_destroy');
  assert.ok(destroy.indexOf('rcu_assign_pointer(idev->adap, NULL)') < destroy.indexOf('synchronize_srcu(')
    && destroy.indexOf('synchronize_srcu(') < destroy.indexOf('put_device('), 'revoke, wait for readers, then put');
  // i2c_add_adapter reads the recorded OF node: the device does not exist yet
  assert.match(body(c, file, 'i2c_add_adapter'), /np = i2c_adapter_devcfg_of_node\(adapter\);/);
  // to_i2c_adapter() is no container_of: it reads the revocable back-pointer
  assert.match(body(c, file, 'to_i2c_adapter'), /rcu_dereference_raw\(to_i2c_adapter_device\(dev\)->adap\)/);
});

test('a revocation check is on each path from the device back to the adapter', () => {
  const files = finalFiles();
  const core = files.get('drivers/i2c/i2c-core-base.c')!;
  const dev = files.get('drivers/i2c/i2c-dev.c')!;
  const mux = files.get('drivers/i2c/i2c-mux.c')!;
  // sysfs attributes and bus iteration in the core
  assertRevocable(core, 'core', 'new_device_store', '-ENODEV');
  assertRevocable(core, 'core', 'delete_device_store', '-ENODEV');
  assertRevocable(core, 'core', '__process_new_driver', '0');
  assertRevocable(core, 'core', '__process_removed_driver', '0');
  // i2c-dev: the open file keeps the device, not the adapter
  for (const fn of ['i2cdev_read', 'i2cdev_write', 'i2cdev_ioctl', 'compat_i2cdev_ioctl']) {
    assertRevocable(dev, 'i2c-dev', fn, '-ENODEV');
    assert.match(body(dev, 'i2c-dev', fn), /i2c_adapter_dev_enter\(client->dev\.parent, &idx\)/);
  }
  assertRevocable(dev, 'i2c-dev', 'i2cdev_attach_adapter', 'NOTIFY_DONE');
  assertRevocable(dev, 'i2c-dev', 'i2cdev_detach_adapter', 'NOTIFY_DONE');
  assert.match(body(dev, 'i2c-dev', 'i2cdev_open'), /client->dev\.parent = i2c_adapter_dev\(adap\);/);
  assert.match(body(dev, 'i2c-dev', 'i2cdev_release'), /i2c_put_adapter_dev\(client->dev\.parent\);/);
  assert.doesNotMatch(body(dev, 'i2c-dev', 'i2cdev_release'), /i2c_put_adapter\(/);
  // the compat wrapper stays inside its #ifdef
  assert.ok(dev.indexOf('static long compat_i2cdev_ioctl(') < dev.indexOf('#endif'));
  // i2c-mux: the parent, through its pinned device
  for (const fn of ['__i2c_mux_master_xfer', 'i2c_mux_master_xfer', '__i2c_mux_smbus_xfer', 'i2c_mux_smbus_xfer']) {
    assertRevocable(mux, 'i2c-mux', fn, '-ENODEV');
  }
  assertRevocable(mux, 'i2c-mux', 'i2c_mux_functionality', '0');
  assert.match(body(mux, 'i2c-mux', 'i2c_mux_alloc'), /muxc->parent_dev = get_device\(i2c_adapter_dev\(parent\)\);/);
  assert.match(body(mux, 'i2c-mux', 'i2c_mux_lock_bus'), /if \(i2c_adapter_dev_enter\(priv->muxc->parent_dev, &idx\)\) \{\n\t\t__i2c_mux_lock_bus/);
  assert.match(body(mux, 'i2c-mux', 'i2c_mux_unlock_bus'), /i2c_adapter_dev_exit\(priv->muxc->parent_dev, idx\);/);
  assert.match(body(mux, 'i2c-mux', 'i2c_mux_trylock_bus'), /fail:\n\ti2c_adapter_dev_exit/);
  assert.match(files.get('include/linux/i2c-mux.h')!, /struct i2c_adapter \*parent;\n\tstruct device \*parent_dev;/);
  // the mux's configuration before registration goes through the setters
  const add = body(mux, 'i2c-mux', 'i2c_mux_add_adapter');
  assert.match(add, /i2c_adapter_set_acpi_companion\(&priv->adap,\n\t+\s*acpi_find_child_device\(ACPI_COMPANION\(muxc->dev\),/);
  assert.match(add, /of_node_put\(priv->adap\.devcfg\.of_node\);/);
  assert.doesNotMatch(add, /acpi_preset_companion/);
});

test('the lines the switch adds fit in 80 columns', () => {
  for (const c of flattenSeries(generateSwitch(FIXTURE, i2c))) {
    const old = new Set(c.before.split('\n'));
    const long = c.after.split('\n').filter((l) => !old.has(l) && width(l) > 80);
    assert.deepEqual(long, [], c.file);
  }
});

test('a tree without an anchor gets a message naming the file and the anchor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-switch-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    const f = join(dir, 'drivers/i2c/i2c-core-base.c');
    writeFileSync(f, readFileSync(f, 'latin1').replace(/\tinit_completion\(&adap->dev_released\);\n\tdevice_unregister/,
      '\tdevice_unregister'));
    assert.throws(() => generateSwitch(dir, i2c), (e: Error) => e.name === 'UsageError'
      && /drivers\/i2c\/i2c-core-base\.c: device_unregister\(\) between init_completion\(\) and wait_for_completion\(\) of dev_released in i2c_del_adapter\(\): not found/.test(e.message));
    cpSync(FIXTURE, dir, { recursive: true });
    const d = join(dir, 'drivers/i2c/i2c-dev.c');
    writeFileSync(d, readFileSync(d, 'latin1').replace('static int i2cdev_release(', 'static int i2cdev_close('));
    assert.throws(() => generateSwitch(dir, i2c), /drivers\/i2c\/i2c-dev\.c: function i2cdev_release\(\): not found/);
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'include/linux/i2c-mux.h'));
    assert.throws(() => generateSwitch(dir, i2c), /include\/linux\/i2c-mux\.h not found/);
    // a tree without phase one: the helpers are missing
    cpSync(FIXTURE, dir, { recursive: true });
    const h = join(dir, 'include/linux/i2c.h');
    writeFileSync(h, readFileSync(h, 'latin1').replace(/static inline void i2c_adapter_set_parent\([^]*?\n\}\n/, ''));
    assert.throws(() => generateSwitch(dir, i2c), /include\/linux\/i2c\.h: function i2c_adapter_set_parent\(\): not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeSeries writes the final state of every file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-switch-'));
  try {
    cpSync(FIXTURE, dir, { recursive: true });
    const ps = generateSwitch(dir, i2c);
    const files = writeSeries(dir, ps);
    assert.equal(files.length, 5);
    assert.match(readFileSync(join(dir, 'include/linux/i2c.h'), 'latin1'), /struct device \*dev;/);
    // the switch is not idempotent by accident: a second run finds its anchors gone
    assert.throws(() => generateSwitch(dir, i2c), /not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('C helpers: definitions, parameters, return types, wrapping', () => {
  const src = 'static ssize_t\nfoo_store(struct device *dev, const char *buf,\n\t  size_t count)\n{\n\treturn bar(dev);\n}\n'
    + 'static void baz(void)\n{\n\tfoo_store(NULL, NULL, 0);\n}\n';
  const f = findFunction(src, 'x.c', 'foo_store');
  assert.equal(f.head, 'static ssize_t\n');
  assert.equal(returnType(f.head), 'ssize_t');
  assert.deepEqual(paramNames(f.params), ['dev', 'buf', 'count']);
  assert.deepEqual(paramNames('struct i2c_msg msgs[], int num'), ['msgs', 'num']);
  assert.deepEqual(paramNames('void'), []);
  assert.deepEqual(paramNames('int (*fn)(struct device *dev, void *data), void *data'), ['fn', 'data']);
  assert.equal(findFunctions(src, 'bar').length, 0, 'a call is no definition');
  assert.equal(returnType('static noinline int '), 'int');
  assert.throws(() => wrapRevocable(src, 'x.c', { fn: 'baz', dev: 'd', fail: '0', enter: 'e', exit: 'x', why: 'w' }),
    /returns void/);
  const line = callLines(2, 'ret = __i2c_mux_smbus_xfer_pinned(', ['adap', 'addr', 'flags', 'read_write', 'command',
    'size', 'data'], ');');
  assert.ok(line.split('\n').every((l) => width(l) <= 80));
  assert.match(line, /\n\t{6} {2}command, size, data\);$/, 'aligned after the parenthesis');
});
