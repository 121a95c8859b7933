// The name index of the shared headers (include/, arch/*/include): which header may define a
// struct, typedef, function or macro. 6.12 has about 130,000 such names (numeric #defines left
// out). A builder collects them in Maps; the index itself is the packed form: per kind, the names
// sorted and joined by '\n' with one file number each, which travels to the worker threads as one
// string and one Int32Array and is searched by bisection. A receiving thread only splits the
// string: it builds no Map, and parts built by different threads are looked up in turn instead
// of being merged.
export type SymbolKind = 'structs' | 'typedefs' | 'functions' | 'macros';
export const SYMBOL_KINDS: readonly SymbolKind[] = ['structs', 'typedefs', 'functions', 'macros'];

/** The index as it is posted to a worker: names sorted and joined by '\n', one file number per name. */
export interface PackedSymbols {
  files: string[];
  kinds: Record<SymbolKind, { names: string; refs: Int32Array }>;
}

/** Collects names while the headers are read (files are added in priority order). */
export class SymbolIndexBuilder {
  private readonly maps: Record<SymbolKind, Map<string, number | number[]>> = {
    structs: new Map(), typedefs: new Map(), functions: new Map(), macros: new Map(),
  };

  constructor(readonly files: readonly string[]) {}

  /** Record that file number `ref` may define `name`. */
  add(kind: SymbolKind, name: string, ref: number): void {
    const map = this.maps[kind];
    const v = map.get(name);
    if (v === undefined) map.set(name, ref);
    else if (typeof v === 'number') {
      if (v !== ref) map.set(name, [v, ref]);
    } else if (v[v.length - 1] !== ref) v.push(ref);
  }

  pack(): PackedSymbols {
    const kinds = {} as PackedSymbols['kinds'];
    for (const k of SYMBOL_KINDS) {
      const names: string[] = [];
      const refs: number[] = [];
      for (const name of [...this.maps[k].keys()].sort()) {
        const v = this.maps[k].get(name)!;
        for (const r of typeof v === 'number' ? [v] : v) {
          names.push(name);
          refs.push(r);
        }
      }
      kinds[k] = { names: names.join('\n'), refs: Int32Array.from(refs) };
    }
    return { files: [...this.files], kinds };
  }
}

interface Part {
  packed: PackedSymbols;
  names: Record<SymbolKind, string[]>;
}

export class SharedSymbols {
  private constructor(private readonly parts: readonly Part[]) {}

  static unpack(p: PackedSymbols): SharedSymbols {
    const names = {} as Part['names'];
    for (const k of SYMBOL_KINDS) names[k] = p.kinds[k].names === '' ? [] : p.kinds[k].names.split('\n');
    return new SharedSymbols([{ packed: p, names }]);
  }

  /** Parts built over consecutive file lists, in priority order, as one index. */
  static concat(parts: readonly SharedSymbols[]): SharedSymbols {
    return new SharedSymbols(parts.flatMap((p) => p.parts));
  }

  /** The headers that may define `name`, in priority order. */
  where(kind: SymbolKind, name: string): string[] {
    const out: string[] = [];
    for (const part of this.parts) {
      const names = part.names[kind];
      let lo = 0;
      let hi = names.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (names[mid] < name) lo = mid + 1;
        else hi = mid;
      }
      const { refs } = part.packed.kinds[kind];
      for (let i = lo; i < names.length && names[i] === name; i++) out.push(part.packed.files[refs[i]]);
    }
    return out;
  }

  get size(): number {
    return this.parts.reduce((n, p) => n + SYMBOL_KINDS.reduce((m, k) => m + p.names[k].length, 0), 0);
  }

  /** The packed form of a single part (what a worker posts after building it). */
  pack(): PackedSymbols {
    if (this.parts.length !== 1) throw new Error('only a single part of the symbol index can be packed');
    return this.parts[0].packed;
  }
}
