// Build proof of the phase-one rewrite on a real tree, in one command:
//  1. a scratch copy of the tree (hard links; rewritten files are replaced, never edited in place);
//  2. `rewrite --in-place` there, then every rewritten .c compiled as a single object
//     (x86_64 allmodconfig in a separate output folder); errors, and warnings that the same
//     object did not have before the rewrite, are counted;
//  3. the `dev` member renamed in a scratch copy of the two headers and the same objects built
//     again: every error left must be at a site listed for a human, in the headers' own helpers,
//     or in the cores that the subsystem switch replaces.
//   node dist/scripts/verify-build.js [--tree DIR] [--subsystem all] [--limit N] [paths…]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { planRewrite, writePlan } from '../src/rewrite.js';
import { compileObjects, prepareBuild, type Diagnostic, type ObjectResult } from '../src/kbuild/build.js';
import { transformsFor } from '../transforms/index.js';
import { matchesAny } from '../src/util/glob.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    tree: { type: 'string', default: join(ROOT, '.cache', 'linux-6.12') },
    subsystem: { type: 'string', default: 'all' },
    limit: { type: 'string' },
    work: { type: 'string', default: join(ROOT, '.cache', 'verify-build') },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
const tree = resolve(values.tree!);
const work = resolve(values.work!);
const scratch = join(work, 'tree');

function warningsKey(d: Diagnostic): string {
  return `${d.file}|${d.message.replace(/\d+/g, 'N')}`;
}

async function build(src: string, out: string, files: string[], label: string): Promise<ObjectResult[]> {
  log(`${label}: preparing ${out}`);
  await prepareBuild({ tree: src, outDir: out, log, jobs: 2 });
  log(`${label}: compiling ${files.length} object(s)`);
  let last = 0;
  return compileObjects({
    tree: src, outDir: out, files, jobs: 2,
    onProgress: (d, t) => { if (d - last >= 50 || d === t) { last = d; log(`  ${d}/${t}`); } },
  });
}

async function main(): Promise<void> {
  const transforms = transformsFor(values.subsystem!);
  mkdirSync(work, { recursive: true });
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
  log(`copying ${tree} to ${scratch} (hard links)`);
  execFileSync('cp', ['-al', tree, scratch]);
  // .git comes along as hard links too: git replaces files (index, refs) by renaming, so the
  // corpus's repository is not written through them, and git grep keeps the scan fast

  const plan = await planRewrite({ tree: scratch, subsystem: values.subsystem, paths: positionals });
  await writePlan(plan, { force: true });
  let cFiles = plan.changes.filter((c) => c.file.endsWith('.c')).map((c) => c.file);
  if (values.limit) cFiles = cFiles.slice(0, Number(values.limit));
  log(`rewrote ${plan.changes.length} file(s); ${plan.manual.length} site(s) left for a human`);

  // before: the same objects in the untouched tree, for the warnings they already had
  const before = await build(tree, join(work, 'build-orig'), cFiles, 'original');
  const after = await build(scratch, join(work, 'build-rewritten'), cFiles, 'rewritten');
  const old = new Set(before.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning').map(warningsKey)));
  // objects outside x86_64 allmodconfig fail on missing arch headers before and after: not counted
  const configured = after.filter((r) => r.status !== 'not-built');
  const errors = configured.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error'));
  const newWarnings = configured.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning' && !old.has(warningsKey(d))));
  const count = (rs: ObjectResult[], s: string) => rs.filter((r) => r.status === s).length;
  console.log(`\nphase one: ${cFiles.length} rewritten .c files; compiled ok ${count(after, 'ok')}, failed ${count(after, 'failed')}, `
    + `not in x86_64 allmodconfig ${count(after, 'not-built')} (before the rewrite: ok ${count(before, 'ok')}, failed ${count(before, 'failed')})`);
  console.log(`errors: ${errors.length}; new warnings: ${newWarnings.length}`);
  for (const d of [...errors, ...newWarnings].slice(0, 40)) console.log(`  ${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);

  // rename the member in the headers: what still touches it?
  for (const t of transforms) {
    const h = join(scratch, t.header);
    const text = readFileSync(h, 'latin1');
    const re = new RegExp(`(struct ${t.struct} \\{[\\s\\S]*?\\n\\tstruct device)(\\s+)${t.member};`);
    if (!re.test(text)) throw new Error(`${t.header}: cannot find the ${t.member} member of struct ${t.struct}`);
    unlinkSync(h); // hard link: replace the file, never write through it
    writeFileSync(h, text.replace(re, `$1$2${t.member}_unembed_renamed;`), 'latin1');
  }
  const renamed = await build(scratch, join(work, 'build-renamed'), cFiles, 'renamed');
  const manual = new Set(plan.manual.map((s) => `${s.file}:${s.line}`));
  const cores = transforms.flatMap((t) => t.coreFiles);
  const buckets = { manual: 0, headers: 0, core: 0, other: [] as Diagnostic[] };
  for (const d of renamed.filter((r) => r.status !== 'not-built')
    .flatMap((r) => r.diagnostics.filter((x) => x.severity === 'error' && /has no member named/.test(x.message)))) {
    const where = d.expansionSite ?? d;
    if (manual.has(`${where.file}:${where.line}`) || manual.has(`${d.file}:${d.line}`)) buckets.manual++;
    else if (transforms.some((t) => d.file === t.header)) buckets.headers++;
    else if (matchesAny(d.file, cores) || matchesAny(where.file, cores)) buckets.core++;
    else buckets.other.push(d);
  }
  console.log(`\nwith the member renamed: errors at sites listed for a human ${buckets.manual}, in the headers' own helpers `
    + `${buckets.headers}, in the cores ${buckets.core}, anywhere else ${buckets.other.length}`);
  for (const d of buckets.other.slice(0, 40)) console.log(`  ${d.file}:${d.line}:${d.column}: ${d.message}`);
}

main().catch((e: Error) => {
  process.stderr.write(`verify-build: ${e.message.split('\n')[0]}\n`);
  process.exit(1);
});
