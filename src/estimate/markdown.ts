// `unembed estimate --format markdown`: the summary the series' cover letter uses.

import type { EstimateReport } from './schema.js';
import { STRATEGY_ROWS, TOTALS_HEADERS, fmtHours, headline, totalsCells, weightLines } from './format-common.js';

export interface MarkdownOptions {
  /** rows of the per-tree table (default 15; 0 = all) */
  trees?: number;
  /** rows of the per-maintainer table (default 15; 0 = all) */
  maintainers?: number;
  /** list the sites for a human (default true, at most 50) */
  manual?: boolean;
  /** include the weights and assumptions (default true) */
  model?: boolean;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function mdTable(headers: string[], rows: string[][], rightFrom = 1): string {
  const sep = headers.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [headers, sep, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

function limit<T>(list: readonly T[], n: number): { rows: readonly T[]; more: number } {
  return n > 0 && list.length > n ? { rows: list.slice(0, n), more: list.length - n } : { rows: list, more: 0 };
}

/** The markdown summary of an estimate (for the cover letter). */
export function estimateMarkdown(r: EstimateReport, opts: MarkdownOptions = {}): string {
  const out: string[] = [];
  out.push(`## How much work is this? (${r.subsystems.join(', ')})`, '');
  out.push(`${headline(r)}.`, '');
  out.push(mdTable(['', ...TOTALS_HEADERS], STRATEGY_ROWS.map((s) => [s.label, ...totalsCells(r.totals[s.key])])));
  out.push('', `Strategy A converts every access to helpers first (phase one, ${r.seriesPatches} generated patches), then `
    + 'lets the core allocate and revoke the device (phase two). Strategy B lets the core allocate the whole adapter, '
    + 'as spi_alloc_host() and pwmchip_alloc() do. Lines are those of phase one.', '');

  const trees = limit(r.perTree, opts.trees ?? 15);
  out.push('### Per tree', '');
  out.push(mdTable(['tree', 'section', 'drivers', 'A1 patches', 'A1 h', 'A2 h', 'A h', 'B patches', 'B h'],
    trees.rows.map((t) => [`${t.tree.name}${t.tree.home ? ' (home)' : ''}`, t.tree.section, String(t.drivers.length),
      String(t.phaseOne.patches), t.phaseOne.hours.toFixed(1), t.phaseTwo.hours.toFixed(1), t.strategyA.hours.toFixed(1),
      String(t.coreAllocation.patches), t.coreAllocation.hours.toFixed(1)]), 2));
  if (trees.more) out.push('', `… and ${trees.more} more trees.`);

  const ms = limit(r.perMaintainer, opts.maintainers ?? 15);
  out.push('', '### Patches per maintainer', '');
  out.push(mdTable(['maintainer', 'A1', 'A2', 'B', 'sites', 'manual'], ms.rows.map((m) => [m.maintainer,
    String(m.phaseOnePatches), String(m.phaseTwoPatches), String(m.coreAllocationPatches), String(m.sites), String(m.manualSites)])));
  if (ms.more) out.push('', `… and ${ms.more} more maintainers.`);

  out.push('', '### Sites per category (phase one)', '');
  out.push(mdTable(['category', 'sites', 'rewritten', 'manual', 'unchanged', 'phase two', 'drivers', 'hours'],
    r.perCategory.map((c) => [c.category, String(c.total), String(c.rewritten), String(c.manual), String(c.unchanged),
      String(c.phase2), String(c.drivers), fmtHours(c.minutes)])));

  out.push('', '### The ten hardest drivers', '');
  r.hardest.forEach((h, i) => {
    out.push(`${i + 1}. \`${h.id}\`: A ${fmtHours(h.minutes)} h, B ${fmtHours(h.coreAllocationMinutes)} h: ${h.why.join('; ')}`);
  });

  if (opts.manual ?? true) {
    const manual = r.drivers.flatMap((d) => d.manual);
    out.push('', `### Sites left for a human (${manual.length})`, '');
    for (const m of manual.slice(0, 50)) out.push(`- \`${m.file}:${m.line}\` (${m.category}): ${m.reason}`);
    if (manual.length > 50) out.push(`- … and ${manual.length - 50} more`);
  }

  if (opts.model ?? true) {
    out.push('', '### The model', '');
    out.push('Minutes per unit of work (override with `--weights FILE`):', '');
    for (const w of weightLines(r.weights)) out.push(`- \`${w.key}\`: ${w.value}${w.doc ? ` (${w.doc})` : ''}`);
    out.push('', 'Assumptions:', '');
    for (const a of [...r.assumptions.general, ...r.assumptions.phaseOne, ...r.assumptions.phaseTwo, ...r.assumptions.coreAllocation]) {
      out.push(`- ${a}`);
    }
  }
  return `${out.join('\n')}\n`;
}
