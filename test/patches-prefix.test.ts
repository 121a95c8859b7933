import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { commonPrefix, prefixFromPath, subjectPrefix, subjectPrefixOf } from '../src/patches/prefix.js';
import type { DriverUnit } from '../src/patches/units.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// the corpus where the harness put it ($UNEMBED_CORPUS_DIR, or .cache/linux-6.12)
const CORPUS = process.env.UNEMBED_CORPUS_DIR ?? join(ROOT, '.cache', 'linux-6.12');

test('prefix of a subject', () => {
  assert.equal(subjectPrefixOf('i2c: designware: Fix the thing'), 'i2c: designware:');
  assert.equal(subjectPrefixOf('[PATCH v2 3/7] media: i2c: ov5640: Use pm_runtime'), 'media: i2c: ov5640:');
  assert.equal(subjectPrefixOf('drm/i915/gmbus: convert to struct intel_display'), 'drm/i915/gmbus:');
  assert.equal(subjectPrefixOf('hwmon: (lm90) Fix alarm'), 'hwmon: (lm90)');
  assert.equal(subjectPrefixOf('Input: elants_i2c - fix probe'), 'Input: elants_i2c -');
  assert.equal(subjectPrefixOf('Merge tag \'i2c-for-6.12\' of git://…'), undefined);
  assert.equal(subjectPrefixOf('Revert "i2c: foo: Fix"'), undefined);
  assert.equal(subjectPrefixOf('treewide: Replace strlcpy'), undefined);
  assert.equal(subjectPrefixOf('Linux 6.12'), undefined);
  assert.equal(commonPrefix(['a: x: 1', 'a: 2', 'a: 3', 'a: x: 4']).prefix, 'a: x:'); // tie: most recent
});

test('path rules', () => {
  const cases: [string, string, string][] = [
    ['drivers/i2c/busses/i2c-designware-common.c', 'i2c-designware-core', 'i2c: designware:'],
    ['drivers/i2c/busses/i2c-designware-pcidrv.c', 'i2c-designware-pci', 'i2c: designware:'],
    ['drivers/i2c/busses/i2c-i801.c', 'i2c-i801', 'i2c: i801:'],
    ['drivers/i2c/busses/i2c-imx-lpi2c.c', 'i2c-imx-lpi2c', 'i2c: imx-lpi2c:'],
    ['drivers/i2c/muxes/i2c-mux-pca954x.c', 'i2c-mux-pca954x', 'i2c: mux: pca954x:'],
    ['drivers/i2c/i2c-core-base.c', 'i2c-core', 'i2c: core:'],
    ['drivers/i2c/i2c-dev.c', 'i2c-dev', 'i2c: dev:'],
    ['drivers/spi/spi-imx.c', 'spi-imx', 'spi: imx:'],
    ['drivers/spi/spi.c', 'spi', 'spi:'],
    ['drivers/gpu/drm/amd/display/dc/core/dc_link_exports.c', 'amdgpu', 'drm/amd/display:'],
    ['drivers/gpu/drm/amd/amdgpu/amdgpu_i2c.c', 'amdgpu', 'drm/amdgpu:'],
    ['drivers/gpu/drm/amd/', 'amdgpu', 'drm/amd:'],
    ['drivers/gpu/drm/i915/display/intel_gmbus.c', 'i915', 'drm/i915:'],
    ['drivers/gpu/drm/radeon/', 'radeon', 'drm/radeon:'],
    ['drivers/gpu/drm/bridge/sii902x.c', 'sii902x', 'drm/bridge: sii902x:'],
    ['drivers/gpu/drm/panel/panel-foo.c', 'panel-foo', 'drm/panel: foo:'],
    ['drivers/gpu/drm/drm_edid.c', 'drm', 'drm:'],
    ['drivers/media/pci/saa7134/saa7134-i2c.c', 'saa7134', 'media: saa7134:'],
    ['drivers/media/usb/em28xx/', 'em28xx', 'media: em28xx:'],
    ['drivers/media/i2c/ov5640.c', 'ov5640', 'media: i2c: ov5640:'],
    ['drivers/media/tuners/tda18271-fe.c', 'tda18271', 'media: tda18271:'],
    ['drivers/media/v4l2-core/v4l2-i2c.c', 'videodev', 'media: v4l2-core:'],
    ['drivers/mfd/foo.c', 'foo', 'mfd: foo:'],
    ['drivers/gpio/gpio-foo.c', 'gpio-foo', 'gpio: foo:'],
    ['drivers/leds/leds-foo.c', 'leds-foo', 'leds: foo:'],
    ['drivers/hwmon/lm90.c', 'lm90', 'hwmon: (lm90)'],
    ['drivers/input/touchscreen/elants_i2c.c', 'elants_i2c', 'Input: elants_i2c -'],
    ['drivers/iio/adc/foo-adc.c', 'foo-adc', 'iio: adc: foo-adc:'],
    ['drivers/platform/x86/foo-wmi.c', 'foo-wmi', 'platform/x86: foo-wmi:'],
    ['sound/soc/codecs/wm8994.c', 'snd-soc-wm8994', 'ASoC: wm8994:'],
    ['sound/pci/hda/patch_realtek.c', 'snd-hda-codec-realtek', 'ALSA: hda:'],
    ['sound/i2c/cs8427.c', 'snd-cs8427', 'ALSA: cs8427:'],
    ['include/linux/i2c.h', 'linux', 'i2c:'],
    ['include/linux/spi/spi.h', 'spi', 'spi:'],
  ];
  for (const [path, name, want] of cases) assert.equal(prefixFromPath(path, name), want, `${path} (${name})`);
});

// --- a synthetic history --------------------------------------------------------------------

let repo = '';
let clock = 1_700_000_000;

async function commit(subject: string, files: string[]): Promise<void> {
  for (const f of files) {
    mkdirSync(join(repo, dirname(f)), { recursive: true });
    appendFileSync(join(repo, f), `${subject}\n`);
  }
  clock += 60;
  const git = simpleGit(repo);
  await git.add(files);
  await git.commit(subject, undefined, { '--date': `${clock} +0000` });
}

const unit = (name: string, files: string[]): DriverUnit => ({ name, dir: dirname(files[0]), files });
const FOO = 'drivers/i2c/busses/i2c-foo.c';
const BAR = 'drivers/i2c/busses/i2c-bar.c';
const GMBUS = 'drivers/gpu/drm/i915/display/intel_gmbus.c';
const BAZ = 'drivers/spi/spi-baz.c';
const QUX = 'drivers/media/pci/qux/qux-core.c';
const WIDE = ['drivers/a/x.c', 'drivers/b/x.c', 'drivers/c/x.c', 'drivers/d/x.c', 'drivers/e/x.c'];

before(async () => {
  repo = mkdtempSync(join(tmpdir(), 'unembed-prefix-'));
  const git = simpleGit(repo);
  await git.init();
  await git.addConfig('user.name', 'Test Author');
  await git.addConfig('user.email', 'author@example.org');
  await git.addConfig('commit.gpgsign', 'false');
  // the root commit adds everything, its subject must not count
  await commit('spi: wrong: Initial import', [FOO, BAR, GMBUS, BAZ, QUX, ...WIDE]);
  await commit('i2c: foo: Add driver', [FOO]);
  await commit('i2c: Convert to the new probe', [FOO, BAR]);
  await commit('[PATCH v2] i2c: foo: Use devm helpers', [FOO]);
  await commit('treewide: Replace strlcpy with strscpy', [FOO, ...WIDE]);
  await commit('Revert "i2c: Convert to the new probe"', [FOO]);
  await commit('i2c: foo: Fix the clock', [FOO]);
  await commit('i2c: bar: Add driver', [BAR]);
  await commit('cleanup: Use the helper', [BAR, ...WIDE]);
  await commit('cleanup: Use the other helper', [BAR, ...WIDE]);
  await commit('drm/i915: Split the file', [GMBUS]);
  await commit('drm/i915/gmbus: Convert to intel_display', [GMBUS]);
  await commit('media: pci: qux: Add driver', [QUX]);
  // a merge commit touching foo: --no-merges leaves it out
  const main = (await git.revparse(['--abbrev-ref', 'HEAD'])).trim();
  await git.checkoutLocalBranch('topic');
  await commit('i2c: foo-topic: Topic work', [FOO]);
  await git.checkout(main);
  await commit('i2c: foo: Something else', [FOO]);
  await git.raw(['merge', '--no-ff', '-m', 'i2c: merged: Merge branch topic', 'topic']);
});

after(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

test('history: most common prefix; Merge, Revert, treewide and root commits ignored', async () => {
  assert.equal(await subjectPrefix(repo, unit('i2c-foo', [FOO])), 'i2c: foo:');
  // the wide commits would outvote `i2c: bar:` if they counted
  assert.equal(await subjectPrefix(repo, unit('i2c-bar', [BAR]), { minSubjects: 1 }), 'i2c: bar:');
  // a tie goes to the most recent
  assert.equal(await subjectPrefix(repo, unit('i915', [GMBUS])), 'drm/i915/gmbus:');
  // depth limits how far back it looks
  assert.equal(await subjectPrefix(repo, unit('i915', [GMBUS]), { historyDepth: 1, minSubjects: 1 }), 'drm/i915/gmbus:');
});

test('history too short: path rules', async () => {
  assert.equal(await subjectPrefix(repo, unit('spi-baz', [BAZ])), 'spi: baz:'); // only the root commit
  assert.equal(await subjectPrefix(repo, unit('qux', [QUX])), 'media: qux:'); // one subject < minSubjects
  assert.equal(await subjectPrefix(repo, unit('qux', [QUX]), { minSubjects: 1 }), 'media: pci: qux:');
  const notGit = mkdtempSync(join(tmpdir(), 'unembed-nogit-'));
  try {
    assert.equal(await subjectPrefix(notGit, unit('i2c-foo', [FOO])), 'i2c: foo:');
  } finally {
    rmSync(notGit, { recursive: true, force: true });
  }
});

test('corpus (one commit): path rules', { skip: !existsSync(join(CORPUS, '.git')) && 'no corpus' }, async () => {
  const designware: DriverUnit = {
    name: 'i2c-designware-core', dir: 'drivers/i2c/busses',
    files: ['drivers/i2c/busses/i2c-designware-common.c', 'drivers/i2c/busses/i2c-designware-master.c'],
  };
  assert.equal(await subjectPrefix(CORPUS, designware), 'i2c: designware:');
  const amd: DriverUnit = {
    name: 'amdgpu', dir: 'drivers/gpu/drm/amd/amdgpu',
    files: ['drivers/gpu/drm/amd/display/amdgpu_dm/amdgpu_dm_helpers.c', 'drivers/gpu/drm/amd/display/dc/core/dc_link_exports.c'],
  };
  assert.equal(await subjectPrefix(CORPUS, amd), 'drm/amd/display:');
  assert.equal(await subjectPrefix(CORPUS, { name: 'saa7134', dir: 'drivers/media/pci/saa7134', files: ['drivers/media/pci/saa7134/saa7134-i2c.c'] }), 'media: saa7134:');
  assert.equal(await subjectPrefix(CORPUS, { name: 'spi-imx', dir: 'drivers/spi', files: ['drivers/spi/spi-imx.c'] }), 'spi: imx:');
});
