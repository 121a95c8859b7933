// Which files can hold a site at all. A site's receiver is reached through a word that names the
// object's type (`i2c_adapter`, a typedef of it), a member of that type (`adap`, `ddc`), a
// function or macro returning it (`i2c_get_adapter`, `to_foo_adap`), or a global of that type.
// Those words are found by a fixpoint over the headers that mention them (text only, cheap),
// then one `git grep -l -w` (or a file walk outside git) lists the files to parse.
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TransformDefinition } from '../transform.js';
import { escapeRe } from '../util/text.js';
import { debugAt } from '../util/debug.js';
import { alternation, grepFiles, type GrepPattern } from './grep.js';
import { readGitIndex } from '../util/git-index.js';
import { keepingReader } from '../types/header-index.js';

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


/**
 * Brace depth at offsets of one text (comments and strings ignored: headers are regular enough),
 * counted on from the offset asked before when the next is further: a driver's local
 * declarations are asked in order, and counting each from the start made the cost quadratic.
 */
function braceDepths(text: string): (at: number) => number {
  let pos = 0;
  let d = 0;
  return (at) => {
    if (at < pos) {
      pos = 0;
      d = 0;
    }
    for (; pos < at; pos++) {
      const c = text.charCodeAt(pos);
      if (c === 123) d++;
      else if (c === 125 && d > 0) d--;
    }
    return d;
  };
}

function size(w: RelevantWords): number {
  return w.types.size + w.funcs.size + w.members.size + w.arrayMembers.size;
}

const regExps = new Map<string, RegExp>();

/**
 * One RegExp per source and flags, kept for the run (reset): the words change little from one
 * file to the next, and V8 compiles a pattern to machine code only after it has run a while.
 */
function cachedRegExp(source: string, flags: string): RegExp {
  const key = `${flags}/${source}`;
  let re = regExps.get(key);
  if (!re) {
    if (regExps.size > 256) regExps.clear();
    regExps.set(key, re = new RegExp(source, flags));
  }
  re.lastIndex = 0;
  return re;
}

/** Extend `words` with what one header's text declares in terms of them. Returns true if it grew. */
export function learnFromHeader(text: string, words: RelevantWords): boolean {
  const before = size(words);
  const typeAlt = [...words.types].map(escapeRe).join('|');
  const depthAt = braceDepths(text);
  const decl = cachedRegExp(`\\b(?:(?:struct|union)\\s+)?(?:${typeAlt})\\b\\s*((?:\\*|\\s|\\bconst\\b)*)\\s*([A-Za-z_]\\w*)\\s*(\\(|\\[|;|,|\\)|=)`, 'g');
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
    if (/\bextern\b/.test(stmt) || /^\s*(static\s+)?$/.test(stmt) && depthAt(m.index) === 0) words.funcs.add(name);
    else words.members.add(name);
    if (end === '[') words.arrayMembers.add(name);
  }
  const td = cachedRegExp(`\\btypedef\\s+(?:(?:struct|union)\\s+)?(?:${typeAlt})\\s*(\\**)\\s*(\\w+)\\s*;`, 'g');
  for (let m = td.exec(text); m; m = td.exec(text)) words.types.add(m[2]);
  // function-like macros whose body names a type or a function of the set
  const nameAlt = [...words.types, ...words.funcs].map(escapeRe).join('|');
  const mention = cachedRegExp(`\\b(?:${nameAlt})\\b`, '');
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

/**
 * The grep patterns of a run. Words (types, functions, globals) match anywhere. A member name is
 * generic (`i2c`, `base`, `host`), so it only counts as a member access, `->m->dev` or `.m.dev`
 * (or `->m[`): a bare `m->dev` is a local or parameter, and a declaration of one of the object's
 * type names a type word, which the word pattern already finds. Macro bodies are the exception
 * (`#define FOO(m) \` … `m->dev`): there the bare form counts too.
 */
export function grepPatterns(words: RelevantWords, accessedMembers: readonly string[]): { words: GrepPattern[]; members: GrepPattern[] } {
  const w = [...words.types, ...words.funcs];
  const members: GrepPattern[] = [];
  if (words.members.size) {
    const m = alternation(words.members);
    const d = alternation(accessedMembers);
    members.push(`(->|\\.)\\s*${m}\\s*(->|\\.)\\s*${d}\\b`);
    // a line of a multi-line macro (a one-line `#define` pattern costs GNU grep 3x the rest; in
    // 6.12 every one-line macro that reaches a member also has the `->m.dev` form)
    members.push(`\\b${m}\\s*(->|\\.)\\s*${d}\\b.*\\\\$`);
  }
  if (words.arrayMembers.size) members.push(`(->|\\.)\\s*${alternation(words.arrayMembers)}\\s*\\[`);
  return { words: w.length ? [`\\b${alternation(w)}\\b`] : [], members };
}

/**
 * Files bigger than this are generated tables (amdgpu's asic_reg headers: 35 files, 300 MB in
 * 6.12, half the bytes of all headers), not code that can reach an object: never searched.
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Lists a tree's .c and .h files once: `git ls-files` in a git tree, a walk otherwise. */
export class SourceList {
  private all?: Promise<string[]>;
  /** files left out for their size */
  readonly large: string[] = [];
  /**
   * `untrackedUnder`: the folders where untracked files are looked for (default: the whole
   * tree). Git walks the whole worktree for them (0.2 s on 6.12, before a scan can start); a
   * partial scan asks only its folders and the shared header folders, where what it reads lives.
   */
  constructor(private readonly tree: string, private readonly useGit: boolean, private readonly untrackedUnder?: readonly string[]) {}

  files(): Promise<string[]> {
    return (this.all ??= this.list());
  }

  private trackedOnly: Promise<string[]> | undefined;
  private trackedListed: ((files: string[]) => void) | undefined;

  private trackedPromise(): Promise<string[]> {
    return (this.trackedOnly ??= new Promise((resolve) => {
      this.trackedListed = resolve;
    }));
  }

  /**
   * The tracked sources alone (within the size limit, sorted), ready before git has walked the
   * folders for untracked ones, which are usually none: work can start on these and be done
   * again in the rare run where files() has more.
   */
  tracked(): Promise<string[]> {
    const tracked = this.trackedPromise();
    // outside git, all files at once; a failed listing fails files(), which the caller awaits too
    this.files().then((f) => this.trackedListed?.(f), () => this.trackedListed?.([]));
    return tracked;
  }

  async under(dir: string, ext: 'c' | 'h' | 'ch'): Promise<string[]> {
    return filesUnder(await this.files(), dir, ext);
  }

  /** The sources within the size limit, sorted; the others go to `large`. */
  private async list(): Promise<string[]> {
    const files: string[] = [];
    /** a file by its size as listed, or else as stat() says */
    const add = (f: string, listed: number | undefined) => {
      let size = listed;
      if (size === undefined) {
        try {
          size = statSync(join(this.tree, f)).size;
        } catch {
          size = 0; // gone or unreadable: the reader reports it
        }
      }
      if (size > MAX_FILE_BYTES) this.large.push(f);
      else files.push(f);
    };
    if (this.useGit) {
      try {
        // the index itself, or else `git ls-files --debug`, has the sizes: 60k stat() calls
        // cost this process 0.6 s, the git listing 0.25 s, reading the index 0.1 s
        // untracked files count too (a new driver not yet added), listed at the same time
        const where = this.untrackedUnder?.map((d) => (d === '' || d === '.' ? '' : `${d.replace(/\/+$/, '')}/`))
          .flatMap((d) => [`${d}*.c`, `${d}*.h`]) ?? ['*.c', '*.h'];
        const untracked = execFileP('git', ['ls-files', '-z', '--others', '--exclude-standard', '--', ...where],
          { cwd: this.tree, maxBuffer: 64 * 1024 * 1024 });
        untracked.catch(() => { /* awaited below */ });
        const tracked: { paths: string[]; sizes: (number | undefined)[] } = readGitIndex(this.tree, ['.c', '.h'])
          ?? await trackedSources(this.tree);
        tracked.paths.forEach((f, i) => add(f, tracked.sizes[i]));
        this.trackedPromise();
        this.trackedListed?.(sorted(files.slice()));
        for (const f of (await untracked).stdout.split('\0')) if (f) add(f, undefined);
        this.large.sort();
        return sorted(files);
      } catch {
        files.length = 0;
        this.large.length = 0;
      }
    }
    for (const f of walkSources(this.tree)) add(f, undefined);
    return files;
  }
}

/** The files of a sorted list below `dir` (relative; '' or '.' is the root) with one of the extensions. */
export function filesUnder(files: readonly string[], dir: string, ext: 'c' | 'h' | 'ch'): string[] {
  const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/+$/, '')}/`;
  const ok = (f: string) => f.startsWith(prefix) && (ext === 'ch' ? /\.[ch]$/.test(f) : f.endsWith(`.${ext}`));
  return files.filter(ok);
}

/** Sorts in place unless already sorted (the index is; untracked files are few or none). */
function sorted(files: string[]): string[] {
  for (let i = 1; i < files.length; i++) if (files[i - 1] > files[i]) return files.sort();
  return files;
}

/** `git ls-files -z --debug` of a tree's .c and .h files (see SourceList). */
async function trackedSources(tree: string): Promise<{ paths: string[]; sizes: (number | undefined)[] }> {
  const out = (await execFileP('git', ['ls-files', '-z', '--debug', '--', '*.c', '*.h'], { cwd: tree, maxBuffer: 256 * 1024 * 1024 })).stdout;
  const sizes = new Map<string, number>();
  const paths = parseLsFilesDebug(out, sizes);
  return { paths, sizes: paths.map((p) => sizes.get(p)) };
}

/**
 * The paths of `git ls-files -z --debug`, with their sizes into `sizes`. The output is
 * "path\0  ctime: …\n  …\n  size: N\tflags: 0\npath\0…": after each NUL come the file's stat
 * lines, the last of them holding its size. Read with indexOf: 80,000 records, 9 MB.
 */
export function parseLsFilesDebug(out: string, sizes: Map<string, number>): string[] {
  const files: string[] = [];
  let pos = 0;
  while (pos < out.length) {
    const nul = out.indexOf('\0', pos);
    if (nul < 0) break;
    const path = out.slice(pos, nul);
    files.push(path);
    const nextNul = out.indexOf('\0', nul + 1);
    const end = nextNul < 0 ? out.length : out.lastIndexOf('\n', nextNul) + 1;
    const at = out.indexOf('\n  size: ', nul);
    if (at >= 0 && at < end) {
      let n = 0;
      let i = at + 9;
      for (let c = out.charCodeAt(i); c >= 48 && c <= 57; c = out.charCodeAt(++i)) n = n * 10 + (c - 48);
      if (i > at + 9) sizes.set(path, n);
    }
    pos = end > nul ? end : out.length;
  }
  return files;
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

/** Files that can hold a site: those naming a word or with a member access of the run (see grepPatterns). */
export async function filesMentioning(tree: string, words: RelevantWords, accessedMembers: readonly string[],
  files: readonly string[], readText: (rel: string) => string | undefined): Promise<string[]> {
  const p = grepPatterns(words, accessedMembers);
  return grepFiles(tree, files, [...p.words, ...p.members], readText);
}

export interface RelevantFiles {
  words: RelevantWords;
  /** headers that mention a word (the fixpoint read them all) */
  headers: string[];
  /** for each member of an object's type, the headers whose structs declare it */
  memberHeaders: Map<string, string[]>;
  /** every file a round's grep found (headers, and the other files when given) */
  matched: string[];
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
 * mention them. Each round greps only for the words the previous round learned. `otherFiles`
 * (the .c files of a whole-tree run) are searched in the same passes, with the member patterns
 * too, so that the run reads the tree twice instead of three times; `matched` lists them all.
 */
export async function relevantWords(tree: string, transforms: readonly TransformDefinition[], headerFiles: readonly string[],
  read: (rel: string) => string | undefined, otherFiles: readonly string[] = []): Promise<RelevantFiles> {
  // every round, the learning and the member table read the same headers: each once
  const readText = keepingReader(read);
  const words = initialWords(transforms);
  const accessed = [...new Set(transforms.map((t) => t.member))];
  const everything = [...headerFiles, ...otherFiles];
  const seen = new Set<string>();
  const matched = new Set<string>();
  let fresh = snapshot(words);
  for (let round = 0; round < 12; round++) {
    const before = snapshot(words);
    // round 0 reads the headers only (a third of the bytes); the first round over everything
    // looks for every word, later rounds for the new ones
    const wide = round > 0 && otherFiles.length > 0;
    const p = grepPatterns(round === 1 && wide ? words : fresh, accessed);
    const patterns = wide ? [...p.words, ...p.members] : p.words;
    const found = patterns.length ? await grepFiles(tree, wide ? everything : headerFiles, patterns, readText) : [];
    const wordRe = p.words.length ? new RegExp(p.words[0]) : undefined;
    debugAt(`prefilter round ${round}: ${size(fresh)} new words, ${found.length} files`);
    let typesGrew = false;
    for (const f of found) {
      matched.add(f);
      if (!f.endsWith('.h') || seen.has(f)) continue;
      const text = readText(f);
      const nTypes = words.types.size;
      // a header found through a member access alone teaches nothing (no word in it): cheap
      if (text && learnFromHeader(text, words)) seen.add(f);
      else if (text && wordRe?.test(text)) seen.add(f);
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
    // the whole-tree run needs its pass over everything even when round 0 learned nothing
    if (size(fresh) === 0 && !(round === 0 && otherFiles.length)) break;
  }
  const headers = [...seen].sort();
  // which header declares which member (a container's definition must be in any file that
  // reaches the member: see memberAccessOnly)
  const memberHeaders = new Map<string, string[]>();
  for (const h of headers) {
    const own: RelevantWords = { types: new Set(words.types), funcs: new Set(words.funcs), members: new Set(), arrayMembers: new Set() };
    learnFromHeader(readText(h) ?? '', own);
    for (const m of own.members) memberHeaders.set(m, [...memberHeaders.get(m) ?? [], h]);
  }
  return { words, headers, memberHeaders, matched: [...matched].sort() };
}

/**
 * A test for the members a file reaches only through member accesses (no word of the run in its
 * text); it answers undefined when a word is there. Such a file can only hold a site if it sees
 * the definition of a struct with that member: if no header declaring one is in its include
 * closure, it is dropped.
 */
export function memberAccessOnly(words: RelevantWords, accessedMembers: readonly string[]): (text: string) => Set<string> | undefined {
  const p = grepPatterns(words, accessedMembers);
  const word = p.words.length ? new RegExp(p.words[0]) : undefined;
  const m = alternation([...words.members, ...words.arrayMembers]);
  const d = `(?:${alternation(accessedMembers)})`;
  const access = new RegExp(`(?:->|\\.)\\s*${m}\\s*(?:(?:->|\\.)\\s*${d}\\b|\\[)|\\b${m}\\s*(?:->|\\.)\\s*${d}\\b.*\\\\$`, 'gm');
  return (text) => {
    if (word?.test(text)) return undefined;
    const found = new Set<string>();
    access.lastIndex = 0;
    for (let a = access.exec(text); a; a = access.exec(text)) found.add(a[1] ?? a[3]);
    return found;
  };
}
