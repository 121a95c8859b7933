// What the parser reads of a candidate file: function bodies that cannot hold a site or a fact
// are blanked, and a file with nothing left that could hold one is not parsed at all. Sites and
// embeddings must be exactly those of a full parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { focusFor } from '../src/match/focus.js';
import { normalizeKernelC } from '../src/parse/normalize.js';
import { scanText } from '../src/match/sites.js';
import { HeaderIndex } from '../src/types/header-index.js';
import { transformsFor } from '../transforms/index.js';
import type { RelevantWords } from '../src/match/prefilter.js';

const I2C = transformsFor('i2c');
const WORDS: RelevantWords = {
  types: new Set(['i2c_adapter']), funcs: new Set(), members: new Set(['base', 'adap']), arrayMembers: new Set(),
};
const HEADER = 'struct device { int id; struct device *parent; };\nstruct i2c_adapter { struct device dev; int nr; };\n';
const noHeaders = () => new HeaderIndex('/nonexistent', () => undefined);

/** The body of function `name` as the parser would read it (blank when blanked). */
function bodyOf(text: string, name: string, members?: Set<string>): string {
  const norm = normalizeKernelC(text, focusFor(text, WORDS, I2C, members)).text;
  const at = text.indexOf(`${name}(`);
  const open = text.indexOf('{', at);
  let close = open;
  for (let depth = 0; close < text.length; close++) {
    if (text[close] === '{') depth++;
    else if (text[close] === '}' && --depth === 0) break;
  }
  return norm.slice(open + 1, close).trim();
}

test('focus: a function that only passes an adapter on is blanked; sites, registrations and macros keep theirs', () => {
  const text = `${HEADER}#define ADEV(a) (&(a)->dev)
static int detect(struct i2c_client *c) { struct i2c_adapter *adapter = c->adapter;
\treturn i2c_check_functionality(adapter, 1);
}
static void log_it(struct i2c_adapter *a) { dev_info(&a->dev, "x"); }
static int add(struct i2c_adapter *a) { return i2c_add_adapter(a);
}
static void via_macro(struct i2c_adapter *a) { put(ADEV(a));
}
static void *alloc(struct i2c_adapter *a) { return kzalloc(sizeof(*a), 0);
}
`;
  assert.equal(bodyOf(text, 'detect'), '', 'no site can be in detect()');
  assert.match(bodyOf(text, 'log_it'), /a->dev/);
  assert.match(bodyOf(text, 'add'), /i2c_add_adapter/, 'registration: the timing analysis needs it');
  assert.match(bodyOf(text, 'via_macro'), /ADEV/, 'a macro that reaches the member on its parameter');
  assert.match(bodyOf(text, 'alloc'), /kzalloc/, 'allocations feed the embedding facts');
});

test('focus: a member counts only where its struct can be seen', () => {
  const text = 'void f(struct drm_encoder *e) { use(e->base.dev); }\nstruct i2c_adapter *g(void);\n';
  assert.match(bodyOf(text, 'f'), /base\.dev/, 'every member: `->base.dev` keeps f()');
  assert.equal(bodyOf(text, 'f', new Set(['adap'])), '', '`base` is not a container member this file can see');
  const own = 'struct mine { struct i2c_adapter base; };\nvoid f(struct mine *m) { use(m->base.dev); }\n';
  assert.match(bodyOf(own, 'f', new Set()), /base\.dev/, "the file's own struct declares `base`");
});

test('scanText: a file with no candidate left is not parsed, one with an embedding is', () => {
  const passOn = `${HEADER}static int detect(struct i2c_client *c) { struct i2c_adapter *adapter = c->adapter;
\treturn i2c_check_functionality(adapter, 1);
}
static int probe(struct platform_device *pdev) { return dev_info(&pdev->dev, "x"); }
`;
  const r = scanText('drivers/hwmon/x.c', passOn, noHeaders(), I2C, WORDS);
  assert.equal(r.parsed, false);
  assert.deepEqual(r.sites, []);
  // the same file without a focus is parsed and finds the same (nothing)
  const full = scanText('drivers/hwmon/x.c', passOn, noHeaders(), I2C);
  assert.equal(full.parsed, true);
  assert.deepEqual(full.sites, []);

  const embeds = `${HEADER}struct foo_priv { struct i2c_adapter adap; };\n`;
  const e = scanText('drivers/i2c/busses/foo.c', embeds, noHeaders(), I2C, WORDS);
  assert.equal(e.parsed, true);
  assert.deepEqual(e.embeddings.map((x) => `${x.container}.${x.member}`), ['foo_priv.adap']);

  const site = `${HEADER}void f(struct i2c_adapter *a) { put(&a->dev); }\n`;
  const s = scanText('drivers/i2c/busses/bar.c', site, noHeaders(), I2C, WORDS);
  assert.equal(s.parsed, true);
  assert.equal(s.sites.length, 1);
});

test('scanText: `A->m->dev` is no object when no struct the file sees has an object member `m`', () => {
  // the type of `u` is unknown (its header is not there): only the member name can tell
  const text = `${HEADER}#include "unknown.h"
void f(struct unknown *u) { put(&u->priv->dev); put(&u->adap->dev); }
`;
  const r = scanText('drivers/misc/u.c', text, noHeaders(), I2C, { ...WORDS, types: new Set(['i2c_adapter', 'unknown']) });
  assert.deepEqual(r.sites.map((s) => `${s.expr} ${s.category}`), ['u->adap->dev unresolved'],
    '`adap` is an object member of some struct, `priv` of none');
});

test('normalize: numeric #defines are blanked for the parser (offsets kept), other macros stay', () => {
  const text = '#define REG_CTRL\t0x10\n#define EN (1 << \\\n\t3)\n#define EMPTY \n12,\n#define ALIAS other\n#define DEV(a) (&(a)->dev)\n';
  const norm = normalizeKernelC(text, focusFor(text, WORDS, I2C)).text;
  assert.equal(norm.length, text.length);
  assert.deepEqual(norm.split('\n').map((l) => l.trim()), ['', '', '', '#define EMPTY', '12,', '#define ALIAS other', '#define DEV(a) (&(a)->dev)', '']);
  assert.equal(normalizeKernelC(text).text.includes('REG_CTRL'), true, 'without a focus nothing is blanked');
});

test('declarations: read on demand, the last one wins as when all are read', async () => {
  const { collectFileDefs } = await import('../src/types/declarations.js');
  const { parseC } = await import('../src/parse/parser.js');
  const { typeToString } = await import('../src/types/ctype.js');
  const text = 'int *f(void);\nstruct i2c_adapter *f(void);\nstatic struct i2c_adapter a, *b;\n'
    + 'typedef struct i2c_adapter adap_t;\nstatic long g(int x) { return x; }\n';
  const root = parseC(text).tree.rootNode;
  for (const withText of [true, false]) {
    const d = collectFileDefs(root, 'x.c', true, withText ? text : undefined);
    assert.equal(typeToString(d.functions.get('f')!), 'struct i2c_adapter *');
    assert.equal(typeToString(d.functions.get('g')!), 'long');
    assert.equal(d.functions.get('x'), undefined, 'a parameter is no function');
    assert.deepEqual([...d.globals].map(([n, t]) => `${n}: ${typeToString(t)}`), ['a: struct i2c_adapter', 'b: struct i2c_adapter *']);
    assert.ok(d.typedefs.has('adap_t'));
  }
});
