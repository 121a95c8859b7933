// The shared symbol index: built in parts by the workers and joined, it answers like one built
// whole, and survives the packed form it travels in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeaderIndex, indexSharedHeaders, treeReader } from '../src/types/header-index.js';
import { SharedSymbols, SymbolIndexBuilder } from '../src/types/shared-symbols.js';

const FILES: Record<string, string> = {
  'include/linux/a.h': 'struct alpha { int x; };\nstruct beta { int y; };\n#define FOO foo_one\nint *make_alpha(void);\n',
  'include/linux/b.h': 'struct alpha { long z; };\ntypedef struct beta beta_t;\n',
  'arch/x86/include/asm/c.h': 'struct gamma { int g; };\n#define FOO foo_two\n',
  'arch/arm/include/asm/c.h': 'struct gamma { int h; };\nstruct alpha { char c; };\n',
  'drivers/x/priv.h': 'struct delta { int d; };\n',
};

function index(): HeaderIndex {
  const h = new HeaderIndex('/nonexistent', (rel) => FILES[rel]);
  h.allHeaders = Object.keys(FILES);
  return h;
}

test('symbol index: parts joined answer like the whole, x86 before other arches', () => {
  const whole = index().symbols;
  for (const count of [2, 3]) {
    const joined = index();
    const parts = Array.from({ length: count }, (_, i) => index().symbolPart(i, count));
    parts.forEach((p, i) => joined.setSymbolPart(i, count, SharedSymbols.unpack(p.pack())));
    for (const [kind, name] of [['structs', 'alpha'], ['structs', 'gamma'], ['typedefs', 'beta_t'], ['macros', 'FOO'],
      ['functions', 'make_alpha'], ['structs', 'delta']] as const) {
      assert.deepEqual(joined.where(kind, name), whole.where(kind, name), `${kind} ${name} in ${count} parts`);
    }
  }
  assert.deepEqual(whole.where('structs', 'alpha'), ['include/linux/a.h', 'include/linux/b.h', 'arch/arm/include/asm/c.h']);
  assert.deepEqual(whole.where('structs', 'gamma'), ['arch/x86/include/asm/c.h', 'arch/arm/include/asm/c.h']);
  assert.deepEqual(whole.where('structs', 'delta'), [], 'only shared headers are indexed');
});

test('symbol index: a partial scan\'s, built from the texts its closure read (in any order), answers like a whole index over them', () => {
  const reach = ['arch/arm/include/asm/c.h', 'include/linux/b.h', 'drivers/x/priv.h'];
  const whole = new HeaderIndex('/nonexistent', (rel) => FILES[rel]);
  whole.allHeaders = reach;
  const here = SharedSymbols.unpack(indexSharedHeaders(new Map(reach.slice(0, 2).map((f) => [f, FILES[f]]))));
  for (const [kind, name] of [['structs', 'alpha'], ['structs', 'gamma'], ['typedefs', 'beta_t'], ['macros', 'FOO']] as const) {
    assert.deepEqual(here.where(kind, name), whole.symbols.where(kind, name), `${kind} ${name}`);
  }
  assert.deepEqual(here.where('structs', 'alpha'), ['include/linux/b.h', 'arch/arm/include/asm/c.h'], 'priority order; a.h out of reach');
  assert.deepEqual(here.where('macros', 'FOO'), []);
});

test('symbol index: numeric constants stay out, every other #define is in', () => {
  const h = new HeaderIndex('/nonexistent', () => '#define REG_CTRL 0x10\n#define NEG\t-1\n#define ALIAS other_tag\n'
    + '#define to_foo(d) container_of(d, struct foo, dev)\n#define EXPR (&foo_adapter)\n#define EMPTY\n#define REG2BIT 0x4\n'
    + '#define SHIFTED (1 << 3)\n#define ALLONES ~0\n');
  h.allHeaders = ['include/linux/r.h'];
  // the same rule as the normaliser's, which blanks these lines in the files it parses
  for (const name of ['REG_CTRL', 'NEG', 'REG2BIT', 'SHIFTED', 'ALLONES']) assert.deepEqual(h.where('macros', name), [], name);
  for (const name of ['ALIAS', 'to_foo', 'EXPR', 'EMPTY']) assert.deepEqual(h.where('macros', name), ['include/linux/r.h'], name);
});

test('symbol index: a name defined twice in one header is listed once, and many names share buckets', () => {
  const b = new SymbolIndexBuilder(['include/linux/one.h', 'include/linux/two.h']);
  // #ifdef branches define the same macro twice in one file
  b.add('macros', 'TWICE', 0);
  b.add('macros', 'TWICE', 0);
  b.add('macros', 'TWICE', 1);
  // enough names that buckets hold several, with repeats among them (files come in order)
  for (const file of [0, 1]) {
    for (let i = file; i < 500; i += 2) b.add('macros', `M${i}`, file);
    for (let i = file; i < 500; i += 14) b.add('macros', `M${i}`, file);
  }
  const s = SharedSymbols.unpack(b.pack());
  assert.deepEqual(s.where('macros', 'TWICE'), ['include/linux/one.h', 'include/linux/two.h']);
  for (let i = 0; i < 500; i++) assert.deepEqual(s.where('macros', `M${i}`), [`include/linux/${i % 2 ? 'two' : 'one'}.h`], `M${i}`);
});

test('tree reader: files larger than its buffer, missing files and folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-reader-'));
  try {
    const big = 'x'.repeat(3 << 20) + '\xe9end';
    writeFileSync(join(dir, 'big.h'), Buffer.from(big, 'latin1'));
    writeFileSync(join(dir, 'small.h'), 'struct s;\n');
    mkdirSync(join(dir, 'sub'));
    const read = treeReader(dir);
    assert.equal(read('small.h'), 'struct s;\n');
    assert.equal(read('big.h'), big);
    assert.equal(read('small.h'), 'struct s;\n', 'a short file after a long one');
    // exactly the first buffer's size, and empty: a short read ends the file
    const exact = 'y'.repeat(1 << 20);
    writeFileSync(join(dir, 'exact.h'), exact);
    writeFileSync(join(dir, 'empty.h'), '');
    assert.equal(treeReader(dir)('exact.h'), exact);
    assert.equal(read('empty.h'), '');
    assert.equal(read('missing.h'), undefined);
    assert.equal(read('sub'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
