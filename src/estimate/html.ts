// `unembed estimate --format html`: one self-contained file (no network): the totals, charts
// as inline SVG (sites and hours per tree, the category mix, the long tail), a drivers table
// that can be sorted and filtered (a small inline script), and every driver linked to its sites.
//
// For automated checks the script sets `data-ready="1"` on <body> once it ran, and with
// `?selftest=<text>` in the URL it sorts by strategy A minutes, filters by <text> and writes
// `data-selftest="rows=N visible=M sorted=ok|bad"` on <body>.

import type { DriverEstimate, EstimateReport, TreeTotals } from './schema.js';
import { STRATEGY_ROWS, TOTALS_HEADERS, fmtHours, headline, totalsCells, weightLines } from './format-common.js';

const COLORS = { a1: '#4e79a7', a2: '#f28e2b', b: '#59a14f', manual: '#e15759', rewritten: '#4e79a7', unchanged: '#bab0ac' };

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

interface Segment { value: number; color: string; label: string }

/** Horizontal bars, each a stack of segments, with a label on the left and the total on the right. */
function hbars(title: string, rows: { label: string; segments: Segment[]; note?: string }[], legend: Segment[], unit: string): string {
  const labelW = 230;
  const barW = 440;
  const rowH = 20;
  const top = 28;
  const max = Math.max(1e-9, ...rows.map((r) => r.segments.reduce((a, s) => a + s.value, 0)));
  const h = top + rows.length * rowH + 24;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${labelW + barW + 170} ${h}" width="${labelW + barW + 170}" height="${h}">`);
  parts.push(`<title>${esc(title)}</title>`);
  parts.push(`<text x="0" y="16" class="ct">${esc(title)}</text>`);
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" class="cl">${esc(r.label.length > 34 ? `${r.label.slice(0, 33)}…` : r.label)}</text>`);
    let x = labelW;
    let total = 0;
    for (const s of r.segments) {
      const w = (s.value / max) * barW;
      if (w > 0) parts.push(`<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${s.color}"><title>${esc(`${r.label}: ${s.label} ${num(s.value)} ${unit}`)}</title></rect>`);
      x += w;
      total += s.value;
    }
    parts.push(`<text x="${(x + 4).toFixed(1)}" y="${y + 14}" class="cv">${esc(r.note ?? `${num(total)} ${unit}`)}</text>`);
  });
  let lx = labelW;
  const ly = top + rows.length * rowH + 14;
  for (const s of legend) {
    parts.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${s.color}"/><text x="${lx + 14}" y="${ly}" class="cl">${esc(s.label)}</text>`);
    lx += 24 + s.label.length * 6.5;
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The long tail: drivers by strategy A hours, descending, with the cumulative share. */
function longTail(r: EstimateReport): string {
  const ds = r.drivers.filter((d) => !d.core && d.strategyA.minutes > 0).sort((a, b) => b.strategyA.minutes - a.strategyA.minutes);
  const W = 760;
  const H = 220;
  const left = 40;
  const top = 28;
  const plotW = W - left - 50;
  const plotH = H - top - 30;
  const max = Math.max(1e-9, ...ds.map((d) => d.strategyA.minutes));
  const total = ds.reduce((a, d) => a + d.strategyA.minutes, 0) || 1;
  const bw = ds.length ? plotW / ds.length : plotW;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">`);
  const tenth = Math.max(1, Math.round(ds.length / 10));
  const topShare = ds.slice(0, tenth).reduce((a, d) => a + d.strategyA.minutes, 0) / total;
  const title = `The long tail: ${ds.length} drivers by strategy A hours; the top ${tenth} carry ${Math.round(topShare * 100)}%`;
  parts.push(`<title>${esc(title)}</title><text x="0" y="16" class="ct">${esc(title)}</text>`);
  parts.push(`<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#888"/>`);
  parts.push(`<text x="${left - 4}" y="${top + 8}" text-anchor="end" class="cl">${fmtHours(max)} h</text>`);
  parts.push(`<text x="${left - 4}" y="${top + plotH}" text-anchor="end" class="cl">0</text>`);
  let cum = 0;
  const pts: string[] = [];
  ds.forEach((d, i) => {
    const h = (d.strategyA.minutes / max) * plotH;
    const x = left + i * bw;
    parts.push(`<rect x="${x.toFixed(2)}" y="${(top + plotH - h).toFixed(1)}" width="${Math.max(0.6, bw - (bw > 3 ? 1 : 0)).toFixed(2)}" height="${h.toFixed(1)}" fill="${COLORS.a1}"><title>${esc(`${d.id}: ${fmtHours(d.strategyA.minutes)} h`)}</title></rect>`);
    cum += d.strategyA.minutes;
    pts.push(`${(x + bw).toFixed(1)},${(top + plotH - (cum / total) * plotH).toFixed(1)}`);
  });
  if (pts.length) parts.push(`<polyline fill="none" stroke="${COLORS.a2}" stroke-width="2" points="${left},${top + plotH} ${pts.join(' ')}"><title>cumulative share of the hours</title></polyline>`);
  parts.push(`<text x="${left + plotW + 4}" y="${top + 8}" class="cl" fill="${COLORS.a2}">100%</text>`);
  parts.push(`<text x="${left}" y="${H - 6}" class="cl">drivers, hardest first (bars: hours; line: cumulative share)</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function treeCharts(r: EstimateReport): string {
  const n = 15;
  const top: TreeTotals[] = r.perTree.slice(0, n);
  const rest = r.perTree.slice(n);
  const label = (t: TreeTotals): string => `${t.tree.name}${t.tree.home ? ' (home)' : ''}`;
  const siteRows = top.map((t) => {
    const ds = r.drivers.filter((d) => (d.tree?.url ?? '') === t.tree.url);
    const sum = (f: (d: DriverEstimate) => number): number => ds.reduce((a, d) => a + f(d), 0);
    return { label: label(t), segments: [
      { value: sum((d) => d.sites.rewritten), color: COLORS.rewritten, label: 'rewritten' },
      { value: sum((d) => d.sites.manual), color: COLORS.manual, label: 'manual' },
      { value: sum((d) => d.sites.unchanged), color: COLORS.unchanged, label: 'unchanged' },
    ] };
  });
  const hourRows = top.flatMap((t) => [
    { label: label(t), segments: [
      { value: t.phaseOne.hours, color: COLORS.a1, label: 'A1 phase one' },
      { value: t.phaseTwo.hours, color: COLORS.a2, label: 'A2 phase two' },
    ] },
    { label: '', segments: [{ value: t.coreAllocation.hours, color: COLORS.b, label: 'B core allocation' }] },
  ]);
  if (rest.length) {
    const s = (f: (t: TreeTotals) => number): number => Math.round(rest.reduce((a, t) => a + f(t), 0) * 10) / 10;
    hourRows.push({ label: `${rest.length} other trees`, segments: [
      { value: s((t) => t.phaseOne.hours), color: COLORS.a1, label: 'A1 phase one' },
      { value: s((t) => t.phaseTwo.hours), color: COLORS.a2, label: 'A2 phase two' },
    ] }, { label: '', segments: [{ value: s((t) => t.coreAllocation.hours), color: COLORS.b, label: 'B core allocation' }] });
  }
  return hbars(`Sites per tree (top ${top.length} of ${r.perTree.length})`, siteRows,
    [{ value: 0, color: COLORS.rewritten, label: 'rewritten' }, { value: 0, color: COLORS.manual, label: 'manual' },
      { value: 0, color: COLORS.unchanged, label: 'unchanged' }], 'sites')
    + hbars('Hours per tree: strategy A (phase one + two) and B', hourRows,
      [{ value: 0, color: COLORS.a1, label: 'A1 phase one' }, { value: 0, color: COLORS.a2, label: 'A2 phase two' },
        { value: 0, color: COLORS.b, label: 'B core allocation' }], 'h');
}

function categoryChart(r: EstimateReport): string {
  return hbars('Category mix (phase one sites)', r.perCategory.map((c) => ({ label: c.category, segments: [
    { value: c.rewritten, color: COLORS.rewritten, label: 'rewritten' },
    { value: c.manual, color: COLORS.manual, label: 'manual' },
    { value: c.unchanged, color: COLORS.unchanged, label: 'unchanged' },
  ] })), [{ value: 0, color: COLORS.rewritten, label: 'rewritten' }, { value: 0, color: COLORS.manual, label: 'manual' },
    { value: 0, color: COLORS.unchanged, label: 'unchanged' }], 'sites');
}

function strategyChart(r: EstimateReport): string {
  const t = r.totals;
  return hbars('Strategies side by side', [
    { label: 'A: phase one + switch', segments: [
      { value: t.phaseOne.hours, color: COLORS.a1, label: 'A1 phase one' }, { value: t.phaseTwo.hours, color: COLORS.a2, label: 'A2 phase two' }],
    note: `${t.strategyA.hours.toFixed(1)} h, ${t.strategyA.patches} patches` },
    { label: 'B: core allocates the adapter', segments: [{ value: t.coreAllocation.hours, color: COLORS.b, label: 'B' }],
      note: `${t.coreAllocation.hours.toFixed(1)} h, ${t.coreAllocation.patches} patches` },
  ], [{ value: 0, color: COLORS.a1, label: 'A1 phase one' }, { value: 0, color: COLORS.a2, label: 'A2 phase two' },
    { value: 0, color: COLORS.b, label: 'B core allocation' }], 'h');
}

function htmlTable(headers: string[], rows: string[][], attrs = ''): string {
  return `<table ${attrs}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`
    + rows.map((r) => `<tr>${r.map((c, i) => (i > 0 && /^[-+]?\d[\d.]*$/.test(c) ? `<td class="n">${esc(c)}</td>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('')
    + '</tbody></table>';
}

function driverDetails(d: DriverEstimate, i: number): string {
  const effortLine = (name: string, e: DriverEstimate['phaseOne']): string => `<li>${esc(name)}: ${num(e.minutes)} min`
    + `${Object.keys(e.parts).length ? ` (${esc(Object.entries(e.parts).map(([k, v]) => `${k} ${num(v)}${e.counts[k] !== undefined ? ` [${e.counts[k]}]` : ''}`).join(', '))})` : ''}</li>`;
  const sites = d.siteList.map((s) => `<tr class="st-${s.status}"><td>${esc(`${s.file}:${s.line}:${s.column}`)}</td><td>${esc(s.category)}</td>`
    + `<td>${esc(s.status)}</td><td><code>${esc(s.expr)}</code></td><td>${esc(s.reason ?? '')}${s.phase2 ? `<br><em>phase two: ${esc(s.phase2)}</em>` : ''}</td></tr>`).join('');
  const b = d.coreAllocation.facts;
  return `<details id="d-${i}"><summary><b>${esc(d.id)}</b> (${esc(d.prefix)}) ${d.sites.total} sites, A ${fmtHours(d.strategyA.minutes)} h, B ${fmtHours(d.coreAllocation.minutes)} h</summary>`
    + `<p>files: ${d.files.map((f) => `<code>${esc(f)}</code>`).join(', ') || '-'}<br>`
    + `tree: ${esc(d.tree ? `${d.tree.name} (${d.tree.section})${d.tree.home ? ', home' : ''}` : '-')}; sections: ${esc(d.sections.join('; ') || '-')}<br>`
    + `maintainers: ${esc(d.maintainers.join(', ') || '-')}<br>reviewers: ${esc(d.reviewers.join(', ') || '-')}<br>lists: ${esc(d.lists.join(', ') || '-')}<br>`
    + `registration: ${esc(d.registrations.join(', ') || '-')}; lines +${d.lines.added}/-${d.lines.removed}; series patch: ${d.seriesPatch ? 'yes' : 'no'}</p>`
    + (d.embeddings.length ? `<p>embeddings: ${d.embeddings.map((e) => esc(`struct ${e.container}.${e.member}${e.array ? '[]' : ''} at ${e.file}:${e.line}, allocated ${e.allocations.join('/') || 'unknown'}, freed ${e.freedBy}`)).join('; ')}</p>` : '')
    + (d.lifetimeRisk ? `<p class="risk">lifetime risk: ${esc(d.lifetimeRiskReason ?? '')}</p>` : '')
    + `<ul>${effortLine('A1 phase one', d.phaseOne)}${effortLine('A2 phase two', d.phaseTwo)}${effortLine('B core allocation', d.coreAllocation)}</ul>`
    + (b.containerOf.length || b.staticAdapters.length || b.directAllocations.length
      ? `<p>B: container_of at ${esc(b.containerOf.map((l) => `${l.file}:${l.line}`).join(', ') || '-')}; static adapters ${esc(b.staticAdapters.map((s) => `${s.name} (${s.file}:${s.line})`).join(', ') || '-')}; own allocations ${esc(b.directAllocations.map((l) => `${l.file}:${l.line}`).join(', ') || '-')}; ${b.addressUses} &amp;adap uses, ${b.memberAccesses} adap.field accesses</p>` : '')
    + (sites ? `<table class="sites"><thead><tr><th>where</th><th>category</th><th>status</th><th>expression</th><th>reason</th></tr></thead><tbody>${sites}</tbody></table>` : '')
    + '</details>';
}

const SCRIPT = `(function () {
  var tbl = document.getElementById('drivers');
  var tbody = tbl.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = tbl.tHead.rows[0].cells;
  var filter = document.getElementById('filter');
  var onlyManual = document.getElementById('only-manual');
  var onlyRisk = document.getElementById('only-risk');
  var count = document.getElementById('count');
  var sortCol = -1, sortDir = 1;
  function key(row, i) {
    var c = row.cells[i];
    var v = c.getAttribute('data-v');
    return v === null ? c.textContent.toLowerCase() : parseFloat(v);
  }
  function sortBy(i, dir) {
    sortCol = i; sortDir = dir;
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    for (var k = 0; k < rows.length; k++) tbody.appendChild(rows[k]);
    for (var h = 0; h < heads.length; h++) heads[h].setAttribute('aria-sort', h === i ? (dir > 0 ? 'ascending' : 'descending') : 'none');
  }
  function apply() {
    var q = filter.value.trim().toLowerCase();
    var n = 0;
    for (var k = 0; k < rows.length; k++) {
      var r = rows[k];
      var ok = (!q || r.getAttribute('data-search').indexOf(q) >= 0)
        && (!onlyManual.checked || parseInt(r.getAttribute('data-manual'), 10) > 0)
        && (!onlyRisk.checked || r.getAttribute('data-risk') === '1');
      r.hidden = !ok;
      if (ok) n++;
    }
    count.textContent = n + ' of ' + rows.length + ' drivers';
    return n;
  }
  for (var h = 0; h < heads.length; h++) {
    (function (i) {
      heads[i].addEventListener('click', function () {
        var numeric = heads[i].getAttribute('data-num') === '1';
        sortBy(i, sortCol === i ? -sortDir : (numeric ? -1 : 1));
      });
    })(h);
  }
  filter.addEventListener('input', apply);
  onlyManual.addEventListener('change', apply);
  onlyRisk.addEventListener('change', apply);
  function openHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  apply();
  var params = new URLSearchParams(location.search);
  if (params.has('selftest')) {
    var col = -1;
    for (var j = 0; j < heads.length; j++) if (heads[j].getAttribute('data-key') === 'a') col = j;
    sortBy(col, -1);
    var sorted = true;
    for (var s = 1; s < rows.length; s++) if (key(rows[s - 1], col) < key(rows[s], col)) sorted = false;
    filter.value = params.get('selftest');
    var visible = apply();
    document.body.setAttribute('data-selftest', 'rows=' + rows.length + ' visible=' + visible + ' sorted=' + (sorted ? 'ok' : 'bad'));
  }
  document.body.setAttribute('data-ready', '1');
})();`;

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ddd;padding:2px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
#drivers th{cursor:pointer;user-select:none}#drivers th[aria-sort=ascending]::after{content:" \\25B2"}
#drivers th[aria-sort=descending]::after{content:" \\25BC"}
.chart{display:block;margin:.8em 0;max-width:100%;height:auto}.ct{font-weight:bold;font-size:13px}.cl,.cv{font-size:11px}
.risk{color:#b00}tr.st-manual td{background:#fde8e8}tr.st-unchanged td{color:#777}code{font-size:12px}
details{margin:.2em 0}summary{cursor:pointer}.controls{margin:.5em 0}.controls label{margin-left:1em}`;

/** The HTML report: one self-contained file. */
export function estimateHtml(r: EstimateReport): string {
  const t = r.totals;
  const drivers = r.drivers;
  const idx = new Map(drivers.map((d, i) => [d.id, i]));
  const rowsHtml = drivers.map((d, i) => {
    const search = [d.id, d.tree?.name ?? '', d.tree?.section ?? '', ...d.maintainers, ...d.files, d.prefix].join(' ').toLowerCase();
    const numCell = (v: number, text = num(v)): string => `<td class="n" data-v="${v}">${esc(text)}</td>`;
    return `<tr data-search="${esc(search)}" data-manual="${d.sites.manual}" data-risk="${d.lifetimeRisk ? 1 : 0}">`
      + `<td><a href="#d-${i}">${esc(d.id)}</a></td><td>${esc(d.kind)}</td><td>${esc(d.tree?.name ?? '-')}</td>`
      + `<td>${esc(d.maintainers[0] ?? '-')}${d.maintainers.length > 1 ? ` +${d.maintainers.length - 1}` : ''}</td>`
      + numCell(d.files.length) + numCell(d.sites.total) + numCell(d.sites.rewritten) + numCell(d.sites.manual)
      + numCell(d.lines.added + d.lines.removed, `+${d.lines.added}/-${d.lines.removed}`)
      + `<td data-v="${d.lifetimeRisk ? 1 : 0}" class="${d.lifetimeRisk ? 'risk' : ''}">${d.lifetimeRisk ? 'risk' : ''}</td>`
      + numCell(d.phaseOne.minutes) + numCell(d.phaseTwo.minutes) + numCell(d.strategyA.minutes) + numCell(d.coreAllocation.minutes)
      + '</tr>';
  }).join('\n');
  const heads: [string, string, boolean][] = [['driver', 'id', false], ['kind', 'kind', false], ['tree', 'tree', false],
    ['maintainer', 'm', false], ['files', 'files', true], ['sites', 'sites', true], ['auto', 'auto', true], ['manual', 'manual', true],
    ['lines', 'lines', true], ['lifetime', 'risk', true], ['A1 min', 'a1', true], ['A2 min', 'a2', true], ['A min', 'a', true],
    ['B min', 'b', true]];
  const manual = drivers.flatMap((d) => d.manual.map((m) => ({ d, m })));
  const link = (id: string): string => `<a href="#d-${idx.get(id)}">${esc(id)}</a>`;

  const html: string[] = [];
  html.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  html.push('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; script-src \'unsafe-inline\'; img-src data:">');
  html.push(`<title>unembed estimate: ${esc(r.subsystems.join(', '))}</title><style>${STYLE}</style></head><body>`);
  html.push(`<h1>unembed estimate: ${esc(r.subsystems.join(', '))}</h1>`);
  html.push(`<p>${esc(headline(r))}.</p><p>Tree <code>${esc(r.tree)}</code>; scan: ${r.scan.candidateFiles} files, ${r.scan.sites} sites, `
    + `${r.scan.embeddings} embeddings, ${(r.scan.millis / 1000).toFixed(1)} s. Schema version ${r.schemaVersion}. `
    + `Patches the series generates: ${r.seriesPatches}.</p>`);
  html.push('<h2>Totals</h2>');
  html.push(htmlTable(['', ...TOTALS_HEADERS], STRATEGY_ROWS.map((s) => [s.label, ...totalsCells(t[s.key])]), 'id="totals"'));
  html.push('<h2>Charts</h2>');
  html.push(strategyChart(r), treeCharts(r), categoryChart(r), longTail(r));

  html.push(`<h2>Drivers</h2><div class="controls"><input id="filter" type="search" placeholder="filter: driver, tree, maintainer, file" size="40">`
    + '<label><input id="only-manual" type="checkbox"> with manual sites</label><label><input id="only-risk" type="checkbox"> lifetime risk</label>'
    + ' <span id="count"></span></div>');
  html.push(`<table id="drivers"><thead><tr>${heads.map(([h, k, n]) => `<th data-key="${k}"${n ? ' data-num="1"' : ''}>${esc(h)}</th>`).join('')}</tr></thead><tbody>\n${rowsHtml}\n</tbody></table>`);

  html.push('<h2>The ten hardest drivers</h2><ol>');
  for (const h of r.hardest) html.push(`<li>${link(h.id)}: A ${fmtHours(h.minutes)} h, B ${fmtHours(h.coreAllocationMinutes)} h<ul>${h.why.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></li>`);
  html.push('</ol>');

  html.push('<h2>Per tree</h2>');
  html.push(htmlTable(['tree', 'section', 'drivers', 'A1 patches', 'A1 h', 'A2 patches', 'A2 h', 'A h', 'B patches', 'B h', 'maintainers', 'lists'],
    r.perTree.map((x) => [`${x.tree.name}${x.tree.home ? ' (home)' : ''}`, x.tree.section, String(x.drivers.length), String(x.phaseOne.patches),
      x.phaseOne.hours.toFixed(1), String(x.phaseTwo.patches), x.phaseTwo.hours.toFixed(1), x.strategyA.hours.toFixed(1),
      String(x.coreAllocation.patches), x.coreAllocation.hours.toFixed(1), String(x.strategyA.maintainers), String(x.strategyA.lists)]), 'id="per-tree"'));
  html.push(`<h2>Per maintainer (${r.perMaintainer.length}): patches each must review</h2>`);
  html.push(htmlTable(['maintainer', 'A1 patches', 'A2 patches', 'B patches', 'sites', 'manual', 'trees'],
    r.perMaintainer.map((m) => [m.maintainer, String(m.phaseOnePatches), String(m.phaseTwoPatches), String(m.coreAllocationPatches),
      String(m.sites), String(m.manualSites), m.trees.join(' ')]), 'id="per-maintainer"'));
  html.push('<h2>Per category (phase one)</h2>');
  html.push(htmlTable(['category', 'sites', 'rewritten', 'manual', 'unchanged', 'phase two', 'drivers', 'hours'],
    r.perCategory.map((c) => [c.category, String(c.total), String(c.rewritten), String(c.manual), String(c.unchanged), String(c.phase2),
      String(c.drivers), fmtHours(c.minutes)]), 'id="per-category"'));

  html.push(`<h2>Sites for a human (${manual.length})</h2><ul>`);
  for (const { d, m } of manual) html.push(`<li><code>${esc(`${m.file}:${m.line}:${m.column}`)}</code> ${link(d.id)} ${esc(m.category)}: <code>${esc(m.expr)}</code>: ${esc(m.reason)}</li>`);
  html.push('</ul>');

  html.push(`<h2>Lists involved (${r.lists.length})</h2><p>${esc(r.lists.join(', '))}</p>`);
  html.push('<h2>The model</h2><p>Minutes per unit of work (override with <code>--weights FILE</code>):</p>');
  html.push(htmlTable(['weight', 'value', 'meaning'], weightLines(r.weights).map((w) => [w.key, w.value, w.doc]), 'id="weights"'));
  html.push('<h3>Assumptions</h3>');
  for (const [k, list] of [['General', r.assumptions.general], ['A1 phase one', r.assumptions.phaseOne],
    ['A2 phase two', r.assumptions.phaseTwo], ['B core allocation', r.assumptions.coreAllocation]] as const) {
    html.push(`<h4>${esc(k)}</h4><ul>${list.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`);
  }
  html.push('<h2>Drivers and their sites</h2>');
  drivers.forEach((d, i) => html.push(driverDetails(d, i)));
  html.push(`<script>${SCRIPT}</script></body></html>`);
  return `${html.join('\n')}\n`;
}
