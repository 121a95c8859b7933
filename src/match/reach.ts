// Include reachability: can a file see a given header at all? An `#include` is followed to every
// file whose path ends with what it names (`<linux/i2c.h>` to include/linux/i2c.h and any other
// .../linux/i2c.h, `"pad.h"` to every pad.h; leading `../` dropped), so the answer may be yes
// where the compiler would say no, never the other way round. Includes through a macro
// (`#include TRACE_INCLUDE(…)`) are not followed; they only re-include trace headers.
const INCLUDE = /^[ \t]*#[ \t]*include[ \t]*[<"]([^>"\n]+)[>"]/gm;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What an #include names, as a path suffix. */
function spec(included: string): string {
  return included.trim().replace(/^(\.\.?\/)+/, '');
}

/**
 * The include graph over included names, restricted to what matters: for each name, which of
 * the `targets` it reaches. Computed once per name with Tarjan's strongly connected components,
 * so a whole-tree run reads each reachable header once.
 */
export class IncludeGraph {
  private readonly byBase = new Map<string, string[]>();
  private readonly resolved = new Map<string, string[]>();
  private targets: Set<string>;
  /** included name -> target paths it reaches (itself included) */
  private readonly reached = new Map<string, Set<string>>();

  constructor(files: readonly string[], targets: Iterable<string>, private readonly readText: (rel: string) => string | undefined) {
    for (const f of files) {
      const b = baseName(f);
      const list = this.byBase.get(b);
      if (list) list.push(f);
      else this.byBase.set(b, [f]);
    }
    this.targets = new Set(targets);
  }

  /** Change the targets (what was read of the files is kept). */
  setTargets(targets: Iterable<string>): void {
    this.targets = new Set(targets);
    this.reached.clear();
  }

  /** The files an included name may be. */
  filesOf(name: string): string[] {
    let r = this.resolved.get(name);
    if (!r) {
      const tail = `/${name}`;
      r = (this.byBase.get(baseName(name)) ?? []).filter((f) => f === name || f.endsWith(tail));
      this.resolved.set(name, r);
    }
    return r;
  }

  private static includesOf(text: string): string[] {
    const out = new Set<string>();
    for (const m of text.matchAll(INCLUDE)) out.add(spec(m[1]));
    return [...out];
  }

  private readonly edgeCache = new Map<string, string[]>();

  private edges(name: string): string[] {
    let e = this.edgeCache.get(name);
    if (!e) {
      const all = new Set<string>();
      for (const f of this.filesOf(name)) for (const i of IncludeGraph.includesOf(this.readText(f) ?? '')) all.add(i);
      this.edgeCache.set(name, e = [...all]);
    }
    return e;
  }

  /** Tarjan from `root`, iteratively (include chains are deep enough to matter for recursion). */
  private solve(root: string): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const frames: { name: string; next: string[]; i: number }[] = [];
    let counter = 0;
    const open = (name: string) => {
      index.set(name, counter);
      low.set(name, counter++);
      stack.push(name);
      onStack.add(name);
      frames.push({ name, next: this.edges(name), i: 0 });
    };
    open(root);
    while (frames.length) {
      const f = frames[frames.length - 1];
      if (f.i < f.next.length) {
        const n = f.next[f.i++];
        if (this.reached.has(n)) continue;
        if (!index.has(n)) open(n);
        else if (onStack.has(n)) low.set(f.name, Math.min(low.get(f.name)!, index.get(n)!));
        continue;
      }
      frames.pop();
      if (frames.length) {
        const up = frames[frames.length - 1].name;
        low.set(up, Math.min(low.get(up)!, low.get(f.name)!));
      }
      if (low.get(f.name) !== index.get(f.name)) continue;
      // f.name roots a component: everything it and its members reach
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== f.name);
      const reach = new Set<string>();
      for (const x of members) {
        for (const f of this.filesOf(x)) if (this.targets.has(f)) reach.add(f);
        for (const n of this.edges(x)) {
          const r = this.reached.get(n);
          if (r) for (const t of r) reach.add(t);
        }
      }
      for (const x of members) this.reached.set(x, reach);
    }
  }

  private reachOf(name: string): Set<string> {
    if (!this.reached.has(name)) this.solve(name);
    return this.reached.get(name)!;
  }

  /**
   * Every file that the given texts include, directly or not (each included name resolved to
   * every file it may be): what a compiler could read for them, and more.
   */
  closure(texts: Iterable<string>, seeds: readonly string[] = []): string[] {
    const seen = new Set<string>();
    const stack = seeds.map(spec);
    for (const t of texts) stack.push(...IncludeGraph.includesOf(t));
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const x of this.edges(n)) if (!seen.has(x)) stack.push(x);
    }
    return [...new Set([...seen].flatMap((n) => this.filesOf(n)))].sort();
  }

  /** The targets a file (its text given) includes, directly or not, itself among them if it is one. */
  reachedTargets(file: string, text: string): Set<string> {
    const out = new Set<string>();
    if (this.targets.has(file)) out.add(file);
    for (const i of IncludeGraph.includesOf(text)) for (const t of this.reachOf(i)) out.add(t);
    return out;
  }
}
