// The per-commit build check of a series (bisectability): check out each commit of a worktree
// in turn and compile, as single objects of an x86_64 allmodconfig build (src/kbuild/build.ts,
// prepared once at the base), the .c files the commit touched. A commit that changes a header
// under include/ rebuilds every .c file of the series; a private header rebuilds the series'
// .c files of its folder. Objects outside the configuration are reported as 'not-built' (kbuild
// says so), never as failures. Used by scripts/verify-series.ts and test/series-build.test.ts.
//
// Mode 'stage-ends' (for long series, where a header commit rebuilds hundreds of objects): the
// commits are grouped in stages (consecutive commits of one patch kind: header, core, driver,
// switch). The last commit of each stage compiles every .c file of the series, first; each other
// commit then compiles only the files it is to prove whose inputs differ from that last commit:
// an object that compiled at the stage's end is not compiled again at an earlier commit when no
// file it was compiled from (kbuild's dependency list, .<obj>.cmd) differs between the two
// commits, since gcc then sees the same input. Such files are reported as `same`, with the
// commit whose result they share. A change to a Makefile, Kbuild or Kconfig file in between
// compiles them all.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  compileObjects, findObjectGoals, prepareBuild, readObjectDeps, relocatingDirs, type ObjectResult, type ObjectStatus,
} from '../kbuild/build.js';

const execFileP = promisify(execFile);

export interface CommitBuild {
  commit: string;
  subject: string;
  /** the .c files this commit is to prove (compiled here, or in `same`) */
  files: string[];
  /** the objects compiled at this commit */
  results: ObjectResult[];
  /** files not compiled here: their inputs are those of a later commit of the stage ('stage-ends') */
  same: SameInputs[];
}

/** A file whose compilation at a commit has the same inputs as at commit `as`. */
export interface SameInputs {
  file: string;
  as: string;
  status: ObjectStatus;
}

export type BuildMode = 'each' | 'stage-ends';

export interface BuildCheckOptions {
  /** a worktree of the kernel tree with the series applied on top of `baseSha` */
  worktree: string;
  baseSha: string;
  /** the kbuild output folder (prepared at the base when needed) */
  outDir: string;
  /** every file of the series (a shared header rebuilds the .c files among them) */
  seriesFiles: readonly string[];
  /** only the first N commits */
  limit?: number;
  /** 'each' (default): every commit compiles its files; 'stage-ends': see the top of this file */
  mode?: BuildMode;
  /** the patch kind of each commit, in order (the stages of 'stage-ends'); default: one stage */
  kinds?: readonly string[];
  /** goals of objects built through another folder's Makefile; default: findObjectGoals() */
  goals?: ReadonlyMap<string, string>;
  jobs?: number;
  log?: (line: string) => void;
  onCommit?: (b: CommitBuild, index: number, total: number) => void;
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  const r = await execFileP('git', args, { cwd, env, maxBuffer: 256 * 1024 * 1024 });
  return r.stdout.trim();
}

/** The .c files to compile for a commit that changed `changed`. */
export function filesToBuild(changed: readonly string[], seriesFiles: readonly string[]): string[] {
  const seriesC = [...new Set(seriesFiles.filter((f) => f.endsWith('.c')))].sort();
  if (changed.some((f) => f.startsWith('include/'))) return seriesC; // a shared header: every file of the series
  const files = changed.filter((f) => f.endsWith('.c'));
  // a private header: the series' .c files of its folder
  for (const h of changed.filter((f) => f.endsWith('.h'))) {
    const dir = h.slice(0, h.lastIndexOf('/') + 1);
    files.push(...seriesC.filter((f) => f.startsWith(dir) && !f.slice(dir.length).includes('/')));
  }
  return [...new Set(files)];
}

/** What an object compiled at a stage's end tells about the same file at an earlier commit. */
export interface EndResult {
  status: ObjectStatus;
  /** the tree files it was compiled from; null when unknown (it failed, or kbuild kept no list) */
  deps: readonly string[] | null;
}

/**
 * Splits the files a commit is to prove into those to compile at it and those whose inputs are
 * the same as at the stage's end (`changed`: the files that differ between the two commits).
 */
export function splitBySameInputs(wanted: readonly string[], end: ReadonlyMap<string, EndResult>,
  changed: ReadonlySet<string>): { build: string[]; same: string[] } {
  // kbuild rules or the configuration differ: nothing can be taken from the end
  if ([...changed].some((f) => /(^|\/)(Makefile|Kbuild|Kconfig[^/]*)$/.test(f))) return { build: [...wanted], same: [] };
  const build: string[] = [];
  const same: string[] = [];
  for (const f of wanted) {
    const e = end.get(f);
    // outside the configuration at the end, and the rules are the same
    if (e?.status === 'not-built') same.push(f);
    else if (e?.status === 'ok' && e.deps && !changed.has(f) && !e.deps.some((d) => changed.has(d))) same.push(f);
    else build.push(f);
  }
  return { build, same };
}

/** Consecutive runs of equal kinds: [first, last] index pairs. */
export function stagesOf(kinds: readonly string[], n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const last = out[out.length - 1];
    if (last && kinds[k] === kinds[last[1]]) last[1] = k;
    else out.push([k, k]);
  }
  return out;
}

/** Build each commit of baseSha..HEAD of the worktree; HEAD is checked out again at the end. */
export async function buildEachCommit(o: BuildCheckOptions): Promise<CommitBuild[]> {
  const all = (await git(o.worktree, 'rev-list', '--reverse', `${o.baseSha}..HEAD`)).split('\n').filter(Boolean);
  const head = await git(o.worktree, 'rev-parse', 'HEAD');
  const commits = all.slice(0, o.limit ?? all.length);
  const seriesC = [...new Set(o.seriesFiles.filter((f) => f.endsWith('.c')))].sort();
  const out: CommitBuild[] = new Array(commits.length);
  const compile = async (files: string[], goals: ReadonlyMap<string, string>): Promise<ObjectResult[]> =>
    files.length ? compileObjects({ tree: o.worktree, outDir: o.outDir, files, jobs: o.jobs, goals, log: o.log }) : [];
  const changedIn = async (from: string, to: string): Promise<string[]> =>
    (await git(o.worktree, 'diff', '--name-only', from, to)).split('\n').filter(Boolean);
  try {
    await git(o.worktree, 'checkout', '--quiet', '--detach', o.baseSha);
    await prepareBuild({ tree: o.worktree, outDir: o.outDir, jobs: o.jobs, log: o.log });
    // without its goal, `make dir/file.o` compiles a relocated source without its Makefile's -I flags
    const goals = o.goals ?? await findObjectGoals({ tree: o.worktree, outDir: o.outDir, dirs: relocatingDirs(o.worktree), log: o.log });
    const stages = o.mode === 'stage-ends' ? stagesOf(o.kinds ?? [], commits.length) : commits.map((_, k): [number, number] => [k, k]);
    let reported = 0;
    for (const [first, last] of stages) {
      const end = commits[last];
      await git(o.worktree, 'checkout', '--quiet', '--detach', end);
      const endFiles = o.mode === 'stage-ends' ? seriesC : filesToBuild(await changedIn(`${end}~1`, end), o.seriesFiles);
      const endResults = await compile(endFiles, goals);
      out[last] = { commit: end, subject: await git(o.worktree, 'log', '-1', '--format=%s', end), files: endFiles, results: endResults, same: [] };
      // read the dependency lists now: a later compile of the same object rewrites them
      const endInfo = new Map<string, EndResult>(endResults.map((r) => [r.file, {
        status: r.status,
        deps: r.status === 'ok' && r.compiled === 'ok' && !r.reason ? readObjectDeps(o.worktree, o.outDir, r.object) : null,
      }]));
      for (let k = first; k < last; k++) {
        const c = commits[k];
        await git(o.worktree, 'checkout', '--quiet', '--detach', c);
        const files = filesToBuild(await changedIn(`${c}~1`, c), o.seriesFiles);
        const split = splitBySameInputs(files, endInfo, new Set(await changedIn(c, end)));
        const results = await compile(split.build, goals);
        out[k] = {
          commit: c, subject: await git(o.worktree, 'log', '-1', '--format=%s', c), files, results,
          same: split.same.map((file) => ({ file, as: end, status: endInfo.get(file)!.status })),
        };
      }
      for (; reported <= last; reported++) o.onCommit?.(out[reported], reported, commits.length);
    }
  } finally {
    await git(o.worktree, 'checkout', '--quiet', '--detach', head);
  }
  return out;
}

/** Whether a commit builds: no object failed, compiled here or sharing a failed result. */
export function commitBuilds(b: CommitBuild): boolean {
  return b.results.every((x) => x.status !== 'failed') && b.same.every((x) => x.status !== 'failed');
}

/** ok / failed / not-built counts of some builds. */
export function buildCounts(bs: readonly CommitBuild[]): {
  commits: number; objects: number; ok: number; failed: number; notBuilt: number; same: number; sameOk: number;
} {
  const objs = bs.flatMap((b) => b.results);
  const same = bs.flatMap((b) => b.same);
  return {
    commits: bs.length,
    objects: objs.length,
    ok: objs.filter((x) => x.status === 'ok').length,
    failed: objs.filter((x) => x.status === 'failed').length,
    notBuilt: objs.filter((x) => x.status === 'not-built').length,
    same: same.length,
    sameOk: same.filter((x) => x.status === 'ok').length,
  };
}

/** One line for a commit's build: counts, and the first error of each failed object. */
export function commitBuildLine(b: CommitBuild, k: number, n: number): string {
  const c = buildCounts([b]);
  const failed = b.results.filter((x) => x.status === 'failed');
  return `build [${k + 1}/${n}] ${b.subject}: ${c.ok} ok, ${c.failed} failed, ${c.notBuilt} not built`
    + (c.same ? `, ${c.same} same inputs as ${b.same[0]!.as.slice(0, 12)} (${c.sameOk} ok there)` : '')
    + (failed.length ? ` -- ${failed.map((x) => `${x.file}: ${x.diagnostics.find((d) => d.severity === 'error')?.message ?? x.reason}`).join('; ')}` : '');
}
