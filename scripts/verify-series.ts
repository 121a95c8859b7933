// Verify `unembed series` on a real kernel tree (the corpus): generate the series, `git am` it
// onto a fresh worktree at the base, run the kernel's own checkpatch.pl (default options, as
// maintainers do) and get_maintainer.pl (--no-git --no-git-fallback) on every patch and compare
// the recipients, and optionally (--build) compile the objects every commit touches, commit by
// commit, with src/kbuild/build.ts (prepared once at the base).
//
//   node dist/scripts/verify-series.js [--tree .cache/linux-6.12] [--subsystem i2c] [--only GLOB]…
//     [--exclude GLOB]… [--phase helpers|switch|all] [--base REF] [--out DIR] [--work DIR] [--build] [--jobs N]
//     [--json FILE]
//
// --work DIR: where the `git am` worktree (DIR/am) and its build folder (DIR/build) go; default
// .cache/am-<out's name> and the build folder kbuild's defaultOutDir() gives it.
//
// With --phase all the subsystem switch commits come last and are built like the others (a
// commit that changes a header under include/ rebuilds every .c file of the series).
//
// --build-mode each|stage-ends (default each): with stage-ends, the last commit of each stage
// (the header patch, the last core, the last driver, the last switch commit) compiles every .c
// file of the series, and the other commits compile only the files whose inputs differ from
// that commit's (src/series/buildcheck.ts says why the others need no compiling); the final
// state then proves every file of the series.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { generateSeries, type SeriesResult } from '../src/series/run.js';
import { defaultOutDir, projectRoot } from '../src/kbuild/build.js';
import {
  buildCounts, buildEachCommit, commitBuildLine, commitBuilds, type BuildMode, type CommitBuild,
} from '../src/series/buildcheck.js';
import { headerValue } from '../src/series/mail.js';

const execFileP = promisify(execFile);

interface Args {
  tree: string;
  subsystem: string;
  only: string[];
  exclude: string[];
  phase: 'helpers' | 'switch' | 'all';
  base: string;
  out: string;
  /** the am worktree and its build folder go here (default: .cache/am-<out>, defaultOutDir) */
  work?: string;
  build: boolean;
  jobs: number;
  buildMode: BuildMode;
  json?: string;
  /** build-check only the first N commits */
  buildCommits?: number;
}

function usage(msg: string): never {
  console.error(`verify-series: ${msg}`);
  process.exit(2);
}

function args(): Args {
  const { values } = parseArgs({
    options: {
      tree: { type: 'string', default: join(projectRoot(), '.cache', 'linux-6.12') },
      subsystem: { type: 'string', default: 'i2c' },
      only: { type: 'string', multiple: true, default: [] },
      exclude: { type: 'string', multiple: true, default: [] },
      phase: { type: 'string', default: 'helpers' },
      base: { type: 'string', default: 'HEAD' },
      out: { type: 'string' },
      work: { type: 'string' },
      build: { type: 'boolean', default: false },
      'build-commits': { type: 'string' },
      jobs: { type: 'string', default: '2' },
      'build-mode': { type: 'string', default: 'each' },
      json: { type: 'string' },
    },
  });
  const subsystem = values.subsystem!;
  const buildMode = values['build-mode']!;
  if (buildMode !== 'each' && buildMode !== 'stage-ends') usage(`--build-mode must be each or stage-ends, not '${buildMode}'`);
  const phase = values.phase as Args['phase'];
  const suffix = `${values.only!.length ? '-only' : ''}${phase !== 'helpers' ? `-${phase}` : ''}`;
  return {
    tree: resolve(values.tree!), subsystem, only: values.only!, exclude: values.exclude!, phase, base: values.base!,
    out: resolve(values.out ?? join(projectRoot(), '.cache', `series-${subsystem}${suffix}`)),
    work: values.work === undefined ? undefined : resolve(values.work),
    build: values.build!, jobs: Number(values.jobs), buildMode, json: values.json,
    buildCommits: values['build-commits'] === undefined ? undefined : Number(values['build-commits']),
  };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return env;
}

async function run(cmd: string, argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await execFileP(cmd, argv, { cwd, env: cleanEnv(), maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

async function pool<T, R>(items: readonly T[], n: number, f: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, n) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i], i);
    }
  }));
  return out;
}

interface CheckpatchResult {
  mail: string;
  errors: number;
  warnings: number;
  checks: number;
  messages: string[];
}

function parseCheckpatch(mail: string, text: string): CheckpatchResult {
  const t = /total: (\d+) errors?, (\d+) warnings?, (?:(\d+) checks?, )?\d+ lines checked/.exec(text);
  const messages = [...text.matchAll(/^(ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$/gm)].map((m) => `${m[1]}:${m[2]}: ${m[3]}`);
  return { mail, errors: Number(t?.[1] ?? -1), warnings: Number(t?.[2] ?? -1), checks: Number(t?.[3] ?? 0), messages };
}

function addresses(list: string): string[] {
  return [...list.matchAll(/([^\s<>,"]+@[^\s<>,"]+)/g)].map((m) => m[1].toLowerCase());
}

async function main(): Promise<void> {
  const a = args();
  const t0 = Date.now();
  const secs = (t: number): string => `${((Date.now() - t) / 1000).toFixed(1)} s`;
  if (!existsSync(join(a.tree, '.git'))) throw new Error(`${a.tree} is not a git tree (run scripts/corpus.sh)`);
  console.log(`# series: ${a.tree} --subsystem ${a.subsystem} --phase ${a.phase} --base ${a.base} `
    + `${a.only.map((g) => `--only '${g}'`).join(' ')}`);
  const r: SeriesResult = await generateSeries({
    tree: a.tree, subsystem: a.subsystem, only: a.only, exclude: a.exclude, outputDir: a.out, force: true, phase: a.phase,
    base: a.base,
    signoff: true, date: '2025-01-31T12:00:00Z', renderer: 'plain', onNote: (n) => console.log(`note: ${n}`),
  });
  const genTime = secs(t0);
  const s = r.summary;
  console.log(`generated ${s.patches} patches (+ cover) in ${genTime}: ${s.headerPatches} header, ${s.corePatches} core, `
    + `${s.driverPatches} drivers, ${s.switchPatches} switch; ${s.sitesRewritten} sites, ${s.sitesManual} left for a human; branch ${r.branch}`);

  // git am onto a fresh worktree at the base
  const am = a.work ? join(a.work, 'am') : join(projectRoot(), '.cache', `am-${basename(a.out)}`);
  if (a.work) mkdirSync(a.work, { recursive: true });
  if (existsSync(am)) {
    await run('git', ['worktree', 'remove', '--force', am], a.tree);
    rmSync(am, { recursive: true, force: true });
    await run('git', ['worktree', 'prune'], a.tree);
  }
  const t1 = Date.now();
  let w = await run('git', ['worktree', 'add', '--quiet', '--detach', am, r.baseSha], a.tree);
  if (w.code !== 0) throw new Error(`worktree add: ${w.stderr}`);
  console.log(`am worktree at ${am} (${secs(t1)})`);
  const mails = readdirSync(a.out).filter((f) => f.endsWith('.patch') && !f.includes('cover-letter')).sort();
  const t2 = Date.now();
  const amRes = await run('git', ['-c', 'user.name=verify', '-c', 'user.email=verify@example.org', 'am', '--quiet',
    ...mails.map((m) => join(a.out, m))], am);
  const applied = Number((await run('git', ['rev-list', '--count', `${r.baseSha}..HEAD`], am)).stdout.trim());
  const sameTree = (await run('git', ['rev-parse', 'HEAD^{tree}'], am)).stdout.trim()
    === (await run('git', ['rev-parse', `${r.branch}^{tree}`], a.tree)).stdout.trim();
  console.log(`git am: exit ${amRes.code}, ${applied}/${mails.length} applied, same tree as the branch: ${sameTree} (${secs(t2)})`);
  if (amRes.code !== 0) {
    console.log(amRes.stderr.split('\n').slice(0, 10).join('\n'));
    await run('git', ['am', '--abort'], am);
  }

  // checkpatch, default options, from the tree
  const t3 = Date.now();
  const cps = await pool(mails, a.jobs, async (m) => {
    const c = await run('perl', ['scripts/checkpatch.pl', '--show-types', join(a.out, m)], am);
    return parseCheckpatch(m, c.stdout);
  });
  const cover = readdirSync(a.out).find((f) => f.includes('cover-letter'));
  const errors = cps.reduce((n, c) => n + c.errors, 0);
  const warnings = cps.reduce((n, c) => n + c.warnings, 0);
  const clean = cps.filter((c) => c.errors === 0 && c.warnings === 0).length;
  const reasons = new Map<string, number>();
  for (const c of cps) for (const m of c.messages) {
    const key = m.replace(/: .*/, '');
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  console.log(`checkpatch: ${clean}/${cps.length} patches clean; ${errors} errors, ${warnings} warnings, `
    + `${cps.reduce((n, c) => n + c.checks, 0)} checks (${secs(t3)})`);
  for (const [k, n] of [...reasons].sort((x, y) => y[1] - x[1])) {
    const example = cps.flatMap((c) => c.messages.filter((m) => m.startsWith(k)).map((m) => `${c.mail}: ${m}`))[0];
    console.log(`  ${n} x ${k}  e.g. ${example}`);
  }

  // recipients vs get_maintainer.pl
  const t4 = Date.now();
  // get_maintainer.pl matches K: keywords against every line before the diff, so it is run on
  // the patch without the To:/Cc: lines unembed added (else `Cc: linux-riscv@…` matches K: riscv);
  // the raw figure is reported too
  const noHeaders = join(a.out, '.no-recipients');
  mkdirSync(noHeaders, { recursive: true });
  const gm = await pool(mails, a.jobs, async (m) => {
    const buf = readFileSync(join(a.out, m));
    const split = buf.indexOf('\n\n');
    const head = buf.subarray(0, split).toString('utf8').replace(/^(To|Cc): .*(\n[ \t].*)*\n?/gm, '');
    const stripped = join(noHeaders, m);
    writeFileSync(stripped, Buffer.concat([Buffer.from(head.replace(/\n$/, ''), 'utf8'), buf.subarray(split)]));
    const gmArgs = ['scripts/get_maintainer.pl', '--no-git', '--no-git-fallback', '--no-rolestats'];
    const g = await run('perl', [...gmArgs, stripped], am);
    const raw = await run('perl', [...gmArgs, join(a.out, m)], am);
    const theirs = new Set(addresses(g.stdout));
    const theirsRaw = new Set(addresses(raw.stdout));
    const ours = new Set([...addresses(headerValue(buf, 'to') ?? ''), ...addresses(headerValue(buf, 'cc') ?? '')]);
    const missing = [...theirs].filter((x) => !ours.has(x));
    const extra = [...ours].filter((x) => !theirs.has(x));
    const sameRaw = theirsRaw.size === ours.size && [...ours].every((x) => theirsRaw.has(x));
    return { mail: m, same: missing.length === 0 && extra.length === 0, sameRaw, missing, extra, theirs: theirs.size };
  });
  rmSync(noHeaders, { recursive: true, force: true });
  const agree = gm.filter((g) => g.same).length;
  console.log(`recipients: ${agree}/${gm.length} patches identical to get_maintainer.pl on the patch without To/Cc; `
    + `${gm.filter((g) => g.sameRaw).length}/${gm.length} on the mail as written (${secs(t4)})`);
  for (const g of gm.filter((x) => !x.same).slice(0, 10)) {
    console.log(`  ${g.mail}: missing ${g.missing.join(' ') || '-'}; extra ${g.extra.join(' ') || '-'}`);
  }

  // per-commit build check
  let build: CommitBuild[] | undefined;
  if (a.build && amRes.code === 0) {
    const t5 = Date.now();
    build = await buildEachCommit({
      worktree: am, baseSha: r.baseSha, outDir: a.work ? join(a.work, 'build') : defaultOutDir(am), seriesFiles: r.patches.flatMap((p) => p.files),
      limit: a.buildCommits, jobs: a.jobs, mode: a.buildMode, kinds: r.patches.map((p) => p.kind), log: (l) => console.log(`  ${l}`),
      onCommit: (b, k, n) => console.log(commitBuildLine(b, k, n)),
    });
    const all = buildCounts(build);
    console.log(`build (${a.buildMode}): ${build.filter(commitBuilds).length}/${build.length} commits build; `
      + `${all.objects} object builds: ${all.ok} ok, ${all.failed} failed, ${all.notBuilt} not in this configuration; `
      + `${all.same} files with the same inputs as their stage's last commit (${all.sameOk} ok there) (${secs(t5)})`);
    // the am commits are the series' commits in the same order (other SHAs: git am commits anew)
    for (const kind of ['header', 'core', 'driver', 'switch']) {
      const bs = build.filter((_, k) => r.patches[k]?.kind === kind);
      if (!bs.length) continue;
      const c = buildCounts(bs);
      console.log(`  ${kind}: ${c.commits} commits, ${c.objects} object builds, ${c.ok} ok, ${c.failed} failed, ${c.notBuilt} not configured, `
        + `${c.same} same inputs as the stage's last commit`);
    }
  }

  const summary = {
    tree: a.tree, subsystem: a.subsystem, only: a.only, generateTime: genTime, summary: s, branch: r.branch, cover,
    am: { exit: amRes.code, applied, patches: mails.length, sameTree },
    checkpatch: { clean, patches: cps.length, errors, warnings, reasons: Object.fromEntries(reasons), perPatch: cps },
    recipients: { identical: agree, patches: gm.length, differences: gm.filter((g) => !g.same) },
    build: build?.map((b) => ({
      commit: b.commit, subject: b.subject, objects: b.results.length, ok: b.results.filter((x) => x.status === 'ok').length,
      failed: b.results.filter((x) => x.status === 'failed').map((x) => x.file),
      notConfigured: b.results.filter((x) => x.status === 'not-built').map((x) => x.file),
      files: b.files.length,
      same: b.same.length, sameAs: b.same[0]?.as, sameNotOk: b.same.filter((x) => x.status !== 'ok').map((x) => `${x.file}: ${x.status}`),
      errors: b.results.filter((x) => x.status === 'failed').map((x) => ({
        file: x.file, first: x.diagnostics.find((d) => d.severity === 'error')?.message ?? x.reason,
      })),
    })),
    buildMode: a.buildMode,
  };
  if (a.json) {
    mkdirSync(resolve(a.json, '..'), { recursive: true });
    writeFileSync(a.json, `${JSON.stringify(summary, null, 1)}\n`);
  }
  // the series branch is dropped (the corpus should not collect branches); the am worktree stays (.cache/series-am)
  w = await run('git', ['branch', '-D', r.branch], a.tree);
  console.log(`done in ${secs(t0)}`);
}

main().catch((e: unknown) => {
  console.error(`verify-series: ${(e as Error).message}`);
  process.exit(1);
});
