// The kernel-aware front end: offset-preserving normalisation and what it buys the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeKernelC } from '../src/parse/normalize.js';
import { inErrorRegion, parseC } from '../src/parse/parser.js';

const SRC = [
  'static DEFINE_MUTEX(foo_lock);',
  'struct foo {',
  '\tvoid __iomem *base;',
  '\tstruct i2c_adapter adap;',
  '\tDECLARE_BITMAP(bits, 32);',
  '};',
  'static int __init foo_init(struct foo *f) __must_hold(&foo_lock)',
  '{',
  '\tstruct foo *p;',
  '\tlist_for_each_entry(p, &foo_list, node) {',
  '\t\tdev_info(&p->adap.dev, "x");',
  '\t}',
  '\treturn 0;',
  '}',
  '',
].join('\n');

test('normalisation keeps every offset and every newline', () => {
  const n = normalizeKernelC(SRC);
  assert.equal(n.text.length, SRC.length);
  assert.deepEqual([...n.text].map((c, i) => (c === '\n') === (SRC[i] === '\n')).every(Boolean), true);
  assert.ok(n.counts.annotations >= 3);
  assert.equal(n.counts.iterators, 1);
  assert.equal(n.counts.declarations, 2);
  assert.match(n.text, /while\s+\(p, &foo_list, node\) \{/);
});

test('the normalised file parses without errors where the raw one does not', () => {
  assert.equal(parseC(SRC, { raw: true }).tree.rootNode.hasError, true);
  const p = parseC(SRC);
  assert.equal(p.tree.rootNode.hasError, false);
  // the node for `p->adap.dev` sits at the same offset as in the original text
  const at = SRC.indexOf('p->adap.dev');
  const node = p.tree.rootNode.descendantForIndex(at, at + 'p->adap.dev'.length);
  assert.equal(node.type, 'field_expression');
  assert.equal(SRC.slice(node.startIndex, node.endIndex), 'p->adap.dev');
  assert.equal(inErrorRegion(node), false);
});

test('non-ASCII bytes are kept one for one (latin1)', () => {
  const text = Buffer.from('/* Ã©tÃ© */ int x;\n', 'utf8').toString('latin1');
  const p = parseC(text);
  assert.equal(p.normalized.length, text.length);
  const decl = p.tree.rootNode.namedChildren.find((c) => c.type === 'declaration')!;
  assert.equal(text.slice(decl.startIndex, decl.endIndex), 'int x;');
});

test('focus blanks the bodies of functions that cannot hold a site', () => {
  const src = 'int a(void)\n{\n\treturn pdev->dev.id;\n}\nint b(struct i2c_adapter *adap)\n{\n\treturn 1;\n}\n';
  const n = normalizeKernelC(src, { words: new Set(['i2c_adapter']), members: new Set(), arrayMembers: new Set(), accessed: new Set(['dev']) });
  assert.equal(n.counts.blankedBodies, 1);
  assert.ok(!n.text.includes('pdev'));
  assert.ok(n.text.includes('return 1;'));
  assert.equal(n.text.length, src.length);
});
