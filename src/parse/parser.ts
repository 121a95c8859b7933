// tree-sitter-c behind one small interface. Files are read as latin1 so that one character is
// one byte: offsets from the parser are byte offsets, and writing the text back as latin1 is
// byte-identical for UTF-8 and for any other bytes a kernel file may hold.
import { createRequire } from 'node:module';
import type { SyntaxNode, Tree } from 'tree-sitter';
import { normalizeKernelC, type FocusSpec, type NormalizeResult } from './normalize.js';

const require = createRequire(import.meta.url);
// tree-sitter and tree-sitter-c are CommonJS native addons.
const TreeSitter = require('tree-sitter') as typeof import('tree-sitter');
const C = require('tree-sitter-c') as unknown;

export type { SyntaxNode, Tree };

let parser: InstanceType<typeof TreeSitter> | undefined;
function getParser(): InstanceType<typeof TreeSitter> {
  if (!parser) {
    parser = new TreeSitter();
    parser.setLanguage(C as Parameters<InstanceType<typeof TreeSitter>['setLanguage']>[0]);
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
 * `focus`, blank the bodies of functions whose text does not match it (see normalize.ts).
 */
export function parseC(text: string, opts: { raw?: boolean; focus?: FocusSpec } = {}): ParsedFile {
  const norm = opts.raw ? { text, counts: { annotations: 0, iterators: 0, declarations: 0, blankedBodies: 0 } }
    : normalizeKernelC(text, opts.focus);
  const tree = getParser().parse(norm.text, undefined, { bufferSize: norm.text.length * 2 + 1024 });
  return { text, normalized: norm.text, tree, counts: norm.counts };
}

/** True when the node or one of its ancestors is an ERROR node. */
export function inErrorRegion(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) if (n.type === 'ERROR') return true;
  return false;
}
