// Group files into "drivers" (one patch each) from the kernel's Kbuild Makefiles.
//
// A driver is a module: `obj-$(CONFIG_X) += foo.o` is module `foo` built from foo.c, or from
// the composite lists `foo-y`, `foo-objs`, `foo-m`, `foo-$(CONFIG_Y)`. The Makefiles are read
// with a small make evaluator: continuations, comments, `=`/`:=`/`+=`/`?=`, variable references,
// the functions kernel Makefiles use (addprefix, addsuffix, patsubst, subst, filter, filter-out,
// foreach, if, notdir, dir, basename, sort, strip, firstword, lastword, findstring), `include`
// (relative to the tree root, with `$(src)` the Makefile's directory), every branch of every
// conditional (so the union of all configurations), `$(CONFIG_…)` taken as `y`. Objects may
// name other directories (`display/intel_gmbus.o` in i915, `../display/dc/…` in amdgpu).
//
// A file is looked up in its directory's Makefile (`Kbuild` first, as kbuild does), then in the
// ancestors' Makefiles together with every subdirectory they descend into (`obj-y += sub/`),
// up to the second path level (drivers/gpu), which finds amdgpu's display files.
// A file no Makefile builds (a header, a `.c` #included by another) goes with the modules whose
// `.c` files in its directory (else in the parent directory) `#include "it"`; a file several modules share goes with the module
// named like it, or containing the `.c` of its name, or sharing the longest name prefix with it.
// Whatever is left goes by directory.

import { readFile, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';

export interface DriverUnit {
  /** module name, e.g. 'i2c-designware-core'; for a directory unit, the directory's base name */
  name: string;
  /** the directory of the Makefile that builds the module (or of the files, for a directory unit) */
  dir: string;
  /** the given files that belong to the unit, sorted */
  files: string[];
  /** the CONFIG_ symbol of `obj-$(CONFIG_…) += name.o` */
  makefileSymbol?: string;
  /** 'module' when a Makefile names it, 'directory' for the fallback */
  kind?: 'module' | 'directory';
}

export interface KbuildModule {
  name: string;
  dir: string;
  symbol?: string;
  /** the module's sources as tree-relative paths without extension */
  objects: string[];
}

// ---------------------------------------------------------------------------------------------
// a small make evaluator

type Var = { recursive: boolean; value: string };

const FUNCTIONS = new Set(['addprefix', 'addsuffix', 'patsubst', 'subst', 'filter', 'filter-out', 'foreach', 'if',
  'notdir', 'dir', 'basename', 'sort', 'strip', 'firstword', 'lastword', 'findstring', 'wildcard', 'shell', 'call',
  'info', 'warning', 'error', 'abspath', 'realpath', 'or', 'and', 'origin', 'words', 'word', 'suffix', 'join']);

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}

/** Split a function's arguments at top-level commas. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '$' && (s[i + 1] === '(' || s[i + 1] === '{')) {
      depth++;
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if ((c === ')' || c === '}') && depth > 0) depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

function patternToRegExp(pattern: string): RegExp {
  const k = pattern.indexOf('%');
  const esc = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return k < 0 ? new RegExp(`^${esc(pattern)}$`) : new RegExp(`^${esc(pattern.slice(0, k))}(.*)${esc(pattern.slice(k + 1))}$`);
}

function patsubst(pattern: string, replacement: string, text: string): string {
  const re = patternToRegExp(pattern.trim());
  const rep = replacement.trim();
  return words(text).map((w) => {
    const m = re.exec(w);
    if (!m) return w;
    return pattern.includes('%') ? rep.replace('%', m[1]) : rep;
  }).join(' ');
}

class Make {
  vars = new Map<string, Var>();
  constructor(readonly src: string) {}

  get(name: string): string {
    if (name === 'src' || name === 'obj') return this.src;
    if (name === 'srctree' || name === 'objtree') return '.';
    if (name.startsWith('CONFIG_')) return 'y';
    const v = this.vars.get(name);
    if (!v) return '';
    return v.recursive ? this.expand(v.value) : v.value;
  }

  expand(text: string, depth = 0): string {
    if (depth > 50 || !text.includes('$')) return text;
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '$') {
        out += c;
        continue;
      }
      const open = text[i + 1];
      if (open === '$') {
        out += '$';
        i++;
        continue;
      }
      if (open !== '(' && open !== '{') {
        // $@, $<, $x: automatic or one-letter variables
        if (open !== undefined) out += this.get(open);
        i++;
        continue;
      }
      const close = open === '(' ? ')' : '}';
      let level = 1;
      let j = i + 2;
      for (; j < text.length && level > 0; j++) {
        if (text[j] === open) level++;
        else if (text[j] === close) level--;
      }
      const inner = text.slice(i + 2, j - 1);
      i = j - 1;
      out += this.reference(inner, depth + 1);
    }
    return out;
  }

  private reference(inner: string, depth: number): string {
    const m = /^([a-z-]+)[ \t]+([\s\S]*)$/.exec(inner);
    if (m && FUNCTIONS.has(m[1])) return this.call(m[1], m[2], depth);
    // substitution reference $(VAR:.o=.c)
    const sub = /^([^:]+):([^=]*)=(.*)$/.exec(inner);
    if (sub) {
      const value = this.get(this.expand(sub[1], depth));
      const from = sub[2].includes('%') ? sub[2] : `%${sub[2]}`;
      const to = sub[2].includes('%') ? sub[3] : `%${sub[3]}`;
      return patsubst(from, to, value);
    }
    return this.get(this.expand(inner, depth));
  }

  private call(fn: string, argText: string, depth: number): string {
    const raw = splitArgs(argText);
    const arg = (k: number): string => this.expand(raw[k] ?? '', depth);
    switch (fn) {
      case 'addprefix': return words(arg(1)).map((w) => arg(0).trim() + w).join(' ');
      case 'addsuffix': return words(arg(1)).map((w) => w + arg(0).trim()).join(' ');
      case 'patsubst': return patsubst(arg(0), arg(1), arg(2));
      case 'subst': return arg(2).split(arg(0)).join(arg(1));
      case 'filter': {
        const res = words(arg(0)).map(patternToRegExp);
        return words(arg(1)).filter((w) => res.some((r) => r.test(w))).join(' ');
      }
      case 'filter-out': {
        const res = words(arg(0)).map(patternToRegExp);
        return words(arg(1)).filter((w) => !res.some((r) => r.test(w))).join(' ');
      }
      case 'foreach': {
        const name = arg(0).trim();
        const saved = this.vars.get(name);
        const parts = words(arg(1)).map((w) => {
          this.vars.set(name, { recursive: false, value: w });
          return this.expand(raw[2] ?? '', depth);
        });
        if (saved) this.vars.set(name, saved);
        else this.vars.delete(name);
        return parts.join(' ');
      }
      case 'if': return arg(0).trim() !== '' ? arg(1) : arg(2);
      case 'or': return raw.map((_, k) => arg(k).trim()).find((v) => v !== '') ?? '';
      case 'and': {
        let last = '';
        for (let k = 0; k < raw.length; k++) {
          last = arg(k).trim();
          if (last === '') return '';
        }
        return last;
      }
      case 'notdir': return words(arg(0)).map((w) => w.slice(w.lastIndexOf('/') + 1)).join(' ');
      case 'dir': return words(arg(0)).map((w) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/') + 1) : './')).join(' ');
      case 'basename': return words(arg(0)).map((w) => w.replace(/\.[^./]*$/, '')).join(' ');
      case 'suffix': return words(arg(0)).map((w) => /\.[^./]*$/.exec(w)?.[0] ?? '').filter(Boolean).join(' ');
      case 'sort': return [...new Set(words(arg(0)))].sort().join(' ');
      case 'strip': return words(arg(0)).join(' ');
      case 'firstword': return words(arg(0))[0] ?? '';
      case 'lastword': return words(arg(0)).at(-1) ?? '';
      case 'words': return String(words(arg(0)).length);
      case 'word': return words(arg(1))[Number(arg(0)) - 1] ?? '';
      case 'findstring': return arg(1).includes(arg(0)) ? arg(0) : '';
      case 'abspath': case 'realpath': return words(arg(0)).map((w) => posix.normalize(w)).join(' ');
      default: return ''; // wildcard, shell, call, info, warning, error, origin, join
    }
  }

  assign(name: string, op: string, value: string): void {
    const old = this.vars.get(name);
    switch (op) {
      case ':=': case '::=':
        this.vars.set(name, { recursive: false, value: this.expand(value) });
        break;
      case '+=':
        if (!old) this.vars.set(name, { recursive: true, value });
        else if (old.recursive) old.value = old.value === '' ? value : `${old.value} ${value}`;
        else old.value = `${old.value} ${this.expand(value)}`.trim();
        break;
      case '?=':
        if (!old) this.vars.set(name, { recursive: true, value });
        break;
      case '!=':
        this.vars.set(name, { recursive: false, value: '' });
        break;
      default:
        this.vars.set(name, { recursive: true, value });
    }
  }
}

/** Makefile text -> logical lines: continuations joined, comments removed, recipes dropped. */
export function makefileLines(text: string): string[] {
  const physical = text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let inRule = false;
  let inDefine = 0;
  for (let k = 0; k < physical.length; k++) {
    let line = physical[k];
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && k + 1 < physical.length) {
      line = line.slice(0, -1).replace(/\s+$/, '') + ' ' + physical[++k].replace(/^\s+/, '');
    }
    if (inRule && line.startsWith('\t')) continue; // a recipe
    inRule = false;
    const noComment = line.replace(/(^|[^\\])#.*$/, '$1');
    const trimmed = noComment.trim();
    if (/^define\b/.test(trimmed)) { inDefine++; continue; }
    if (inDefine) {
      if (/^endef\b/.test(trimmed)) inDefine--;
      continue;
    }
    if (trimmed === '') continue;
    // a rule `targets: prerequisites` (not an assignment)
    const op = /(\+=|::=|:=|\?=|!=|=)/.exec(trimmed);
    const colon = trimmed.search(/:(?!=)/);
    if (colon >= 0 && (!op || colon < op.index) && !/^(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude)\b/.test(trimmed)) {
      inRule = true;
      continue;
    }
    out.push(trimmed);
  }
  return out;
}

export interface EvaluatedMakefile {
  modules: KbuildModule[];
  subdirs: string[];
}

type ReadText = (path: string) => Promise<string | undefined>;

async function evaluate(tree: string, dir: string, read: ReadText): Promise<EvaluatedMakefile | undefined> {
  const kbuild = (await read(join(tree, dir, 'Kbuild'))) ?? (await read(join(tree, dir, 'Makefile')));
  if (kbuild === undefined) return undefined;
  const make = new Make(dir);
  const objEntries: { path: string; symbol?: string }[] = [];
  const subdirs: string[] = [];
  const includeDepth = { n: 0 };

  const run = async (text: string): Promise<void> => {
    for (const line0 of makefileLines(text)) {
      let line = line0;
      if (/^(ifeq|ifneq|ifdef|ifndef|else|endif)\b/.test(line)) continue;
      const inc = /^(-?include|sinclude)\s+(.*)$/.exec(line);
      if (inc) {
        if (includeDepth.n > 20) continue;
        for (const p of words(make.expand(inc[2]))) {
          const rel = posix.normalize(p.replace(/^\.\//, ''));
          if (rel.startsWith('..') || posix.isAbsolute(rel)) continue;
          const t = await read(join(tree, rel));
          if (t === undefined) continue;
          includeDepth.n++;
          await run(t);
          includeDepth.n--;
        }
        continue;
      }
      line = line.replace(/^(override|export|private)\s+/, '');
      const m = /^([^=]*?)\s*(\+=|::=|:=|\?=|!=|=)\s*([\s\S]*)$/.exec(line);
      if (!m || m[1].includes(':') || /\s/.test(m[1].trim()) && !m[1].includes('$')) continue;
      const rawName = m[1].trim();
      const name = make.expand(rawName).trim();
      make.assign(name, m[2], m[3]);
      const objLhs = /^(obj|subdir)-(y|m|)$/.exec(name);
      if (objLhs) {
        const symbol = /^(?:obj|subdir)-\$[({](CONFIG_[A-Za-z0-9_]+)[)}]$/.exec(rawName)?.[1];
        for (const w of words(make.expand(m[3]))) {
          if (w.endsWith('/') || objLhs[1] === 'subdir') subdirs.push(posix.normalize(posix.join(dir, w)).replace(/\/+$/, ''));
          else if (w.endsWith('.o')) objEntries.push({ path: w.slice(0, -2), symbol });
        }
      }
    }
  };
  await run(kbuild);

  const modules = new Map<string, KbuildModule>();
  for (const e of objEntries) {
    const key = posix.normalize(posix.join(dir, e.path));
    const known = modules.get(key);
    if (known) {
      known.symbol ??= e.symbol;
      continue;
    }
    const parts = ['-y', '-objs', '-m'].flatMap((suffix) => words(make.get(e.path + suffix)));
    const objects = parts.length
      ? parts.filter((w) => w.endsWith('.o')).map((w) => posix.normalize(posix.join(dir, w.slice(0, -2))))
      : [key];
    modules.set(key, {
      name: posix.basename(e.path),
      dir,
      symbol: e.symbol,
      objects: [...new Set(objects)],
    });
  }
  return { modules: [...modules.values()], subdirs: [...new Set(subdirs)] };
}

// ---------------------------------------------------------------------------------------------
// the index

/** Evaluates and caches Makefiles of a tree, and finds the modules that build a file. */
export class KbuildIndex {
  private dirs = new Map<string, Promise<EvaluatedMakefile | undefined>>();
  private deep = new Map<string, Promise<Map<string, KbuildModule[]>>>();
  private texts = new Map<string, Promise<string | undefined>>();

  constructor(readonly tree: string) {}

  read(path: string): Promise<string | undefined> {
    let p = this.texts.get(path);
    if (!p) {
      p = readFile(path, 'latin1').catch(() => undefined);
      this.texts.set(path, p);
    }
    return p;
  }

  /** The Makefile of one directory, evaluated (undefined when there is none). */
  dir(dir: string): Promise<EvaluatedMakefile | undefined> {
    let p = this.dirs.get(dir);
    if (!p) {
      p = evaluate(this.tree, dir, (f) => this.read(f));
      this.dirs.set(dir, p);
    }
    return p;
  }

  /** Sources (without extension) -> modules, for a directory and the subdirectories kbuild descends into. */
  private subtree(dir: string, seen = new Set<string>()): Promise<Map<string, KbuildModule[]>> {
    let p = this.deep.get(dir);
    if (!p) {
      p = (async () => {
        const map = new Map<string, KbuildModule[]>();
        seen.add(dir);
        const info = await this.dir(dir);
        if (!info) return map;
        const add = (k: string, m: KbuildModule): void => {
          const list = map.get(k) ?? [];
          if (!list.includes(m)) list.push(m);
          map.set(k, list);
        };
        for (const m of info.modules) for (const o of m.objects) add(o, m);
        for (const sub of info.subdirs) {
          if (seen.has(sub) || !sub.startsWith(dir + '/')) continue;
          for (const [k, ms] of await this.subtree(sub, seen)) for (const m of ms) add(k, m);
        }
        return map;
      })();
      this.deep.set(dir, p);
    }
    return p;
  }

  /** The modules whose objects include this source file (by path without extension). */
  async modulesBuilding(file: string): Promise<KbuildModule[]> {
    const stem = file.replace(/\.(c|S|rs)$/, '');
    const own = await this.dir(posix.dirname(file));
    const direct = own?.modules.filter((m) => m.objects.includes(stem)) ?? [];
    if (direct.length) return direct;
    for (let d = posix.dirname(file); d.split('/').length >= 2; d = posix.dirname(d)) {
      const hit = (await this.subtree(d)).get(stem);
      if (hit?.length) return hit;
    }
    return [];
  }
}

// ---------------------------------------------------------------------------------------------
// grouping

function commonPrefix(a: string, b: string): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

/** One module for a file several modules share (see the header comment). */
function pickModule(file: string, candidates: KbuildModule[]): KbuildModule | undefined {
  const sorted = [...candidates].sort((a, b) => a.dir.localeCompare(b.dir) || a.name.localeCompare(b.name));
  if (sorted.length <= 1) return sorted[0];
  const stem = posix.basename(file).replace(/\.[^.]*$/, '');
  const stemPath = file.replace(/\.[^./]*$/, '');
  const byName = sorted.find((m) => m.name === stem);
  if (byName) return byName;
  const bySource = sorted.filter((m) => m.objects.includes(stemPath));
  const pool = bySource.length ? bySource : sorted;
  let best: KbuildModule | undefined;
  let bestLen = -1;
  for (const m of pool) {
    const len = commonPrefix(m.name, stem);
    if (len > bestLen) {
      best = m;
      bestLen = len;
    }
  }
  if (bySource.length) return best;
  return bestLen >= 3 ? best : undefined;
}

const INCLUDE_RE = /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/gm;

/** Group files (tree-relative paths) into drivers: one unit per module, else per directory. */
export async function driverUnits(tree: string, files: string[], index = new KbuildIndex(tree)): Promise<DriverUnit[]> {
  const units = new Map<string, DriverUnit>();
  const moduleUnit = (m: KbuildModule): DriverUnit => {
    const key = `${m.dir}\0${m.name}`;
    let u = units.get(key);
    if (!u) {
      u = { name: m.name, dir: m.dir, files: [], kind: 'module' };
      if (m.symbol) u.makefileSymbol = m.symbol;
      units.set(key, u);
    }
    return u;
  };
  const dirUnit = (dir: string): DriverUnit => {
    const key = `${dir}\0`;
    let u = units.get(key);
    if (!u) {
      u = { name: posix.basename(dir), dir, files: [], kind: 'directory' };
      units.set(key, u);
    }
    return u;
  };

  // quoted includes of the .c files of a directory: header path -> including .c files
  const includers = new Map<string, Promise<Map<string, string[]>>>();
  const includesIn = (dir: string): Promise<Map<string, string[]>> => {
    let p = includers.get(dir);
    if (!p) {
      p = (async () => {
        const map = new Map<string, string[]>();
        let names: string[] = [];
        try {
          names = (await readdir(join(tree, dir))).filter((n) => n.endsWith('.c')).sort();
        } catch {
          return map;
        }
        for (const n of names) {
          const text = await index.read(join(tree, dir, n));
          if (text === undefined) continue;
          for (const m of text.matchAll(INCLUDE_RE)) {
            const target = posix.normalize(posix.join(dir, m[1]));
            const list = map.get(target) ?? [];
            list.push(posix.join(dir, n));
            map.set(target, list);
          }
        }
        return map;
      })();
      includers.set(dir, p);
    }
    return p;
  };

  for (const file of [...new Set(files)].sort()) {
    let module: KbuildModule | undefined;
    if (/\.(c|S|rs)$/.test(file)) module = pickModule(file, await index.modulesBuilding(file));
    if (!module) {
      // includers in the file's directory, else in its parent (`#include "selftests/x.c"`)
      let users = (await includesIn(posix.dirname(file))).get(file) ?? [];
      if (!users.length && posix.dirname(file).includes('/')) users = (await includesIn(posix.dirname(posix.dirname(file)))).get(file) ?? [];
      const mods: KbuildModule[] = [];
      for (const c of users) for (const m of await index.modulesBuilding(c)) if (!mods.includes(m)) mods.push(m);
      module = pickModule(file, mods);
    }
    (module ? moduleUnit(module) : dirUnit(posix.dirname(file))).files.push(file);
  }
  return [...units.values()]
    .map((u) => ({ ...u, files: [...u.files].sort() }))
    .sort((a, b) => a.dir.localeCompare(b.dir) || a.name.localeCompare(b.name));
}
