// `unembed estimate --format text`: aligned tables; colour only when asked (the CLI asks on a TTY).

import { CATEGORIES } from '../model.js';
import type { DriverEstimate, EstimateReport } from './schema.js';
import { STRATEGY_ROWS, TOTALS_HEADERS, fmtHours, headline, totalsCells, weightLines } from './format-common.js';

export interface TextOptions {
  color?: boolean;
  /** rows of the per-maintainer table (default 25; 0 = all) */
  maintainers?: number;
}

const NUM = /^[-+]?[\d.,]+( ?[a-z%]+)?$|^-$/;

/** An aligned table: numbers right-aligned, the rest left-aligned; header bold when coloured. */
export function table(headers: string[], rows: string[][], color = false): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => i > 0 && rows.length > 0 && rows.every((r) => NUM.test(r[i] ?? '') || (r[i] ?? '') === ''));
  const line = (cells: string[]): string => cells.map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
    .join('  ').replace(/\s+$/, '');
  const head = line(headers);
  return [color ? `\x1b[1m${head}\x1b[0m` : head, ...rows.map(line)].join('\n');
}

function title(s: string, color: boolean): string {
  return color ? `\n\x1b[1;4m${s}\x1b[0m` : `\n${s}\n${'='.repeat(s.length)}`;
}

function driverRow(d: DriverEstimate): string[] {
  return [d.id, d.tree?.name ?? '-', String(d.files.length), String(d.sites.total), String(d.sites.rewritten),
    String(d.sites.manual), `+${d.lines.added}/-${d.lines.removed}`, d.lifetimeRisk ? 'risk' : '',
    String(d.phaseOne.minutes), String(d.phaseTwo.minutes), String(d.strategyA.minutes), String(d.coreAllocation.minutes)];
}

export function formatEstimateText(r: EstimateReport, opts: TextOptions = {}): string {
  const color = opts.color ?? false;
  const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[0m` : s);
  const out: string[] = [];
  out.push(`unembed estimate: ${r.tree} (${r.subsystems.join(', ')})`);
  out.push(`scan: ${r.scan.candidateFiles} files, ${r.scan.sites} sites, ${r.scan.embeddings} embeddings, `
    + `${(r.scan.millis / 1000).toFixed(1)} s; estimate ${(r.millis / 1000).toFixed(1)} s`);
  out.push(headline(r));

  out.push(title('Totals', color));
  out.push(table(['', ...TOTALS_HEADERS], STRATEGY_ROWS.map((s) => [s.label, ...totalsCells(r.totals[s.key])]), color));
  out.push(`patches the series generates: ${r.seriesPatches}; lines are phase one's (the patches \`unembed rewrite\` writes)`);

  out.push(title('Per tree', color));
  out.push(table(['tree', 'section', 'drivers', 'A1 patches', 'A1 h', 'A2 patches', 'A2 h', 'A h', 'B patches', 'B h'],
    r.perTree.map((t) => [t.tree.name + (t.tree.home ? ' (home)' : ''), t.tree.section.slice(0, 40), String(t.drivers.length),
      String(t.phaseOne.patches), t.phaseOne.hours.toFixed(1), String(t.phaseTwo.patches), t.phaseTwo.hours.toFixed(1),
      t.strategyA.hours.toFixed(1), String(t.coreAllocation.patches), t.coreAllocation.hours.toFixed(1)]), color));

  const nm = opts.maintainers ?? 25;
  const ms = nm > 0 ? r.perMaintainer.slice(0, nm) : r.perMaintainer;
  out.push(title(`Per maintainer (patches each must review; ${ms.length} of ${r.perMaintainer.length})`, color));
  out.push(table(['maintainer', 'A1', 'A2', 'B', 'sites', 'manual', 'trees'], ms.map((m) => [m.maintainer,
    String(m.phaseOnePatches), String(m.phaseTwoPatches), String(m.coreAllocationPatches), String(m.sites), String(m.manualSites),
    m.trees.join(' ')]), color));

  out.push(title('Per category (phase one)', color));
  out.push(table(['category', 'sites', 'rewritten', 'manual', 'unchanged', 'phase two', 'drivers', 'review min', 'manual min', 'hours'],
    r.perCategory.map((c) => [c.category, String(c.total), String(c.rewritten), String(c.manual), String(c.unchanged),
      String(c.phase2), String(c.drivers), String(r.weights.phaseOne.review[c.category]), String(r.weights.phaseOne.manual[c.category]),
      fmtHours(c.minutes)]), color));

  out.push(title('The ten hardest drivers (strategy A)', color));
  r.hardest.forEach((h, i) => {
    out.push(`${String(i + 1).padStart(2)}. ${h.id}: A ${fmtHours(h.minutes)} h, B ${fmtHours(h.coreAllocationMinutes)} h`);
    for (const w of h.why) out.push(`      - ${w}`);
  });

  const manual = r.drivers.flatMap((d) => d.manual.map((m) => ({ d, m })));
  out.push(title(`Sites for a human (${manual.length})`, color));
  for (const { d, m } of manual) out.push(`${m.file}:${m.line}:${m.column}: [${d.id}] ${m.category}: ${m.expr}: ${red(m.reason)}`);

  out.push(title(`Drivers (${r.drivers.length}; minutes)`, color));
  out.push(table(['driver', 'tree', 'files', 'sites', 'auto', 'manual', 'lines', 'lifetime', 'A1', 'A2', 'A', 'B'],
    r.drivers.map(driverRow), color));

  const risky = r.drivers.filter((d) => d.lifetimeRisk);
  out.push(title(`Lifetime risk: adapter freed with the driver's data (${risky.length} drivers)`, color));
  for (const d of risky) {
    out.push(`${d.id}: ${d.embeddings.map((e) => `struct ${e.container}.${e.member}${e.array ? '[]' : ''} `
      + `(${e.file}:${e.line}) ${e.allocations.join('/') || 'allocation not found'}, freed ${e.freedBy}`).join('; ')}`
      + `${d.registrations.length ? `; registered with ${d.registrations.join(', ')}` : ''}`);
  }

  out.push(title('Model (minutes; override with --weights FILE)', color));
  out.push(table(['category', 'review', 'manual'], CATEGORIES.map((c) => [c, String(r.weights.phaseOne.review[c]), String(r.weights.phaseOne.manual[c])]), color));
  for (const w of weightLines(r.weights)) {
    if (w.key === 'phaseOne.review' || w.key === 'phaseOne.manual') continue;
    out.push(`${w.key.padEnd(32)} ${w.value.padStart(8)}  ${w.doc}`);
  }
  out.push(title('Assumptions', color));
  for (const [k, list] of [['general', r.assumptions.general], ['A1 phase one', r.assumptions.phaseOne],
    ['A2 phase two', r.assumptions.phaseTwo], ['B core allocation', r.assumptions.coreAllocation]] as const) {
    out.push(`${k}:`);
    for (const a of list) out.push(`  - ${a}`);
  }
  if (r.conflicts.length) out.push(`\nwarning: ${r.conflicts.length} conflicting edit(s) in the plan`);
  return `${out.join('\n')}\n`;
}
