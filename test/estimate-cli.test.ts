// `unembed estimate` on the command line: formats, -o FILE, --weights, exit codes; the tree is never written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, TESTDATA, scratchTree } from './helpers.js';
import type { EstimateReport } from '../src/estimate/schema.js';

const BIN = join(ROOT, 'bin', 'unembed.js');
const TREE = join(TESTDATA, 'estimate', 'tree');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'estimate', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('json on stdout: versioned schema, weights and assumptions included', () => {
  const r = run(['--tree', TREE, '--subsystem', 'i2c', '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout) as EstimateReport;
  assert.equal(j.schemaVersion, 1);
  assert.deepEqual(j.subsystems, ['i2c']);
  assert.ok(j.weights.phaseOne.patch > 0);
  assert.ok(j.assumptions.coreAllocation.length > 0);
  assert.equal(j.drivers.reduce((a, d) => a + d.sites.total, 0), j.scan.sites);
  // --json is the same format
  assert.equal(JSON.parse(run(['--tree', TREE, '--subsystem', 'i2c', '--json']).stdout).schemaVersion, 1);
});

test('-o FILE for each format; text has no colour when not a TTY', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-estimate-'));
  try {
    for (const [format, check] of [
      ['text', /^unembed estimate: /],
      ['markdown', /^## How much work is this\?/],
      ['html', /^<!DOCTYPE html>/],
      ['json', /^\{\n "schemaVersion": 1,/],
    ] as const) {
      const out = join(dir, `e.${format}`);
      const r = run(['--tree', TREE, '--subsystem', 'i2c', '--format', format, '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      const text = readFileSync(out, 'utf8');
      assert.match(text, check);
      assert.ok(!text.includes('\x1b['));
    }
    const plain = run(['--tree', TREE, '--subsystem', 'i2c']);
    assert.equal(plain.status, 0);
    assert.ok(!plain.stdout.includes('\x1b['), 'no colour in a pipe');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--weights: applied and printed; a bad file is one line on stderr and exit 2', () => {
  const ok = run(['--tree', TREE, '--subsystem', 'i2c', '--weights', join(TESTDATA, 'estimate', 'weights-example.json')]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /coreAllocation\.core\s+3000 min/);
  assert.match(ok.stdout, /phaseOne\.patch\s+45 min/);
  for (const f of ['weights-unknown-key.json', 'weights-negative.json', 'weights-not-json.json', 'missing.json']) {
    const r = run(['--tree', TREE, '--subsystem', 'i2c', '--weights', join(TESTDATA, 'estimate', f)]);
    assert.equal(r.status, 2, f);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^unembed: weights file .*\n$/);
  }
});

test('the tree is not changed (a dry run)', () => {
  const { dir, done } = scratchTree();
  try {
    const before = spawnSync('find', [dir, '-type', 'f', '-newer', join(dir, 'Makefile')], { encoding: 'utf8' }).stdout;
    const snapshot = readFileSync(join(dir, 'drivers/i2c/busses/i2c-acme.c'), 'latin1');
    const r = run(['--tree', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(join(dir, 'drivers/i2c/busses/i2c-acme.c'), 'latin1'), snapshot);
    assert.equal(spawnSync('find', [dir, '-type', 'f', '-newer', join(dir, 'Makefile')], { encoding: 'utf8' }).stdout, before);
  } finally {
    done();
  }
});
