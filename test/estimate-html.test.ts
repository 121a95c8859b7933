// The HTML report opened in headless Chromium: no console error (a page that throws is the
// control that the check sees them), the inline script ran (it marks <body data-ready>), sorting
// and filtering work (?selftest=<text>), the SVG charts and the drivers table are in the DOM.
// Skipped when no chromium is installed (`apt-get install -y chromium`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { scan } from '../src/scan.js';
import { estimateFromScan } from '../src/estimate/estimate.js';
import { estimateHtml } from '../src/estimate/html.js';
import { EXAMPLE_TREE } from './helpers.js';

function findChromium(): string | undefined {
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const chromium = findChromium();
const skip = chromium ? false : 'chromium not installed';

/** Load a page headless; return the DOM after scripts ran and the console lines Chromium logged. */
function load(url: string): { dom: string; console: string[] } {
  const profile = mkdtempSync(join(tmpdir(), 'unembed-chromium-'));
  try {
    const r = spawnSync(chromium!, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`,
      '--enable-logging=stderr', '--v=0', '--virtual-time-budget=5000', '--dump-dom', url],
    { encoding: 'utf8', timeout: 90_000, maxBuffer: 256 * 1024 * 1024 });
    assert.equal(r.status, 0, `chromium failed: ${r.error?.message ?? r.stderr.slice(-500)}`);
    return { dom: r.stdout, console: r.stderr.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)) };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

test('the console check sees a page that throws (control)', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-html-'));
  try {
    const bad = join(dir, 'bad.html');
    writeFileSync(bad, '<!DOCTYPE html><html><body><script>null.x;</script></body></html>');
    const { console } = load(pathToFileURL(bad).href);
    assert.ok(console.some((l) => /Uncaught TypeError/.test(l)), console.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the HTML report in headless Chromium: no console error, charts, sortable and filterable table', { skip }, async () => {
  const report = await estimateFromScan(await scan({ tree: EXAMPLE_TREE, subsystem: 'all', jobs: 0 }));
  const dir = mkdtempSync(join(tmpdir(), 'unembed-html-'));
  try {
    const file = join(dir, 'estimate.html');
    writeFileSync(file, estimateHtml(report));
    const filter = 'otto'; // the maintainer of the i2c host drivers in the example tree
    const expected = report.drivers.filter((d) => [d.id, d.tree?.name ?? '', d.tree?.section ?? '', ...d.maintainers, ...d.files, d.prefix]
      .join(' ').toLowerCase().includes(filter)).length;
    assert.ok(expected > 0 && expected < report.drivers.length);
    const { dom, console } = load(`${pathToFileURL(file).href}?selftest=${filter}`);
    assert.deepEqual(console, [], 'console messages');
    assert.match(dom, /<body[^>]* data-ready="1"/);
    assert.match(dom, new RegExp(`data-selftest="rows=${report.drivers.length} visible=${expected} sorted=ok"`));
    assert.equal((dom.match(/<svg /g) ?? []).length, 5, 'five SVG charts');
    assert.match(dom, /<table id="drivers">/);
    assert.match(dom, /aria-sort="descending"/);
    // hidden rows after the filter: the others
    assert.equal((dom.match(/<tr [^>]*data-search="[^"]*"[^>]* hidden(="")?>/g) ?? []).length, report.drivers.length - expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
