// The generated semantic patches: header, rule order, determinism, the committed files in
// cocci/ being up to date, and spatch accepting them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { emitAll, emitSmPL, orderRules, SPATCH_OPTIONS } from '../src/cocci/emit.js';
import { coccinelleOptions, findSpatch, parseTimeV, spatchArgs } from '../src/cocci/spatch.js';
import { standardRules, type TransformDefinition } from '../src/transform.js';
import { TRANSFORMS } from '../transforms/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const spatch = findSpatch();
const i2c = TRANSFORMS.find((t) => t.id === 'i2c-adapter-dev')!;
const spi = TRANSFORMS.find((t) => t.id === 'spi-controller-dev')!;

test('emitted file starts with the kernel cocci header and the four virtual modes', () => {
  const text = emitSmPL(i2c);
  const lines = text.split('\n');
  assert.equal(lines[0], '// SPDX-License-Identifier: GPL-2.0-only');
  assert.equal(lines[1], '///');
  assert.match(text, /^\/\/\/ Make use of i2c_adapter_dev\(\) accessor\.$/m);
  assert.match(text, /^\/\/ Confidence: \w+$/m);
  assert.match(text, /^\/\/ Copyright: \(C\) 2026 The unembed authors$/m);
  assert.deepEqual(coccinelleOptions(text), [...SPATCH_OPTIONS]);
  assert.match(text, /^\/\/ Keywords: .*i2c_adapter_dev/m);
  const header = lines.slice(0, lines.indexOf('virtual patch'));
  assert.ok(header.every((l) => l === '' || l.startsWith('//')), 'only comments before the virtual declarations');
  const virtuals = lines.filter((l) => l.startsWith('virtual '));
  assert.deepEqual(virtuals, ['virtual patch', 'virtual context', 'virtual org', 'virtual report']);
});

test('every rule of the definition becomes a patch rule, setters before the generic member rule', () => {
  const text = emitSmPL(i2c);
  const at = (name: string) => {
    const i = text.indexOf(`@${name} depends on patch`);
    assert.ok(i >= 0, `rule ${name} present`);
    return i;
  };
  for (const r of i2c.rules) {
    const stem = r.id.replace(/[^A-Za-z0-9_]/g, '_');
    if (r.kind === 'container-of') at(stem);
    else { at(`${stem}_ptr`); at(`${stem}_val`); }
  }
  assert.ok(at('set_parent_ptr') < at('member_ptr'));
  assert.ok(at('set_device_set_node_ptr') < at('address_of_ptr'));
  assert.ok(at('set_parent_val') < at('member_val'));
  // replacements come from the templates
  assert.match(text, /^- E->dev@p\.parent = V\n\+ i2c_adapter_set_parent\(E, V\)$/m);
  assert.match(text, /^- &A\.dev@p\n\+ i2c_adapter_dev\(&A\)$/m);
  assert.match(text, /^- A\.dev@p\.F\n\+ i2c_adapter_dev\(&A\)->F$/m);
  assert.match(text, /^- device_set_node\(&E->dev@p\n\+ i2c_adapter_set_node\(E\n {2}, \.\.\.\)$/m);
  assert.match(text, /^- container_of@p\(D, struct i2c_adapter, dev\)\n\+ to_i2c_adapter\(D\)$/m);
  assert.match(text, /^struct i2c_adapter \*E;$/m);
  assert.match(text, /^struct i2c_adapter A;$/m);
  // report-only forms are never patched
  assert.doesNotMatch(text, /^- .*sizeof/m);
  assert.doesNotMatch(text, /^- .*offsetof/m);
  assert.match(text, /@init_report depends on !patch/);
  assert.match(text, /@by_value_report depends on !patch/);
  assert.match(text, /coccilib\.report\.print_report\(p\[0\], msg\)/);
  assert.match(text, /coccilib\.org\.print_todo\(p\[0\], msg_safe\)/);
  assert.match(text, /UNEMBED_HELPERS = frozenset\(\[\n {4}"i2c_adapter_dev",\n {4}"to_i2c_adapter",\n {4}"i2c_adapter_set_parent",/);
});

test('struct aliases become type sets and disjunctions', () => {
  const text = emitSmPL(spi);
  assert.match(text, /^\{struct spi_controller \*, struct spi_master \*\} E;$/m);
  assert.match(text, /^\{struct spi_controller, struct spi_master\} A;$/m);
  assert.match(text, /^- container_of@p\(D, struct spi_master, dev\)\n\+ to_spi_controller\(D\)$/m);
  assert.match(text, /^ {4}"to_spi_master",$/m);
  // no setters in SPI: only the generic rules
  assert.doesNotMatch(text, /@set_/);
});

test('orderRules is stable and puts configuration first', () => {
  const kinds = orderRules(i2c.rules).map((r) => r.kind);
  const firstGeneric = kinds.findIndex((k) => k === 'address-of' || k === 'member');
  assert.ok(kinds.slice(firstGeneric).every((k) => k === 'address-of' || k === 'member'));
  assert.deepEqual(orderRules(i2c.rules).filter((r) => r.kind === 'config-assign').map((r) => r.id),
    i2c.rules.filter((r) => r.kind === 'config-assign').map((r) => r.id));
});

test('the emitter is deterministic and rejects templates it cannot express', () => {
  for (const t of TRANSFORMS) assert.equal(emitSmPL(t), emitSmPL(t));
  const base: TransformDefinition = { ...i2c, rules: [] };
  const bad = { ...base, rules: [...standardRules(base), { id: 'x', kind: 'member' as const, pattern: 'E->dev.Q', replacement: 'f($E)' }] };
  assert.throws(() => emitSmPL(bad), /unknown placeholder 'Q'/);
  const unbound = { ...base, rules: [{ id: 'y', kind: 'member' as const, pattern: 'E->dev.F', replacement: 'f($V)' }] };
  assert.throws(() => emitSmPL(unbound), /does not bind/);
});

test('committed cocci/ files are up to date with the transform definitions', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'unembed-cocci-'));
  try {
    const written = await emitAll(TRANSFORMS, dir);
    assert.deepEqual(written.map((f) => path.basename(f)), TRANSFORMS.map((t) => `${t.id}.cocci`));
    for (const f of written) {
      const committed = await readFile(path.join(root, 'cocci', path.basename(f)), 'utf8').catch(() => '(missing)');
      assert.equal(committed, await readFile(f, 'utf8'),
        `cocci/${path.basename(f)} is stale: run \`node dist/scripts/gen-cocci.js\``);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('spatch --parse-cocci accepts every generated file in every mode', { skip: spatch ? false : 'spatch not installed' }, () => {
  for (const t of TRANSFORMS) {
    const file = path.join(root, 'cocci', `${t.id}.cocci`);
    for (const mode of ['patch', 'context', 'org', 'report']) {
      const r = spawnSync(spatch!, ['--parse-cocci', file, '-D', mode], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${t.id} (${mode}): ${r.stderr.split('\n').slice(-8).join('\n')}`);
      const warnings = r.stderr.split('\n').filter((l) => /^warning:|error/.test(l)); // not standard.h's 'Warning: PARSING'
      assert.deepEqual(warnings, [], `${t.id} (${mode}) parses without warnings`);
    }
  }
});

test('spatch command line: header options, includes, jobs, directories', () => {
  assert.deepEqual(coccinelleOptions('// Options: --no-includes --include-headers\n'), ['--no-includes', '--include-headers']);
  assert.deepEqual(coccinelleOptions('virtual patch\n'), []);
  const args = spatchArgs({
    cocci: path.join(root, 'cocci', 'i2c-adapter-dev.cocci'), mode: 'report', targets: ['testdata/cocci', 'x.c'],
    includeDirs: ['include'], jobs: 2, cwd: root,
  });
  assert.deepEqual(args.slice(2), ['-D', 'report', '--very-quiet', ...SPATCH_OPTIONS, '-I', 'include', '--jobs', '2',
    '--chunksize', '1', '--no-show-diff', '--dir', 'testdata/cocci', 'x.c']);
  assert.deepEqual(parseTimeV('\tUser time (seconds): 17.25\n\tSystem time (seconds): 0.66\n'
    + '\tMaximum resident set size (kbytes): 49364\n'), { userMs: 17250, systemMs: 660, maxRssKb: 49364 });
});

test('spatch is never given two folders at once (it would keep only the last --dir)', () => {
  const base = { cocci: path.join(root, 'cocci', 'i2c-adapter-dev.cocci'), mode: 'patch' as const, cwd: path.join(root, 'testdata'), options: [] };
  assert.deepEqual(spatchArgs({ ...base, targets: ['tree'] }).slice(-2), ['--dir', 'tree']);
  assert.throws(() => spatchArgs({ ...base, targets: ['tree', 'switch'] }), /one folder per run/);
});
