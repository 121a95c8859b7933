// The human-readable form of a scan: one line per site, then the embedding facts and counts.
import { CATEGORIES, isManual, type ScanResult, type Site } from '../model.js';

export function siteLine(s: Site): string {
  const what = s.edit ? `=> ${s.edit.text}` : s.noChange ? `(${s.noChange})` : `needs a human: ${s.human ?? 'no rewrite'}`;
  const p2 = s.phase2 ? ` [phase two: ${s.phase2}]` : '';
  return `${s.file}:${s.line}:${s.column}: ${s.category}: ${s.expr} ${what}${p2}`;
}

export function categoryCounts(sites: readonly Site[]): Map<string, { total: number; manual: number }> {
  const counts = new Map<string, { total: number; manual: number }>();
  for (const c of CATEGORIES) counts.set(c, { total: 0, manual: 0 });
  for (const s of sites) {
    const c = counts.get(s.category)!;
    c.total++;
    if (isManual(s)) c.manual++;
  }
  return counts;
}

export function formatScan(r: ScanResult): string {
  const out: string[] = [];
  for (const s of r.sites) out.push(siteLine(s));
  if (r.embeddings.length) {
    out.push('', 'Structs embedding the object by value:');
    for (const e of r.embeddings) {
      out.push(`${e.file}:${e.line}: struct ${e.container}.${e.member}${e.array ? '[]' : ''} (${e.transform}) `
        + `allocated: ${e.allocations.join(', ') || 'unknown'}; registered: ${e.registrations.join(', ') || 'not in this file'}`);
    }
  }
  for (const d of r.diagnostics) out.push(`${d.file}: ${d.message}`);
  out.push('', 'Sites per category:');
  const counts = categoryCounts(r.sites);
  for (const [c, n] of counts) {
    if (n.total) out.push(`  ${c.padEnd(24)} ${String(n.total).padStart(6)}  (${n.manual} need a human)`);
  }
  const manual = r.sites.filter(isManual).length;
  const phase2 = r.sites.filter((s) => s.phase2).length;
  out.push(`  ${'total'.padEnd(24)} ${String(r.sites.length).padStart(6)}  (${manual} need a human, `
    + `${phase2} flagged for phase two)`);
  out.push(`Files: ${r.stats.files} candidates, ${r.stats.parsedFiles} parsed, ${r.embeddings.length} embeddings; `
    + `${(r.stats.millis / 1000).toFixed(1)} s`);
  return out.join('\n');
}
