// `estimate` on the real kernel (drivers/i2c and drivers/spi of linux-6.12; the whole tree is
// measured by hand, see the report): the same code path as rewrite, and facts checked by
// reading the drivers and MAINTAINERS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scan } from '../src/scan.js';
import { planFromScan } from '../src/rewrite.js';
import { estimateFromScan } from '../src/estimate/estimate.js';
import type { EstimateReport } from '../src/estimate/schema.js';
import type { ScanResult } from '../src/model.js';
import { CORPUS, corpusReady } from './helpers.js';

const skip = corpusReady() ? false : 'corpus missing: run `npm run corpus`';
let cached: { result: ScanResult; report: EstimateReport } | undefined;
async function run(): Promise<{ result: ScanResult; report: EstimateReport }> {
  if (!cached) {
    const result = await scan({ tree: CORPUS, subsystem: 'all', paths: ['drivers/i2c', 'drivers/spi'] });
    cached = { result, report: await estimateFromScan(result) };
  }
  return cached;
}

const key = (s: { file: string; line: number; column: number }): string => `${s.file}:${s.line}:${s.column}`;

test('site counts equal the scan; manual sites equal planFromScan().manual', { skip }, async () => {
  const { result, report } = await run();
  assert.equal(report.scan.sites, result.sites.length);
  assert.deepEqual(report.drivers.flatMap((d) => d.siteList.map(key)).sort(), result.sites.map(key).sort());
  assert.deepEqual(report.drivers.flatMap((d) => d.manual.map(key)).sort(), planFromScan(result).manual.map(key).sort());
  assert.equal(report.perCategory.reduce((a, c) => a + c.total, 0), result.sites.length);
});

test('trees, lifetime risk and static adapters of named drivers', { skip }, async () => {
  const { report } = await run();
  const d = (id: string) => {
    const x = report.drivers.find((y) => y.id === id);
    assert.ok(x, id);
    return x;
  };
  // I2C SUBSYSTEM (wsa/linux) receives the helpers; host drivers go through andi.shyti/linux
  assert.deepEqual([d('helpers/i2c').tree?.name, d('helpers/i2c').tree?.home], ['wsa/linux', true]);
  assert.deepEqual([d('drivers/i2c/busses/i2c-gpio').tree?.name, d('drivers/i2c/busses/i2c-gpio').tree?.home], ['andi.shyti/linux', false]);
  assert.deepEqual([d('drivers/spi/spi-imx').tree?.name, d('drivers/spi/spi-imx').tree?.home], ['broonie/spi', true]);
  // i2c-gpio.c: struct i2c_gpio_private_data { struct i2c_adapter adap; … } from devm_kzalloc()
  const gpio = d('drivers/i2c/busses/i2c-gpio');
  assert.equal(gpio.lifetimeRisk, true);
  assert.deepEqual(gpio.embeddings.map((e) => [e.container, e.member, e.freedBy]), [['i2c_gpio_private_data', 'adap', 'devm']]);
  // i2c-viapro.c: `static struct i2c_adapter vt596_adapter;` declared early, defined at line 305
  assert.deepEqual(d('drivers/i2c/busses/i2c-viapro').coreAllocation.facts.staticAdapters.map((s) => [s.name, s.line]),
    [['vt596_adapter', 305]]);
  // SPI drivers need nothing in strategy B: the SPI core allocates the controller already
  assert.equal(report.drivers.filter((x) => !x.core && x.dir.startsWith('drivers/spi') && x.coreAllocation.patch).length, 0);
  assert.ok(report.perMaintainer.some((m) => /Andi Shyti/.test(m.maintainer) && m.phaseOnePatches > 50));
});
