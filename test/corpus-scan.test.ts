// End to end on the real kernel (Debian's linux-source-6.12, fetched by scripts/corpus.sh):
// facts about named drivers that were checked by reading them, and properties that a wrong
// implementation would break.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../src/scan.js';
import { planFromScan } from '../src/rewrite.js';
import type { ScanResult } from '../src/model.js';
import { CORPUS, corpusReady } from './helpers.js';

const skip = corpusReady() ? false : 'corpus missing: run `npm run corpus`';
let cached: ScanResult | undefined;
async function busScan(): Promise<ScanResult> {
  cached ??= await scan({ tree: CORPUS, subsystem: 'all', paths: ['drivers/i2c', 'drivers/spi'] });
  return cached;
}

function at(r: ScanResult, file: string): string[] {
  return r.sites.filter((s) => s.file === file).map((s) => `${s.line}:${s.category}`);
}

test('named drivers have exactly the sites found by reading them', { skip }, async () => {
  const r = await busScan();
  // i2c-gpio.c: adap->dev.parent = dev; device_set_node(&adap->dev, fwnode);
  assert.deepEqual(at(r, 'drivers/i2c/busses/i2c-gpio.c'), ['428:config-before-register', '429:config-before-register']);
  // spi-imx.c: dev_err(&controller->dev, …) in the DMA path; controller->dev.of_node = … in probe
  assert.deepEqual(at(r, 'drivers/spi/spi-imx.c'), ['1483:address-of', '1861:config-before-register']);
  // i2c-i801.c: to_i2c_adapter(dev), &priv->adapter.dev, the parent, acpi_use_parent_companion()
  assert.deepEqual(at(r, 'drivers/i2c/busses/i2c-i801.c'),
    ['1420:conversion', '1428:address-of', '1671:config-before-register', '1672:config-before-register']);
  // i2c-viapro.c: a static adapter; ten dev_*(&vt596_adapter.dev, …) and its parent set in probe
  const via = at(r, 'drivers/i2c/busses/i2c-viapro.c');
  assert.equal(via.filter((s) => s.endsWith(':address-of')).length, 10);
  assert.deepEqual(via.filter((s) => !s.endsWith(':address-of')), ['410:config-before-register']);
});

test('no site has a receiver that is not an adapter or a controller', { skip }, async () => {
  const r = await busScan();
  const bad = r.sites.filter((s) => s.category !== 'unresolved' && !/^struct (i2c_adapter|spi_controller|spi_master)\b/.test(s.receiverType));
  assert.deepEqual(bad.map((s) => `${s.file}:${s.line} ${s.expr} (${s.receiverType})`), []);
  assert.ok(!r.sites.some((s) => /\bpdev->dev\b/.test(s.expr)), '&pdev->dev is never a site');
});

test('no file crashed the scanner, and the embeddings are found', { skip }, async () => {
  const r = await busScan();
  assert.deepEqual(r.diagnostics.filter((d) => /internal error/.test(d.message)), []);
  assert.ok(r.sites.length > 900, `sites: ${r.sites.length}`);
  const i801 = r.embeddings.find((e) => e.file === 'drivers/i2c/busses/i2c-i801.c');
  assert.deepEqual(i801 && [i801.container, i801.member, i801.allocations, i801.registrations],
    ['i801_priv', 'adapter', ['devm_kzalloc'], ['i2c_add_adapter']]);
});

test('the rewrite plan leaves no direct access outside the sites for a human', { skip }, async () => {
  const r = await busScan();
  const plan = planFromScan(r);
  assert.equal(plan.conflicts.length, 0);
  const rewritten = new Set(plan.changes.flatMap((c) => c.sites));
  for (const s of r.sites) {
    if (s.edit) assert.ok(rewritten.has(s), `${s.file}:${s.line} has an edit that was not applied`);
  }
});
