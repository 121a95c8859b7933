// `scan`: the library entry point. Validates the tree, picks the files (prefilter), matches them
// in worker threads (each with its own header index), and merges the results.
import { existsSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { transformsFor } from '../transforms/index.js';
import type { TransformDefinition } from './transform.js';
import type { Embedding, FileDiagnostic, ScanResult, Site } from './model.js';
import { filesMentioning, relevantWords, walkSources, type RelevantWords } from './match/prefilter.js';
import { HeaderIndex, packLocations, treeReader } from './types/header-index.js';
import { UsageError } from './util/errors.js';
import type { WorkerReply, WorkerRequest } from './scan-worker.js';

const execFileP = promisify(execFile);

export interface ScanOptions {
  /** kernel tree root (default: current directory) */
  tree?: string;
  /** files or folders relative to the tree (or absolute inside it); empty: the whole tree */
  paths?: string[];
  /** 'i2c', 'spi', 'all' (default), or a comma-separated list */
  subsystem?: string;
  /** worker threads (default: number of cores, at most 4); 0 scans in this thread */
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
  /** parse without the kernel normalisation (to measure what it buys) */
  rawParse?: boolean;
}

/** Check that a folder looks like a kernel tree; return its absolute path. */
export function checkKernelTree(tree: string): string {
  const abs = resolve(tree);
  if (!existsSync(abs)) throw new UsageError(`tree '${tree}' does not exist`);
  if (!statSync(abs).isDirectory()) throw new UsageError(`tree '${tree}' is not a folder`);
  const marks = ['Makefile', 'include/linux', 'Kconfig'];
  const missing = marks.filter((m) => !existsSync(join(abs, m)));
  if (missing.length) throw new UsageError(`'${tree}' is not a kernel tree (no ${missing.join(', ')})`);
  return abs;
}

export function isGitTree(tree: string): boolean {
  return existsSync(join(tree, '.git'));
}

/** The candidate files of a scan, relative to the tree. */
export async function candidateFiles(tree: string, transforms: readonly TransformDefinition[], paths: string[] = []):
  Promise<{ files: string[]; diagnostics: FileDiagnostic[]; words: RelevantWords }> {
  const useGit = isGitTree(tree);
  const read = treeReader(tree);
  let all: string[] | undefined;
  const allFiles = () => (all ??= walkSources(tree));
  const { words, headers } = await relevantWords(tree, transforms, useGit, read, allFiles);
  const diagnostics: FileDiagnostic[] = [];
  const specs: string[] = [];
  const explicit: string[] = [];
  for (const p of paths) {
    const abs = resolve(tree, p);
    const rel = relative(tree, abs);
    if (rel.startsWith('..')) throw new UsageError(`path '${p}' is outside the tree`);
    if (!existsSync(abs)) throw new UsageError(`path '${p}' does not exist`);
    if (statSync(abs).isDirectory()) specs.push(rel === '' ? '.' : rel);
    else explicit.push(rel);
  }
  const members = [...new Set(transforms.map((t) => t.member))];
  let files: string[];
  if (paths.length === 0) {
    // the fixpoint already found every header that mentions a word: only .c files are left
    files = [...headers, ...await filesMentioning(tree, words, members, ['*.c', '*.h'], useGit, read, allFiles, ['*.c'])];
  } else {
    files = [];
    for (const s of specs) {
      const pathspecs = [`${s === '.' ? '' : `${s}/`}*.c`, `${s === '.' ? '' : `${s}/`}*.h`];
      files.push(...await filesMentioning(tree, words, members, pathspecs, useGit, read,
        () => walkSources(tree, s === '.' ? '' : s)));
    }
    files.push(...explicit);
  }
  return { files: [...new Set(files)].sort(), diagnostics, words };
}

/** Every .h file of the tree (git ls-files in a git tree). */
export async function listHeaders(tree: string): Promise<string[]> {
  if (isGitTree(tree)) {
    const { stdout } = await execFileP('git', ['ls-files', '-z', '--', '*.h'], { cwd: tree, maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\0').filter(Boolean);
  }
  return walkSources(tree).filter((f) => f.endsWith('.h'));
}

function workerUrl(): URL {
  const self = new URL(import.meta.url);
  return new URL(self.pathname.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', self);
}

export async function scan(opts: ScanOptions = {}): Promise<ScanResult> {
  const started = Date.now();
  const tree = checkKernelTree(opts.tree ?? process.cwd());
  const subsystem = opts.subsystem ?? 'all';
  let transforms: TransformDefinition[];
  try {
    transforms = transformsFor(subsystem);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const headerList = listHeaders(tree);
  const candidates = candidateFiles(tree, transforms, opts.paths ?? []);
  // while git grep works in child processes, this thread indexes the shared headers once for
  // every worker (each would otherwise do it on its own)
  const index = new HeaderIndex(tree, treeReader(tree));
  index.allHeaders = await headerList;
  const symbols = packLocations(index.symbols);
  const { files, diagnostics, words } = await candidates;
  const jobs = Math.max(0, Math.min(opts.jobs ?? Math.min(cpus().length, 4), files.length));
  const replies: WorkerReply[] = [];
  const request: Omit<WorkerRequest, 'files'> = {
    tree, transformIds: transforms.map((t) => t.id), headers: index.allHeaders, rawParse: opts.rawParse, symbols,
    words: {
      types: [...words.types], funcs: [...words.funcs], members: [...words.members], arrayMembers: [...words.arrayMembers],
    },
  };
  if (jobs === 0) {
    const { scanFiles } = await import('./scan-worker.js');
    replies.push(scanFiles({ ...request, files }));
  } else {
    // Interleave big and small files so both workers finish together.
    const shares: string[][] = Array.from({ length: jobs }, () => []);
    files.forEach((f, i) => shares[i % jobs].push(f));
    let done = 0;
    await Promise.all(shares.map((share) => new Promise<void>((res, rej) => {
      const w = new Worker(workerUrl(), { workerData: { ...request, files: share } satisfies WorkerRequest });
      w.on('message', (m: WorkerReply | { progress: number }) => {
        if ('progress' in m) {
          done += m.progress;
          opts.onProgress?.(done, files.length);
        } else replies.push(m);
      });
      w.on('error', rej);
      w.on('exit', (code) => (code === 0 ? res() : rej(new Error(`scan worker exited with code ${code}`))));
    })));
  }
  const sites: Site[] = [];
  const embeddings: Embedding[] = [];
  let bytes = 0;
  let parsedFiles = 0;
  let filesWithErrors = 0;
  for (const r of replies) {
    sites.push(...r.sites);
    embeddings.push(...r.embeddings);
    diagnostics.push(...r.diagnostics);
    bytes += r.bytes;
    parsedFiles += r.parsedFiles;
    filesWithErrors += r.filesWithErrors;
  }
  sites.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset));
  embeddings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  diagnostics.sort((a, b) => (a.file < b.file ? -1 : 1));
  return {
    tree,
    subsystems: transforms.map((t) => t.subsystem),
    sites,
    embeddings,
    diagnostics,
    stats: {
      files: files.length, parsedFiles, bytes, filesWithErrors,
      sitesInErrorRegions: sites.filter((s) => s.inErrorRegion).length,
      millis: Date.now() - started,
    },
  };
}
