// The example tree carries its own expectations: every line with a site ends with
// `/* site: CATEGORY … */`, one category per site in column order; other lines hold none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../src/scan.js';
import { walkSources } from '../src/match/prefilter.js';
import { EXAMPLE_TREE } from './helpers.js';

function expectedSites(): Map<string, string[]> {
  const want = new Map<string, string[]>();
  for (const f of walkSources(EXAMPLE_TREE)) {
    readFileSync(join(EXAMPLE_TREE, f), 'latin1').split('\n').forEach((line, i) => {
      const m = /\/\*\s*site:\s*([a-z\- ]+?)\s*\*\//.exec(line);
      if (m) want.set(`${f}:${i + 1}`, m[1].split(/\s+/));
    });
  }
  return want;
}

test('example tree: the scanner finds exactly the marked sites, with their categories', async () => {
  const want = expectedSites();
  assert.ok(want.size >= 20, `the example tree should mark many sites (found ${want.size})`);
  const r = await scan({ tree: EXAMPLE_TREE, subsystem: 'i2c,spi,mtd', jobs: 0 });
  const got = new Map<string, string[]>();
  for (const s of r.sites) {
    const k = `${s.file}:${s.line}`;
    got.set(k, [...(got.get(k) ?? []), s.category]);
  }
  const problems: string[] = [];
  for (const [k, cats] of want) {
    const g = got.get(k) ?? [];
    if (g.join(' ') !== cats.join(' ')) problems.push(`${k}: expected [${cats.join(' ')}], scanner found [${g.join(' ')}]`);
  }
  for (const [k, g] of got) if (!want.has(k)) problems.push(`${k}: unexpected site(s) [${g.join(' ')}]`);
  assert.deepEqual(problems, []);
});

test('example tree: &pdev->dev and other devices are never sites', async () => {
  const r = await scan({ tree: EXAMPLE_TREE, subsystem: 'all', jobs: 0 });
  // the receiver itself is a platform device or an i2c client
  const bad = r.sites.filter((s) => /^&?\s*\(?\s*(pdev|client)\s*\)?\s*->\s*dev\b/.test(s.expr));
  assert.deepEqual(bad.map((s) => `${s.file}:${s.line} ${s.expr}`), []);
});

test('a folder path scans the same sites as the whole tree has there (outside git too)', async () => {
  const all = await scan({ tree: EXAMPLE_TREE, subsystem: 'all', jobs: 0 });
  const part = await scan({ tree: EXAMPLE_TREE, subsystem: 'all', jobs: 0, paths: ['drivers/i2c'] });
  const key = (s: { file: string; offset: number }) => `${s.file}:${s.offset}`;
  assert.ok(part.sites.length > 10);
  assert.deepEqual(part.sites.map(key), all.sites.filter((s) => s.file.startsWith('drivers/i2c/')).map(key));
});
