// A scan worker: matches the batches of files it is sent, with its own parser and header index.
// It boots while the main thread still runs the prefilter. A partial scan's shared symbol index
// comes from the main thread; a whole-tree scan's first worker builds it, and the main thread
// passes it on to the others.
import { parentPort, workerData, isMainThread } from 'node:worker_threads';
import { TRANSFORMS } from '../transforms/index.js';
import { HeaderIndex, treeReader } from './types/header-index.js';
import { includedNames } from './match/reach.js';
import { SharedSymbols, type PackedSymbols } from './types/shared-symbols.js';
import { scanText } from './match/sites.js';
import { MAX_FILE_BYTES, initialWords, type RelevantWords } from './match/prefilter.js';
import { focusFor } from './match/focus.js';
import { parseC, prepareParser, type ParsedFile } from './parse/parser.js';
import type { FocusSpec } from './parse/normalize.js';
import type { TransformDefinition } from './transform.js';
import type { Edit, Embedding, FileDiagnostic, Site } from './model.js';
import { applyEdits } from './edits/apply.js';
import { fileDiff } from './edits/diff.js';
import { debugAt } from './util/debug.js';
import { performance } from 'node:perf_hooks';
import { restorePriority, type LoweredThread } from './util/priority.js';

export interface WorkerRequest {
  tree: string;
  transformIds: string[];
  files: string[];
  rawParse?: boolean;
  /** the shared headers' symbol locations, computed once by the caller */
  symbols?: PackedSymbols;
  /** every header of the tree, relative paths */
  headers: string[];
  /** the relevant words of the run (prefilter), as arrays */
  words: PlainWords;
}

export type PlainWords = { types: string[]; funcs: string[]; members: string[]; arrayMembers: string[] };

export interface WorkerReply {
  sites: Site[];
  embeddings: Embedding[];
  diagnostics: FileDiagnostic[];
  bytes: number;
  /** files handled (parsed, skipped as holding no candidate, or unreadable) */
  files: number;
  /** those files */
  scanned: string[];
  /** with WorkerSetup.applyEdits: each file with edits, before and after them */
  edited: EditedFile[];
  parsedFiles: number;
  filesWithErrors: number;
}

/** What the main thread sends a worker, in this order (symbols only to those that did not compute them). */
export type ToWorker =
  /** every header of the tree; with symbolPart, index that part of the shared headers and post its includes */
  | { kind: 'headers'; headers: string[]; symbolPart?: [number, number] }
  | { kind: 'symbols'; part: [number, number]; symbols: PackedSymbols }
  | { kind: 'words'; words: PlainWords }
  /** files to parse while the worker waits: the asked ones it will most likely be sent first */
  | { kind: 'ahead'; files: string[] }
  /** members: for each file, the members of the run whose structs it can see (null: all) */
  | { kind: 'batch'; files: string[]; members: (string[] | null)[] }
  | { kind: 'end' };

export type FromWorker =
  /** the worker waits at a low priority (util/priority.ts) */
  | { kind: 'lowered'; thread: LoweredThread }
  /** the includes of a part's files: includedNames() joined by '\n', the files' joined by '\0' */
  | { kind: 'includes'; part: [number, number]; files: string[]; includes: string }
  | { kind: 'symbols'; part: [number, number]; symbols: PackedSymbols }
  | { kind: 'batch'; reply: WorkerReply };

export interface WorkerSetup {
  tree: string;
  transformIds: string[];
  rawParse?: boolean;
  /** also apply each file's edits where it was scanned (a rewrite's plan), the transforms' headers aside */
  applyEdits?: boolean;
  /** and write each such file's unified diff */
  diffs?: boolean;
  /** look for the structs that embed an object (default: yes; a rewrite has no use for them) */
  embeddings?: boolean;
}

/** A file's text before and after its sites' edits, applied by the worker that scanned it. */
export interface EditedFile {
  file: string;
  before: string;
  after: string;
  conflicts: Edit[];
  diff?: string;
}

export function emptyReply(): WorkerReply {
  return { sites: [], embeddings: [], diagnostics: [], bytes: 0, files: 0, scanned: [], edited: [], parsedFiles: 0, filesWithErrors: 0 };
}

/** One thread's matching state: parser and header index live as long as the thread. */
export class FileScanner {
  readonly read: (rel: string) => string | undefined;
  readonly headers: HeaderIndex;
  private readonly transforms: TransformDefinition[];
  private words?: RelevantWords;
  /** files parsed ahead, and their texts */
  private readonly ahead = new Map<string, ParsedFile>();
  /** how many files were parsed ahead, and how many of those trees the scan kept */
  readonly aheadCounts = { parsed: 0, kept: 0 };
  private readonly seedFocus: (text: string) => FocusSpec;

  constructor(private readonly setup: WorkerSetup) {
    this.read = treeReader(setup.tree);
    this.headers = new HeaderIndex(setup.tree, this.read);
    this.transforms = TRANSFORMS.filter((t) => setup.transformIds.includes(t.id));
    const seed = initialWords(this.transforms);
    this.seedFocus = (text) => focusFor(text, seed, this.transforms);
  }

  /**
   * Parse a file before the run's words are known, focused on the transforms' own words: in
   * drivers/i2c/busses and drivers/spi of 6.12, 275 of the 281 files then give the parser the
   * same text as the run's focus does, and scanText keeps the tree. (Only the text decides:
   * another text is parsed again.)
   */
  parseAhead(file: string): void {
    if (this.setup.rawParse || this.ahead.has(file)) return;
    const text = this.read(file);
    if (text === undefined || text.length > MAX_FILE_BYTES) return;
    this.ahead.set(file, parseC(text, { focus: this.seedFocus(text) }));
    this.aheadCounts.parsed++;
  }

  setWords(w: PlainWords): void {
    this.words = {
      types: new Set(w.types), funcs: new Set(w.funcs), members: new Set(w.members), arrayMembers: new Set(w.arrayMembers),
    };
  }

  /** `members`: for each file, the members of the run whose structs it can see (null: all of them) */
  scan(files: readonly string[], members: readonly (string[] | null)[] = [], into: WorkerReply = emptyReply()): WorkerReply {
    files.forEach((file, i) => {
      const scope = members[i];
      this.scanOne(file, scope ? new Set(scope) : undefined, into);
    });
    return into;
  }

  private scanOne(file: string, members: ReadonlySet<string> | undefined, into: WorkerReply): void {
    into.files++;
    into.scanned.push(file);
    const ahead = this.ahead.get(file);
    this.ahead.delete(file);
    const text = ahead?.text ?? this.read(file);
    if (text === undefined) {
      into.diagnostics.push({ file, message: 'cannot read file' });
      return;
    }
    if (text.length > MAX_FILE_BYTES) {
      into.diagnostics.push({ file, message: `skipped: ${text.length} bytes (generated file?)` });
      return;
    }
    try {
      const r = scanText(file, text, this.headers, this.transforms, this.setup.rawParse ? undefined : this.words, this.setup.rawParse,
        members, this.setup.embeddings ?? true, ahead);
      if (r.aheadKept) this.aheadCounts.kept++;
      into.sites.push(...r.sites);
      into.embeddings.push(...r.embeddings);
      if (this.setup.applyEdits && !this.transforms.some((t) => t.header === file)) {
        // the same edits, in the same order, as planFromScan() would apply
        const edits = r.sites.flatMap((x) => (x.edit ? [x.edit, ...(x.moreEdits ?? [])] : []));
        if (edits.length) {
          const a = applyEdits(text, edits);
          const diff = this.setup.diffs && a.text !== text ? fileDiff(file, text, a.text) : undefined;
          into.edited.push({ file, before: text, after: a.text, conflicts: a.conflicts, ...(diff === undefined ? {} : { diff }) });
        }
      }
      into.bytes += text.length;
      if (r.parsed) into.parsedFiles++;
      if (r.hasErrors) into.filesWithErrors++;
    } catch (e) {
      into.diagnostics.push({ file, message: `internal error: ${(e as Error).message.split('\n')[0]}` });
    }
  }
}

/** Scan files in this thread (tests, `jobs: 0`). */
export function scanFiles(req: WorkerRequest): WorkerReply {
  const s = new FileScanner(req);
  s.headers.allHeaders = req.headers;
  if (req.symbols) s.headers.setSymbols(SharedSymbols.unpack(req.symbols));
  s.setWords(req.words);
  return s.scan(req.files);
}

if (!isMainThread && parentPort && workerData) {
  const port = parentPort;
  debugAt('worker loaded');
  let firstBatch = false;
  const scanner = new FileScanner(workerData as WorkerSetup);
  // one file a turn of the event loop, so that a batch is taken as soon as it comes
  let aheadFiles: string[] = [];
  const parseNextAhead = () => {
    const f = firstBatch ? undefined : aheadFiles.shift();
    if (f === undefined) return;
    scanner.parseAhead(f);
    setImmediate(parseNextAhead);
  };
  prepareParser();
  port.on('message', (m: ToWorker) => {
    switch (m.kind) {
      case 'headers':
        scanner.headers.allHeaders = m.headers;
        // (the shared index of a partial scan comes later: the worker has time to spare)
        if (!m.symbolPart) scanner.headers.prepare();
        if (m.symbolPart) {
          // (the index is on the critical path of a whole-tree scan)
          restorePriority();
          debugAt(`worker: symbol part ${m.symbolPart[0]} starts`);
          // each header read once: its includes for the main thread's candidate test, then its names
          const part = scanner.headers.readSharedPart(...m.symbolPart);
          const includes = part.texts.map((t) => (t === undefined ? '' : includedNames(t).join('\n'))).join('\0');
          port.postMessage({ kind: 'includes', part: m.symbolPart, files: part.files, includes } satisfies FromWorker);
          const symbols = scanner.headers.buildSharedPart(part).pack();
          port.postMessage({ kind: 'symbols', part: m.symbolPart, symbols } satisfies FromWorker);
          debugAt(`worker: symbol part ${m.symbolPart[0]} built`);
        }
        break;
      case 'symbols':
        scanner.headers.setSymbolPart(m.part[0], m.part[1], SharedSymbols.unpack(m.symbols));
        break;
      case 'ahead':
        aheadFiles = m.files;
        setImmediate(parseNextAhead);
        break;
      case 'words':
        scanner.setWords(m.words);
        break;
      case 'batch':
        if (!firstBatch) {
          firstBatch = true;
          // the main thread raised it as it sent the batch, unless the batch came before the
          // worker's 'lowered' message did (a small tree)
          restorePriority();
          debugAt(`worker: first batch (${aheadFiles.length} not parsed ahead)`);
        }
        port.postMessage({ kind: 'batch', reply: scanner.scan(m.files, m.members) } satisfies FromWorker);
        break;
      case 'end':
        debugAt(`worker: ${scanner.aheadCounts.parsed} files parsed ahead, ${scanner.aheadCounts.kept} trees kept`);
        debugAt(`worker: end, busy ${Math.round(performance.eventLoopUtilization().active)} ms`);
        port.close();
        break;
    }
  });
}
