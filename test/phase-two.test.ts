// What the switch leaves for a human in the drivers, and what it no longer does: parent reads
// go through i2c_adapter_parent() at any time; logging through the adapter's device before
// registration or after deletion, and to_i2c_adapter(), are flagged with what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../src/scan.js';
import type { Site } from '../src/model.js';
import { scratchTree, TESTDATA } from './helpers.js';

const REL = 'drivers/fixture/parent-getter.c';

async function fixtureSites(): Promise<Site[]> {
  const tree = scratchTree();
  try {
    mkdirSync(join(tree.dir, 'drivers/fixture'), { recursive: true });
    copyFileSync(join(TESTDATA, 'i2c-adapter-dev', 'parent-getter.c'), join(tree.dir, REL));
    const r = await scan({ tree: tree.dir, subsystem: 'i2c', paths: [REL], jobs: 0 });
    return r.sites.filter((s) => s.file === REL);
  } finally {
    tree.done();
  }
}

const at = (sites: Site[], line: number, expr: string): Site => {
  const s = sites.find((x) => x.line === line && x.expr.replace(/\s+/g, '') === expr.replace(/\s+/g, ''));
  assert.ok(s, `a site '${expr}' at line ${line} (found: ${sites.filter((x) => x.line === line).map((x) => x.expr).join(', ') || 'none'})`);
  return s;
};

test('parent reads use the getter and are not flagged, before registration or after deletion', async () => {
  const sites = await fixtureSites();
  for (const [line, expr] of [[28, 'adap->dev.parent'], [76, 'q->adap.dev.parent'], [38, 'adap->dev.parent']] as const) {
    const s = at(sites, line, expr);
    assert.match(s.edit?.text ?? '', /^i2c_adapter_parent\(/, `${line}: ${s.edit?.text}`);
    assert.equal(s.phase2, undefined, `${line}: ${s.phase2}`);
  }
  // the setter after deletion only records a value: nothing to do
  const late = at(sites, 78, 'q->adap.dev.parent');
  assert.match(late.edit?.text ?? '', /^i2c_adapter_set_parent\(&q->adap, NULL\)$/);
  assert.equal(late.phase2, undefined);
});

test('logging through the device before registration or after deletion says what to do', async () => {
  const sites = await fixtureSites();
  const before = at(sites, 32, 'adap->dev');
  assert.equal(before.phase2, 'dev_info() logs through the device before i2c_add_adapter() at line 64, which is NULL until '
    + 'then after the switch: log with i2c_adapter_parent(adap), or move the message after the registration');
  const after = at(sites, 77, 'q->adap.dev');
  assert.equal(after.phase2, 'the device is used after i2c_del_adapter() at line 75, where it is NULL after the switch '
    + '(the core may already have freed it): move this before the deletion, or log with i2c_adapter_parent(&q->adap)');
});

test('to_i2c_adapter() and a parent set in a chained assignment are flagged with what to do', async () => {
  const sites = await fixtureSites();
  const conv = at(sites, 83, 'to_i2c_adapter(dev)');
  assert.match(conv.phase2 ?? '', /^to_i2c_adapter\(\) returns NULL after the switch once the i2c_adapter is deleted .*: check the result, and pin it with i2c_adapter_dev_enter\(\)\/_exit\(\) where this can run after i2c_del_adapter\(\)$/);
  // every link of `a.dev.parent = b.dev.parent = x;`: a setter cannot take an assignment
  for (const link of ['q->aux[0].dev.parent', 'q->aux[1].dev.parent']) {
    const chained = at(sites, 45, link);
    assert.match(chained.phase2 ?? '', /^'parent' is configured in a chained or compound assignment, .*: make it a statement of its own calling i2c_adapter_set_parent\(\)$/);
  }
  // what is flagged in this file, and nothing else
  assert.deepEqual(sites.filter((s) => s.phase2).map((s) => s.line), [32, 45, 45, 77, 83]);
});

// An adapter that another file registered: reading its device before this file registers its
// own adapters is fine after the switch (i2c-amd756-s4882.c deletes it, and adds it back on exit).
const ELSEWHERE = `// SPDX-License-Identifier: GPL-2.0
#include <linux/i2c.h>
#include <linux/of.h>

extern struct i2c_adapter main_smbus;
static struct i2c_adapter mux_adap[2];

static int mux_init(void)
{
	dev_err(&main_smbus.dev, "configuring\\n");
	i2c_del_adapter(&main_smbus);
	mux_adap[0].dev.parent = main_smbus.dev.parent;
	return i2c_add_adapter(&mux_adap[0]);
}

static int demux_switch(struct i2c_adapter *own, struct device_node *np, struct device *dev)
{
	struct i2c_adapter *adap;
	struct i2c_adapter *other = own;

	adap = of_get_i2c_adapter_by_node(np);
	dev_info(&adap->dev, "parent found\\n");
	dev_info(&other->dev, "not yet\\n");
	own->dev.parent = &adap->dev;
	acpi_preset_companion(&own->dev, ACPI_COMPANION(dev), 3);
	return i2c_add_adapter(own);
}

static void mux_exit(void)
{
	i2c_add_adapter(&main_smbus);
}
`;

test('an adapter registered elsewhere (extern, or found by a core lookup) is not flagged', async () => {
  const tree = scratchTree();
  try {
    const rel = 'drivers/fixture/elsewhere.c';
    mkdirSync(join(tree.dir, 'drivers/fixture'), { recursive: true });
    writeFileSync(join(tree.dir, rel), ELSEWHERE, 'latin1');
    const r = await scan({ tree: tree.dir, subsystem: 'i2c', paths: [rel], jobs: 0 });
    const sites = r.sites.filter((s) => s.file === rel);
    assert.equal(at(sites, 10, 'main_smbus.dev').phase2, undefined);
    assert.equal(at(sites, 22, 'adap->dev').phase2, undefined);
    assert.equal(at(sites, 24, 'adap->dev').phase2, undefined);
    // `other` is the adapter registered below, under another name: flagged
    assert.match(at(sites, 23, 'other->dev').phase2 ?? '', /^dev_info\(\) logs through the device before i2c_add_adapter\(\) at line 26/);
    // a configuration call without a setter of its own: what to call instead
    assert.equal(at(sites, 25, 'own->dev').phase2, 'acpi_preset_companion() configures the device through i2c_adapter_dev(), '
      + 'which is NULL before registration after the switch: record it with '
      + 'i2c_adapter_set_acpi_companion(own, acpi_find_child_device(ACPI_COMPANION(dev), 3, false))');
  } finally {
    tree.done();
  }
});
