// Cross-check with real spatch on the 6.12 corpus: the generated .cocci files against
// `unembed rewrite` on drivers/i2c/busses and drivers/spi, hunk by hunk. Every hunk spatch makes,
// unembed must make too; where the texts differ, it must be white space (spatch wraps at 80
// columns) or a known equivalent spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findSpatch } from '../src/cocci/spatch.js';
import { planDiff, planRewrite } from '../src/rewrite.js';
import { spatchRun } from '../scripts/spatch-run.js';
import { crossCheck } from '../scripts/cross-check.js';
import { CORPUS, corpusReady, ROOT } from './helpers.js';

const skip = !corpusReady() ? 'corpus missing: run `npm run corpus`' : !findSpatch() ? 'spatch is not installed' : false;

for (const [subsystem, dir] of [['i2c', 'drivers/i2c/busses'], ['spi', 'drivers/spi']] as const) {
  test(`spatch and unembed agree on ${dir}`, { skip, timeout: 30 * 60 * 1000 }, async () => {
    const cocci = join(ROOT, 'cocci', subsystem === 'i2c' ? 'i2c-adapter-dev.cocci' : 'spi-controller-dev.cocci');
    const sp = await spatchRun({ tree: CORPUS, cocci: [cocci], targets: [dir], jobs: 2 });
    const plan = await planRewrite({ tree: CORPUS, subsystem, paths: [dir], headers: false });
    const ours = planDiff({ ...plan, changes: plan.changes.filter((c) => c.file.startsWith(`${dir}/`)) });
    const x = crossCheck(CORPUS, sp.diff, ours);
    const spatchHunks = x.total - x.onlyUnembed.length;
    process.stdout.write(`# ${dir}: ${x.total} hunks, ${x.identical} identical (${((100 * x.identical) / x.total).toFixed(1)}%), `
      + `only spatch ${x.onlySpatch.length}, only unembed ${x.onlyUnembed.length}, different ${x.different.length}; `
      + `files differing beyond white space: ${x.semanticFiles.join(' ') || 'none'}\n`);
    assert.ok(spatchHunks > 100, `spatch made ${spatchHunks} hunks`);
    assert.deepEqual(x.onlySpatch.map((h) => `${h.file}:${h.oldStart}`), [], 'hunks only spatch makes');
    // differences beyond white space are allowed only where unembed makes hunks spatch does not
    // (spatch cannot parse scoped_guard() bodies, nor type a macro's parameters), and where
    // spatch spells `&a[0]` as `a`
    const allowed = new Set(['drivers/i2c/busses/i2c-amd756-s4882.c', 'drivers/i2c/busses/i2c-nforce2-s4985.c',
      ...x.onlyUnembed.map((h) => h.file)]);
    assert.deepEqual(x.semanticFiles.filter((f) => !allowed.has(f)), []);
  });
}
