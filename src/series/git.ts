// Git for `unembed series`: checks on the user's repository, the worktree on a new branch,
// commits with fixed dates, format-patch. simple-git strips ambient GIT_* variables and refuses
// explicit ones unless allowed, so the dates and identity are passed through allowEnvironment.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UsageError } from '../util/errors.js';

export function git(dir: string, env?: Record<string, string>): SimpleGit {
  const g = simpleGit({ baseDir: dir, allowEnvironment: env ? Object.keys(env) : [], maxConcurrentProcesses: 1 });
  const r = env ? g.env({ ...cleanEnv(), ...env }) : g;
  gitDirs.set(r, dir);
  return r;
}

export interface Identity {
  name: string;
  email: string;
}

export interface RepoInfo {
  /** the repository's top level (the tree, resolved) */
  top: string;
  baseSha: string;
  shallow: boolean;
  /** the current branch, undefined when HEAD is detached */
  branch?: string;
  identity: Identity;
  /** tracked files with uncommitted changes */
  dirty: string[];
  /** commits reachable from the base, counted up to 2 (1: a tarball import, no history) */
  commits: number;
}

function cleanEnv(): NodeJS.ProcessEnv {
  // like simple-git: no inherited GIT_DIR, GIT_WORK_TREE, … from a hook or an alias
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  // simple-git refuses to pass editors, pagers and askpass programs on (and git needs none here)
  for (const k of ['EDITOR', 'VISUAL', 'PAGER', 'SSH_ASKPASS', 'SSH_AUTH_SOCK', 'LESS', 'LV']) delete env[k];
  return env;
}

/**
 * A git query: its trimmed stdout when git exits 0, else undefined. simple-git resolves a
 * failing command that prints nothing on stderr (`rev-parse --quiet`, `config --get`), so the
 * exit code is checked here.
 */
function tryRaw(g: SimpleGit | string, args: string[]): Promise<string | undefined> {
  const cwd = typeof g === 'string' ? g : gitDirs.get(g);
  return new Promise((res) => {
    execFile('git', args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      res(err ? undefined : stdout.trim());
    });
  });
}

const gitDirs = new WeakMap<SimpleGit, string>();

/** Check the tree is the top of a git repository with the base and an identity. */
export async function inspectRepo(tree: string, base: string): Promise<RepoInfo> {
  if (!existsSync(tree)) throw new UsageError(`tree '${tree}' does not exist`);
  const g = git(tree);
  const top = await tryRaw(g, ['rev-parse', '--show-toplevel']);
  if (!top) throw new UsageError(`'${tree}' is not a git repository (series needs one: it commits on a new branch)`);
  if (realpathSync(top) !== realpathSync(tree)) {
    throw new UsageError(`'${tree}' is not the top of its git repository ('${top}'): pass the kernel tree's top folder`);
  }
  if (await tryRaw(g, ['rev-parse', '--verify', '--quiet', 'HEAD']) === undefined) {
    throw new UsageError(`'${tree}' has no commits yet`);
  }
  const baseSha = await tryRaw(g, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${base}^{commit}`]);
  if (!baseSha) throw new UsageError(`base '${base}' does not exist in '${tree}'`);
  const shallow = (await tryRaw(g, ['rev-parse', '--is-shallow-repository'])) === 'true';
  const branch = (await tryRaw(g, ['symbolic-ref', '--quiet', '--short', 'HEAD'])) || undefined;
  const name = await tryRaw(g, ['config', '--get', 'user.name']);
  const email = await tryRaw(g, ['config', '--get', 'user.email']);
  if (!name || !email) {
    throw new UsageError(`no git identity in '${tree}': set it with git config user.name "Your Name" and `
      + 'git config user.email you@example.org (needed for the commits and Signed-off-by)');
  }
  const status = (await tryRaw(g, ['status', '--porcelain', '-z', '--untracked-files=no'])) ?? '';
  const dirty = status.split('\0').filter(Boolean).map((l) => l.slice(3));
  const commits = Number(await tryRaw(g, ['rev-list', '--count', '--max-count=2', baseSha]) ?? '0');
  return { top: realpathSync(top), baseSha, shallow, branch, identity: { name, email }, dirty, commits };
}

/** A branch name not taken yet: `name`, `name-2`, … */
export async function freeBranch(tree: string, name: string): Promise<string> {
  const g = git(tree);
  const check = await tryRaw(g, ['check-ref-format', '--branch', name]);
  if (check === undefined) throw new UsageError(`'${name}' is not a valid branch name`);
  for (let k = 1; ; k++) {
    const candidate = k === 1 ? name : `${name}-${k}`;
    if (await tryRaw(g, ['rev-parse', '--verify', '--quiet', `refs/heads/${candidate}`]) === undefined) return candidate;
  }
}

export interface Worktree {
  path: string;
  branch: string;
  /** remove the worktree (and the branch when `dropBranch`); safe to call twice */
  remove(dropBranch: boolean): Promise<void>;
  /** the same, synchronously (for signal handlers) */
  removeSync(dropBranch: boolean): void;
}

/** `git worktree add -b branch <tmp> base`: the user's checkout, index and branch are untouched. */
export async function addWorktree(tree: string, branch: string, baseSha: string): Promise<Worktree> {
  const path = mkdtempSync(join(tmpdir(), 'unembed-series-'));
  const g = git(tree);
  try {
    await g.raw(['worktree', 'add', '--quiet', '-b', branch, path, baseSha]);
  } catch (e) {
    rmSync(path, { recursive: true, force: true });
    throw new Error(`git worktree add failed: ${(e as Error).message.split('\n')[0]}`);
  }
  let removed = false;
  let branchDropped = false;
  // A kernel worktree is 80,000 files: deleting them takes minutes on a busy disk. The folder
  // is renamed away at once (the worktree is then gone for git: prune drops it) and deleted
  // by a detached `rm -rf`, so Ctrl-C and the end of a run do not wait for the disk.
  const discard = (): void => {
    const trash = `${path}.trash`;
    try {
      renameSync(path, trash);
    } catch {
      return;
    }
    try {
      spawn('rm', ['-rf', '--', trash], { detached: true, stdio: 'ignore' }).unref();
    } catch {
      rmSync(trash, { recursive: true, force: true });
    }
  };
  const wt: Worktree = {
    path,
    branch,
    async remove(dropBranch: boolean) {
      if (!removed) {
        removed = true;
        discard();
        await tryRaw(g, ['worktree', 'prune']);
      }
      if (dropBranch && !branchDropped) {
        branchDropped = true;
        await tryRaw(g, ['branch', '-D', branch]);
      }
    },
    removeSync(dropBranch: boolean) {
      // a signal handler cannot wait for promises: plain child processes
      if (!removed) {
        removed = true;
        discard();
        spawnSyncGit(tree, ['worktree', 'prune']);
      }
      if (dropBranch && !branchDropped) {
        branchDropped = true;
        spawnSyncGit(tree, ['branch', '-D', branch]);
      }
    },
  };
  return wt;
}

function spawnSyncGit(cwd: string, args: string[]): void {
  spawnSync('git', args, { cwd, env: cleanEnv(), stdio: 'ignore' });
}

/** `<epoch> +0000` for GIT_*_DATE from an ISO date (UsageError when it is not one). */
export function gitDate(iso: string | undefined, now = new Date()): { raw: string; date: Date } {
  const d = iso === undefined ? new Date(Math.floor(now.getTime() / 1000) * 1000) : new Date(iso);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--date '${iso}' is not an ISO 8601 date (e.g. 2025-01-31T12:00:00Z)`);
  return { raw: `${Math.floor(d.getTime() / 1000)} +0000`, date: d };
}

/**
 * Write the files, stage them and commit with a fixed identity and date. Plumbing (write-tree,
 * commit-tree, update-ref) rather than `git commit`, which refreshes the whole index on every
 * commit: seconds per patch in a kernel tree. No hooks run, as with `git am`.
 */
export async function commitFiles(worktree: string, files: { file: string; after: string }[], message: string,
  identity: Identity, date: string): Promise<string> {
  for (const f of files) writeFileSync(join(worktree, f.file), f.after, 'latin1');
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: identity.name, GIT_AUTHOR_EMAIL: identity.email, GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_NAME: identity.name, GIT_COMMITTER_EMAIL: identity.email, GIT_COMMITTER_DATE: date,
  };
  const g = git(worktree, env);
  await g.raw(['add', '--', ...files.map((f) => f.file)]);
  const tree = (await g.raw(['write-tree'])).trim();
  const parent = (await g.raw(['rev-parse', 'HEAD'])).trim();
  const msgDir = mkdtempSync(join(tmpdir(), 'unembed-msg-'));
  let sha: string;
  try {
    const msgFile = join(msgDir, 'COMMIT_MSG');
    writeFileSync(msgFile, `${message.replace(/[ \t]+$/gm, '').replace(/\n*$/, '')}\n`, 'utf8');
    sha = (await g.raw(['commit-tree', '--no-gpg-sign', tree, '-p', parent, '-F', msgFile])).trim();
  } finally {
    rmSync(msgDir, { recursive: true, force: true });
  }
  if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`git commit-tree failed: ${sha}`);
  await g.raw(['update-ref', '-m', `unembed series: ${message.split('\n')[0]}`, 'HEAD', sha, parent]);
  return sha;
}

export interface FormatPatchOptions {
  worktree: string;
  baseSha: string;
  outDir: string;
  subjectPrefix: string;
  reroll?: number;
}

/** git format-patch of base..HEAD with a cover letter, numbered and threaded; the file names in order. */
export async function formatPatch(o: FormatPatchOptions): Promise<string[]> {
  const args = ['format-patch', '--quiet', '--cover-letter', '--numbered', '--thread=shallow', `--base=${o.baseSha}`,
    `--subject-prefix=${o.subjectPrefix}`, '--no-signoff', '--src-prefix=a/', '--dst-prefix=b/', '--no-relative',
    '--no-color', '-o', o.outDir];
  if (o.reroll !== undefined) args.push(`--reroll-count=${o.reroll}`);
  args.push(`${o.baseSha}..HEAD`);
  await git(o.worktree).raw(args);
  return readdirSync(o.outDir).filter((f) => /^(v\d+-)?\d{4}-/.test(f)).sort();
}
