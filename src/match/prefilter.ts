// Which files can hold a site at all. A site's receiver is reached through a word that names the
// object's type (`i2c_adapter`, a typedef of it), a member of that type (`adap`, `ddc`), a
// function or macro returning it (`i2c_get_adapter`, `to_foo_adap`), or a global of that type.
// Those words are found by a fixpoint over the headers that mention them (text only, cheap),
// then one `git grep -l -w` (or a file walk outside git) lists the files to parse.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TransformDefinition } from '../transform.js';
import { escapeRe } from '../util/text.js';

const execFileP = promisify(execFile);

export interface RelevantWords {
  /** type names (struct tags, typedefs) of the objects */
  types: Set<string>;
  /** functions, macros and globals that yield an object: specific names, matched as words */
  funcs: Set<string>;
  /** struct members of the object's type (often generic names: `adap`, `host`, `base`) */
  members: Set<string>;
  /** the members among them that are arrays of objects */
  arrayMembers: Set<string>;
}


/** Brace depth at an offset (comments and strings ignored: headers are regular enough). */
function braceDepth(text: string, at: number): number {
  let d = 0;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) d++;
    else if (c === 125 && d > 0) d--;
  }
  return d;
}

function size(w: RelevantWords): number {
  return w.types.size + w.funcs.size + w.members.size + w.arrayMembers.size;
}

/** Extend `words` with what one header's text declares in terms of them. Returns true if it grew. */
export function learnFromHeader(text: string, words: RelevantWords): boolean {
  const before = size(words);
  const typeAlt = [...words.types].map(escapeRe).join('|');
  const decl = new RegExp(`\\b(?:(?:struct|union)\\s+)?(?:${typeAlt})\\b\\s*((?:\\*|\\s|\\bconst\\b)*)\\s*([A-Za-z_]\\w*)\\s*(\\(|\\[|;|,|\\)|=)`, 'g');
  for (let m = decl.exec(text); m; m = decl.exec(text)) {
    const name = m[2];
    if (/^(const|volatile|struct|union|return|sizeof)$/.test(name)) continue;
    const end = m[3];
    if (end === ')') continue; // a parameter or a cast: not reachable from other files
    if (end === '(') {
      if (m[1].includes('*')) words.funcs.add(name);
      continue;
    }
    // inside a parameter list (a prototype spread over lines): not reachable from elsewhere
    const stmt = text.slice(Math.max(0, m.index - 400), m.index).split(/[;{}]/).pop() ?? '';
    if ((stmt.match(/\(/g) ?? []).length > (stmt.match(/\)/g) ?? []).length) continue;
    if (/\bextern\b/.test(stmt) || /^\s*(static\s+)?$/.test(stmt) && braceDepth(text, m.index) === 0) words.funcs.add(name);
    else words.members.add(name);
    if (end === '[') words.arrayMembers.add(name);
  }
  const td = new RegExp(`\\btypedef\\s+(?:(?:struct|union)\\s+)?(?:${typeAlt})\\s*(\\**)\\s*(\\w+)\\s*;`, 'g');
  for (let m = td.exec(text); m; m = td.exec(text)) words.types.add(m[2]);
  // function-like macros whose body names a type or a function of the set
  const nameAlt = [...words.types, ...words.funcs].map(escapeRe).join('|');
  const mention = new RegExp(`\\b(?:${nameAlt})\\b`);
  const macro = /#\s*define\s+(\w+)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)/g;
  for (let m = macro.exec(text); m; m = macro.exec(text)) {
    if (!words.funcs.has(m[1]) && mention.test(m[3])) words.funcs.add(m[1]);
  }
  return size(words) !== before;
}

export function initialWords(transforms: readonly TransformDefinition[]): RelevantWords {
  const words: RelevantWords = { types: new Set(), funcs: new Set(), members: new Set(), arrayMembers: new Set() };
  for (const t of transforms) {
    for (const s of t.structs) words.types.add(s);
    words.funcs.add(t.converter);
    for (const a of t.converterAliases) words.funcs.add(a);
    for (const a of t.coreAllocators) words.funcs.add(a);
  }
  return words;
}

/** What to look for in a file: whole words, and fixed strings (`adap->dev`, `adaps[`). */
export function searchPatterns(words: RelevantWords, accessedMembers: readonly string[]): { words: string[]; fixed: string[] } {
  const fixed: string[] = [];
  for (const m of words.members) {
    for (const d of accessedMembers) fixed.push(`${m}->${d}`, `${m}.${d}`);
  }
  for (const m of words.arrayMembers) fixed.push(`${m}[`);
  return { words: [...words.types, ...words.funcs], fixed };
}

/** `git grep -l -w -F` for any of the words, in the given pathspecs. */
export async function grepFiles(tree: string, words: Iterable<string>, pathspecs: string[], useGit: boolean,
  readText: (rel: string) => string | undefined, allFiles?: () => string[], asWords = true): Promise<string[]> {
  const list = [...words];
  if (list.length === 0) return [];
  if (useGit) {
    const args = ['grep', '-l', '-F', '-I', '--no-color'];
    if (asWords) args.push('-w');
    for (const w of list) args.push('-e', w);
    args.push('--', ...pathspecs);
    try {
      const { stdout } = await execFileP('git', args, { cwd: tree, maxBuffer: 256 * 1024 * 1024 });
      return stdout.split('\n').filter(Boolean).sort();
    } catch (e) {
      const err = e as { code?: number; stdout?: string };
      if (err.code === 1) return []; // no match
      throw e;
    }
  }
  const alt = list.map(escapeRe).join('|');
  const re = new RegExp(asWords ? `\\b(?:${alt})\\b` : `(?:${alt})`);
  // git pathspec globs: `*` matches across folders too
  const specs = pathspecs.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`));
  return (allFiles ? allFiles() : []).filter((f) => specs.some((r) => r.test(f)) && re.test(readText(f) ?? '')).sort();
}

/** Every .c and .h file below `dir` (relative to the tree), for trees that are not git repositories. */
export function walkSources(tree: string, dir = ''): string[] {
  const out: string[] = [];
  const visit = (rel: string) => {
    let entries;
    try {
      entries = readdirSync(join(tree, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && (e.name.endsWith('.c') || e.name.endsWith('.h'))) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * Files (of the pathspecs) that mention any pattern. `wordSpecs` narrows where whole words are
 * looked for (the caller may already know the headers that mention them).
 */
export async function filesMentioning(tree: string, words: RelevantWords, accessedMembers: readonly string[],
  pathspecs: string[], useGit: boolean, readText: (rel: string) => string | undefined, allFiles?: () => string[],
  wordSpecs: string[] = pathspecs): Promise<string[]> {
  const p = searchPatterns(words, accessedMembers);
  const [a, b] = await Promise.all([
    grepFiles(tree, p.words, wordSpecs, useGit, readText, allFiles, true),
    grepFiles(tree, p.fixed, pathspecs, useGit, readText, allFiles, false),
  ]);
  return [...new Set([...a, ...b])].sort();
}

export interface RelevantFiles {
  words: RelevantWords;
  /** headers that mention a word (the fixpoint read them all) */
  headers: string[];
}

function snapshot(w: RelevantWords): RelevantWords {
  return { types: new Set(w.types), funcs: new Set(w.funcs), members: new Set(w.members), arrayMembers: new Set(w.arrayMembers) };
}

function minus(a: RelevantWords, b: RelevantWords): RelevantWords {
  const d = (x: Set<string>, y: Set<string>) => new Set([...x].filter((v) => !y.has(v)));
  return { types: d(a.types, b.types), funcs: d(a.funcs, b.funcs), members: d(a.members, b.members),
    arrayMembers: d(a.arrayMembers, b.arrayMembers) };
}

/**
 * The fixpoint over headers: all words that can lead to an object, and the headers that
 * mention them. Each round greps only for the words the previous round learned.
 */
export async function relevantWords(tree: string, transforms: readonly TransformDefinition[], useGit: boolean,
  readText: (rel: string) => string | undefined, allFiles?: () => string[]): Promise<RelevantFiles> {
  const words = initialWords(transforms);
  const seen = new Set<string>();
  let fresh = snapshot(words);
  for (let round = 0; round < 12; round++) {
    const before = snapshot(words);
    // members never teach anything new (learnFromHeader keys on types and functions): grep only
    // for the new type and function names
    const headers = await grepFiles(tree, [...fresh.types, ...fresh.funcs], ['*.h'], useGit, readText, allFiles, true);
    if (process.env.UNEMBED_DEBUG) process.stderr.write(`prefilter round ${round}: ${fresh.types.size + fresh.funcs.size} words, ${headers.length} headers\n`);
    let typesGrew = false;
    for (const h of headers) {
      if (seen.has(h)) continue;
      seen.add(h);
      const text = readText(h);
      const nTypes = words.types.size;
      if (text) learnFromHeader(text, words);
      if (words.types.size !== nTypes) typesGrew = true;
    }
    if (typesGrew) {
      // a new type name (a typedef) can be declared in headers read earlier: read them again
      for (const h of seen) {
        const text = readText(h);
        if (text) learnFromHeader(text, words);
      }
    }
    fresh = minus(words, before);
    if (fresh.types.size + fresh.funcs.size + fresh.members.size + fresh.arrayMembers.size === 0) break;
  }
  return { words, headers: [...seen].sort() };
}
