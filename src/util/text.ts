// Small text helpers shared by the stages.

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offsets of every line start of a text, for offset -> line lookups. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`, given the line starts. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Splits a list of command-line arguments into runs that fit `maxBytes` (and at most `maxCount`
 * items each), for commands run once per run (grep, make).
 */
export function argumentRuns(items: readonly string[], maxBytes: number, maxCount = Infinity): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let bytes = 0;
  for (const item of items) {
    if (cur.length && (cur.length >= maxCount || bytes + item.length + 1 > maxBytes)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(item);
    bytes += item.length + 1;
  }
  if (cur.length) out.push(cur);
  return out;
}
