// The per-commit build check of a series (bisectability): check out each commit of a worktree
// in turn and compile, as single objects of an x86_64 allmodconfig build (src/kbuild/build.ts,
// prepared once at the base), the .c files the commit touched. A commit that changes a header
// under include/ rebuilds every .c file of the series; a private header rebuilds the series'
// .c files of its folder. Objects outside the configuration are reported as 'not-built' (kbuild
// says so), never as failures. Used by scripts/verify-series.ts and test/series-build.test.ts.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compileObjects, prepareBuild, type ObjectResult } from '../kbuild/build.js';

const execFileP = promisify(execFile);

export interface CommitBuild {
  commit: string;
  subject: string;
  /** the .c files compiled for this commit */
  files: string[];
  results: ObjectResult[];
}

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

/** Build each commit of baseSha..HEAD of the worktree; HEAD is checked out again at the end. */
export async function buildEachCommit(o: BuildCheckOptions): Promise<CommitBuild[]> {
  const all = (await git(o.worktree, 'rev-list', '--reverse', `${o.baseSha}..HEAD`)).split('\n').filter(Boolean);
  const head = await git(o.worktree, 'rev-parse', 'HEAD');
  const commits = all.slice(0, o.limit ?? all.length);
  const out: CommitBuild[] = [];
  try {
    await git(o.worktree, 'checkout', '--quiet', '--detach', o.baseSha);
    await prepareBuild({ tree: o.worktree, outDir: o.outDir, jobs: o.jobs, log: o.log });
    for (const [k, c] of commits.entries()) {
      await git(o.worktree, 'checkout', '--quiet', '--detach', c);
      const changed = (await git(o.worktree, 'diff', '--name-only', `${c}~1`, c)).split('\n').filter(Boolean);
      const files = filesToBuild(changed, o.seriesFiles);
      const subject = await git(o.worktree, 'log', '-1', '--format=%s', c);
      const results = files.length ? await compileObjects({ tree: o.worktree, outDir: o.outDir, files, jobs: o.jobs }) : [];
      const b = { commit: c, subject, files, results };
      out.push(b);
      o.onCommit?.(b, k, commits.length);
    }
  } finally {
    await git(o.worktree, 'checkout', '--quiet', '--detach', head);
  }
  return out;
}

/** ok / failed / not-built counts of some builds. */
export function buildCounts(bs: readonly CommitBuild[]): { commits: number; objects: number; ok: number; failed: number; notBuilt: number } {
  const objs = bs.flatMap((b) => b.results);
  return {
    commits: bs.length,
    objects: objs.length,
    ok: objs.filter((x) => x.status === 'ok').length,
    failed: objs.filter((x) => x.status === 'failed').length,
    notBuilt: objs.filter((x) => x.status === 'not-built').length,
  };
}

/** One line for a commit's build: counts, and the first error of each failed object. */
export function commitBuildLine(b: CommitBuild, k: number, n: number): string {
  const c = buildCounts([b]);
  const failed = b.results.filter((x) => x.status === 'failed');
  return `build [${k + 1}/${n}] ${b.subject}: ${c.ok} ok, ${c.failed} failed, ${c.notBuilt} not built`
    + (failed.length ? ` -- ${failed.map((x) => `${x.file}: ${x.diagnostics.find((d) => d.severity === 'error')?.message ?? x.reason}`).join('; ')}` : '');
}
