import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { driverUnits, KbuildIndex, makefileLines, type DriverUnit } from '../src/patches/units.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TREE = join(ROOT, 'testdata', 'units');
// the corpus where the harness put it ($UNEMBED_CORPUS_DIR, or .cache/linux-6.12)
const CORPUS = process.env.UNEMBED_CORPUS_DIR ?? join(ROOT, '.cache', 'linux-6.12');

const F = 'drivers/foo/';
const ALL = [
  'foo-simple.c', 'foo-simple.h', 'inc.c', 'shared.h', 'multi-core.c', 'multi-ops.c', 'multi-extra.c', 'multi.h',
  'helper-one.c', 'parts/part1.c', 'parts/part2.c', 'legacy-a.c', 'legacy-b.c', 'foo-shared.c', 'foo-shared.h',
  'twin-main.c', 'other-main.c', 'foo-x.c', 'sub/sub-drv.c', 'orphan.c',
].map((f) => F + f).concat([
  'drivers/bar/bar.c', 'include/linux/foo.h', 'drivers/gpu/big/big_drv.c', 'drivers/gpu/big-display/disp_main.c',
  'drivers/gpu/big-display/disp_i2c.c', 'drivers/kb/kb-real.c', 'drivers/kb/kb-wrong.c',
]);

function brief(units: DriverUnit[]): [string, string, string | undefined, string[]][] {
  return units.map((u) => [u.dir, u.name, u.makefileSymbol, u.files]);
}

test('makefile lines: continuations, comments, recipes', () => {
  assert.deepEqual(makefileLines('a := x \\\n\ty # c\n# all comment\nt: d\n\tobj-y += no.o\nb = 1\n'), ['a := x y', 'b = 1']);
});

test('synthetic tree: modules, composites, private headers, directories', async () => {
  const units = await driverUnits(TREE, [...ALL].reverse());
  assert.deepEqual(brief(units), [
    ['drivers/bar', 'bar', undefined, ['drivers/bar/bar.c']],
    ['drivers/foo', 'foo', undefined, [F + 'orphan.c', F + 'shared.h']],
    ['drivers/foo', 'foo-legacy', undefined, [F + 'legacy-a.c', F + 'legacy-b.c']],
    ['drivers/foo', 'foo-multi', 'CONFIG_FOO_MULTI', [F + 'helper-one.c', F + 'multi-core.c', F + 'multi-extra.c', F + 'multi-ops.c', F + 'multi.h', F + 'parts/part1.c', F + 'parts/part2.c']],
    ['drivers/foo', 'foo-other', 'CONFIG_FOO_OTHER', [F + 'foo-shared.c', F + 'foo-shared.h', F + 'other-main.c']],
    ['drivers/foo', 'foo-simple', 'CONFIG_FOO_SIMPLE', [F + 'foo-simple.c', F + 'foo-simple.h', F + 'inc.c']],
    ['drivers/foo', 'foo-twin', 'CONFIG_FOO_TWIN', [F + 'twin-main.c']],
    ['drivers/foo', 'foo-x', 'CONFIG_FOO_X', [F + 'foo-x.c']],
    ['drivers/foo/sub', 'sub-drv', 'CONFIG_FOO_SUB', [F + 'sub/sub-drv.c']],
    ['drivers/gpu/big', 'big', 'CONFIG_DRM_BIG', ['drivers/gpu/big-display/disp_i2c.c', 'drivers/gpu/big-display/disp_main.c', 'drivers/gpu/big/big_drv.c']],
    ['drivers/kb', 'kb', undefined, ['drivers/kb/kb-wrong.c']],
    ['drivers/kb', 'kb-real', 'CONFIG_KB', ['drivers/kb/kb-real.c']],
    ['include/linux', 'linux', undefined, ['include/linux/foo.h']],
  ]);
  assert.equal(units.find((u) => u.name === 'bar')?.kind, 'directory');
  assert.equal(units.find((u) => u.name === 'foo-multi')?.kind, 'module');
  // stable: the same answer whatever the input order
  assert.deepEqual(await driverUnits(TREE, ALL), units);
});

test('synthetic tree: what the Makefile evaluates to', async () => {
  const info = await new KbuildIndex(TREE).dir('drivers/foo');
  assert.ok(info);
  assert.deepEqual(info.modules.map((m) => m.name).sort(), ['foo-legacy', 'foo-multi', 'foo-other', 'foo-simple', 'foo-twin', 'foo-x']);
  assert.deepEqual(info.subdirs, ['drivers/foo/sub']);
  assert.deepEqual(info.modules.find((m) => m.name === 'foo-multi')?.objects,
    ['multi-core', 'multi-ops', 'multi-extra', 'helper-one', 'parts/part1', 'parts/part2'].map((o) => F + o));
});

const haveCorpus = existsSync(join(CORPUS, 'drivers', 'i2c', 'busses', 'Makefile'));

test('corpus: drivers/i2c/busses, designware and octeon/thunderx', { skip: !haveCorpus && 'no corpus' }, async () => {
  const b = 'drivers/i2c/busses/';
  const files = ['i2c-designware-common.c', 'i2c-designware-master.c', 'i2c-designware-slave.c', 'i2c-designware-core.h',
    'i2c-designware-platdrv.c', 'i2c-designware-amdpsp.c', 'i2c-designware-baytrail.c', 'i2c-designware-pcidrv.c',
    'i2c-octeon-core.c', 'i2c-octeon-core.h', 'i2c-octeon-platdrv.c', 'i2c-thunderx-pcidrv.c', 'i2c-at91-core.c',
    'i2c-at91-slave.c', 'i2c-at91.h', 'i2c-i801.c'].map((f) => b + f);
  const units = await driverUnits(CORPUS, files);
  assert.deepEqual(brief(units), [
    ['drivers/i2c/busses', 'i2c-at91', 'CONFIG_I2C_AT91', [b + 'i2c-at91-core.c', b + 'i2c-at91-slave.c', b + 'i2c-at91.h']],
    ['drivers/i2c/busses', 'i2c-designware-core', 'CONFIG_I2C_DESIGNWARE_CORE',
      [b + 'i2c-designware-common.c', b + 'i2c-designware-core.h', b + 'i2c-designware-master.c', b + 'i2c-designware-slave.c']],
    ['drivers/i2c/busses', 'i2c-designware-pci', 'CONFIG_I2C_DESIGNWARE_PCI', [b + 'i2c-designware-pcidrv.c']],
    ['drivers/i2c/busses', 'i2c-designware-platform', 'CONFIG_I2C_DESIGNWARE_PLATFORM',
      [b + 'i2c-designware-amdpsp.c', b + 'i2c-designware-baytrail.c', b + 'i2c-designware-platdrv.c']],
    ['drivers/i2c/busses', 'i2c-i801', 'CONFIG_I2C_I801', [b + 'i2c-i801.c']],
    ['drivers/i2c/busses', 'i2c-octeon', 'CONFIG_I2C_OCTEON', [b + 'i2c-octeon-core.c', b + 'i2c-octeon-core.h', b + 'i2c-octeon-platdrv.c']],
    ['drivers/i2c/busses', 'i2c-thunderx', 'CONFIG_I2C_THUNDERX', [b + 'i2c-thunderx-pcidrv.c']],
  ]);
});

test('corpus: every .c under drivers/i2c and drivers/spi is in a module', { skip: !haveCorpus && 'no corpus' }, async () => {
  const { simpleGit } = await import('simple-git');
  const out = await simpleGit(CORPUS).raw(['ls-files', '--', 'drivers/i2c/*.c', 'drivers/spi/*.c']);
  const files = out.split('\n').filter(Boolean);
  assert.ok(files.length > 250);
  const units = await driverUnits(CORPUS, files);
  assert.deepEqual(units.filter((u) => u.kind === 'directory').flatMap((u) => u.files), []);
});

test('corpus: i915 and amdgpu, huge composite modules across directories', { skip: !haveCorpus && 'no corpus' }, async () => {
  const d = 'drivers/gpu/drm/';
  const files = ['i915/display/intel_gmbus.c', 'i915/display/intel_gmbus.h', 'i915/i915_driver.c', 'i915/gt/intel_gt.c',
    'i915/gvt/edid.c', 'amd/amdgpu/amdgpu_i2c.c', 'amd/amdgpu/amdgpu_drv.c', 'amd/display/amdgpu_dm/amdgpu_dm_helpers.c',
    'amd/display/dc/core/dc_link_exports.c', 'amd/pm/swsmu/smu13/smu_v13_0.c', 'amd/amdkfd/kfd_module.c',
    'radeon/radeon_i2c.c'].map((f) => d + f);
  const units = await driverUnits(CORPUS, files);
  assert.deepEqual(brief(units), [
    [d + 'amd/amdgpu', 'amdgpu', 'CONFIG_DRM_AMDGPU', [d + 'amd/amdgpu/amdgpu_drv.c', d + 'amd/amdgpu/amdgpu_i2c.c',
      d + 'amd/amdkfd/kfd_module.c', d + 'amd/display/amdgpu_dm/amdgpu_dm_helpers.c', d + 'amd/display/dc/core/dc_link_exports.c',
      d + 'amd/pm/swsmu/smu13/smu_v13_0.c']],
    [d + 'i915', 'i915', 'CONFIG_DRM_I915', [d + 'i915/display/intel_gmbus.c', d + 'i915/display/intel_gmbus.h',
      d + 'i915/gt/intel_gt.c', d + 'i915/i915_driver.c']],
    [d + 'i915', 'kvmgt', 'CONFIG_DRM_I915_GVT_KVMGT', [d + 'i915/gvt/edid.c']],
    [d + 'radeon', 'radeon', 'CONFIG_DRM_RADEON', [d + 'radeon/radeon_i2c.c']],
  ]);
  const amd = await new KbuildIndex(CORPUS).dir(d + 'amd/amdgpu');
  const amdgpu = amd?.modules.find((m) => m.name === 'amdgpu');
  assert.ok(amdgpu && amdgpu.objects.length > 500, `amdgpu has ${amdgpu?.objects.length} objects`);
});
