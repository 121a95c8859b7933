// Verify a subsystem switch (I2C by default) on the real tree, in one command:
//   node dist/scripts/verify-switch.js [--subsystem i2c|spi] [--corpus .cache/linux-6.12] [--scratch .cache/switch-scratch]
//        [--jobs 2] [--sample 40] [--states header,core,drivers,switch] [--reuse-phase1] [--baseline]
//        [--build-dir DIR] [--baseline-dir DIR]   (O= folders of the scratch tree and of the corpus;
//        default .cache/build-<name>) [--also FILE,FILE]   (.c files added to the sample of every state)
//
// 1. A scratch clone of the corpus (`git clone --shared`: the corpus itself is never written).
// 2. Phase one on it (`unembed rewrite --subsystem i2c --in-place --force`), committed in the
//    scratch clone as three states: the i2c.h helpers, the I2C core files, the drivers.
// 3. The switch (generateSwitch), committed one patch at a time.
// 4. An x86_64 allmodconfig build (O= outside the tree) of every state asked for: every .c of
//    drivers/i2c after the switch, plus a sample of the other files phase one touched; the
//    sample alone for the intermediate states. With --baseline, the same files of the corpus
//    too, to tell new warnings from old ones.
// Prints a summary and writes <scratch>-verify.json. Exit 1 when an object of drivers/i2c
// (drivers/spi) fails after the switch for a reason other than a site left for a human.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { compileObjects, defaultOutDir, prepareBuild, projectRoot, type ObjectResult } from '../src/kbuild/build.js';
import { generateSwitch, formatPatch } from '../src/switch/index.js';
import type { TransformDefinition } from '../src/transform.js';
import { transformsFor } from '../transforms/index.js';

interface Args {
  subsystem: string; corpus: string; scratch: string; jobs: number; sample: number; states: string[]; reusePhase1: boolean;
  baseline: boolean; buildDir?: string; baselineDir?: string; also: string[];
}

function parseArgs(argv: string[]): Args {
  const root = projectRoot();
  const a: Args = {
    subsystem: 'i2c', corpus: join(root, '.cache', 'linux-6.12'), scratch: '', jobs: 2, sample: 40,
    states: ['header', 'core', 'drivers', 'switch'], reusePhase1: false, baseline: false, also: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = (): string => argv[++i];
    if (k === '--subsystem') a.subsystem = v();
    else if (k === '--corpus') a.corpus = resolve(v());
    else if (k === '--scratch') a.scratch = resolve(v());
    else if (k === '--jobs') a.jobs = Number(v());
    else if (k === '--sample') a.sample = Number(v());
    else if (k === '--states') a.states = v().split(',');
    else if (k === '--reuse-phase1') a.reusePhase1 = true;
    else if (k === '--baseline') a.baseline = true;
    else if (k === '--build-dir') a.buildDir = resolve(v());
    else if (k === '--baseline-dir') a.baselineDir = resolve(v());
    // files the sample may miss but that must build (nouveau's aux.c and bus.c embed an adapter)
    else if (k === '--also') a.also = [...a.also, ...v().split(',').filter(Boolean)];
    else throw new Error(`unknown option ${k}`);
  }
  if (!a.scratch) a.scratch = join(root, '.cache', a.subsystem === 'i2c' ? 'switch-scratch' : `switch-scratch-${a.subsystem}`);
  return a;
}

const log = (s: string): void => { process.stderr.write(`verify-switch: ${s}\n`); };

function git(tree: string, ...args: string[]): string {
  return execFileSync('git', ['-C', tree, ...args], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
}

function listC(tree: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(join(tree, d), { withFileTypes: true })) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.c')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every n-th element, so that the sample spreads over the whole list. */
function spread<T>(list: T[], n: number): T[] {
  if (list.length <= n) return list;
  const step = list.length / n;
  return Array.from({ length: n }, (_, i) => list[Math.floor(i * step)]);
}

interface ManualSite { file: string; line: number; text: string }

/** The subsystem's core files (the transform's coreFiles globs), as a test. */
function coreTest(t: TransformDefinition): (f: string) => boolean {
  const res = t.coreFiles.map((g) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
  return (f) => res.some((r) => r.test(f));
}

function phaseOne(a: Args, t: TransformDefinition): ManualSite[] {
  const s = a.scratch;
  if (!existsSync(s)) {
    log(`cloning ${a.corpus} to ${s} (shared objects, the corpus is not written)`);
    execFileSync('git', ['clone', '-q', '--shared', a.corpus, s]);
    git(s, 'config', 'user.email', 'verify-switch@localhost');
    git(s, 'config', 'user.name', 'verify-switch');
  }
  const base = git(a.corpus, 'rev-parse', 'HEAD').trim();
  if (a.reusePhase1) {
    git(s, 'reset', '-q', '--hard', 'phase1');
    git(s, 'clean', '-fdq');
    return JSON.parse(git(s, 'show', 'phase1:.unembed-manual.json')) as ManualSite[];
  }
  git(s, 'fetch', '-q', a.corpus, base);
  git(s, 'reset', '-q', '--hard', base);
  git(s, 'clean', '-fdq');
  log(`phase one: unembed rewrite --subsystem ${a.subsystem} --in-place --force (about 2 minutes)`);
  const r = spawnSync('node', [join(projectRoot(), 'bin', 'unembed.js'), 'rewrite', '--tree', s, '--subsystem', a.subsystem,
    '--in-place', '--force'], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`phase one failed: ${r.stderr.trim().split('\n').pop()}`);
  log(r.stderr.trim().split('\n').pop()!);
  const manual: ManualSite[] = [];
  for (const l of r.stderr.split('\n')) {
    const m = /^([^:\s]+\.[ch]):(\d+):\d+: (.*needs a human.*)$/.exec(l);
    if (m) manual.push({ file: m[1], line: Number(m[2]), text: m[3] });
  }
  writeFileSync(join(s, '.unembed-manual.json'), JSON.stringify(manual, null, 1));
  // three commits: the header, the core files, the rest
  const changed = git(s, 'diff', '--name-only').trim().split('\n').filter(Boolean);
  const isCore = coreTest(t);
  git(s, 'stash', '-q');
  const step = (files: string[], msg: string): void => {
    if (files.length) git(s, 'checkout', '-q', 'stash@{0}', '--', ...files);
    git(s, 'commit', '-q', '--allow-empty', '-m', msg);
  };
  step([t.header], `phase one: ${t.header} helpers`);
  step(changed.filter((f) => isCore(f) && f !== t.header), 'phase one: core files');
  step(changed.filter((f) => !isCore(f)), 'phase one: drivers');
  git(s, 'stash', 'drop', '-q');
  git(s, 'add', '.unembed-manual.json');
  git(s, 'commit', '-q', '-m', 'phase one: sites left for a human');
  git(s, 'tag', '-f', 'phase1');
  return manual;
}

function applySwitch(a: Args, t: TransformDefinition): void {
  const patches = generateSwitch(a.scratch, t);
  patches.forEach((p, i) => {
    for (const c of p.changes) writeFileSync(join(a.scratch, c.file), c.after, 'latin1');
    git(a.scratch, 'commit', '-q', '-a', '-m', `${p.subject}\n\n${p.body}`);
    // next to the scratch tree and named after it: two scratch trees do not overwrite each other's
    writeFileSync(`${a.scratch}-${String(i + 1).padStart(4, '0')}.patch`,
      formatPatch(p, i + 1, patches.length));
  });
  git(a.scratch, 'tag', '-f', 'switch');
  log(`switch: ${patches.length} patches applied and committed (tag 'switch'), mbox files ${a.scratch}-NNNN.patch`);
}

interface StateReport {
  state: string; commit: string; objects: number; ok: number; failed: number; notBuilt: number;
  errors: number; warnings: number; newWarnings?: number;
  failures: { file: string; errors: number; first: string; manual: boolean }[];
}

function diagKey(d: { file: string; message: string }): string {
  return `${d.file}\0${d.message}`;
}

async function buildState(a: Args, state: string, ref: string, files: string[], manual: ManualSite[],
  baseline?: Map<string, Set<string>>): Promise<{ report: StateReport; results: ObjectResult[] }> {
  git(a.scratch, 'checkout', '-q', ref);
  const outDir = a.buildDir ?? defaultOutDir(a.scratch);
  log(`${state}: prepare ${outDir}`);
  await prepareBuild({ tree: a.scratch, outDir, jobs: a.jobs, log: (s) => log(`${state}: ${s}`) });
  log(`${state}: compiling ${files.length} objects`);
  const results = await compileObjects({ tree: a.scratch, outDir, files, jobs: a.jobs });
  return { report: summarize(state, git(a.scratch, 'rev-parse', '--short', 'HEAD').trim(), results, manual, baseline), results };
}

function summarize(state: string, commit: string, results: ObjectResult[], manual: ManualSite[],
  baseline?: Map<string, Set<string>>): StateReport {
  const manualFiles = new Set(manual.map((m) => m.file));
  // objects outside this configuration (other architectures' drivers) are compiled on request
  // but do not count: their diagnostics are not ours
  const diags = results.filter((r) => r.status !== 'not-built').flatMap((r) => r.diagnostics);
  const warnings = diags.filter((d) => d.severity === 'warning');
  const rep: StateReport = {
    state, commit, objects: results.length,
    ok: results.filter((r) => r.status === 'ok').length,
    failed: results.filter((r) => r.status === 'failed').length,
    notBuilt: results.filter((r) => r.status === 'not-built').length,
    errors: diags.filter((d) => d.severity === 'error').length,
    warnings: warnings.length,
    failures: results.filter((r) => r.status === 'failed').map((r) => {
      const errs = r.diagnostics.filter((d) => d.severity === 'error');
      const first = errs[0] ? `${errs[0].file}:${errs[0].line}: ${errs[0].message}` : (r.reason ?? 'failed');
      return { file: r.file, errors: errs.length, first, manual: manualFiles.has(r.file) };
    }),
  };
  if (baseline) {
    rep.newWarnings = results.filter((r) => r.status !== 'not-built').reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === 'warning'
      && !baseline.get(r.file)?.has(diagKey(d))).length, 0);
  }
  return rep;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const t = transformsFor(a.subsystem)[0];
  const manual = phaseOne(a, t);
  applySwitch(a, t);
  const dir = `drivers/${a.subsystem}`;
  const touched = git(a.scratch, 'diff', '--name-only', 'phase1~4', 'switch').trim().split('\n')
    .filter((f) => f.endsWith('.c'));
  const i2cFiles = listC(a.scratch, dir);
  const others = touched.filter((f) => !f.startsWith(`${dir}/`));
  const manualOthers = [...new Set(manual.map((m) => m.file))].filter((f) => f.endsWith('.c') && !f.startsWith(`${dir}/`));
  const missing = a.also.filter((f) => !f.endsWith('.c') || !existsSync(join(a.scratch, f)));
  if (missing.length) throw new Error(`--also: no such .c file in the tree: ${missing.join(', ')}`);
  const sample = [...new Set([...spread(others, a.sample), ...manualOthers, ...a.also])];
  const isCore = coreTest(t);
  const coreFiles = i2cFiles.filter(isCore);
  const small = [...new Set([...coreFiles, ...spread(i2cFiles.filter((f) => !coreFiles.includes(f)), 20), ...sample])];
  let baseline: Map<string, Set<string>> | undefined;
  if (a.baseline) {
    const outDir = a.baselineDir ?? defaultOutDir(a.corpus);
    await prepareBuild({ tree: a.corpus, outDir, jobs: a.jobs, log: (s) => log(`baseline: ${s}`) });
    const files = [...new Set([...i2cFiles, ...sample])].filter((f) => existsSync(join(a.corpus, f)));
    log(`baseline: compiling ${files.length} objects of the corpus`);
    const res = await compileObjects({ tree: a.corpus, outDir, files, jobs: a.jobs });
    baseline = new Map(res.map((r) => [r.file, new Set(r.diagnostics.filter((d) => d.severity === 'warning').map(diagKey))]));
  }
  const refs: Record<string, string> = { header: 'phase1~3', core: 'phase1~2', drivers: 'phase1~1', switch: 'switch' };
  const reports: StateReport[] = [];
  const objects: Record<string, { file: string; status: string; membership: string; errors: string[]; warnings: string[] }[]> = {};
  for (const st of a.states) {
    const files = st === 'switch' ? [...new Set([...i2cFiles, ...sample])] : small;
    const { report, results } = await buildState(a, st, refs[st], files, manual, baseline);
    reports.push(report);
    objects[st] = results.map((r) => ({
      file: r.file, status: r.status, membership: r.membership,
      errors: r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`),
      warnings: r.diagnostics.filter((d) => d.severity === 'warning').map((d) => `${d.file}:${d.line}: ${d.message}`),
    }));
    log(`${st}: ${report.objects} objects, ${report.ok} ok, ${report.failed} failed, ${report.notBuilt} not built; `
      + `${report.errors} errors, ${report.warnings} warnings${report.newWarnings !== undefined ? ` (${report.newWarnings} new)` : ''}`);
    for (const f of report.failures) log(`  FAIL ${f.file}${f.manual ? ' [site left for a human]' : ''}: ${f.first}`);
  }
  git(a.scratch, 'checkout', '-q', 'switch');
  const out = `${a.scratch}-verify.json`;
  writeFileSync(out, JSON.stringify({ manual, sample, reports, objects }, null, 1));
  log(`report: ${relative(process.cwd(), out)}`);
  const sw = reports.find((r) => r.state === 'switch');
  const bad = sw?.failures.filter((f) => f.file.startsWith(`${dir}/`) && !f.manual) ?? [];
  process.exit(bad.length ? 1 : 0);
}

main().catch((e: Error) => { log(`error: ${e.message}`); process.exit(2); });
