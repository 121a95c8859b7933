// The name index of the shared headers (include/, arch/*/include): which header may define a
// struct, typedef, function or macro. 6.12 has about 130,000 such names (numeric #defines left
// out). A builder collects them in flat arrays; the index itself is the packed form: per kind, a hash
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

/**
 * Collects names while the headers are read (files are added in priority order). Entries go to
 * flat arrays with their hash; packing is a stable counting sort by bucket, so a name's entries
 * stay in file order. No Map: the 180,000 names of 6.12's shared headers made building Maps the
 * largest part of the index's cost. A name a header defines twice (#ifdef branches) is kept
 * twice; where() reports the header once.
 */
export class SymbolIndexBuilder {
  private readonly entries: Record<SymbolKind, { names: string[]; refs: number[]; hashes: number[] }> = {
    structs: { names: [], refs: [], hashes: [] },
    typedefs: { names: [], refs: [], hashes: [] },
    functions: { names: [], refs: [], hashes: [] },
    macros: { names: [], refs: [], hashes: [] },
  };

  constructor(readonly files: readonly string[]) {}

  /** Record that file number `ref` may define `name` (files are added in order: refs never decrease). */
  add(kind: SymbolKind, name: string, ref: number): void {
    const e = this.entries[kind];
    e.names.push(name);
    e.refs.push(ref);
    e.hashes.push(hash(name));
  }

  pack(): PackedSymbols {
    const kinds = {} as PackedSymbols['kinds'];
    for (const k of SYMBOL_KINDS) {
      const { names: added, refs: addedRefs, hashes } = this.entries[k];
      let size = 1;
      while (size < added.length) size <<= 1;
      const counts = new Int32Array(size + 1);
      for (let i = 0; i < added.length; i++) counts[(hashes[i] & (size - 1)) + 1]++;
      for (let b = 0; b < size; b++) counts[b + 1] += counts[b];
      const buckets = counts.slice();
      const names = new Array<string>(added.length);
      const refs = new Int32Array(added.length);
      for (let i = 0; i < added.length; i++) {
        const at = counts[hashes[i] & (size - 1)]++;
        names[at] = added[i];
        refs[at] = addedRefs[i];
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

  /** The headers that may define `name`, in priority order, each once. */
  where(kind: SymbolKind, name: string): string[] {
    const out: string[] = [];
    const h = hash(name);
    for (const part of this.parts) {
      const names = part.names[kind];
      const { refs, buckets } = part.packed.kinds[kind];
      const b = h & (buckets.length - 2);
      for (let i = buckets[b]; i < buckets[b + 1]; i++) {
        // a name's entries are in file order, a header that defines it twice gives two in a row
        if (names[i] === name && out[out.length - 1] !== part.packed.files[refs[i]]) out.push(part.packed.files[refs[i]]);
      }
    }
    return out;
  }

  /** The packed form of a single part (what a worker posts after building it). */
  pack(): PackedSymbols {
    if (this.parts.length !== 1) throw new Error('only a single part of the symbol index can be packed');
    return this.parts[0].packed;
  }
}
