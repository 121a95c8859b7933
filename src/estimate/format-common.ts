// Pieces the estimate's formats share: the rows of the summary tables and the weights listed
// as lines. Everything is computed from the EstimateReport alone.

import { CATEGORIES } from '../model.js';
import type { EstimateReport, Totals } from './schema.js';
import { WEIGHT_DOCS, type Weights } from './weights.js';

export const STRATEGY_ROWS: { key: keyof EstimateReport['totals']; label: string }[] = [
  { key: 'phaseOne', label: 'A1 phase one (helpers)' },
  { key: 'phaseTwo', label: 'A2 phase two (the switch)' },
  { key: 'strategyA', label: 'A  = phase one + two' },
  { key: 'coreAllocation', label: 'B  core allocates the adapter' },
];

export const TOTALS_HEADERS = ['patches', 'drivers', 'sites', 'manual', 'maintainers', 'lists', 'trees', 'cross-tree',
  '+lines', '-lines', 'hours'];

export function totalsCells(t: Totals): string[] {
  return [t.patches, t.drivers, t.sites, t.manualSites, t.maintainers, t.lists, t.trees, t.crossTrees, t.linesAdded,
    t.linesRemoved].map(String).concat(t.hours.toFixed(1));
}

export const fmtHours = (minutes: number): string => (Math.round(minutes / 6) / 10).toFixed(1);

/** The weights as `key: value — doc` lines; per-category weights as one table-like line each. */
export function weightLines(w: Weights): { key: string; value: string; doc: string }[] {
  const out: { key: string; value: string; doc: string }[] = [];
  for (const [phase, group] of Object.entries(w) as [keyof Weights, Record<string, unknown>][]) {
    for (const [k, v] of Object.entries(group)) {
      const key = `${phase}.${k}`;
      if (typeof v === 'number') out.push({ key, value: `${v} min`, doc: WEIGHT_DOCS[key] ?? '' });
      else {
        const rec = v as Record<string, number>;
        out.push({ key, value: CATEGORIES.map((c) => `${c} ${rec[c]}`).join(', '), doc: WEIGHT_DOCS[key] ?? '' });
      }
    }
  }
  return out;
}

/** A one-line headline of the report. */
export function headline(r: EstimateReport): string {
  const a = r.totals.strategyA;
  const p1 = r.totals.phaseOne;
  const b = r.totals.coreAllocation;
  return `${p1.patches} phase-one patches for ${p1.drivers} drivers, ${r.scan.sites} sites (${p1.manualSites} for a human), `
    + `${r.maintainers.length} maintainers, ${r.perTree.length} trees; strategy A ${a.hours.toFixed(1)} h `
    + `(phase one ${p1.hours.toFixed(1)} h + switch ${r.totals.phaseTwo.hours.toFixed(1)} h), strategy B ${b.hours.toFixed(1)} h`;
}
