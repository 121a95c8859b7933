// tree-sitter-c behind one small interface. Files are read as latin1 so that one character is
// one byte: offsets from the parser are byte offsets, and writing the text back as latin1 is
// byte-identical for UTF-8 and for any other bytes a kernel file may hold.
import { createRequire } from 'node:module';
import type { SyntaxNode, Tree } from 'tree-sitter';
import { normalizeKernelC, type FocusSpec, type NormalizeResult } from './normalize.js';

const require = createRequire(import.meta.url);

export type { SyntaxNode, Tree };

type TreeSitterParser = InstanceType<typeof import('tree-sitter')>;
let parser: TreeSitterParser | undefined;
/** Make the parser now rather than at the first parse (a worker does it while it waits). */
export function prepareParser(): void {
  getParser();
}

function getParser(): TreeSitterParser {
  if (!parser) {
    // tree-sitter and tree-sitter-c are CommonJS native addons, loaded at the first parse: the
    // main thread of a scan parses nothing, and loading them was 30 ms of its start
    const TreeSitter = require('tree-sitter') as typeof import('tree-sitter');
    const C = require('tree-sitter-c') as Parameters<TreeSitterParser['setLanguage']>[0];
    parser = new TreeSitter();
    parser.setLanguage(C);
  }
  return parser;
}

export interface ParsedFile {
  /** the original text (latin1: one char per byte) */
  text: string;
  /** what the parser saw: same length, same offsets */
  normalized: string;
  tree: Tree;
  counts: NormalizeResult['counts'];
}

/**
 * Parse C text. With `raw`, skip the kernel normalisation (to measure what it buys); with
 * `focus`, blank the bodies of functions whose text does not match it (see normalize.ts);
 * `normalized` is that normalisation when the caller already made it.
 */
export function parseC(text: string, opts: { raw?: boolean; focus?: FocusSpec; normalized?: NormalizeResult } = {}): ParsedFile {
  const norm = opts.raw ? { text, counts: { annotations: 0, iterators: 0, declarations: 0, blankedBodies: 0 } }
    : opts.normalized ?? normalizeKernelC(text, opts.focus);
  const ranges = opts.focus ? includedRanges(norm.text) : undefined;
  const tree = ranges && ranges.length > 1
    ? getParser().parse(norm.text, undefined, { bufferSize: 16 * 1024, includedRanges: ranges })
    : getParser().parse(norm.text, undefined, { bufferSize: norm.text.length * 2 + 1024 });
  return { text, normalized: norm.text, tree, counts: norm.counts };
}

interface Point {
  row: number;
  column: number;
}
interface Range {
  startIndex: number;
  endIndex: number;
  startPosition: Point;
  endPosition: Point;
}

/** Blank runs shorter than this stay in the parser's input. */
const MIN_GAP = 512;

/**
 * The text minus its long blank runs (blanked bodies, comments), for tree-sitter's
 * includedRanges: its lexer crosses white space at about 12 MB/s, a fifth of a whole-tree
 * parse. Offsets and positions stay those of the file. A run is cut after its first newline,
 * so that a preprocessor line still ends where it did.
 */
export function includedRanges(text: string): Range[] {
  const out: Range[] = [];
  const n = text.length;
  let row = 0;
  let lineStart = 0;
  let from = 0;
  let fromPoint: Point = { row: 0, column: 0 };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      row++;
      lineStart = i + 1;
    }
    if (c !== 32 && c !== 10) {
      i++;
      continue;
    }
    // a blank run from i: cut after its first newline
    let j = i;
    let cut = -1;
    let cutRow = row;
    let cutLineStart = lineStart;
    if (c === 10) {
      cut = i + 1;
    }
    j++;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 10) {
        if (cut < 0) {
          cut = j + 1;
          cutRow = row + 1;
          cutLineStart = j + 1;
        }
        row++;
        lineStart = j + 1;
      } else if (d !== 32) break;
      j++;
    }
    const gapStart = cut < 0 ? i : cut;
    if (j - gapStart >= MIN_GAP) {
      const endPoint = cut < 0 ? { row, column: gapStart - lineStart } : { row: cutRow, column: gapStart - cutLineStart };
      out.push({ startIndex: from, endIndex: gapStart, startPosition: fromPoint, endPosition: endPoint });
      from = j;
      fromPoint = { row, column: j - lineStart };
    }
    i = j;
  }
  out.push({ startIndex: from, endIndex: n, startPosition: fromPoint, endPosition: { row, column: n - lineStart } });
  return out;
}

/** True when the node or one of its ancestors is an ERROR node. */
export function inErrorRegion(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}
