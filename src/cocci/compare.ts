// Compare two unified diffs of the same tree hunk by hunk (e.g. spatch's output with the
// engine's). Hunks are matched by file and by the old-file lines they change (their context is
// ignored, so diffs made with different context sizes still match); hunks whose changed
// ranges overlap form a group, and a group whose hunks differ in number on the two sides is
// compared as one merged hunk.
import { parsePatch } from 'diff';

export interface Hunk {
  /** path relative to the tree root (`a/`, `b/`, `./` and `options.root` stripped) */
  file: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** the hunk body as in the diff: lines starting with ' ', '-', '+' or '\' */
  lines: string[];
}

export interface DiffComparison {
  /** groups whose removed and added lines are the same on both sides */
  identical: number;
  onlyA: Hunk[];
  onlyB: Hunk[];
  different: { a: Hunk; b: Hunk }[];
  /** identical + onlyA + onlyB + different */
  total: number;
}

export interface CompareOptions {
  /** absolute tree root to strip from file names (spatch run with absolute paths) */
  root?: string;
  /** compare changed lines with all whitespace removed (spatch re-wraps long lines) */
  ignoreWhitespace?: boolean;
}

function normaliseFile(name: string | undefined, root?: string): string {
  let f = (name ?? '').replace(/\t.*$/, '').trim();
  if (root) {
    const r = root.endsWith('/') ? root : `${root}/`;
    if (f.startsWith(r)) f = f.slice(r.length);
  }
  return f.replace(/^[ab]\//, '').replace(/^(\.\/)+/, '');
}

/** The hunks of a unified diff, with normalised file names. */
export function parseHunks(diff: string, options: CompareOptions = {}): Hunk[] {
  const out: Hunk[] = [];
  for (const p of parsePatch(diff)) {
    const oldName = normaliseFile(p.oldFileName, options.root);
    const file = !oldName || oldName === '/dev/null' ? normaliseFile(p.newFileName, options.root) : oldName;
    for (const h of p.hunks) {
      out.push({
        file, oldStart: h.oldStart, oldLines: h.oldLines, newStart: h.newStart, newLines: h.newLines,
        lines: [...h.lines],
      });
    }
  }
  return out;
}

/** The old-file line range a hunk changes (its context excluded); insertions are a point. */
export function changedRange(h: Hunk): [number, number] {
  let line = h.oldStart;
  let first = Infinity;
  let last = -Infinity;
  for (const l of h.lines) {
    const c = l[0];
    if (c === '-') {
      first = Math.min(first, line);
      last = Math.max(last, line);
      line++;
    } else if (c === '+') {
      first = Math.min(first, line);
      last = Math.max(last, line - 1 >= first ? line - 1 : line);
    } else if (c === ' ') {
      line++;
    }
  }
  if (first === Infinity) return [h.oldStart, h.oldStart];
  return [first, Math.max(first, last)];
}

function changes(h: Hunk, ignoreWhitespace: boolean): string {
  const removed = h.lines.filter((l) => l[0] === '-').map((l) => l.slice(1));
  const added = h.lines.filter((l) => l[0] === '+').map((l) => l.slice(1));
  if (ignoreWhitespace) return `${removed.join('').replace(/\s+/g, '')}\n=>\n${added.join('').replace(/\s+/g, '')}`;
  return `${removed.map((l) => l.replace(/\s+$/, '')).join('\n')}\n=>\n${added.map((l) => l.replace(/\s+$/, '')).join('\n')}`;
}

/** Merge the hunks of one file (sorted) into one hunk spanning them, for group comparison. */
function merge(hunks: Hunk[]): Hunk {
  if (hunks.length === 1) return hunks[0]!;
  const first = hunks[0]!;
  const last = hunks[hunks.length - 1]!;
  return {
    file: first.file,
    oldStart: first.oldStart,
    oldLines: last.oldStart + last.oldLines - first.oldStart,
    newStart: first.newStart,
    newLines: last.newStart + last.newLines - first.newStart,
    lines: hunks.flatMap((h) => h.lines),
  };
}

/** Compare two unified diffs hunk by hunk. */
export function compareDiffs(a: string, b: string, options: CompareOptions = {}): DiffComparison {
  const ha = parseHunks(a, options);
  const hb = parseHunks(b, options);
  const result: DiffComparison = { identical: 0, onlyA: [], onlyB: [], different: [], total: 0 };
  const files = [...new Set([...ha.map((h) => h.file), ...hb.map((h) => h.file)])].sort();
  for (const file of files) {
    type Item = { side: 'a' | 'b'; hunk: Hunk; range: [number, number] };
    const items: Item[] = [
      ...ha.filter((h) => h.file === file).map((hunk) => ({ side: 'a' as const, hunk, range: changedRange(hunk) })),
      ...hb.filter((h) => h.file === file).map((hunk) => ({ side: 'b' as const, hunk, range: changedRange(hunk) })),
    ].sort((x, y) => x.range[0] - y.range[0] || x.range[1] - y.range[1]);
    // Sweep: items whose changed ranges overlap form a group.
    let group: Item[] = [];
    let end = -Infinity;
    const flush = () => {
      if (!group.length) return;
      const as = group.filter((i) => i.side === 'a').map((i) => i.hunk).sort((x, y) => x.oldStart - y.oldStart);
      const bs = group.filter((i) => i.side === 'b').map((i) => i.hunk).sort((x, y) => x.oldStart - y.oldStart);
      if (!bs.length) result.onlyA.push(...as);
      else if (!as.length) result.onlyB.push(...bs);
      else {
        const ma = merge(as);
        const mb = merge(bs);
        if (changes(ma, !!options.ignoreWhitespace) === changes(mb, !!options.ignoreWhitespace)) result.identical++;
        else result.different.push({ a: ma, b: mb });
      }
      group = [];
    };
    for (const it of items) {
      if (group.length && it.range[0] > end) flush();
      group.push(it);
      end = Math.max(group.length === 1 ? -Infinity : end, it.range[1]);
    }
    flush();
  }
  result.total = result.identical + result.onlyA.length + result.onlyB.length + result.different.length;
  return result;
}
