// Anchored edits on C source text, for the subsystem switch: find a top-level function or a
// struct by name, edit inside it, rename a function and put a revocation wrapper in its place.
// Every lookup either finds exactly what it was asked for or throws an AnchorError that names
// the file and the anchor: a tree where an anchor is missing gets a clear message, never a
// half-edited file.

export class AnchorError extends Error {
  override readonly name = 'AnchorError';
  constructor(readonly file: string, readonly anchor: string, detail = 'not found') {
    super(`${file}: ${anchor}: ${detail} (is this a 6.12-like tree with phase one applied?)`);
  }
}

/** Index after the comment, string or char literal starting at i, or i when none starts there. */
function skipNonCode(text: string, i: number): number {
  const c = text[i];
  const n = text[i + 1];
  if (c === '/' && n === '*') {
    const e = text.indexOf('*/', i + 2);
    return e < 0 ? text.length : e + 2;
  }
  if (c === '/' && n === '/') {
    const e = text.indexOf('\n', i);
    return e < 0 ? text.length : e;
  }
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < text.length && text[j] !== c) {
      if (text[j] === '\\') j++;
      if (text[j] === '\n') break;
      j++;
    }
    return j + 1;
  }
  return i;
}

/** Index just after the bracket matching the one at `open` ('(' or '{'). */
export function matchBracket(text: string, open: number): number {
  const o = text[open];
  const cl = o === '(' ? ')' : o === '{' ? '}' : o === '[' ? ']' : '';
  if (!cl) throw new Error(`matchBracket: no bracket at ${open}`);
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const j = skipNonCode(text, i);
    if (j !== i) { i = j; continue; }
    const c = text[i];
    if (c === o) depth++;
    else if (c === cl) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

function skipSpaceAndComments(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    const j = skipNonCode(text, i);
    if (j === i || (text[i] !== '/')) return i;
    i = j;
  }
}

export interface CFunction {
  name: string;
  /** start of the definition (its first line: storage class and return type) */
  start: number;
  /** start of the comment right above the definition, or `start` */
  docStart: number;
  nameStart: number;
  /** text from `start` to the name: "static ssize_t\n", "static noinline int " */
  head: string;
  /** the parameter list without its parentheses, as written */
  params: string;
  /** index just after the parameter list's ')' */
  paramsEnd: number;
  /** index of the body's '{' and just after its '}' */
  bodyOpen: number;
  end: number;
}

const ATTRIBUTES = new Set(['static', 'inline', 'noinline', '__init', '__exit', '__always_inline', '__maybe_unused',
  'extern', '__cold', '__must_check']);

/** The return type of a function from its head ("static noinline int " -> "int"). */
export function returnType(head: string): string {
  return head.replace(/\s+/g, ' ').trim().split(' ').filter((w) => !ATTRIBUTES.has(w)).join(' ')
    .replace(/\s*\*\s*$/, ' *').trim();
}

/** Names of the parameters of a parameter list text. */
export function paramNames(params: string): string[] {
  const clean = params.replace(/\/\*[\s\S]*?\*\//g, ' ').trim();
  if (clean === '' || clean === 'void') return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of clean) {
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => {
    const fp = /\(\s*\*\s*(\w+)\s*\)/.exec(p);
    if (fp) return fp[1];
    const m = /(\w+)\s*(\[[^\]]*\]\s*)*$/.exec(p.trim());
    if (!m || p.trim() === '...') throw new Error(`cannot name the parameter '${p.trim()}'`);
    return m[1];
  });
}

/** Every top-level definition of `name` (its name line starts at column 0 or after the type). */
export function findFunctions(text: string, name: string): CFunction[] {
  const out: CFunction[] = [];
  const re = new RegExp(`^([A-Za-z_][^\\n;{}=]*?[\\s*])?${name}\\s*\\(`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const nameStart = m.index + (m[1]?.length ?? 0);
    const open = text.indexOf('(', nameStart);
    const close = matchBracket(text, open);
    if (close < 0) continue;
    const brace = skipSpaceAndComments(text, close);
    if (text[brace] !== '{') continue;
    let start = m.index;
    if (!m[1]) {
      // the return type on the line above: "static ssize_t\nname(...)"
      const prevEnd = start - 1;
      const prevStart = text.lastIndexOf('\n', prevEnd - 1) + 1;
      const prev = text.slice(prevStart, prevEnd);
      if (!/^[A-Za-z_][\w\s*]*$/.test(prev) || /^(return|else|do)\b/.test(prev)) continue;
      start = prevStart;
    }
    const end = matchBracket(text, brace);
    if (end < 0) continue;
    let docStart = start;
    const before = text.slice(0, start);
    const doc = /\/\*(?:(?!\*\/)[\s\S])*\*\/\n$/.exec(before);
    if (doc) docStart = doc.index;
    out.push({
      name, start, docStart, nameStart, head: text.slice(start, nameStart),
      params: text.slice(open + 1, close - 1), paramsEnd: close, bodyOpen: brace, end,
    });
  }
  return out;
}

export function findFunction(text: string, file: string, name: string): CFunction {
  const all = findFunctions(text, name);
  if (all.length === 0) throw new AnchorError(file, `function ${name}()`);
  if (all.length > 1) throw new AnchorError(file, `function ${name}()`, `${all.length} definitions, expected one`);
  return all[0];
}

/** The body of `struct tag { ... };`: the indexes of '{' and '}'. */
export function findStruct(text: string, file: string, tag: string): { start: number; open: number; close: number } {
  const re = new RegExp(`^struct\\s+${tag}\\s*\\{`, 'gm');
  const all = [...text.matchAll(re)];
  if (all.length !== 1) {
    throw new AnchorError(file, `struct ${tag} definition`, all.length ? `${all.length} definitions` : 'not found');
  }
  const open = all[0].index! + all[0][0].length - 1;
  const end = matchBracket(text, open);
  if (end < 0) throw new AnchorError(file, `end of struct ${tag}`);
  return { start: all[0].index!, open, close: end - 1 };
}

export interface Replace {
  /** what the anchor is, for the error message */
  what: string;
  find: RegExp | string;
  replace: string | ((m: RegExpExecArray) => string);
  /** 'one' (default): exactly one match; 'all': at least one; 'optional': zero or more */
  count?: 'one' | 'all' | 'optional';
}

function toRegExp(find: RegExp | string): RegExp {
  if (typeof find === 'string') return new RegExp(find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g');
  return new RegExp(find.source, find.flags.includes('g') ? find.flags : `${find.flags}g`);
}

/** Apply anchored replacements to `text` in order; `scope` names the region in messages. */
export function replaceAll(text: string, file: string, scope: string, edits: Replace[]): string {
  let out = text;
  for (const e of edits) {
    const re = toRegExp(e.find);
    const matches = [...out.matchAll(re)];
    const count = e.count ?? 'one';
    if (matches.length === 0 && count !== 'optional') throw new AnchorError(file, `${e.what} in ${scope}`);
    if (matches.length > 1 && count === 'one') {
      throw new AnchorError(file, `${e.what} in ${scope}`, `${matches.length} matches, expected one`);
    }
    out = out.replace(re, (...args) => {
      if (typeof e.replace === 'string') return e.replace.replace(/\$(\d)/g, (_, d: string) => args[Number(d)] ?? '');
      const groups = args.slice(0, -2) as string[];
      const m = Object.assign([...groups], { index: args[args.length - 2] as number, input: out }) as unknown as RegExpExecArray;
      return e.replace(m);
    });
  }
  return out;
}

/** Edit the text of one function (its whole definition) with anchored replacements. */
export function editFunction(text: string, file: string, name: string, edits: Replace[]): string {
  const f = findFunction(text, file, name);
  const body = text.slice(f.start, f.end);
  return text.slice(0, f.start) + replaceAll(body, file, `${name}()`, edits) + text.slice(f.end);
}

/** Replace a whole function definition (and the comment above it) by `code`. */
export function replaceFunction(text: string, file: string, name: string, code: string, keepDoc = false): string {
  const f = findFunction(text, file, name);
  const from = keepDoc ? f.start : f.docStart;
  return text.slice(0, from) + code + text.slice(f.end);
}

/** Edit the body of a struct definition. */
export function editStruct(text: string, file: string, tag: string, edits: Replace[]): string {
  const s = findStruct(text, file, tag);
  const body = text.slice(s.open, s.close + 1);
  return text.slice(0, s.open) + replaceAll(body, file, `struct ${tag}`, edits) + text.slice(s.close + 1);
}

/** Insert `code` before the definition of struct `tag`, above the comment that introduces it. */
export function insertBeforeStruct(text: string, file: string, tag: string, code: string): string {
  const s = findStruct(text, file, tag);
  let at = s.start;
  const doc = /\/\*(?:(?!\*\/)[\s\S])*\*\/\n$/.exec(text.slice(0, at));
  if (doc) at = doc.index;
  return `${text.slice(0, at)}${code}\n${text.slice(at)}`;
}

/** The name a wrapped function gets: `__fn`, or `fn_pinned` when it starts with `__` or `__fn` is taken. */
export function innerName(fn: string, text = ''): string {
  const taken = (n: string): boolean => new RegExp(`\\b${n}\\b`).test(text);
  if (!fn.startsWith('__') && !taken(`__${fn}`)) return `__${fn}`;
  return `${fn}_pinned`;
}

/** How a wrapped function reaches the object and what it returns when the object is gone. */
export interface RevocableSpec {
  fn: string;
  /** declarations the wrapper needs to compute `dev`; `$1` is the first parameter's name */
  setup?: string[];
  /** a `struct device *` expression: the core-owned device of the object */
  dev: string;
  /** returned when the object is gone (the wrapped function is not called) */
  fail: string;
  /** `enter(dev, &idx)` returns the object or NULL; `exit(dev, idx)` leaves (always called) */
  enter: string;
  exit: string;
  /** one line for the comment above the wrapper */
  why: string;
}

/**
 * Rename `fn` to `__fn` and define `fn` as a wrapper that calls it only while the object is
 * still there, inside the object's SRCU read section: `fn` keeps its name, so its callers,
 * tables of operations and attribute macros need no change. The wrapper follows `__fn`.
 */
export function wrapRevocable(text: string, file: string, spec: RevocableSpec): string {
  const f = findFunction(text, file, spec.fn);
  const inner = innerName(spec.fn, text);
  if (new RegExp(`\\b${inner}\\b`).test(text)) throw new AnchorError(file, `${inner}()`, 'already exists');
  let names: string[];
  try {
    names = paramNames(f.params);
  } catch (e) {
    throw new AnchorError(file, `parameters of ${spec.fn}()`, (e as Error).message);
  }
  for (const local of ['ret', 'idx']) {
    if (names.includes(local)) throw new AnchorError(file, `${spec.fn}()`, `a parameter is named '${local}'`);
  }
  const type = returnType(f.head);
  if (type === 'void') throw new AnchorError(file, `${spec.fn}()`, 'returns void: no failure value to return');
  const head = /\bstatic\b/.test(f.head) ? f.head : `static ${f.head}`;
  const setup = (spec.setup ?? []).map((l) => `\t${l.replace(/\$1/g, names[0] ?? '')}`);
  const decl = `${type}${type.endsWith('*') ? '' : ' '}ret;`;
  const wrapper = [
    '',
    '',
    `/* ${spec.why} */`,
    signature(f.head, spec.fn, f.params),
    '{',
    ...setup,
    `\t${decl}`,
    '\tint idx;',
    '',
    `\tif (${spec.enter}(${spec.dev}, &idx))`,
    callLines(2, `ret = ${inner}(`, names, ');'),
    '\telse',
    `\t\tret = ${spec.fail};`,
    `\t${spec.exit}(${spec.dev}, idx);`,
    '',
    '\treturn ret;',
    '}',
  ].join('\n');
  const renamed = signature(head, inner, f.params, spec.fn) + text.slice(f.paramsEnd, f.end);
  const rest = text.slice(f.end).replace(/^\n(?!\n)/, '\n\n');
  return text.slice(0, f.start) + renamed + wrapper + rest;
}

/** Rename a function definition to `__name`, returning the text and the definition found. */
export function renameToInner(text: string, file: string, fn: string): { text: string; f: CFunction; inner: string } {
  const f = findFunction(text, file, fn);
  const inner = innerName(fn, text);
  if (new RegExp(`\\b${inner}\\b`).test(text)) throw new AnchorError(file, `${inner}()`, 'already exists');
  const head = /\bstatic\b/.test(f.head) ? f.head : `static ${f.head}`;
  const renamed = signature(head, inner, f.params, fn) + text.slice(f.paramsEnd, f.end);
  return { text: text.slice(0, f.start) + renamed + text.slice(f.end), f, inner };
}

/** Insert `code` right after the end of function `fn` (after a blank line). */
export function insertAfterFunction(text: string, file: string, fn: string, code: string): string {
  const f = findFunction(text, file, fn);
  return `${text.slice(0, f.end)}\n\n${code.replace(/\n+$/, '')}${text.slice(f.end)}`;
}

/** Split a parameter list at its top-level commas, whitespace normalised. */
export function splitParams(params: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of params) {
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (c === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += c;
  }
  parts.push(cur);
  return parts.map((p) => p.replace(/\s+/g, ' ').trim());
}

/**
 * The first lines of a definition, `head` then `name(params)`: as written when the name keeps
 * it within 80 columns, else with the parameters rewrapped and aligned.
 */
export function signature(head: string, name: string, params: string, oldName = name): string {
  const nl = head.lastIndexOf('\n');
  const lead = head.slice(nl + 1);
  if (oldName !== name && params.includes('\n')) {
    // continuation lines aligned after the old parenthesis follow the new one
    const oldCol = width(`${lead}${oldName}(`);
    const newCol = width(`${lead}${name}(`);
    const pad = '\t'.repeat(Math.floor(newCol / 8)) + ' '.repeat(newCol % 8);
    params = params.replace(/\n([ \t]*)/g, (m, ws: string) => (width(ws) === oldCol ? `\n${pad}` : m));
  }
  const asIs = `${head}${name}(${params})`;
  if (asIs.split('\n').every((l) => width(l) <= 80)) return asIs;
  return head.slice(0, nl + 1) + callLines(0, `${head.slice(nl + 1)}${name}(`, splitParams(params), ')');
}

/** Display width of a line, tabs at 8 columns. */
export function width(line: string): number {
  let w = 0;
  for (const c of line) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

/**
 * A call statement at `tabs` indentation, its arguments wrapped at 80 columns and aligned
 * after the opening parenthesis, kernel style.
 */
export function callLines(tabs: number, open: string, args: string[], close: string): string {
  const indent = '\t'.repeat(tabs);
  const one = `${indent}${open}${args.join(', ')}${close}`;
  if (width(one) <= 80) return one;
  const col = width(indent + open);
  const cont = '\t'.repeat(Math.floor(col / 8)) + ' '.repeat(col % 8);
  const lines: string[] = [];
  let cur = indent + open;
  args.forEach((a, i) => {
    const piece = a + (i === args.length - 1 ? close : ',');
    const first = cur === indent + open;
    if (!first && width(`${cur} ${piece}`) > 80) {
      lines.push(cur);
      cur = cont + piece;
    } else {
      cur = first ? cur + piece : `${cur} ${piece}`;
    }
  });
  lines.push(cur);
  return lines.join('\n');
}

/** Insert `code` before function `fn` and the comment above it. */
export function insertBeforeFunction(text: string, file: string, fn: string, code: string): string {
  const f = findFunction(text, file, fn);
  return `${text.slice(0, f.docStart)}${code}\n${text.slice(f.docStart)}`;
}

/** Add `#include <hdr>` among the <linux/...> includes, in alphabetical order, unless there. */
export function addInclude(text: string, file: string, hdr: string): string {
  if (text.includes(`#include <${hdr}>`)) return text;
  const incs = [...text.matchAll(/^#include <linux\/[^>]+>\n/gm)];
  if (!incs.length) throw new AnchorError(file, '#include <linux/...> lines');
  const after = incs.filter((m) => m[0].slice(10, -2) < hdr).pop() ?? incs[0];
  const at = after === incs[0] && incs[0][0].slice(10, -2) > hdr ? after.index! : after.index! + after[0].length;
  return `${text.slice(0, at)}#include <${hdr}>\n${text.slice(at)}`;
}

/** wrapRevocable() for each spec in turn; `$1` in a spec's `dev` is the function's first parameter. */
export function wrapAllRevocable(text: string, file: string, specs: RevocableSpec[]): string {
  for (const s of specs) {
    const names = paramNames(findFunction(text, file, s.fn).params);
    text = wrapRevocable(text, file, { ...s, dev: s.dev.replace(/\$1/g, names[0] ?? '') });
  }
  return text;
}
