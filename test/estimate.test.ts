// `unembed estimate` on a small synthetic input whose figures were computed by hand.
//
// The input: testdata/estimate/tree (a tiny kernel-like tree whose i2c.h already has the
// helpers, so there is no helpers patch) and a ScanResult written here by hand, so that the
// figures depend on the estimate alone, not on the scanner. The sites (S0…S7):
//   core/i2c   i2c-core-base.c   S0 &adap->dev                      core, rewritten
//   i2c-alpha  i2c-alpha.c       S1 priv->adap.dev.parent = dev     config-before-register, rewritten
//                                S2 &priv->adap.dev                 address-of, rewritten
//   i2c-beta   i2c-beta.c        S3 beta_adapter.dev.parent = …     config-before-register, rewritten
//                                S4 beta_adapter.dev (a copy)       by-value, manual
//                                S5 to_i2c_adapter(dev)             conversion, unchanged, phase two
//   gamma      gamma-i2c.c       S6 &dev->i2c_adap[i].dev           address-of, rewritten, phase two
//                                S7 dev->i2c_adap[i].dev.parent = … config-before-register, rewritten
// Embeddings: struct alpha_i2c.adap (devm_kzalloc), struct gamma_dev.i2c_adap[2] in gamma.h with
// no allocation in the scan (the estimate's pass finds `dev = kzalloc(` in gamma-core.c).
// Trees (MAINTAINERS): ivy/i2c is home (the tree of include/linux/i2c.h); alpha and beta go
// through hal/linux, gamma through media: two cross trees, 120 min each per phase.
// The hand computation with the default weights is written next to each expectation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Category, Embedding, ScanResult, Site, SiteForm } from '../src/model.js';
import { planFromScan } from '../src/rewrite.js';
import { scan } from '../src/scan.js';
import { estimateFromScan } from '../src/estimate/estimate.js';
import { DEFAULT_WEIGHTS, parseWeights, loadWeights } from '../src/estimate/weights.js';
import { estimateMarkdown } from '../src/estimate/markdown.js';
import { formatEstimateText } from '../src/estimate/text.js';
import { estimateHtml } from '../src/estimate/html.js';
import { blankComments, driverPass } from '../src/estimate/adapters.js';
import type { DriverEstimate, EstimateReport } from '../src/estimate/schema.js';
import { EXAMPLE_TREE, TESTDATA } from './helpers.js';

const TREE = join(TESTDATA, 'estimate', 'tree');
const read = (f: string): string => readFileSync(join(TREE, f), 'latin1');

/** A site at the `nth` occurrence of `expr` in `file`; `to` replaces `expr` (a rewrite). */
function site(file: string, expr: string, category: Category, form: SiteForm,
  extra: { to?: string; human?: string; noChange?: string; phase2?: string; nth?: number } = {}): Site {
  const text = read(file);
  let offset = -1;
  for (let k = 0; k <= (extra.nth ?? 0); k++) offset = text.indexOf(expr, offset + 1);
  assert.ok(offset >= 0, `${expr} not in ${file}`);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const s: Site = {
    transform: 'i2c-adapter-dev', file, line, column, offset, end: offset + expr.length, expr, form, category,
    receiverType: 'struct i2c_adapter *', inErrorRegion: false,
  };
  if (extra.to !== undefined) s.edit = { start: offset, end: offset + expr.length, text: extra.to };
  if (extra.human) s.human = extra.human;
  if (extra.noChange) s.noChange = extra.noChange;
  if (extra.phase2) s.phase2 = extra.phase2;
  return s;
}

const ALPHA = 'drivers/i2c/busses/i2c-alpha.c';
const BETA = 'drivers/i2c/busses/i2c-beta.c';
const GAMMA = 'drivers/media/gamma/gamma-i2c.c';

function handScan(): ScanResult {
  const sites: Site[] = [
    site('drivers/i2c/i2c-core-base.c', '&adap->dev', 'core', 'address-of', { to: 'i2c_adapter_dev(adap)' }),
    site(ALPHA, 'priv->adap.dev.parent = dev', 'config-before-register', 'member-write', { to: 'i2c_adapter_set_parent(&priv->adap, dev)' }),
    site(ALPHA, '&priv->adap.dev', 'address-of', 'address-of', { to: 'i2c_adapter_dev(&priv->adap)' }),
    site(BETA, 'to_i2c_adapter(dev)', 'conversion', 'converter-call',
      { noChange: 'already uses to_i2c_adapter()', phase2: 'to_i2c_adapter() maps the device back to the i2c_adapter' }),
    site(BETA, 'beta_adapter.dev;', 'by-value', 'by-value', { human: 'the struct device is used by value' }),
    site(BETA, 'beta_adapter.dev.parent = &pdev->dev', 'config-before-register', 'member-write',
      { to: 'i2c_adapter_set_parent(&beta_adapter, &pdev->dev)' }),
    site(GAMMA, 'dev->i2c_adap[i].dev.parent = dev->parent', 'config-before-register', 'member-write',
      { to: 'i2c_adapter_set_parent(&dev->i2c_adap[i], dev->parent)' }),
    site(GAMMA, '&dev->i2c_adap[i].dev', 'address-of', 'address-of',
      { to: 'i2c_adapter_dev(&dev->i2c_adap[i])', phase2: 'the device is read before i2c_add_adapter()' }),
  ];
  const embeddings: Embedding[] = [
    { transform: 'i2c-adapter-dev', file: ALPHA, line: 5, container: 'alpha_i2c', member: 'adap', array: false,
      allocations: ['devm_kzalloc'], registrations: ['i2c_add_adapter'] },
    { transform: 'i2c-adapter-dev', file: 'drivers/media/gamma/gamma.h', line: 5, container: 'gamma_dev', member: 'i2c_adap',
      array: true, allocations: [], registrations: [] },
  ];
  sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset));
  return {
    tree: TREE, subsystems: ['i2c'], sites, embeddings, diagnostics: [],
    stats: { files: 5, parsedFiles: 5, bytes: 0, filesWithErrors: 0, sitesInErrorRegions: 0, millis: 1 },
  };
}

let cached: EstimateReport | undefined;
async function report(): Promise<EstimateReport> {
  cached ??= await estimateFromScan(handScan());
  return cached;
}
function driver(r: EstimateReport, id: string): DriverEstimate {
  const d = r.drivers.find((x) => x.id === id);
  assert.ok(d, `no driver ${id} in ${r.drivers.map((x) => x.id).join(', ')}`);
  return d;
}

test('units: helpers, core, one per module; trees and recipients from MAINTAINERS', async () => {
  const r = await report();
  assert.deepEqual(r.drivers.map((d) => [d.id, d.kind, d.files]), [
    ['helpers/i2c', 'helpers', ['include/linux/i2c.h']],
    ['core/i2c', 'core', ['drivers/i2c/i2c-core-base.c']],
    ['drivers/i2c/busses/i2c-alpha', 'module', [ALPHA]],
    ['drivers/i2c/busses/i2c-beta', 'module', [BETA]],
    // gamma.h goes with the module whose .c files include it
    ['drivers/media/gamma/gamma', 'module', ['drivers/media/gamma/gamma-i2c.c', 'drivers/media/gamma/gamma.h']],
  ]);
  const alpha = driver(r, 'drivers/i2c/busses/i2c-alpha');
  assert.equal(alpha.tree?.name, 'hal/linux');
  assert.equal(alpha.tree?.home, false);
  assert.deepEqual(alpha.sections, ['I2C SUBSYSTEM HOST DRIVERS', 'I2C SUBSYSTEM']);
  assert.deepEqual(alpha.maintainers, ['Hal Host <hal@example.org>', 'Ivy Core <ivy@example.org>']);
  assert.deepEqual(alpha.lists, ['linux-i2c@example.org']);
  assert.equal(alpha.prefix, 'i2c: alpha:');
  assert.equal(driver(r, 'core/i2c').tree?.home, true);
  assert.equal(driver(r, 'drivers/media/gamma/gamma').tree?.name, 'media');
});

test('per driver: sites, lines, embeddings, lifetime risk, minutes (hand-computed)', async () => {
  const r = await report();
  const alpha = driver(r, 'drivers/i2c/busses/i2c-alpha');
  // phase one: S1 config 2 + S2 address-of 1 + patch 30 = 33; two lines changed
  assert.deepEqual([alpha.sites.total, alpha.sites.rewritten, alpha.sites.manual], [2, 2, 0]);
  assert.equal(alpha.phaseOne.minutes, 33);
  assert.deepEqual(alpha.lines, { added: 2, removed: 2 });
  assert.equal(alpha.lifetimeRisk, true);
  assert.deepEqual(alpha.embeddings.map((e) => [e.container, e.freedBy]), [['alpha_i2c', 'devm']]);
  assert.deepEqual(alpha.registrations, ['i2c_add_adapter']);
  // phase two: one risky embedding 30 + patch 30 = 60
  assert.deepEqual(alpha.phaseTwo.parts, { riskyEmbeddings: 30, patch: 30 });
  assert.equal(alpha.strategyA.minutes, 93);
  // B: devm embedding 45 + container_of 10 + 2 `&priv->adap` x2 + 3 `priv->adap.` x1 + patch 30 = 92
  assert.deepEqual(alpha.coreAllocation.counts, { devmEmbeddings: 1, containerOf: 1, addressUses: 2, memberAccesses: 3, patch: 1 });
  assert.equal(alpha.coreAllocation.minutes, 92);
  assert.deepEqual(alpha.coreAllocation.facts.containerOf, [{ file: ALPHA, line: 12 }]);

  const beta = driver(r, 'drivers/i2c/busses/i2c-beta');
  // phase one: S3 config 2 + S4 by-value manual 60 + patch 30 = 92; S5 unchanged costs nothing
  assert.deepEqual([beta.sites.total, beta.sites.rewritten, beta.sites.manual, beta.sites.unchanged, beta.sites.phase2], [3, 1, 1, 1, 1]);
  assert.equal(beta.phaseOne.minutes, 92);
  assert.deepEqual(beta.manual.map((m) => `${m.file}:${m.line} ${m.category}: ${m.reason}`),
    [`${BETA}:18 by-value: the struct device is used by value`]);
  assert.deepEqual(beta.lines, { added: 1, removed: 1 });
  // phase two: conversion 20 + static adapter 20 + patch 30 = 70
  assert.deepEqual(beta.phaseTwo.parts, { conversions: 20, staticAdapters: 20, patch: 30 });
  assert.equal(beta.lifetimeRisk, false);
  // B: static adapter 60 + patch 30 = 90
  assert.deepEqual(beta.coreAllocation.facts.staticAdapters, [{ file: BETA, line: 5, name: 'beta_adapter', array: false }]);
  assert.equal(beta.coreAllocation.minutes, 90);

  const gamma = driver(r, 'drivers/media/gamma/gamma');
  // phase one: S6 1 + S7 2 + patch 30 = 33
  assert.equal(gamma.phaseOne.minutes, 33);
  // the allocation is found in gamma-core.c (a module source without sites)
  assert.deepEqual(gamma.embeddings.map((e) => [e.container, e.array, e.allocations, e.freedBy]),
    [['gamma_dev', true, ['kzalloc'], 'by hand']]);
  assert.equal(gamma.lifetimeRisk, true);
  // phase two: S6 flagged 15 + risky 30 + patch 30 = 75
  assert.deepEqual(gamma.phaseTwo.parts, { flags: 15, riskyEmbeddings: 30, patch: 30 });
  // B: by-hand embedding 75 + array 45 + 1 address use 2 + 3 member accesses 3 + patch 30 = 155
  assert.deepEqual(gamma.coreAllocation.counts, { manualEmbeddings: 1, arrays: 1, addressUses: 1, memberAccesses: 3, patch: 1 });
  assert.equal(gamma.coreAllocation.minutes, 155);
  assert.equal(gamma.coreAllocation.facts.multipleAdapters, true);

  const core = driver(r, 'core/i2c');
  // phase one: core site 2 + patch 30; phase two and B: the core weight, 2400 each
  assert.deepEqual([core.phaseOne.minutes, core.phaseTwo.minutes, core.coreAllocation.minutes], [32, 2400, 2400]);
  assert.equal(driver(r, 'helpers/i2c').phaseOne.patch, false); // the helpers exist already
});

test('totals per phase and strategy (hand-computed)', async () => {
  const r = await report();
  const { phaseOne, phaseTwo, strategyA, coreAllocation } = r.totals;
  // phase one: drivers 33+92+33 = 158, core 32, two cross trees 240: 430 min = 7.2 h
  assert.deepEqual({ ...phaseOne, parts: undefined }, {
    patches: 4, drivers: 3, sites: 8, manualSites: 1, maintainers: 3, lists: 2, trees: 3, crossTrees: 2,
    linesAdded: 6, linesRemoved: 6, minutes: 430, hours: 7.2, parts: undefined,
  });
  assert.deepEqual(phaseOne.parts, { drivers: 158, core: 32, trees: 240 });
  // phase two: drivers 60+70+75 = 205, core 2400, trees 240: 2845 min; sites S5 and S6
  assert.deepEqual([phaseTwo.patches, phaseTwo.sites, phaseTwo.manualSites, phaseTwo.minutes, phaseTwo.hours], [4, 2, 2, 2845, 47.4]);
  // A = both: 3275 min, the tree overhead paid in each phase
  assert.deepEqual([strategyA.patches, strategyA.sites, strategyA.manualSites, strategyA.crossTrees, strategyA.minutes, strategyA.hours],
    [8, 10, 3, 4, 3275, 54.6]);
  // B: drivers 92+90+155 = 337, core 2400, trees 240: 2977 min; places 7+1+5, of which by hand 2+1+1
  assert.deepEqual([coreAllocation.patches, coreAllocation.drivers, coreAllocation.sites, coreAllocation.manualSites,
    coreAllocation.minutes, coreAllocation.hours], [4, 3, 13, 4, 2977, 49.6]);
  assert.equal(r.seriesPatches, 4);
});

test('per tree, per maintainer, per category, the hardest', async () => {
  const r = await report();
  assert.deepEqual(r.perTree.map((t) => [t.tree.name, t.tree.home, t.drivers.length, t.phaseOne.patches, t.phaseOne.minutes]), [
    // sorted by strategy A minutes: ivy/i2c 32 + 2400; hal/linux 33+92+120 + 60+70+120; media 33+120 + 75+120
    ['ivy/i2c', true, 2, 1, 32],
    ['hal/linux', false, 2, 2, 245],
    ['media', false, 1, 1, 153],
  ]);
  assert.equal(r.perTree[1].phaseOne.hours, 4.1);
  assert.deepEqual(r.perMaintainer.map((m) => [m.maintainer, m.phaseOnePatches, m.phaseTwoPatches, m.coreAllocationPatches, m.sites, m.manualSites]), [
    ['Ivy Core <ivy@example.org>', 3, 3, 3, 6, 1],
    ['Hal Host <hal@example.org>', 2, 2, 2, 5, 1],
    ['Mia Media <mia@example.org>', 1, 1, 1, 2, 0],
  ]);
  assert.deepEqual(r.perCategory.map((c) => [c.category, c.total, c.rewritten, c.manual, c.unchanged, c.phase2, c.minutes]), [
    ['address-of', 2, 2, 0, 0, 1, 2],
    ['config-before-register', 3, 3, 0, 0, 0, 6],
    ['conversion', 1, 0, 0, 1, 1, 0],
    ['by-value', 1, 0, 1, 0, 0, 60],
    ['core', 1, 1, 0, 0, 0, 2],
  ]);
  // beta 92+70 = 162, gamma 33+75 = 108, alpha 33+60 = 93
  assert.deepEqual(r.hardest.map((h) => [h.id, h.minutes, h.coreAllocationMinutes]), [
    ['drivers/i2c/busses/i2c-beta', 162, 90],
    ['drivers/media/gamma/gamma', 108, 155],
    ['drivers/i2c/busses/i2c-alpha', 93, 92],
  ]);
  assert.match(r.hardest[0].why[0], /^1 site for a human \(by-value\)$/);
  assert.deepEqual(r.maintainers, ['Hal Host <hal@example.org>', 'Ivy Core <ivy@example.org>', 'Mia Media <mia@example.org>']);
  assert.deepEqual(r.lists, ['linux-i2c@example.org', 'linux-media@example.org']);
});

test('same code path as rewrite: site counts equal the scan, manual sites equal planFromScan().manual', async () => {
  const scanResult = handScan();
  const r = await estimateFromScan(scanResult);
  const plan = planFromScan(scanResult);
  assert.equal(r.drivers.reduce((a, d) => a + d.sites.total, 0), scanResult.sites.length);
  const key = (s: { file: string; line: number; column: number }): string => `${s.file}:${s.line}:${s.column}`;
  assert.deepEqual(r.drivers.flatMap((d) => d.manual.map(key)).sort(), plan.manual.map(key).sort());
  // the lines equal lineStats over the plan's changes
  const added = r.drivers.reduce((a, d) => a + d.lines.added, 0);
  assert.equal(added, 6);
  assert.equal(plan.changes.length, 4);
});

test('weights: overrides change the figures; bad files are one-line usage errors', async () => {
  const w = parseWeights({ phaseOne: { patch: 0, manual: { 'by-value': 10 } } });
  assert.equal(w.phaseOne.review['address-of'], DEFAULT_WEIGHTS.phaseOne.review['address-of']);
  const r = await estimateFromScan(handScan(), { weights: w });
  // 430 - 4 patches x 30 - (60 - 10) = 260
  assert.equal(r.totals.phaseOne.minutes, 260);
  assert.equal(r.weights.phaseOne.manual['by-value'], 10);
  const bad = join(TESTDATA, 'estimate');
  for (const [file, re] of [
    ['weights-unknown-key.json', /unknown key 'phaseOne\.reviews'/],
    ['weights-negative.json', /'phaseTwo\.core' must be a non-negative number/],
    ['weights-not-json.json', /not valid JSON/],
    ['does-not-exist.json', /cannot read it \(ENOENT\)/],
  ] as const) {
    assert.throws(() => loadWeights(join(bad, file)), (e: Error) => e.name === 'UsageError' && re.test(e.message) && !e.message.includes('\n'));
  }
  assert.equal(loadWeights(join(bad, 'weights-example.json')).coreAllocation.core, 3000);
});

test('formats render every headline figure', async () => {
  const r = await report();
  const text = formatEstimateText(r);
  assert.match(text, /A1 phase one \(helpers\)\s+4\s+3\s+8\s+1\s+3\s+2\s+3\s+2\s+6\s+6\s+7\.2/);
  assert.match(text, /B  core allocates the adapter\s+4\s+3\s+13\s+4\s+3\s+2\s+3\s+2\s+0\s+0\s+49\.6/);
  assert.ok(!text.includes('\x1b['), 'no colour unless asked');
  assert.ok(formatEstimateText(r, { color: true }).includes('\x1b[1m'));
  const md = estimateMarkdown(r);
  assert.match(md, /^## How much work is this\? \(i2c\)/);
  assert.match(md, /\| A  = phase one \+ two \| 8 \| 3 \| 10 \| 3 \| 3 \| 2 \| 3 \| 4 \| 6 \| 6 \| 54\.6 \|/);
  assert.match(md, /1\. `drivers\/i2c\/busses\/i2c-beta`: A 2\.7 h, B 1\.5 h/);
  const html = estimateHtml(r);
  assert.equal((html.match(/<svg /g) ?? []).length, 5);
  assert.ok(html.includes('<table id="drivers">'));
  assert.ok(!/https?:\/\//.test(html.replace(/http:\/\/www\.w3\.org\/2000\/svg/g, '')), 'no network reference');
  // every driver is linked to its details, which list its sites
  for (let i = 0; i < r.drivers.length; i++) assert.ok(html.includes(`href="#d-${i}"`) && html.includes(`<details id="d-${i}">`));
  assert.ok(html.includes('drivers/i2c/busses/i2c-beta.c:18:'));
  // json: versioned, and round-trips
  const json = JSON.parse(JSON.stringify(r)) as EstimateReport;
  assert.equal(json.schemaVersion, 1);
  assert.deepEqual(json.totals, r.totals);
});

test('the textual pass: comments and strings blanked, receivers checked by type', () => {
  const t = 'a /* &p->adap */ "x->adap.y" // &p->adap\nb';
  assert.equal(blankComments(t).length, t.length);
  assert.ok(!blankComments(t).includes('adap'));
  const files: Record<string, string> = {
    'x.c': 'struct foo { struct i2c_adapter adap; };\nstruct bar { struct i2c_adapter *adap; };\n'
      + 'void f(struct foo *p, struct bar *q, struct client *c) {\n'
      + '  g(&p->adap); p->adap.algo = 0; h(&q->adap); q->adap->algo = 0; c->adap.x = 1;\n'
      + '  k(&((struct foo *)v)->adap);\n}\n'
      + 'static struct i2c_adapter one;\nstatic struct i2c_adapter one = {\n};\nstruct i2c_adapter two[2];\n'
      + 'void g(void) {\n\tstruct i2c_adapter local;\n\tstatic struct i2c_adapter three;\n}\n',
  };
  const pass = driverPass((f) => files[f], ['x.c'], [{ container: 'foo', member: 'adap' }], ['i2c_adapter'], []);
  // &p->adap and the cast: address uses; p->adap.algo: a member access; q (struct bar) and c are not foo
  assert.deepEqual(pass.addressUses.map((l) => l.line), [4, 5]);
  assert.deepEqual(pass.memberAccesses.map((l) => l.line), [4]);
  // static adapters: a tentative declaration and its definition are one; a local is not static
  assert.deepEqual(pass.staticAdapters.map((a) => [a.name, a.line, a.array]), [['one', 8], ['two', 10, true], ['three', 13, false]]
    .map(([n, l, a]) => [n, l, a ?? false]));
});

test('consistency with the real scanner on the example trees', async () => {
  for (const tree of [TREE, EXAMPLE_TREE]) {
    const result = await scan({ tree, subsystem: tree === TREE ? 'i2c' : 'all', jobs: 0 });
    const r = await estimateFromScan(result);
    const plan = planFromScan(result);
    const key = (s: { file: string; line: number; column: number }): string => `${s.file}:${s.line}:${s.column}`;
    assert.equal(r.drivers.reduce((a, d) => a + d.sites.total, 0), result.sites.length, tree);
    assert.deepEqual(r.drivers.flatMap((d) => d.siteList.map(key)).sort(), result.sites.map(key).sort());
    assert.deepEqual(r.drivers.flatMap((d) => d.manual.map(key)).sort(), plan.manual.map(key).sort());
    assert.deepEqual(r.perCategory.reduce((a, c) => a + c.total, 0), result.sites.length);
  }
});
