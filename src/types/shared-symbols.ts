// The name index of the shared headers (include/, arch/*/include): which header may define a
// struct, typedef, function or macro. 6.12 has about 130,000 such names (numeric #defines left
// out). A builder collects them in Maps; the index itself is the packed form: per kind, a hash
// table in arrays (the names grouped by bucket and joined by '\n', one file number each, and the
// buckets' offsets), which travels to the worker threads as one string and two Int32Arrays. A
// receiving thread only splits the string: it builds no Map, and parts built by different
// threads are looked up in turn instead of being merged. (Sorting the names for bisection cost
// more than all the rest of packing.)
export type SymbolKind = 'structs' | 'typedefs' | 'functions' | 'macros';
export const SYMBOL_KINDS: readonly SymbolKind[] = ['structs', 'typedefs', 'functions', 'macros'];

/**
 * The index as it is posted to a worker, per kind: the names joined by '\n', grouped by hash
 * bucket (a name's entries together, in priority order), one file number per name, and where
 * each bucket starts (one more offset than buckets).
 */
export interface PackedSymbols {
  files: string[];
  kinds: Record<SymbolKind, { names: string; refs: Int32Array; buckets: Int32Array }>;
}

/** FNV-1a over the name's character codes. */
function hash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
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
      const map = this.maps[k];
      let size = 1;
      while (size < map.size) size <<= 1;
      const slot = new Int32Array(map.size);
      const counts = new Int32Array(size + 1);
      let n = 0;
      let entries = 0;
      for (const [name, v] of map) {
        const b = hash(name) & (size - 1);
        slot[n++] = b;
        const c = typeof v === 'number' ? 1 : v.length;
        counts[b + 1] += c;
        entries += c;
      }
      for (let b = 0; b < size; b++) counts[b + 1] += counts[b];
      const buckets = counts.slice();
      const names = new Array<string>(entries);
      const refs = new Int32Array(entries);
      n = 0;
      for (const [name, v] of map) {
        const b = slot[n++];
        for (const r of typeof v === 'number' ? [v] : v) {
          names[counts[b]] = name;
          refs[counts[b]++] = r;
        }
      }
      kinds[k] = { names: names.join('\n'), refs, buckets };
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
    const h = hash(name);
    for (const part of this.parts) {
      const names = part.names[kind];
      const { refs, buckets } = part.packed.kinds[kind];
      const b = h & (buckets.length - 2);
      for (let i = buckets[b]; i < buckets[b + 1]; i++) if (names[i] === name) out.push(part.packed.files[refs[i]]);
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
