// Offset-preserving normalisation of kernel C for tree-sitter-c.
//
// The text handed to the parser has exactly the same length and line structure as the file:
// every rewrite replaces characters one for one (mostly with spaces), so a byte offset or
// row/column in the parse tree is the same position in the original file and edits map back
// without any translation.
import {
  ANNOTATIONS, ANNOTATIONS_WITH_ARGS, isDeclarationMacro, isIteratorMacro,
} from './kernel-macros.js';

const annotationSet = new Set(ANNOTATIONS);
const annotationWithArgsSet = new Set(ANNOTATIONS_WITH_ARGS);

export interface Token {
  /** 'id' identifier or keyword, 'p' punctuation, 'lit' string/char/number */
  kind: 'id' | 'p' | 'lit';
  text: string;
  start: number;
  end: number;
}

/** Token kinds in a TokenList. */
const ID = 0;
const PUNCT = 1;
const LIT = 2;

/**
 * The tokens of a text as parallel arrays: a whole-tree run lexes about five million tokens,
 * and one object (plus one string) per token made the garbage collector the biggest cost.
 */
export class TokenList {
  kind = new Uint8Array(1024);
  start = new Int32Array(1024);
  end = new Int32Array(1024);
  length = 0;

  constructor(readonly src: string) {}

  push(kind: number, start: number, end: number): void {
    if (this.length === this.kind.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.kind = grow(this.kind, (n) => new Uint8Array(n));
      this.start = grow(this.start, (n) => new Int32Array(n));
      this.end = grow(this.end, (n) => new Int32Array(n));
    }
    this.kind[this.length] = kind;
    this.start[this.length] = start;
    this.end[this.length++] = end;
  }

  isId(k: number): boolean {
    return k >= 0 && k < this.length && this.kind[k] === ID;
  }

  /** The token's text ('' past either end). */
  text(k: number): string {
    return k >= 0 && k < this.length ? this.src.slice(this.start[k], this.end[k]) : '';
  }

  /** Is token k exactly `s`? (no string is made) */
  is(k: number, s: string): boolean {
    if (k < 0 || k >= this.length) return false;
    const st = this.start[k];
    return this.end[k] - st === s.length && this.src.startsWith(s, st);
  }

  /** Is token k the one character with this code? */
  isChar(k: number, code: number): boolean {
    return k >= 0 && k < this.length && this.end[k] - this.start[k] === 1 && this.src.charCodeAt(this.start[k]) === code;
  }
}

/**
 * Splits C text into tokens, skipping comments and preprocessor directive keywords. The comments'
 * [start, end) ranges go to `comments` when given.
 */
export function lex(src: string, comments?: number[]): TokenList {
  const out = new TokenList(src);
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) { i++; continue; }
    if (c === 92 /* \ */) { i++; continue; }
    // (never a character read past the end: V8 drops its optimised code for that, compiles again)
    const d = i + 1 < n ? src.charCodeAt(i + 1) : 0;
    if (c === 47 /* / */ && d === 42) {
      const e = src.indexOf('*/', i + 2);
      comments?.push(i, e < 0 ? n : e + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === 47 && d === 47) {
      const s = i;
      // a backslash before the newline continues the comment (line splicing)
      while (i < n && (src.charCodeAt(i) !== 10 || src.charCodeAt(i - 1) === 92)) i++;
      comments?.push(s, i);
      continue;
    }
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const s = i;
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92) { i += 2; continue; }
        if (d === c || d === 10) { i++; break; }
        i++;
      }
      out.push(LIT, s, Math.min(i, n));
      continue;
    }
    if (isIdStart(c)) {
      const s = i;
      while (i < n && isIdPart(src.charCodeAt(i))) i++;
      out.push(ID, s, i);
      continue;
    }
    if (c >= 48 && c <= 57) {
      const s = i;
      while (i < n && (isIdPart(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
      out.push(LIT, s, i);
      continue;
    }
    // -> && || == != ##
    if ((c === 45 && d === 62) || (c === 38 && d === 38) || (c === 124 && d === 124) || (c === 61 && d === 61)
      || (c === 33 && d === 61) || (c === 35 && d === 35)) {
      out.push(PUNCT, i, i + 2);
      i += 2;
      continue;
    }
    out.push(PUNCT, i, i + 1);
    i++;
  }
  return out;
}

/** The tokens as objects (for short texts: macro bodies). */
export function tokenize(src: string, comments?: number[]): Token[] {
  const l = lex(src, comments);
  const out: Token[] = [];
  for (let k = 0; k < l.length; k++) {
    out.push({ kind: l.kind[k] === ID ? 'id' : l.kind[k] === PUNCT ? 'p' : 'lit', text: l.text(k), start: l.start[k], end: l.end[k] });
  }
  return out;
}

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/** Index of the token closing the parenthesis opened at token `open`, or -1. */
function closeParen(tokens: TokenList, open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (tokens.isChar(k, 40)) depth++;
    else if (tokens.isChar(k, 41)) { depth--; if (depth === 0) return k; }
  }
  return -1;
}

/** Index of the token closing the parenthesis opened at tokens[open], or -1. */
export function matchParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(') depth++;
    else if (t === ')') { depth--; if (depth === 0) return k; }
  }
  return -1;
}

export interface NormalizeResult {
  text: string;
  /** how many rewrites of each kind were made, for diagnostics and measurements */
  counts: { annotations: number; iterators: number; declarations: number; blankedBodies: number };
}

const STATEMENT_START_BEFORE = new Set([';', '{', '}', ')', ':', 'else', 'do']);
const DECLARATION_START_BEFORE = new Set([';', '{', '}', 'static', 'const']);

/**
 * Blank out annotations, turn iterator macros into `while` loops and declaration macros into
 * plain declarations. Preprocessor lines other than #define bodies are left alone: tree-sitter
 * handles them.
 */
/** What makes a function worth parsing: words, and `m->dev` / `m.dev` / `m[` / `)->dev` token runs. */
export interface FocusSpec {
  words: ReadonlySet<string>;
  /** members whose access to `accessed` (`m->dev`, `m.dev`) counts */
  members: ReadonlySet<string>;
  /** members that count when subscripted (`m[`) */
  arrayMembers: ReadonlySet<string>;
  /** the embedded members accessed (`dev`) */
  accessed: ReadonlySet<string>;
  /**
   * When set, a function that matches is kept only if it can also hold a site or a fact: a
   * member access (`->dev`, `.dev`), a call named in `calls` (container_of, converters,
   * allocations), or an identifier of `strong` (registration, deletion, macros that reach the
   * member). The others only pass objects on (`i2c_check_functionality(adapter, …)`).
   */
  needs?: { calls: ReadonlySet<string>; strong: ReadonlySet<string> };
}

/** A focus nothing matches: every body is blanked (a header read for its declarations only). */
export const DECLARATIONS_ONLY: FocusSpec = { words: new Set(), members: new Set(), arrayMembers: new Set(), accessed: new Set() };

export function normalizeKernelC(src: string, focus?: FocusSpec): NormalizeResult {
  const buf = Buffer.from(src, 'latin1');
  const counts = { annotations: 0, iterators: 0, declarations: 0, blankedBodies: 0 };
  // with a focus, comments are blanked too: a fifth of what the parser would read in drivers
  const comments: number[] | undefined = focus ? [] : undefined;
  const tokens = lex(src, comments);
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (buf[k] !== 10) buf[k] = 32;
  };
  if (comments) {
    for (let k = 0; k < comments.length; k += 2) {
      // keep line splices: a `\` ending a line inside a comment of a #define still joins lines
      for (let j = comments[k]; j < comments[k + 1]; j++) if (buf[j] !== 10 && !(buf[j] === 92 && buf[j + 1] === 10)) buf[j] = 32;
    }
  }
  const write = (at: number, word: string, width: number) => {
    for (let k = 0; k < width; k++) buf[at + k] = k < word.length ? word.charCodeAt(k) : 32;
  };
  const { start, end } = tokens;
  for (let k = 0; k < tokens.length; k++) {
    if (!tokens.isId(k)) continue;
    const text = tokens.text(k);
    if (annotationSet.has(text)) {
      blank(start[k], end[k]);
      counts.annotations++;
      continue;
    }
    if (!tokens.isChar(k + 1, 40)) continue;
    if (annotationWithArgsSet.has(text)) {
      const close = closeParen(tokens, k + 1);
      if (close < 0) continue;
      blank(start[k], end[close]);
      counts.annotations++;
      k = close;
      continue;
    }
    const prevText = k > 0 ? tokens.text(k - 1) : ';';
    if (isIteratorMacro(text) && text.length >= 5 && STATEMENT_START_BEFORE.has(prevText)) {
      const close = closeParen(tokens, k + 1);
      if (close < 0 || close + 1 >= tokens.length || tokens.isChar(close + 1, 59) || tokens.isChar(close + 1, 41)
        || tokens.isChar(close + 1, 44)) continue;
      write(start[k], 'while', end[k] - start[k]);
      counts.iterators++;
      continue;
    }
    if (isDeclarationMacro(text) && DECLARATION_START_BEFORE.has(prevText) && text.length >= 3) {
      const close = closeParen(tokens, k + 1);
      if (close < 0 || !tokens.isChar(close + 1, 59)) continue;
      // `DEFINE_MUTEX(lock)` -> `int         (lock)`: a valid declaration of the same name.
      write(start[k], 'int', end[k] - start[k]);
      if (k + 2 < tokens.length && tokens.isId(k + 2) && (tokens.isChar(k + 3, 44) || k + 3 === close)) {
        blank(start[k + 3], start[close]);
      } else if (close > k + 2) {
        blank(start[k + 2], start[close]);
        buf[start[k + 2]] = 95; // '_'
      }
      counts.declarations++;
      k = close;
    }
  }
  if (focus) {
    counts.blankedBodies = blankUnfocusedBodies(tokens, buf, focus);
    blankNumericDefines(src, buf);
  }
  return { text: buf.toString('latin1'), counts };
}

// `#define REG_CTRL 0x10`, `#define EN (1 << 3)`: a number is never an object, a type or a
// conversion, and drivers define hundreds (register maps). What follows a macro's name when its
// value is a number; the shared headers' symbol index leaves the same macros out.
export const NUMERIC_MACRO_VALUE = '[ \\t]+[(~\\- \\t]*\\d';
const NUMERIC_DEFINE = new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+\\w+${NUMERIC_MACRO_VALUE}(?:[^\\n]*\\\\\\n)*[^\\n]*`, 'gm');

/** Blank numeric #define lines (continuations included), newlines kept: the parser skips them. */
function blankNumericDefines(src: string, buf: Buffer): void {
  NUMERIC_DEFINE.lastIndex = 0;
  for (let m = NUMERIC_DEFINE.exec(src); m; m = NUMERIC_DEFINE.exec(src)) {
    for (let k = m.index; k < m.index + m[0].length; k++) if (buf[k] !== 10) buf[k] = 32;
  }
}

/**
 * Function bodies (top-level `) {` … `}`) are blanked, newlines kept, unless the function's text
 * matches `focus`, or it calls a function that does (to a fixpoint). The parser then skips
 * code that cannot hold a site; declarations and kept functions keep their exact offsets.
 * Unbalanced braces (#if tricks) disable it for the file.
 */
function blankUnfocusedBodies(tokens: TokenList, buf: Buffer, focus: FocusSpec): number {
  const bodies: { head: number; open: number; close: number; name: string }[] = [];
  const { start, end } = tokens;
  let depth = 0;
  let itemStart = 0;
  let open = -1;
  let name = '';
  for (let k = 0; k < tokens.length; k++) {
    if (tokens.isChar(k, 123 /* { */)) {
      if (depth === 0) {
        const afterParen = tokens.isChar(k - 1, 41);
        const afterEq = tokens.isChar(k - 1, 61);
        open = afterParen || afterEq ? k : -1;
        name = afterEq ? '=' : '';
        if (open >= 0 && !afterEq) {
          // the function's name: the identifier before the parameter list's '('
          let d = 0;
          for (let j = k - 1; j >= 0; j--) {
            if (tokens.isChar(j, 41)) d++;
            else if (tokens.isChar(j, 40)) { d--; if (d === 0) { name = tokens.text(j - 1); break; } }
          }
        }
      }
      depth++;
    } else if (tokens.isChar(k, 125 /* } */)) {
      depth--;
      if (depth < 0) return 0;
      if (depth === 0) {
        if (open >= 0) bodies.push({ head: itemStart, open, close: k, name });
        open = -1;
        itemStart = k + 1;
      }
    } else if (depth === 0 && tokens.isChar(k, 59 /* ; */)) {
      itemStart = k + 1;
    }
  }
  if (depth !== 0) return 0;
  const access = (k: number) => tokens.is(k, '->') || tokens.isChar(k, 46 /* . */);
  // token indices: head..close covers the signature and the body
  const matches = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) {
      const id = tokens.isId(k);
      const paren = !id && tokens.isChar(k, 41);
      if (!id && !paren) continue;
      const text = id ? tokens.text(k) : ')';
      if (id && focus.words.has(text)) return true;
      if (k + 1 >= tokens.length) continue;
      // a member counts as one (`->m.dev`, `.m->dev`): a bare `m->dev` is a local or a
      // parameter, and its declaration names a word if it is an object
      const member = (m: ReadonlySet<string>) => m.has(text) && access(k - 1);
      if (access(k + 1) && (paren || member(focus.members)) && focus.accessed.has(tokens.text(k + 2))) return true;
      if (tokens.isChar(k + 1, 91 /* [ */) && member(focus.arrayMembers)) return true;
    }
    return false;
  };
  // a site's token or a fact's call in a body (see FocusSpec.needs)
  const needs = focus.needs;
  const holds = (from: number, to: number): boolean => {
    if (!needs) return true;
    for (let k = from; k < to; k++) {
      if (!tokens.isId(k)) continue;
      const text = tokens.text(k);
      if (needs.strong.has(text)) return true;
      if (needs.calls.has(text) && tokens.isChar(k + 1, 40)) return true;
      if (focus.accessed.has(text) && k > 0 && access(k - 1)) return true;
    }
    return false;
  };
  // a designator `.dev` in an initialiser
  const designates = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) {
      if (tokens.isChar(k, 46) && focus.accessed.has(tokens.text(k + 1))) return true;
    }
    return false;
  };
  // the functions each body calls, computed once
  const callees = bodies.map((b) => {
    const names = new Set<string>();
    for (let k = b.open; k < b.close; k++) {
      if (tokens.isId(k) && tokens.isChar(k + 1, 40)) names.add(tokens.text(k));
    }
    return names;
  });
  const kept = new Set<number>();
  let added: string[] = [];
  bodies.forEach((b, i) => {
    // initialisers (`= { … }`) are data: kept when they name a word or designate the member
    if (b.name === '=' ? matches(b.open, b.close) || designates(b.open, b.close) : matches(b.head, b.close) && holds(b.open, b.close)) {
      kept.add(i);
      if (b.name !== '=') added.push(b.name);
    }
  });
  // functions that call a kept function are kept too (registration order, helpers), to a fixpoint
  for (let round = 0; round < 2 && added.length; round++) {
    const names = new Set(added.filter((n) => /^[A-Za-z_]\w*$/.test(n)));
    added = [];
    bodies.forEach((b, i) => {
      if (kept.has(i) || b.name === '=') return;
      for (const n of names) {
        if (callees[i].has(n)) {
          kept.add(i);
          added.push(b.name);
          break;
        }
      }
    });
  }
  let blanked = 0;
  bodies.forEach((b, i) => {
    if (kept.has(i)) return;
    for (let k = end[b.open]; k < start[b.close]; k++) if (buf[k] !== 10) buf[k] = 32;
    blanked++;
  });
  return blanked;
}
