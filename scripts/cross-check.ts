// Cross-check against real spatch: the same files, spatch with the generated .cocci files and
// `unembed rewrite`, compared hunk by hunk. Prints the agreement and every disagreement.
//   node dist/scripts/cross-check.js [--tree DIR] [--spatch-diff FILE] DIR…
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { applyPatch, parsePatch } from 'diff';
import { planDiff, planRewrite } from '../src/rewrite.js';
import { compareDiffs, type Hunk } from '../src/cocci/compare.js';
import { spatchRun } from './spatch-run.js';

export interface CrossCheck {
  total: number;
  identical: number;
  onlySpatch: Hunk[];
  onlyUnembed: Hunk[];
  different: { a: Hunk; b: Hunk }[];
  /** files whose two results differ in more than white space */
  semanticFiles: string[];
  /** files whose two results differ in white space (line wrapping) only */
  formatFiles: string[];
}

/** The file texts each diff produces, per file. */
function results(tree: string, diff: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of parsePatch(diff)) {
    const file = (p.newFileName ?? p.oldFileName ?? '').replace(/^[ab]\//, '').replace(/\t.*$/, '');
    if (!file) continue;
    const before = readFileSync(join(tree, file), 'latin1');
    const after = applyPatch(before, p);
    if (after !== false) out.set(file, after);
  }
  return out;
}

export function crossCheck(tree: string, spatchDiff: string, ourDiff: string): CrossCheck {
  const cmp = compareDiffs(spatchDiff, ourDiff, { ignoreWhitespace: true });
  const a = results(tree, spatchDiff);
  const b = results(tree, ourDiff);
  const squash = (t: string | undefined) => (t ?? '').replace(/\s+/g, '');
  const files = new Set([...cmp.different.map((d) => d.a.file), ...cmp.onlyA.map((h) => h.file), ...cmp.onlyB.map((h) => h.file)]);
  const semanticFiles: string[] = [];
  const formatFiles: string[] = [];
  for (const f of files) {
    const orig = readFileSync(join(tree, f), 'latin1');
    if (squash(a.get(f) ?? orig) === squash(b.get(f) ?? orig)) formatFiles.push(f);
    else semanticFiles.push(f);
  }
  return { total: cmp.total, identical: cmp.identical, onlySpatch: cmp.onlyA, onlyUnembed: cmp.onlyB,
    different: cmp.different, semanticFiles: semanticFiles.sort(), formatFiles: formatFiles.sort() };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tree: { type: 'string', default: '.cache/linux-6.12' }, 'spatch-diff': { type: 'string' },
      subsystem: { type: 'string', default: 'all' }, out: { type: 'string' } },
  });
  const tree = values.tree!;
  const targets = positionals.length ? positionals : ['drivers/i2c/busses', 'drivers/spi'];
  let spatchDiff: string;
  if (values['spatch-diff'] && existsSync(values['spatch-diff'])) spatchDiff = readFileSync(values['spatch-diff'], 'latin1');
  else {
    const cocci = values.subsystem === 'i2c' ? ['cocci/i2c-adapter-dev.cocci'] : values.subsystem === 'spi'
      ? ['cocci/spi-controller-dev.cocci'] : ['cocci/i2c-adapter-dev.cocci', 'cocci/spi-controller-dev.cocci'];
    spatchDiff = (await spatchRun({ tree, cocci, targets, jobs: 2, log: (s) => process.stderr.write(`${s}\n`) })).diff;
  }
  const plan = await planRewrite({ tree, subsystem: values.subsystem, paths: targets, headers: false });
  // spatch only sees the target folders: compare the files inside them
  const ours = planDiff({ ...plan, changes: plan.changes.filter((c) => targets.some((t) => c.file.startsWith(`${t}/`) || c.file === t)) });
  if (values.out) writeFileSync(values.out, ours, 'latin1');
  const cmp = compareDiffs(spatchDiff, ours, { ignoreWhitespace: true });
  const x = crossCheck(tree, spatchDiff, ours);
  const show = (h: Hunk) => `${h.file}:${h.oldStart}  ${h.lines.filter((l) => /^[-+]/.test(l)).map((l) => l.trim()).join(' | ').slice(0, 220)}`;
  console.log(`hunks: ${cmp.total}; identical ${cmp.identical} (${((100 * cmp.identical) / Math.max(1, cmp.total)).toFixed(1)}%)`);
  console.log(`only spatch: ${cmp.onlyA.length}; only unembed: ${cmp.onlyB.length}; both, different text: ${cmp.different.length}`);
  for (const h of cmp.onlyA) console.log(`  only spatch   ${show(h)}`);
  for (const h of cmp.onlyB) console.log(`  only unembed  ${show(h)}`);
  for (const d of cmp.different) console.log(`  different     ${show(d.a)}\n                ${show(d.b)}`);
  console.log(`files where the results differ in white space only (line wrapping): ${x.formatFiles.length}`);
  console.log(`files where the results differ in more than white space: ${x.semanticFiles.length} ${x.semanticFiles.join(' ')}`);

}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
