// The name index of the shared headers (include/, arch/*/include): which header may define a
// struct, typedef, function or macro. 6.12 has about 340,000 such names; as Maps of string
// arrays, with every name a slice that kept its whole header text alive, the index took 130 MB
// per thread. Here a name maps to a file number (or a few), and the index travels to the
// worker threads as one string and one Int32Array per kind.
export type SymbolKind = 'structs' | 'typedefs' | 'functions' | 'macros';
export const SYMBOL_KINDS: readonly SymbolKind[] = ['structs', 'typedefs', 'functions', 'macros'];

/** The index as it is posted to a worker: names joined by '\n', one file number per name. */
export interface PackedSymbols {
  files: string[];
  kinds: Record<SymbolKind, { names: string; refs: Int32Array }>;
}

export class SharedSymbols {
  private readonly maps: Record<SymbolKind, Map<string, number | number[]>> = {
    structs: new Map(), typedefs: new Map(), functions: new Map(), macros: new Map(),
  };

  constructor(readonly files: readonly string[]) {}

  /** Record that file number `ref` may define `name` (files are added in priority order). */
  add(kind: SymbolKind, name: string, ref: number): void {
    const map = this.maps[kind];
    const v = map.get(name);
    if (v === undefined) map.set(name, ref);
    else if (typeof v === 'number') {
      if (v !== ref) map.set(name, [v, ref]);
    } else if (v[v.length - 1] !== ref) v.push(ref);
  }

  where(kind: SymbolKind, name: string): string[] {
    const v = this.maps[kind].get(name);
    if (v === undefined) return [];
    return typeof v === 'number' ? [this.files[v]] : v.map((r) => this.files[r]);
  }

  get size(): number {
    return SYMBOL_KINDS.reduce((n, k) => n + this.maps[k].size, 0);
  }

  pack(): PackedSymbols {
    const kinds = {} as PackedSymbols['kinds'];
    for (const k of SYMBOL_KINDS) {
      const names: string[] = [];
      const refs: number[] = [];
      for (const [name, v] of this.maps[k]) {
        for (const r of typeof v === 'number' ? [v] : v) {
          names.push(name);
          refs.push(r);
        }
      }
      kinds[k] = { names: names.join('\n'), refs: Int32Array.from(refs) };
    }
    return { files: [...this.files], kinds };
  }

  /** Parts built over consecutive file lists, as one index (the files in order, the refs shifted). */
  static concat(parts: readonly SharedSymbols[]): SharedSymbols {
    if (parts.length === 1) return parts[0];
    const s = new SharedSymbols(parts.flatMap((p) => [...p.files]));
    let base = 0;
    for (const p of parts) {
      for (const k of SYMBOL_KINDS) {
        for (const [name, v] of p.maps[k]) for (const r of typeof v === 'number' ? [v] : v) s.add(k, name, base + r);
      }
      base += p.files.length;
    }
    return s;
  }

  static unpack(p: PackedSymbols): SharedSymbols {
    const s = new SharedSymbols(p.files);
    for (const k of SYMBOL_KINDS) {
      const { names, refs } = p.kinds[k];
      if (names === '') continue;
      names.split('\n').forEach((name, i) => s.add(k, name, refs[i]));
    }
    return s;
  }
}
