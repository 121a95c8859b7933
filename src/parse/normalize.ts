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

/**
 * Splits C text into tokens, skipping comments and preprocessor directive keywords. The comments'
 * [start, end) ranges go to `comments` when given.
 */
export function tokenize(src: string, comments?: number[]): Token[] {
  const out: Token[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) { i++; continue; }
    if (c === 92 /* \ */) { i++; continue; }
    if (c === 47 /* / */ && src.charCodeAt(i + 1) === 42) {
      const e = src.indexOf('*/', i + 2);
      comments?.push(i, e < 0 ? n : e + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    if (c === 47 && src.charCodeAt(i + 1) === 47) {
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
      out.push({ kind: 'lit', text: src.slice(s, i), start: s, end: i });
      continue;
    }
    if (isIdStart(c)) {
      const s = i;
      while (i < n && isIdPart(src.charCodeAt(i))) i++;
      out.push({ kind: 'id', text: src.slice(s, i), start: s, end: i });
      continue;
    }
    if (c >= 48 && c <= 57) {
      const s = i;
      while (i < n && (isIdPart(src.charCodeAt(i)) || src.charCodeAt(i) === 46)) i++;
      out.push({ kind: 'lit', text: src.slice(s, i), start: s, end: i });
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '->' || two === '&&' || two === '||' || two === '==' || two === '!=' || two === '##') {
      out.push({ kind: 'p', text: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    out.push({ kind: 'p', text: src[i], start: i, end: i + 1 });
    i++;
  }
  return out;
}

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
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
}

/** A focus nothing matches: every body is blanked (a header read for its declarations only). */
export const DECLARATIONS_ONLY: FocusSpec = { words: new Set(), members: new Set(), arrayMembers: new Set(), accessed: new Set() };

export function normalizeKernelC(src: string, focus?: FocusSpec): NormalizeResult {
  const buf = Buffer.from(src, 'latin1');
  const counts = { annotations: 0, iterators: 0, declarations: 0, blankedBodies: 0 };
  // with a focus, comments are blanked too: a fifth of what the parser would read in drivers
  const comments: number[] | undefined = focus ? [] : undefined;
  const tokens = tokenize(src, comments);
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
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'id') continue;
    if (annotationSet.has(t.text)) {
      blank(t.start, t.end);
      counts.annotations++;
      continue;
    }
    const next = tokens[k + 1];
    if (!next || next.text !== '(') continue;
    if (annotationWithArgsSet.has(t.text)) {
      const close = matchParen(tokens, k + 1);
      if (close < 0) continue;
      blank(t.start, tokens[close].end);
      counts.annotations++;
      k = close;
      continue;
    }
    const prev = tokens[k - 1];
    const prevText = prev ? prev.text : ';';
    if (isIteratorMacro(t.text) && t.text.length >= 5 && STATEMENT_START_BEFORE.has(prevText)) {
      const close = matchParen(tokens, k + 1);
      const after = tokens[close + 1];
      if (close < 0 || !after || after.text === ';' || after.text === ')' || after.text === ',') continue;
      write(t.start, 'while', t.end - t.start);
      counts.iterators++;
      continue;
    }
    if (isDeclarationMacro(t.text) && DECLARATION_START_BEFORE.has(prevText) && t.text.length >= 3) {
      const close = matchParen(tokens, k + 1);
      const after = tokens[close + 1];
      if (close < 0 || !after || after.text !== ';') continue;
      // `DEFINE_MUTEX(lock)` -> `int         (lock)`: a valid declaration of the same name.
      write(t.start, 'int', t.end - t.start);
      const first = tokens[k + 2];
      if (first && first.kind === 'id' && (tokens[k + 3].text === ',' || k + 3 === close)) {
        blank(tokens[k + 3].start, tokens[close].start);
      } else if (close > k + 2) {
        blank(tokens[k + 2].start, tokens[close].start);
        buf[tokens[k + 2].start] = 95; // '_'

      }
      counts.declarations++;
      k = close;
    }
  }
  if (focus) counts.blankedBodies = blankUnfocusedBodies(src, tokens, buf, focus);
  return { text: buf.toString('latin1'), counts };
}

/**
 * Function bodies (top-level `) {` … `}`) are blanked, newlines kept, unless the function's text
 * matches `focus`, or it calls a function that does (to a fixpoint). The parser then skips
 * code that cannot hold a site; declarations and kept functions keep their exact offsets.
 * Unbalanced braces (#if tricks) disable it for the file.
 */
function blankUnfocusedBodies(src: string, tokens: Token[], buf: Buffer, focus: FocusSpec): number {
  const bodies: { head: number; open: number; close: number; name: string }[] = [];
  let depth = 0;
  let itemStart = 0;
  let open = -1;
  let name = '';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '{') {
      if (depth === 0) {
        const prev = tokens[k - 1]?.text;
        open = prev === ')' || prev === '=' ? k : -1;
        name = prev === '=' ? '=' : '';
        if (open >= 0 && name !== '=') {
          // the function's name: the identifier before the parameter list's '('
          let d = 0;
          for (let j = k - 1; j >= 0; j--) {
            if (tokens[j].text === ')') d++;
            else if (tokens[j].text === '(') { d--; if (d === 0) { name = tokens[j - 1]?.text ?? ''; break; } }
          }
        }
      }
      depth++;
    } else if (t === '}') {
      depth--;
      if (depth < 0) return 0;
      if (depth === 0) {
        if (open >= 0) bodies.push({ head: itemStart, open, close: k, name });
        open = -1;
        itemStart = k + 1;
      }
    } else if (t === ';' && depth === 0) {
      itemStart = k + 1;
    }
  }
  if (depth !== 0) return 0;
  // token indices: head..close covers the signature and the body
  const matches = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) {
      const tk = tokens[k];
      if (tk.kind !== 'id' && tk.text !== ')') continue;
      if (tk.kind === 'id' && focus.words.has(tk.text)) return true;
      const next = tokens[k + 1];
      if (!next) continue;
      // a member counts as one (`->m.dev`, `.m->dev`): a bare `m->dev` is a local or a
      // parameter, and its declaration names a word if it is an object
      const member = (m: ReadonlySet<string>) => m.has(tk.text) && (tokens[k - 1]?.text === '->' || tokens[k - 1]?.text === '.');
      if ((next.text === '->' || next.text === '.') && (tk.text === ')' || member(focus.members))
        && tokens[k + 2] && focus.accessed.has(tokens[k + 2].text)) return true;
      if (next.text === '[' && member(focus.arrayMembers)) return true;
    }
    return false;
  };
  // a designator `.dev` in an initialiser
  const designates = (from: number, to: number): boolean => {
    for (let k = from; k < to; k++) {
      if (tokens[k].text === '.' && tokens[k + 1] && focus.accessed.has(tokens[k + 1].text)) return true;
    }
    return false;
  };
  // the functions each body calls, computed once
  const callees = bodies.map((b) => {
    const names = new Set<string>();
    for (let k = b.open; k < b.close; k++) {
      if (tokens[k].kind === 'id' && tokens[k + 1]?.text === '(') names.add(tokens[k].text);
    }
    return names;
  });
  const kept = new Set<number>();
  let added: string[] = [];
  bodies.forEach((b, i) => {
    // initialisers (`= { … }`) are data: kept when they name a word or designate the member
    if (b.name === '=' ? matches(b.open, b.close) || designates(b.open, b.close) : matches(b.head, b.close)) {
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
    for (let k = tokens[b.open].end; k < tokens[b.close].start; k++) if (buf[k] !== 10) buf[k] = 32;
    blanked++;
  });
  return blanked;
}
