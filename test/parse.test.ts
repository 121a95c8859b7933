// The kernel-aware front end: offset-preserving normalisation and what it buys the parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeKernelC } from '../src/parse/normalize.js';
import { inErrorRegion, includedRanges, parseC } from '../src/parse/parser.js';

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

test('included ranges skip long blank runs but keep offsets, positions and preprocessor line ends', () => {
  const blank = ' '.repeat(700);
  const src = `#define A a_value\n${blank}\nint a;\nvoid f(void) {${blank}\n${blank}}\n#include <x.h>\n${blank}int b;\n`;
  const ranges = includedRanges(src);
  assert.ok(ranges.length >= 3, `expected gaps, got ${ranges.length} range(s)`);
  for (const r of ranges) {
    // every range boundary's position agrees with the text
    const before = src.slice(0, r.startIndex).split('\n');
    assert.deepEqual(r.startPosition, { row: before.length - 1, column: before[before.length - 1].length });
  }
  // no gap swallows the newline that ends a preprocessor line
  for (const r of ranges.slice(0, -1)) assert.equal(src[r.endIndex - 1], '\n');
  const withRanges = parseC(src, { focus: { words: new Set(['f']), members: new Set(), arrayMembers: new Set(), accessed: new Set() } });
  const plain = parseC(src);
  assert.equal(withRanges.tree.rootNode.toString(), plain.tree.rootNode.toString());
  const b = withRanges.tree.rootNode.descendantsOfType('identifier').find((n) => n.text === 'b')!;
  assert.equal(b.startIndex, src.indexOf('int b;') + 4);
  assert.equal(b.startPosition.row, src.slice(0, b.startIndex).split('\n').length - 1);
});
