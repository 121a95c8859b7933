// Build proof of the phase-one rewrite on a real tree, in one command:
//  1. a scratch copy of the tree (hard links; rewritten files are replaced, never edited in place);
//  2. `rewrite --in-place` there, then every rewritten .c compiled as a single object
//     (x86_64 allmodconfig in a separate output folder); errors, and warnings that the same
//     object did not have before the rewrite, are counted;
//  3. the `dev` member renamed in a scratch copy of the two headers and the same objects built
//     again: every error left must be at a site listed for a human, in the headers' own helpers,
//     or in the cores that the subsystem switch replaces.
//   node dist/scripts/verify-build.js [--tree DIR] [--subsystem all] [--limit N] [--work DIR]
//        [--baseline all|lazy|none] [--renamed-full] [--only-renamed] [--no-typed-helpers]
//        [--out FILE.json] [paths…]
// --baseline all|lazy|none: which objects are also compiled in the untouched tree, to tell the
//   rewrite's errors and warnings from those already there. all: every one (three full
//   passes); lazy (default): only the objects whose rewritten build printed an error or a
//   warning (an object clean after the rewrite cannot have a new one), compiled last;
//   none (or --skip-before): no baseline, every error and warning counts.
// --renamed-full: compile the renamed-member pass fully; by default the objects of modules are
//   checked with gcc -fsyntax-only (make CFLAGS_MODULE=-fsyntax-only; the "has no member
//   named" errors are the front end's), built-in objects are compiled fully.
// --only-renamed: skip the rewritten build and the baseline (the renamed-member pass only).
// Typed helpers (default; --no-typed-helpers to turn off): in the renamed pass the accessor
//   macro (`#define i2c_adapter_dev(adap) (&(adap)->dev)`) also checks its argument's type with
//   _Generic, so a rewritten site whose receiver is not the object (a macro used with another
//   type) is an error, which the untyped macro lets through.
// --out: every result (per object status, errors, new warnings, the renamed-member errors
//   and their bucket) as JSON, for the note.
// Objects that kbuild builds through a `../` path of another folder's Makefile (amdgpu's
// display and pm code) are built through that goal (findObjectGoals), as the oracle does.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { planRewrite, writePlan } from '../src/rewrite.js';
import { compileObjects, findObjectGoals, prepareBuild, relocatingDirs, type Diagnostic, type ObjectResult } from '../src/kbuild/build.js';
import { diffLines } from 'diff';
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
    'skip-before': { type: 'boolean', default: false },
    baseline: { type: 'string', default: 'lazy' },
    'renamed-full': { type: 'boolean', default: false },
    'only-renamed': { type: 'boolean', default: false },
    'no-typed-helpers': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const log = (s: string) => process.stderr.write(`${s}\n`);
const tree = resolve(values.tree!);
const work = resolve(values.work!);
const scratch = join(work, 'tree');

function warningsKey(d: Diagnostic): string {
  return `${d.file}|${d.message.replace(/\d+/g, 'N')}`;
}

function errorKey(d: Diagnostic): string {
  return `${d.object}|${d.file}|${d.message.replace(/\d+/g, 'N')}`;
}

/** original line -> line in the rewritten text (unchanged lines exactly; changed ones: the start of their replacement) */
function lineMap(before: string, after: string): (line: number) => number {
  const parts = diffLines(before, after);
  const starts: [number, number, boolean][] = []; // [old start, new start, unchanged]
  let o = 1;
  let n = 1;
  for (const p of parts) {
    const count = p.count ?? p.value.split('\n').length - 1;
    if (p.added) { n += count; continue; }
    starts.push([o, n, !p.removed]);
    o += count;
    if (!p.removed) n += count;
  }
  return (line: number) => {
    let best: [number, number, boolean] = [1, 1, true];
    for (const s of starts) if (s[0] <= line) best = s; else break;
    return best[2] ? best[1] + (line - best[0]) : best[1];
  };
}

async function build(src: string, out: string, files: string[], label: string, extraFlags?: string[]): Promise<ObjectResult[]> {
  if (!files.length) return [];
  log(`${label}: preparing ${out}`);
  await prepareBuild({ tree: src, outDir: out, log, jobs: 2, extraFlags });
  const goals = await findObjectGoals({ tree: src, outDir: out, dirs: relocatingDirs(src), log });
  log(`${label}: compiling ${files.length} object(s)`);
  let last = 0;
  return compileObjects({
    tree: src, outDir: out, files, jobs: 2, goals, log, extraFlags,
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
  log(`rewrote ${plan.changes.length} file(s) (${cFiles.length} .c); ${plan.manual.length} site(s) left for a human`);

  // before: the same objects in the untouched tree, for the warnings and errors they already had
  const baseline = values['skip-before'] ? 'none' : values.baseline!;
  if (!['all', 'lazy', 'none'].includes(baseline)) throw new Error(`--baseline: all, lazy or none, not ${baseline}`);
  const started = Date.now();
  const secs = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  let before = baseline === 'all' && !values['only-renamed'] ? await build(tree, join(work, 'build-orig'), cFiles, 'original') : [];
  const onlyRenamed = values['only-renamed']!;
  const after = onlyRenamed ? [] : await build(scratch, join(work, 'build-rewritten'), cFiles, 'rewritten');
  log(`rewritten build done (${secs()})`);
  const renamedLater = async () => {
    // rename the member in the headers: what still touches it?
    for (const t of transforms) {
      const h = join(scratch, t.header);
      const text = readFileSync(h, 'latin1');
      const re = new RegExp(`(struct ${t.struct} \\{[\\s\\S]*?\\n\\tstruct device)(\\s+)${t.member};`);
      if (!re.test(text)) throw new Error(`${t.header}: cannot find the ${t.member} member of struct ${t.struct}`);
      let out = text.replace(re, `$1$2${t.member}_unembed_renamed;`);
      if (!values['no-typed-helpers']) {
        const acc = new RegExp(`^#define ${t.accessor}\\((\\w+)\\)\\s+\\(&\\(\\1\\)->${t.member}\\)$`, 'm');
        if (acc.test(out)) {
          out = out.replace(acc, (_m, a: string) => `#define ${t.accessor}(${a}) (&_Generic((${a}), struct ${t.struct} *: (${a}), `
            + `const struct ${t.struct} *: (${a}))->${t.member})`);
        } else log(`${t.header}: no '#define ${t.accessor}(x) (&(x)->${t.member})' to type-check`);
      }
      unlinkSync(h); // hard link: replace the file, never write through it
      writeFileSync(h, out, 'latin1');
    }
    if (values['renamed-full']) return build(scratch, join(work, 'build-renamed'), cFiles, 'renamed');
    // gcc -fsyntax-only for the objects of modules only: `make CFLAGS_MODULE=-fsyntax-only`
    // (KCFLAGS would reach the prepare steps, asm-offsets, which need real output). The
    // library runs `make` from PATH and has no option for make variables: a wrapper in front.
    const wrapDir = join(work, 'make-syntax-only');
    mkdirSync(wrapDir, { recursive: true });
    const realMake = execFileSync('sh', ['-c', 'command -v make'], { encoding: 'utf8' }).trim();
    writeFileSync(join(wrapDir, 'make'), `#!/bin/sh\nexec ${realMake} "$@" CFLAGS_MODULE=-fsyntax-only\n`, { mode: 0o755 });
    const oldPath = process.env.PATH;
    process.env.PATH = `${wrapDir}:${oldPath ?? ''}`;
    try {
      return await build(scratch, join(work, 'build-renamed'), cFiles, 'renamed');
    } finally {
      process.env.PATH = oldPath;
    }
  };
  const renamed = await renamedLater();
  log(`renamed build done (${secs()})`);
  const lazyFiles = baseline === 'lazy' && !onlyRenamed ? after.filter((r) => r.diagnostics.length > 0 || r.status === 'failed').map((r) => r.file) : [];
  if (baseline === 'lazy' && !onlyRenamed) before = await build(tree, join(work, 'build-orig'), lazyFiles, 'original (objects with diagnostics after the rewrite)');
  log(`baseline done (${secs()})`);
  const old = new Set(before.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning').map(warningsKey)));
  const oldErrors = new Set(before.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error').map(errorKey)));
  const beforeStatus = new Map(before.map((r) => [r.file, r.status]));
  // objects outside x86_64 allmodconfig fail on missing arch headers before and after: not counted
  const configured = after.filter((r) => r.status !== 'not-built');
  const errors = configured.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error'));
  const introduced = baseline === 'none' ? errors : errors.filter((d) => !oldErrors.has(errorKey(d)));
  const newWarnings = configured.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'warning' && !old.has(warningsKey(d))));
  const count = (rs: ObjectResult[], s: string) => rs.filter((r) => r.status === s).length;
  const regressed = after.filter((r) => r.status === 'failed' && beforeStatus.get(r.file) === 'ok');
  if (onlyRenamed) console.log(`\nphase one: ${plan.changes.length} file(s) rewritten, ${cFiles.length} .c; build skipped (--only-renamed)`);
  else console.log(`\nphase one: ${plan.changes.length} file(s) rewritten, ${cFiles.length} .c; compiled ok ${count(after, 'ok')}, failed ${count(after, 'failed')}, `
    + `not in x86_64 allmodconfig ${count(after, 'not-built')}`
    + (baseline === 'none' ? ' (no baseline build)' : ` (baseline ${baseline}: ${before.length} object(s) compiled in the untouched tree: ok ${count(before, 'ok')}, failed ${count(before, 'failed')}, not built ${count(before, 'not-built')})`));
  if (!onlyRenamed) console.log(`errors in configured objects: ${errors.length}, of which not there before the rewrite: ${introduced.length}; `
    + `objects ok before and failed after: ${regressed.length}; new warnings: ${newWarnings.length}`);
  for (const d of [...introduced, ...newWarnings].slice(0, 60)) console.log(`  ${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  for (const r of after.filter((x) => x.status === 'failed')) {
    console.log(`  failed: ${r.file} (before: ${beforeStatus.get(r.file) ?? '?'}) ${r.diagnostics.find((d) => d.severity === 'error')?.message ?? r.reason ?? ''}`);
  }

  // the sites left for a human, on the rewritten files' lines (edits elsewhere in the file may move them)
  const maps = new Map(plan.changes.map((c) => [c.file, lineMap(c.before, c.after)]));
  const manual = new Set(plan.manual.map((s) => `${s.file}:${maps.get(s.file)?.(s.line) ?? s.line}`));
  const headers = new Set(transforms.map((t) => t.header));
  const cores = transforms.flatMap((t) => t.coreFiles);
  type Bucket = 'manual' | 'headers' | 'core' | 'other';
  const buckets: Record<Bucket, Diagnostic[]> = { manual: [], headers: [], core: [], other: [] };
  for (const d of renamed.filter((r) => r.status !== 'not-built')
    .flatMap((r) => r.diagnostics.filter((x) => x.severity === 'error' && /has no member named/.test(x.message)))) {
    const where = d.expansionSite ?? d;
    const steps = [d, ...d.macroChain];
    let b: Bucket;
    if (steps.some((x) => manual.has(`${x.file}:${x.line}`))) b = 'manual';
    // inside a helper: the error is in the header, or a step of its macro chain lies in the
    // header (the body of i2c_adapter_dev(), to_i2c_adapter() -> container_of(..., dev), …),
    // or it is in one of the header's own inline functions
    else if (steps.some((x) => headers.has(x.file)) || headers.has(where.file)
      || (d.functionFile !== undefined && headers.has(d.functionFile) && d.macroChain.every((x) => !x.file.endsWith('.c')))) b = 'headers';
    else if (matchesAny(d.file, cores) || matchesAny(where.file, cores)) b = 'core';
    else b = 'other';
    buckets[b].push(d);
  }
  const uniq = (ds: Diagnostic[]) => new Set(ds.map((d) => { const w = d.expansionSite ?? d; return `${w.file}:${w.line}`; })).size;
  console.log(`\nwith the member renamed (${values['renamed-full'] ? 'full compile' : 'gcc -fsyntax-only'}; ${renamed.length - count(renamed, 'not-built')} configured, ${count(renamed, 'not-built')} not built): `
    + `"has no member named" errors at sites listed for a human ${buckets.manual.length} (${uniq(buckets.manual)} places), `
    + `in the headers' own helpers ${buckets.headers.length} (${uniq(buckets.headers)} places), in the cores ${buckets.core.length} (${uniq(buckets.core)} places), `
    + `anywhere else ${buckets.other.length} (${uniq(buckets.other)} places)`);
  // typed helpers: a helper given something else than the object
  const typed = renamed.filter((r) => r.status !== 'not-built')
    .flatMap((r) => r.diagnostics.filter((x) => x.severity === 'error' && /_Generic/.test(x.message)));
  if (!values['no-typed-helpers']) {
    console.log(`typed helpers: ${typed.length} error(s) where a helper gets something else than the object (${uniq(typed)} places)`);
    for (const d of typed.slice(0, 60)) {
      const w = d.expansionSite ?? d;
      console.log(`  ${w.file}:${w.line}: ${d.message} (${d.macroChain.map((x) => `${x.macro}@${x.file}:${x.line}`).join(' <- ')})`);
    }
  }
  const otherErrors = renamed.filter((r) => r.status !== 'not-built')
    .flatMap((r) => r.diagnostics.filter((x) => x.severity === 'error' && !/has no member named|_Generic/.test(x.message)));
  console.log(`other errors with the member renamed (follow-ons of those above): ${otherErrors.length}`);
  for (const d of buckets.other.slice(0, 60)) {
    const via = d.macroChain.map((x) => `${x.macro}@${x.file}:${x.line}`).join(' <- ');
    console.log(`  ${d.object}: ${d.file}:${d.line}:${d.column}: ${d.message}${via ? ` (${via})` : ''}`);
  }
  if (values.out) {
    writeFileSync(values.out, JSON.stringify({
      files: plan.changes.map((c) => c.file), manual: plan.manual, cFiles, baseline, renamedSyntaxOnly: !values['renamed-full'],
      before: before.map((r) => ({ file: r.file, status: r.status, membership: r.membership, errors: r.diagnostics.filter((d) => d.severity === 'error') })),
      after: after.map((r) => ({ file: r.file, status: r.status, membership: r.membership, errors: r.diagnostics.filter((d) => d.severity === 'error') })),
      introduced, newWarnings, buckets, typed, otherErrors,
      renamed: renamed.map((r) => ({ file: r.file, status: r.status, membership: r.membership })),
    }, null, 1) + '\n');
    log(`results in ${values.out}`);
  }
}

main().catch((e: Error) => {
  process.stderr.write(`verify-build: ${e.message.split('\n')[0]}\n`);
  process.exit(1);
});
