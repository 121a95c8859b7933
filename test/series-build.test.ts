// Bisectability of `unembed series` on the real kernel (the 6.12 corpus): the header patch, the
// I2C core, a sample of 12 drivers and an amdgpu file are generated as a series, applied with
// `git am` in a worktree of the corpus, and every commit's touched objects are compiled as
// single objects of an x86_64 allmodconfig build (src/series/buildcheck.ts, the same code as
// `scripts/verify-series.js --build`). Skipped, with the reason, when the corpus or the
// toolchain is missing, or with UNEMBED_SKIP_BUILD=1. The worktree (.cache/series-build-test)
// and its build folder are kept between runs: a second run skips the allmodconfig preparation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, ROOT } from './helpers.js';
import { generateSeries } from '../src/series/run.js';
import { buildCounts, buildEachCommit, commitBuildLine } from '../src/series/buildcheck.js';
import { defaultOutDir } from '../src/kbuild/build.js';

// plain paths, not globs: the scan then reads these files alone (a glob scans its whole folder)
const CORE = ['i2c-core-base.c', 'i2c-core-acpi.c', 'i2c-core-of.c', 'i2c-core-smbus.c', 'i2c-core-slave.c', 'i2c-core.h',
  'i2c-dev.c', 'i2c-mux.c', 'i2c-smbus.c', 'i2c-atr.c'].map((f) => `drivers/i2c/${f}`);
const DRIVERS = ['i801', 'piix4', 'gpio', 'ocores', 'ali1535', 'nforce2', 'cadence', 'altera', 'cp2615', 'diolan-u2c', 'ismt']
  .map((d) => `drivers/i2c/busses/i2c-${d}.c`).concat('drivers/i2c/muxes/i2c-mux-gpio.c');
// compiled by amdgpu's Makefile through ../pm: `make` of its own path has no rule for it, only
// its relocated goal builds it
const RELOCATED = 'drivers/gpu/drm/amd/pm/swsmu/smu11/navi10_ppt.c';

function skipReason(): string | false {
  if (process.env.UNEMBED_SKIP_BUILD === '1') return 'UNEMBED_SKIP_BUILD=1';
  if (!existsSync(join(CORPUS, 'Makefile')) || !existsSync(join(CORPUS, '.git'))) {
    return `no kernel corpus (git) at ${CORPUS}: run npm run corpus`;
  }
  const missing = ['gcc', 'make', 'flex', 'bison', 'bc', 'perl']
    .filter((p) => spawnSync('sh', ['-c', `command -v ${p}`], { stdio: 'ignore' }).status !== 0);
  if (missing.length) return `toolchain missing: ${missing.join(', ')} (bash scripts/setup.sh)`;
  const headers = ['/usr/include/gelf.h', '/usr/include/openssl/ssl.h'].filter((h) => !existsSync(h));
  if (headers.length) return `build headers missing: ${headers.join(', ')} (libelf-dev, libssl-dev)`;
  return false;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

test('series on the corpus: the header patch, the core and 12 drivers build commit by commit', { timeout: 20 * 60_000 },
  async (t) => {
    const skip = skipReason();
    if (skip) {
      t.skip(skip);
      return;
    }
    const t0 = Date.now();
    const out = mkdtempSync(join(tmpdir(), 'unembed-series-build-'));
    const r = await generateSeries({
      tree: CORPUS, subsystem: 'i2c', only: [...CORE, ...DRIVERS, RELOCATED], outputDir: out, date: '2025-01-31T12:00:00Z',
      renderer: 'silent', branch: 'unembed/series-build-test',
    });
    const wt = join(ROOT, '.cache', 'series-build-test');
    const secs = (since: number): string => `${((Date.now() - since) / 1000).toFixed(0)} s`;
    t.diagnostic(`series generated: ${r.patches.length} patches in ${secs(t0)}`);
    try {
      const kinds = r.patches.map((p) => p.kind);
      assert.deepEqual(kinds.slice(0, 2), ['header', 'core']);
      assert.ok(kinds.filter((k) => k === 'driver').length >= 10, kinds.join(' '));

      // apply the mails in a kept worktree of the corpus at the base
      if (existsSync(join(wt, '.git'))) {
        spawnSync('git', ['am', '--abort'], { cwd: wt, stdio: 'ignore' });
        git(wt, 'checkout', '-q', '-f', '--detach', r.baseSha);
      } else {
        rmSync(wt, { recursive: true, force: true });
        git(CORPUS, 'worktree', 'prune');
        git(CORPUS, 'worktree', 'add', '-q', '--detach', wt, r.baseSha);
      }
      const mails = readdirSync(out).filter((f) => f.endsWith('.patch') && !f.includes('cover-letter')).sort();
      git(wt, '-c', 'user.name=series-build-test', '-c', 'user.email=test@localhost', 'am', '-q', ...mails.map((m) => join(out, m)));
      assert.equal(git(wt, 'rev-parse', 'HEAD^{tree}'), git(CORPUS, 'rev-parse', `${r.branch}^{tree}`));

      t.diagnostic(`git am in ${wt}: ${secs(t0)} since the start`);
      const lines: string[] = [];
      const builds = await buildEachCommit({
        worktree: wt, baseSha: r.baseSha, outDir: defaultOutDir(wt), seriesFiles: r.patches.flatMap((p) => p.files), jobs: 2,
        log: (l) => lines.push(`${l} (${secs(t0)})`),
        onCommit: (b, k, n) => lines.push(commitBuildLine(b, k, n)),
      });
      for (const l of lines) t.diagnostic(l);
      assert.equal(builds.length, r.patches.length);
      const all = buildCounts(builds);
      t.diagnostic(`${all.commits} commits, ${all.objects} object builds: ${all.ok} ok, ${all.failed} failed, `
        + `${all.notBuilt} not in the configuration; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      // the header commit rebuilds every .c file of the series
      const seriesC = new Set(r.patches.flatMap((p) => p.files).filter((f) => f.endsWith('.c')));
      assert.deepEqual(new Set(builds[0].files), seriesC);
      assert.ok(buildCounts([builds[0]]).ok >= 12, lines.join('\n'));
      const relocated = builds[0].results.find((x) => x.file === RELOCATED);
      assert.equal(relocated?.status, 'ok', `${RELOCATED}: ${relocated?.reason ?? relocated?.status}`);
      for (const b of builds) {
        const c = buildCounts([b]);
        assert.equal(c.failed, 0, lines.find((l) => l.includes(b.subject)));
        assert.ok(c.objects > 0, `${b.subject}: nothing compiled`);
      }
      // at least 10 driver commits compiled a configured object
      const driverOk = builds.filter((b, k) => r.patches[k].kind === 'driver' && buildCounts([b]).ok > 0).length;
      assert.ok(driverOk >= 10, `${driverOk} driver commits built a configured object`);
    } finally {
      rmSync(out, { recursive: true, force: true });
      spawnSync('git', ['branch', '-D', r.branch], { cwd: CORPUS, stdio: 'ignore' });
    }
  });
