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
import { filesMentioning, filesUnder, MAX_FILE_BYTES, memberAccessOnly, relevantWords, SourceList, type RelevantWords } from './match/prefilter.js';
import { IncludeGraph } from './match/reach.js';
import { indexSharedHeaders, isSharedHeader, keepingReader, treeReader } from './types/header-index.js';
import { SharedSymbols, type PackedSymbols } from './types/shared-symbols.js';
import { UsageError } from './util/errors.js';
import { debugAt } from './util/debug.js';
import { restorePriority, type LoweredThread } from './util/priority.js';
import type { EditedFile, FromWorker, PlainWords, ToWorker, WorkerReply, WorkerSetup } from './scan-worker.js';

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

/** A scan, and the files whose edits the workers applied (see scanForEdits). */
export interface ScanWithEdits {
  result: ScanResult;
  edited: Map<string, EditedFile>;
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

/** What a scan covers: the folders and files asked for, and what they can include. */
export interface ScanScope {
  /** folders (relative; '' is the root) and single files asked for; both empty: the whole tree */
  dirs: string[];
  explicit: string[];
  /**
   * For a partial scan, the headers the scope's files can include (see match/reach.ts, transitively,
   * an over-approximation): the only headers whose declarations can matter to them.
   */
  headers?: string[];
  /**
   * With `indexSymbols`: the symbol index of the shared headers among `headers`, built from the
   * texts the closure read (packed, for the workers)
   */
  symbols?: PackedSymbols;
  /** a reader that keeps what the closure read (the prefilter reads it again) */
  read?: (rel: string) => string | undefined;
  /** the include graph read for it, reused by the candidate filter */
  graph?: IncludeGraph;
}

/** Headers the build forces into every file (`-include`), not named by any #include. */
const FORCED_INCLUDES = ['linux/kconfig.h', 'linux/compiler_types.h'];

/** The folders and files asked for, relative to the tree; a bad path is a UsageError, thrown at once. */
export function askedPaths(tree: string, paths: string[]): { dirs: string[]; explicit: string[] } {
  const dirs: string[] = [];
  const explicit: string[] = [];
  for (const p of paths) {
    const abs = resolve(tree, p);
    const rel = relative(tree, abs);
    if (rel.startsWith('..')) throw new UsageError(`path '${p}' is outside the tree`);
    if (!existsSync(abs)) throw new UsageError(`path '${p}' does not exist`);
    if (statSync(abs).isDirectory()) dirs.push(rel);
    else explicit.push(rel);
  }
  return { dirs, explicit };
}

/**
 * Where a scan looks for untracked files: everywhere for the whole tree; for a partial scan, the
 * folders asked for (and those of the files asked for) and the shared header folders. An
 * untracked header elsewhere that an asked file includes by a relative path is not seen.
 */
export function untrackedFolders(asked: { dirs: string[]; explicit: string[] }): string[] | undefined {
  if (asked.dirs.length === 0 && asked.explicit.length === 0) return undefined;
  const dirOf = (f: string) => (f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '');
  return [...new Set([...asked.dirs, ...asked.explicit.map(dirOf), 'include', 'arch/*/include'])];
}

/** The sources asked for: the files named, and the .c and .h files under the folders named. */
function askedFiles(files: readonly string[], asked: { dirs: string[]; explicit: string[] }): string[] {
  const out = [...asked.explicit];
  for (const d of asked.dirs) out.push(...filesUnder(files, d, 'ch'));
  return out;
}

/**
 * With `indexSymbols`, the shared headers the closure reads are also indexed as they are read (a
 * partial scan's index covers only them): the workers then read no shared header at all.
 */
export async function scanScope(tree: string, paths: string[], sources: SourceList, indexSymbols = false): Promise<ScanScope> {
  const { dirs, explicit } = askedPaths(tree, paths);
  if (paths.length === 0) return { dirs, explicit };
  // what the closure reads is kept: the prefilter's rounds and the candidate test read it again
  const read = keepingReader(treeReader(tree));
  const closureOver = (files: string[]) => {
    const inScope = askedFiles(files, { dirs, explicit });
    const graph = new IncludeGraph(files, [], read);
    return { graph, headers: [...new Set([...graph.closure(inScope, FORCED_INCLUDES), ...inScope.filter((f) => f.endsWith('.h'))])].sort() };
  };
  // over the tracked files while git looks for untracked ones; again in the rare run it finds some
  const tracked = await sources.tracked();
  let { graph, headers } = closureOver(tracked);
  const all = await sources.files();
  if (all.length !== tracked.length) ({ graph, headers } = closureOver(all));
  let symbols: PackedSymbols | undefined;
  if (indexSymbols) {
    const shared = new Map<string, string>();
    for (const h of headers) {
      const t = isSharedHeader(h) ? read(h) : undefined;
      if (t !== undefined) shared.set(h, t);
    }
    symbols = indexSharedHeaders(shared);
  }
  return { dirs, explicit, headers, graph, read, ...(symbols ? { symbols } : {}) };
}

/** Whether a matched file is a candidate, and the members of the run it can see (undefined: all). */
export type CandidateTest = (file: string) => { keep: boolean; members?: string[] };

/** The files the prefilter matched, and the test that makes candidates of them. */
export interface MatchedFiles {
  /** sorted; a superset of the candidates */
  files: string[];
  test: CandidateTest;
  diagnostics: FileDiagnostic[];
  words: RelevantWords;
}

/**
 * The files a scan's prefilter matches (grep over the tree or the asked folders, and the files
 * asked for), with the test that makes candidates of them. The test reads the file and its
 * include closure, so the scan runs it as it hands files to the workers.
 */
export async function matchedFiles(tree: string, transforms: readonly TransformDefinition[], paths: string[] = [],
  sources = new SourceList(tree, isGitTree(tree)), scope?: ScanScope, sharedIncludes?: Promise<ReadonlyMap<string, string>>):
  Promise<MatchedFiles> {
  const diagnostics: FileDiagnostic[] = [];
  const { dirs, explicit, headers: reachable, graph: known, read = treeReader(tree) } = scope ?? await scanScope(tree, paths, sources);
  const members = [...new Set(transforms.map((t) => t.member))];
  const whole = paths.length === 0;
  // a partial scan learns its words from the headers its files can include, not from all 25,000
  const { words, memberHeaders, matched } = await relevantWords(tree, transforms, reachable ?? await sources.under('', 'h'), read,
    whole ? await sources.under('', 'c') : []);
  debugAt('relevant words');
  let files: string[] = [];
  if (whole) files = matched;
  else {
    // one search over all the asked folders
    const inDirs: string[] = [];
    for (const d of dirs) inDirs.push(...await sources.under(d, 'ch'));
    files = await filesMentioning(tree, words, members, [...new Set(inDirs)], read);
  }
  // A member access (`x->base.dev`) can only reach an object where the file sees a struct that
  // declares the member with an object's type. A file that names no word and reaches objects only
  // through members is dropped when it can include no such header (most of drm's `->base.dev`);
  // the others get the members they can see (its parser then skips i915's `encoder->base.dev`).
  const graph = known ?? new IncludeGraph(await sources.files(), [], read);
  // a whole-tree run's includes of the shared headers come while its prefilter runs
  if (!known) sharedIncludes?.then((k) => graph.knowIncludes(k), () => { /* the scan reports it */ });
  graph.setTargets([...memberHeaders.values()].flat());
  const accessOnly = memberAccessOnly(words, members);
  const asked = new Set(explicit);
  const test: CandidateTest = (f) => {
    const text = asked.has(f) ? undefined : read(f);
    if (text === undefined) return { keep: true };
    const visible = graph.reachedTargets(f, text);
    const sees = (m: string) => (memberHeaders.get(m) ?? []).some((h) => visible.has(h));
    const only = accessOnly(text);
    if (only) return { keep: [...only].some(sees) };
    const scope = [...words.members].filter((m) => !memberHeaders.has(m) || sees(m));
    return { keep: true, members: scope.length < words.members.size ? scope : undefined };
  };
  // generated tables are not searched: say so once, naming the first
  const inScope = sources.large.filter((f) => whole || dirs.some((d) => d === '' || f.startsWith(`${d}/`)));
  if (inScope.length) {
    diagnostics.push({
      file: inScope[0],
      message: `not searched: over ${MAX_FILE_BYTES >> 20} MiB (a generated table?)`
        + (inScope.length > 1 ? `, nor ${inScope.length - 1} more such file(s)` : ''),
    });
  }
  return { files: [...new Set([...files, ...explicit])].sort(), test, diagnostics, words };
}

/** The candidate files of a scan, relative to the tree, and the members each can see. */
export async function candidateFiles(tree: string, transforms: readonly TransformDefinition[], paths: string[] = [],
  sources = new SourceList(tree, isGitTree(tree)), scope?: ScanScope):
  Promise<{ files: string[]; diagnostics: FileDiagnostic[]; words: RelevantWords; memberScope: Map<string, string[]> }> {
  const m = await matchedFiles(tree, transforms, paths, sources, scope);
  const memberScope = new Map<string, string[]>();
  const files = m.files.filter((f) => {
    const r = m.test(f);
    if (r.members) memberScope.set(f, r.members);
    return r.keep;
  });
  return { files, diagnostics: m.diagnostics, words: m.words, memberScope };
}

/** Every .h file of the tree (git ls-files in a git tree). */
export async function listHeaders(tree: string, sources = new SourceList(tree, isGitTree(tree))): Promise<string[]> {
  return sources.under('', 'h');
}


function plainWords(w: RelevantWords): PlainWords {
  return { types: [...w.types], funcs: [...w.funcs], members: [...w.members], arrayMembers: [...w.arrayMembers] };
}

/**
 * Worker threads fed small batches. Each worker starts on its own contiguous share of the sorted
 * files (neighbouring files include the same headers, which each worker parses once), and takes
 * batches from the end of the largest remaining share when its own is done; the batches shrink
 * towards the end, so all finish together.
 */
class ScanPool {
  private readonly workers: Worker[] = [];
  /** the workers that wait at a low priority */
  private readonly lowered: (LoweredThread | undefined)[] = [];
  private failure: Error | undefined;
  private onFailure: ((e: Error) => void) | undefined;
  private includesFailed: ((e: Error) => void) | undefined;
  private symbolsHere: (() => void) | undefined;
  /** resolved once every worker has every part of the symbol index */
  private readonly symbolsShared: Promise<void>;
  /** the shared headers' includes, as the workers read them (see IncludeGraph.knowIncludes) */
  readonly sharedIncludes: Promise<ReadonlyMap<string, string>>;

  constructor(jobs: number, setup: WorkerSetup, private readonly log: (line: string) => void) {
    for (let i = 0; i < jobs; i++) {
      const w = new Worker(workerUrl(), { workerData: setup });
      const fail = (e: Error) => {
        this.failure ??= e;
        this.onFailure?.(e);
        this.includesFailed?.(e);
      };
      w.on('error', fail);
      w.on('exit', (code) => {
        if (code !== 0) fail(new Error(`scan worker exited with code ${code}`));
      });
      w.on('message', (m: FromWorker) => {
        if (m.kind === 'lowered') this.lowered[i] = m.thread;
      });
      this.workers.push(w);
    }
    // a worker given a part of the shared headers posts their includes and its part of the
    // symbol index; every worker has every part (or the main thread's index) before any batch
    let parts = 0;
    this.symbolsShared = new Promise((resolve) => {
      this.symbolsHere = resolve;
      this.workers.forEach((from, i) => from.on('message', (m: FromWorker) => {
        if (m.kind !== 'symbols') return;
        this.workers.forEach((w, j) => { if (j !== i) w.postMessage(m satisfies ToWorker); });
        if (++parts === m.part[1]) {
          this.log('shared header symbols');
          resolve();
        }
      }));
    });
    const known = new Map<string, string>();
    let read = 0;
    this.sharedIncludes = new Promise((resolve, reject) => {
      this.includesFailed = reject;
      for (const w of this.workers) w.on('message', (m: FromWorker) => {
        if (m.kind !== 'includes') return;
        const lists = m.includes.split('\0');
        m.files.forEach((f, i) => known.set(f, lists[i]));
        if (++read === m.part[1]) {
          this.log('shared header includes');
          resolve(known);
        }
      });
    });
  }

  /**
   * Every header of the tree; the first `readers` workers each read a part of the shared headers
   * for the index (a whole-tree scan: one, while the others leave the cores to the prefilter,
   * which takes longer than the index) and post their includes.
   */
  headers(headers: string[], readers: number): void {
    this.workers.forEach((w, i) => w.postMessage({
      kind: 'headers', headers, symbolPart: i < readers ? [i, readers] : undefined,
    } satisfies ToWorker));
  }

  /** where each worker's share of run() starts: its share of ahead() */
  private shareStarts: string[] = [];

  /** Each worker parses its share of these files ahead; run()'s shares start at the same files. */
  ahead(files: string[]): void {
    const n = this.workers.length;
    this.workers.forEach((w, i) => {
      const share = files.slice(Math.floor((i * files.length) / n), Math.floor(((i + 1) * files.length) / n));
      this.shareStarts[i] = share[0] ?? files[files.length - 1] ?? '';
      w.postMessage({ kind: 'ahead', files: share } satisfies ToWorker);
    });
  }

  /** Hand every worker an index built in this thread. */
  shareSymbols(symbols: PackedSymbols): void {
    for (const w of this.workers) w.postMessage({ kind: 'symbols', part: [0, 1], symbols } satisfies ToWorker);
    this.symbolsHere?.();
  }

  /**
   * Scan the matched files: each is tested (candidateFiles' test, in this thread) as it is handed
   * out, so that the workers start while the include closures are still being read. Returns the
   * workers' replies; their `files` add up to the candidates.
   */
  async run(files: string[], words: PlainWords, test: CandidateTest, onProgress?: (done: number, total: number) => void):
    Promise<WorkerReply[]> {
    const n = this.workers.length;
    // cut at the files each worker parsed ahead, or else in equal parts
    const cut = (i: number): number => {
      if (i === 0) return 0;
      if (i === n) return files.length;
      if (this.shareStarts.length !== n) return Math.floor((i * files.length) / n);
      const k = files.findIndex((f) => f >= this.shareStarts[i]);
      return k < 0 ? files.length : k;
    };
    const shares = this.workers.map((_, i) => files.slice(cut(i), cut(i + 1)));
    const BATCH = 8;
    let handled = 0;
    let left = files.length;
    const take = (i: number): string | undefined => {
      let from = i;
      if (!shares[i].length) for (let j = 0; j < n; j++) if (shares[j].length > shares[from].length) from = j;
      if (!shares[from].length) return undefined;
      left--;
      return from === i ? shares[i].shift() : shares[from].pop();
    };
    const next = (i: number): { files: string[]; members: (string[] | null)[] } => {
      const batch: string[] = [];
      const members: (string[] | null)[] = [];
      // smaller batches towards the end, so that the workers finish together (with batches of
      // 8 to the last, one finished 0.1 s before the other)
      const size = Math.max(1, Math.min(BATCH, Math.floor(left / (2 * n))));
      while (batch.length < size) {
        const f = take(i);
        if (f === undefined) break;
        const r = test(f);
        if (!r.keep) {
          handled++;
          continue;
        }
        batch.push(f);
        members.push(r.members ?? null);
      }
      return { files: batch, members };
    };
    const replies: WorkerReply[] = [];
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.onFailure = reject;
      let running = n;
      this.workers.forEach((w, i) => {
        w.postMessage({ kind: 'words', words } satisfies ToWorker);
        const feed = () => {
          const batch = next(i);
          if (batch.files.length) {
            w.postMessage({ kind: 'batch', ...batch } satisfies ToWorker);
            return;
          }
          this.log(`worker ${i} done`);
          if (--running === 0) resolve(replies);
        };
        w.on('message', (m: FromWorker) => {
          if (m.kind !== 'batch') return;
          replies.push(m.reply);
          handled += m.reply.files;
          onProgress?.(handled, files.length);
          feed();
        });
        // every worker starts once it has every part of the symbol index
        void this.symbolsShared.then(() => {
          restorePriority(this.lowered[i]);
          feed();
        });
      });
    });
  }

  close(): void {
    for (const w of this.workers) w.postMessage({ kind: 'end' } satisfies ToWorker);
  }
}

function workerUrl(): URL {
  const self = new URL(import.meta.url);
  return new URL(self.pathname.endsWith('.ts') ? './scan-worker-entry.ts' : './scan-worker-entry.js', self);
}

export async function scan(opts: ScanOptions = {}): Promise<ScanResult> {
  return (await runScan(opts, false)).result;
}

/**
 * A scan whose workers also apply each file's edits as they go (rewrite's plan): the main thread
 * is left only the headers' helpers and the diff. Embeddings are not looked for (the rewrite has
 * no use for them: `result.embeddings` is empty).
 */
export async function scanForEdits(opts: ScanOptions = {}, edits: { diffs?: boolean } = {}): Promise<ScanWithEdits> {
  return runScan(opts, { diffs: edits.diffs ?? false });
}

async function runScan(opts: ScanOptions, applyEdits: { diffs: boolean } | false): Promise<ScanWithEdits> {
  const started = Date.now();
  debugAt('scan starts');
  const tree = checkKernelTree(opts.tree ?? process.cwd());
  const subsystem = opts.subsystem ?? 'all';
  let transforms: TransformDefinition[];
  try {
    transforms = transformsFor(subsystem);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // bad paths fail here, before any work starts in the background
  const asked = askedPaths(tree, opts.paths ?? []);
  const sources = new SourceList(tree, isGitTree(tree), untrackedFolders(asked));
  const headerList = listHeaders(tree, sources);
  headerList.then(() => debugAt('tree listed'), () => { /* reported where it is awaited */ });
  const setup: WorkerSetup = {
    tree, transformIds: transforms.map((t) => t.id), rawParse: opts.rawParse,
    applyEdits: applyEdits !== false, diffs: applyEdits !== false && applyEdits.diffs, embeddings: applyEdits === false,
  };
  const jobs = Math.max(0, opts.jobs ?? Math.min(cpus().length, 4));
  const replies: WorkerReply[] = [];
  let files: string[];
  let diagnostics: FileDiagnostic[];
  if (jobs === 0) {
    const scope = await scanScope(tree, opts.paths ?? [], sources, true);
    const c = await candidateFiles(tree, transforms, opts.paths ?? [], sources, scope);
    ({ files, diagnostics } = c);
    const { FileScanner } = await import('./scan-worker.js');
    const scanner = new FileScanner(setup);
    scanner.headers.allHeaders = await headerList;
    // a partial scan's index from the texts its closure read; the whole tree's at the first lookup
    if (scope.symbols) scanner.headers.setSymbols(SharedSymbols.unpack(scope.symbols));
    scanner.setWords(plainWords(c.words));
    replies.push(scanner.scan(files, files.map((f) => c.memberScope.get(f) ?? null)));
  } else {
    // the workers boot while the tree is listed. A partial scan's index is built here, from the
    // shared headers its include closure reads anyway (a third of them); a whole-tree scan's by
    // the first worker, which also posts their includes for the candidate test
    const pool = new ScanPool(jobs, setup, debugAt);
    try {
      const partial = (opts.paths ?? []).length > 0;
      // While this thread reads the include closure, a partial scan's workers make their header
      // tables from the tracked headers (made at the first batch, they delayed it by 0.1 s; sent
      // again in the rare run where git finds untracked headers) and parse the asked files ahead
      // (see FileScanner.parseAhead)
      let early: number | undefined;
      if (partial) {
        void sources.tracked().then((t) => {
          const h = filesUnder(t, '', 'h');
          early = h.length;
          pool.headers(h, 0);
          pool.ahead([...new Set(askedFiles(t, asked))].sort());
        }, () => { /* reported where it is awaited */ });
      }
      const listed = headerList.then((h) => {
        if (h.length !== early) pool.headers(h, partial ? 0 : 1);
      });
      const scope = scanScope(tree, opts.paths ?? [], sources, partial);
      scope.then(() => debugAt('scope'), () => { /* reported where it is awaited */ });
      Promise.all([listed, scope]).then(([, s]) => {
        if (s.symbols) pool.shareSymbols(s.symbols);
      }, () => { /* reported where it is awaited */ });
      const shared = listed.then(() => pool.sharedIncludes);
      const matched = scope.then((s) => matchedFiles(tree, transforms, opts.paths ?? [], sources, s, partial ? undefined : shared));
      const m = await matched;
      diagnostics = m.diagnostics;
      debugAt(`${m.files.length} matched files`);
      replies.push(...await pool.run(m.files, plainWords(m.words), m.test, opts.onProgress));
      files = replies.flatMap((r) => r.scanned);
    } finally {
      pool.close();
    }
  }
  const sites: Site[] = [];
  const embeddings: Embedding[] = [];
  let bytes = 0;
  let parsedFiles = 0;
  let filesWithErrors = 0;
  const edited = new Map<string, EditedFile>();
  for (const r of replies) {
    for (const e of r.edited) edited.set(e.file, e);
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
  const result: ScanResult = {
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
  return { result, edited };
}
