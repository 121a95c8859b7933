// Where the tree's shared headers (include/, arch/*/include) define things. A cheap text scan
// says which header may define a struct, typedef, function or macro; the header is parsed with
// tree-sitter only when a lookup needs it, and kept for the rest of the run.
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { collectFileDefs, type FileDefs } from './declarations.js';
import { parseC } from '../parse/parser.js';
import { DECLARATIONS_ONLY, NUMERIC_MACRO_VALUE } from '../parse/normalize.js';
import { SharedSymbols, SymbolIndexBuilder, type PackedSymbols, type SymbolKind } from './shared-symbols.js';

/** A header as text: what it may define, and what it includes. */
export interface HeaderSketch {
  locs: SymbolLocations;
  /** `#include "…"` */
  includes: string[];
  /** `#include <…>` */
  angleIncludes: string[];
  text: string;
}

/** Consecutive shared headers (a part of the index) and their texts (undefined: unreadable). */
export interface SharedPart {
  index: number;
  count: number;
  files: string[];
  texts: (string | undefined)[];
}

export interface SymbolLocations {
  structs: Map<string, string[]>;
  typedefs: Map<string, string[]>;
  functions: Map<string, string[]>;
  macros: Map<string, string[]>;
}

const TYPEDEF_CLOSE_RE = /\}\s*(\w+)\s*;/g;
const TYPEDEF_LINE_RE = /\btypedef\b[^;{}]*?\b(\w+)\s*(?:\[[^\]]*\]\s*)?;/g;
const TYPEDEF_FNPTR_RE = /\btypedef\b[^;{}]*?\(\s*\*\s*(\w+)\s*\)/g;
/**
 * In one pass (a sixth cheaper than three): a struct or union body `struct foo {`, a function
 * returning a pointer `*foo(`, a macro `#define FOO`. Their first characters differ, and a match
 * of one can hide the start of another's only in `#define struct …` or `#define union …`: on
 * 6.12's shared headers the index is byte-identical to the three passes'. Numeric constants (two thirds of the 360,000 #defines of 6.12's shared headers:
 * registers, bits) are never a receiver, a type or a conversion: they stay out of the index, as
 * the normalisation blanks them in the files that are parsed.
 */
const STRUCT_FUNC_MACRO_RE = new RegExp('\\b(?:struct|union)\\s+(\\w+)\\s*\\{|\\*\\s*(\\w+)\\s*\\(|'
  + `#\\s*define\\s+(\\w+)\\b(?!${NUMERIC_MACRO_VALUE})`, 'g');

function add(map: Map<string, string[]>, name: string, file: string): void {
  const list = map.get(name);
  if (!list) map.set(name, [file]);
  else if (list[list.length - 1] !== file) list.push(file);
}

/** Call `found` with every name one header's text may define. */
function namesInText(text: string, found: (kind: SymbolKind, name: string) => void): void {
  const scan = (re: RegExp, kind: SymbolKind) => {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) found(kind, m[1]);
  };
  const functions: string[] = [];
  const macros: string[] = [];
  const re = STRUCT_FUNC_MACRO_RE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) found('structs', m[1]);
    else if (m[2] !== undefined) functions.push(m[2]);
    else macros.push(m[3]);
  }
  if (text.includes('typedef')) {
    scan(TYPEDEF_CLOSE_RE, 'typedefs');
    scan(TYPEDEF_LINE_RE, 'typedefs');
    scan(TYPEDEF_FNPTR_RE, 'typedefs');
  }
  for (const f of functions) found('functions', f);
  for (const d of macros) found('macros', d);
}

/** Record what one header's text may define. */
export function locateInText(text: string, file: string, into: SymbolLocations): void {
  namesInText(text, (kind, name) => add(into[kind], name, file));
}

export function emptyLocations(): SymbolLocations {
  return { structs: new Map(), typedefs: new Map(), functions: new Map(), macros: new Map() };
}

/** Whether a tree path is in a shared header folder (include/, arch/<arch>/include/): what the symbol index reads. */
export function isSharedHeader(path: string): boolean {
  return /^(?:include|arch\/[^/]+\/include)\//.test(path);
}

/** The shared header folders of a tree: include/ and every arch/<arch>/include. */
export function sharedHeaderDirs(tree: string): string[] {
  const dirs = ['include'];
  try {
    for (const a of readdirSync(join(tree, 'arch'))) {
      try {
        if (statSync(join(tree, 'arch', a, 'include')).isDirectory()) dirs.push(`arch/${a}/include`);
      } catch { /* no include folder */ }
    }
  } catch { /* no arch folder */ }
  return dirs;
}

function listHeaders(tree: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(join(tree, dir), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) listHeaders(tree, rel, out);
    else if (e.isFile() && e.name.endsWith('.h')) out.push(rel);
  }
}

/** Order in which shared header folders win when a name is defined in several: x86 first. */
function archRank(file: string): number {
  if (file.startsWith('include/')) return 0;
  if (file.startsWith('arch/x86/')) return 1;
  return 2;
}

function byPriority(a: string, b: string): number {
  return archRank(a) - archRank(b) || (a < b ? -1 : 1);
}

/** The index of some headers' texts, files in priority order. */
function packIndex(files: readonly string[], texts: readonly (string | undefined)[]): PackedSymbols {
  const built = new SymbolIndexBuilder(files);
  texts.forEach((text, i) => {
    if (text !== undefined) namesInText(text, (kind, name) => built.add(kind, name, i));
  });
  return built.pack();
}

/** The index of the shared headers whose texts are given, as HeaderIndex builds it over them. */
export function indexSharedHeaders(texts: ReadonlyMap<string, string>): PackedSymbols {
  const files = [...texts.keys()].sort(byPriority);
  return packIndex(files, files.map((f) => texts.get(f)));
}

export class HeaderIndex {
  private shared: SharedSymbols | undefined;
  private byBasename: Map<string, string[]> | undefined;
  private headerList: string[] = [];
  private readonly defsCache = new Map<string, FileDefs | null>();

  constructor(readonly tree: string, private readonly readText: (rel: string) => string | undefined) {}

  /** Every header of the tree (for includes found through -I paths), set by the caller. */
  get allHeaders(): string[] {
    return this.headerList;
  }

  /** A new list drops the tables made from the one before (see prepare). */
  set allHeaders(headers: string[]) {
    this.headerList = headers;
    this.byBasename = undefined;
    this.sharedSet = undefined;
  }

  /** Use an index computed elsewhere. */
  setSymbols(symbols: SharedSymbols): void {
    this.shared = symbols;
  }

  /** The shared headers the symbol index covers, in priority order (x86 first). */
  private sharedHeaders(): string[] {
    const files: string[] = this.allHeaders.filter(isSharedHeader);
    if (files.length === 0) for (const d of sharedHeaderDirs(this.tree)) listHeaders(this.tree, d, files);
    return files.sort(byPriority);
  }

  private build(files: readonly string[], texts: readonly (string | undefined)[] = files.map((f) => this.readText(f))): SharedSymbols {
    // the packed form: the names become parts of one string, not slices of every header
    return SharedSymbols.unpack(packIndex(files, texts));
  }

  /**
   * Part `index` of `count` of every shared header (consecutive in priority order), read: a
   * worker reads its part once, for the includes it posts and then for the index.
   */
  readSharedPart(index: number, count: number): SharedPart {
    const files = this.sharedHeaders();
    const part = files.slice(Math.floor((index * files.length) / count), Math.floor(((index + 1) * files.length) / count));
    return { index, count, files: part, texts: part.map((f) => this.readText(f)) };
  }

  /** The index's part from a read part. */
  buildSharedPart(part: SharedPart): SharedSymbols {
    const built = this.build(part.files, part.texts);
    this.setSymbolPart(part.index, part.count, built);
    return built;
  }

  /**
   * Part `index` of `count` of the index (consecutive headers in priority order): the workers
   * build one part each and swap them, so the index is ready in half the time.
   */
  symbolPart(index: number, count: number): SharedSymbols {
    return this.buildSharedPart(this.readSharedPart(index, count));
  }

  private parts: (SharedSymbols | undefined)[] = [];

  /** One part of the index; when all are here they stand for the whole. */
  setSymbolPart(index: number, count: number, part: SharedSymbols): void {
    if (this.parts.length !== count) this.parts = new Array<SharedSymbols | undefined>(count).fill(undefined);
    this.parts[index] = part;
    const all = this.parts.every((p): p is SharedSymbols => p !== undefined);
    if (all) this.shared = SharedSymbols.concat(this.parts as SharedSymbols[]);
  }

  /** Text-scan every shared header once (the first lookup pays for it). */
  get symbols(): SharedSymbols {
    this.shared ??= this.build(this.sharedHeaders());
    return this.shared;
  }

  private readonly textLocations = new Map<string, HeaderSketch | null>();

  /** What a header's text may define, and its includes: read, not parsed. */
  sketch(rel: string): HeaderSketch | undefined {
    const hit = this.textLocations.get(rel);
    if (hit !== undefined) return hit ?? undefined;
    const text = this.readText(rel);
    if (text === undefined) {
      this.textLocations.set(rel, null);
      return undefined;
    }
    const locs = emptyLocations();
    locateInText(text, rel, locs);
    const includes: string[] = [];
    const angleIncludes: string[] = [];
    const re = /^\s*#\s*include\s*(?:"([^"]+)"|<([^>]+)>)/gm;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[1] !== undefined) includes.push(m[1]);
      else angleIncludes.push(m[2]);
    }
    const v = { locs, includes, angleIncludes, text };
    this.textLocations.set(rel, v);
    return v;
  }

  /** Could this file define `name` as a `kind` (or hold a global of that name)? */
  mayDefine(rel: string, kind: keyof SymbolLocations | 'globals', name: string): boolean {
    const sk = this.sketch(rel);
    if (!sk) return false;
    if (kind === 'globals') return sk.text.includes(name);
    return sk.locs[kind].has(name) || (kind === 'functions' && sk.text.includes(name));
  }

  /** Parsed definitions of one file (shared header or local header), cached for the run. */
  defsOf(rel: string): FileDefs | undefined {
    const cached = this.defsCache.get(rel);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.readText(rel);
    if (text === undefined) {
      this.defsCache.set(rel, null);
      return undefined;
    }
    // declarations only: function bodies are blanked, the parser skips them
    const parsed = parseC(text, { focus: DECLARATIONS_ONLY });
    const defs = collectFileDefs(parsed.tree.rootNode, rel, false, text);
    this.defsCache.set(rel, defs);
    return defs;
  }

  /**
   * A quoted include that is neither next to the including file nor at the tree root comes
   * through a -I path of the Makefile: take the header of that name nearest to the includer.
   */
  nearestHeader(includer: string, inc: string): string | undefined {
    const base = inc.slice(inc.lastIndexOf('/') + 1);
    const list = (this.headersByBase().get(base) ?? []).filter((h) => h.endsWith(inc));
    let best: string | undefined;
    let bestScore = -1;
    for (const h of list) {
      let k = 0;
      while (k < h.length && k < includer.length && h[k] === includer[k]) k++;
      if (k > bestScore) { best = h; bestScore = k; }
    }
    return best;
  }

  private headersByBase(): Map<string, string[]> {
    if (!this.byBasename) {
      this.byBasename = new Map();
      for (const h of this.allHeaders) {
        const b = h.slice(h.lastIndexOf('/') + 1);
        const list = this.byBasename.get(b);
        if (list) list.push(h);
        else this.byBasename.set(b, [h]);
      }
    }
    return this.byBasename;
  }

  private sharedSet: Set<string> | undefined;

  private sharedNames(): Set<string> {
    if (!this.sharedSet) {
      this.sharedSet = new Set();
      for (const h of this.allHeaders) {
        const m = /^(?:include|arch\/[^/]+\/include)\/(.*)$/.exec(h);
        if (m) this.sharedSet.add(m[1]);
      }
    }
    return this.sharedSet;
  }

  /** Is `<inc>` a shared header (include/ or an arch include folder)? */
  isShared(inc: string): boolean {
    const shared = this.sharedNames();
    return shared.has(inc) || /^(?:generated|uapi|asm)\//.test(inc) || shared.has(`uapi/${inc}`);
  }

  /**
   * Build the tables over every header of the tree now (a scan worker does it while it waits
   * for its first files: 50 ms each run, that the first files' includes would otherwise pay).
   */
  prepare(): void {
    this.headersByBase();
    this.sharedNames();
  }

  /** Candidate shared headers for a name of the given kind. */
  where(kind: keyof SymbolLocations, name: string): string[] {
    return this.symbols.where(kind, name);
  }
}

/** A reader that keeps what it read, for a phase that reads the same files again. */
export function keepingReader(read: (rel: string) => string | undefined): (rel: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (rel) => {
    if (texts.has(rel)) return texts.get(rel);
    const t = read(rel);
    texts.set(rel, t);
    return t;
  };
}

/**
 * Read a tree file as latin1 (one char per byte), or undefined when it cannot be read. One
 * buffer serves every read of the reader: a third cheaper than readFileSync over the 10,000
 * shared headers, which allocates a buffer and stats the file for each. The tree's sources are
 * regular files, which a short read ends.
 */
export function treeReader(tree: string): (rel: string) => string | undefined {
  let buf = Buffer.allocUnsafe(1 << 20);
  return (rel: string) => {
    let fd: number;
    try {
      fd = openSync(join(tree, rel), 'r');
    } catch {
      return undefined;
    }
    try {
      let len = 0;
      for (;;) {
        if (len === buf.length) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
        const want = buf.length - len;
        const n = readSync(fd, buf, len, want, null);
        len += n;
        // a regular file's short read is its end: no second read to be told so (20,000 reads)
        if (n < want) break;
      }
      return buf.toString('latin1', 0, len);
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  };
}
