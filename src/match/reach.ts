// Include reachability: can a file see a given header at all? An `#include` is resolved the way
// kbuild's compiler does (scripts/Makefile.lib: `c_flags` puts $(LINUXINCLUDE) before the
// Makefiles' own -I paths), over every architecture at once:
//  1. `"x.h"`: the including file's own folder first;
//  2. then the standard folders, include/, include/uapi/, arch/*/include/, arch/*/include/uapi/
//     (every arch: the answer must hold for any build);
//  3. else any file whose path ends with the name (a Makefile's -I path, `<subdev/i2c.h>`).
// So the answer may be yes where a compiler would say no, never the other way round. Includes
// through a macro (`#include TRACE_INCLUDE(…)`) are not followed; they only re-include trace headers.
import { posix } from 'node:path';

const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]/gm;
/** The folder part of a path under a standard include folder, the name it is included by taken off. */
const STANDARD = /^(?:include\/(?:uapi\/)?|arch\/[^/]+\/include\/(?:uapi\/)?)$/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What an #include names, as a path suffix (leading `./` and `../` dropped). */
function spec(included: string): string {
  return included.trim().replace(/^(\.\.?\/)+/, '');
}

/** The includes of a text: `"name` for quoted ones, `<name` for angle ones, each once. */
export function includedNames(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(INCLUDE)) out.add(m[1] + m[2].trim());
  return [...out];
}

/**
 * The include graph over files, restricted to what matters: for each file, which of the
 * `targets` it reaches. Computed once per file with Tarjan's strongly connected components, so
 * a whole-tree run reads each reachable header once.
 */
export class IncludeGraph {
  private readonly byBase = new Map<string, string[]>();
  private readonly files: Set<string>;
  /** an included name -> the files it may be, the includer's own folder aside */
  private readonly resolved = new Map<string, string[]>();
  private targets: Set<string>;
  /** file -> target paths it reaches (itself included) */
  private readonly reached = new Map<string, Set<string>>();
  private readonly edgeCache = new Map<string, string[]>();

  constructor(files: readonly string[], targets: Iterable<string>, private readonly readText: (rel: string) => string | undefined) {
    for (const f of files) {
      const b = baseName(f);
      const list = this.byBase.get(b);
      if (list) list.push(f);
      else this.byBase.set(b, [f]);
    }
    this.files = new Set(files);
    this.targets = new Set(targets);
  }

  /** Change the targets (what was read of the files is kept). */
  setTargets(targets: Iterable<string>): void {
    this.targets = new Set(targets);
    this.reached.clear();
  }

  /** The files `#include <name>` may be: those in a standard folder, or else any that ends with it. */
  filesOf(name: string): string[] {
    let r = this.resolved.get(name);
    if (!r) {
      const n = spec(name);
      const tail = `/${n}`;
      const any = (this.byBase.get(baseName(n)) ?? []).filter((f) => f === n || f.endsWith(tail));
      const standard = any.filter((f) => STANDARD.test(f.slice(0, f.length - n.length)));
      r = standard.length ? standard : any;
      this.resolved.set(name, r);
    }
    return r;
  }

  /** The files an include of `includer` may be (see includedNames for the form). */
  private resolve(includer: string, include: string): string[] {
    const name = include.slice(1);
    if (include[0] === '"') {
      const local = posix.normalize(posix.join(posix.dirname(includer), name));
      if (this.files.has(local)) return [local];
    }
    return this.filesOf(name);
  }

  private known: ReadonlyMap<string, string> | undefined;

  /**
   * Includes already read elsewhere (a worker reads the shared headers for the symbol index):
   * per file, its includedNames() joined by newlines. Those files are not read again.
   */
  knowIncludes(known: ReadonlyMap<string, string>): void {
    this.known = known;
  }

  private includesOf(file: string): string[] {
    const known = this.known?.get(file);
    if (known !== undefined) return known === '' ? [] : known.split('\n');
    return includedNames(this.readText(file) ?? '');
  }

  /** The files `file` includes, its text read unless given. */
  private edges(file: string, text?: string): string[] {
    let e = this.edgeCache.get(file);
    if (!e) {
      const all = new Set<string>();
      for (const inc of text === undefined ? this.includesOf(file) : includedNames(text)) for (const f of this.resolve(file, inc)) all.add(f);
      this.edgeCache.set(file, e = [...all]);
    }
    return e;
  }

  /** Tarjan from `root`, iteratively (include chains are deep enough to matter for recursion). */
  private solve(root: string): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const frames: { file: string; next: string[]; i: number }[] = [];
    let counter = 0;
    const open = (file: string) => {
      index.set(file, counter);
      low.set(file, counter++);
      stack.push(file);
      onStack.add(file);
      frames.push({ file, next: this.edges(file), i: 0 });
    };
    open(root);
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.i < f.next.length) {
        const n = f.next[f.i++];
        if (this.reached.has(n)) continue;
        if (!index.has(n)) open(n);
        else if (onStack.has(n)) low.set(f.file, Math.min(low.get(f.file)!, index.get(n)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const up = frames[frames.length - 1].file;
        low.set(up, Math.min(low.get(up)!, low.get(f.file)!));
      }
      if (low.get(f.file) !== index.get(f.file)) continue;
      // f.file roots a component: everything it and its members reach
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== f.file);
      const reach = new Set<string>();
      for (const x of members) {
        if (this.targets.has(x)) reach.add(x);
        for (const n of this.edges(x)) {
          const r = this.reached.get(n);
          if (r) for (const t of r) reach.add(t);
        }
      }
      for (const x of members) this.reached.set(x, reach);
    }
  }

  private reachOf(file: string): Set<string> {
    if (!this.reached.has(file)) this.solve(file);
    return this.reached.get(file)!;
  }

  /**
   * Every file that the given files include, directly or not, and the headers `seeds` name (as
   * `<name>`): what a compiler could read for them, and more.
   */
  closure(from: Iterable<string>, seeds: readonly string[] = []): string[] {
    const seen = new Set<string>();
    const stack = seeds.flatMap((s) => this.filesOf(s));
    for (const f of from) stack.push(...this.edges(f));
    while (stack.length) {
      const f = stack.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const x of this.edges(f)) if (!seen.has(x)) stack.push(x);
    }
    return [...seen].sort();
  }

  /** The targets a file (its text given) includes, directly or not, itself among them if it is one. */
  reachedTargets(file: string, text: string): Set<string> {
    const out = new Set<string>();
    if (this.targets.has(file)) out.add(file);
    for (const f of this.edges(file, text)) for (const t of this.reachOf(f)) out.add(t);
    return out;
  }
}
