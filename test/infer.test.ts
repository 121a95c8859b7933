// Type inference: every source of types the scanner relies on, on small synthetic files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseC } from '../src/parse/parser.js';
import { FileContext, splitArguments } from '../src/types/infer.js';
import { HeaderIndex } from '../src/types/header-index.js';
import { typeToString } from '../src/types/ctype.js';

const HEADERS: Record<string, string> = {
  'include/linux/i2c.h': [
    'struct device { struct device *parent; };',
    'struct i2c_adapter { int nr; struct device dev; };',
    'struct i2c_client { struct i2c_adapter *adapter; struct device dev; };',
    '#define to_i2c_adapter(d) container_of(d, struct i2c_adapter, dev)',
    'struct i2c_adapter *i2c_get_adapter(int nr);',
    'typedef struct i2c_adapter i2c_adapter_t;',
  ].join('\n'),
  'drivers/foo/foo.h': 'struct foo_bus { struct i2c_adapter adaps[4]; union { int x; struct i2c_adapter *cur; }; };\n',
};

function ctx(src: string): { c: FileContext; type: (expr: string, nth?: number) => string } {
  const headers = new HeaderIndex('/nonexistent', (rel) => HEADERS[rel]);
  headers.allHeaders = Object.keys(HEADERS);
  const p = parseC(src);
  const c = new FileContext('drivers/foo/foo.c', p.tree.rootNode, src, headers);
  return {
    c,
    type: (expr: string, nth = 0) => {
      const re = new RegExp(`(?<![\\w])${expr.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'g');
      const hits = [...src.matchAll(re)];
      assert.ok(hits[nth], `'${expr}' (#${nth}) not in source`);
      const at = hits[nth].index!;
      let n = p.tree.rootNode.descendantForIndex(at, at + expr.length);
      while (n.parent && n.text !== expr) n = n.parent;
      const t = c.resolve(c.typeOf(n));
      return typeToString(t.k === 'ptr' ? { k: 'ptr', to: c.resolve(t.to) } : t);
    },
  };
}

const SRC = `#include <linux/i2c.h>
#include "foo.h"
struct priv { struct foo_bus bus; struct i2c_adapter *adapter; int adapter2; };
static struct i2c_adapter static_adap;
#define to_priv(x) container_of(x, struct priv, bus)
static inline struct priv *get_priv(void *p) { return p; }
int f(struct priv *pr, struct i2c_client *client, void *v, int i)
{
	struct i2c_adapter *a = i2c_get_adapter(0), *b, arr[2];
	i2c_adapter_t *td;
	typeof(a) ta;
	for (int k = 0; k < 2; k++)
		use(&pr->bus.adaps[k].dev);
	use(&client->adapter->dev);
	use(&((struct i2c_adapter *)v)->dev);
	use(&(i ? a : b)->dev);
	use(&(i, b)->dev);
	use(&({ struct i2c_adapter *q = a; q; })->dev);
	use(&to_i2c_adapter(v)->dev);
	use(&to_priv(v)->bus.cur->dev);
	use(&get_priv(v)->adapter->dev);
	use(&td->dev);
	use(&ta->dev);
	use(&arr[1].dev);
	use(&static_adap.dev);
	use(pr->adapter2);
	return 0;
}
`;

test('types of the receivers the scanner must recognise', () => {
  const { type } = ctx(SRC);
  assert.equal(type('pr->bus.adaps[k]'), 'struct i2c_adapter');
  assert.equal(type('client->adapter'), 'struct i2c_adapter *');
  assert.equal(type('((struct i2c_adapter *)v)'), 'struct i2c_adapter *');
  assert.equal(type('(i ? a : b)'), 'struct i2c_adapter *');
  assert.equal(type('(i, b)'), 'struct i2c_adapter *');
  assert.equal(type('({ struct i2c_adapter *q = a; q; })'), 'struct i2c_adapter *');
  assert.equal(type('to_i2c_adapter(v)'), 'struct i2c_adapter *');
  assert.equal(type('to_priv(v)->bus.cur'), 'struct i2c_adapter *');
  assert.equal(type('get_priv(v)->adapter'), 'struct i2c_adapter *');
  assert.equal(type('td', 1), 'struct i2c_adapter *');
  assert.equal(type('ta', 1), 'struct i2c_adapter *');
  assert.equal(type('arr[1]'), 'struct i2c_adapter');
  assert.equal(type('static_adap', 1), 'struct i2c_adapter');
  assert.equal(type('pr->adapter2'), 'int');
  assert.equal(type('a', 2), 'struct i2c_adapter *');
});

test('a name never decides: an int member called adapter is an int', () => {
  const { type } = ctx('struct s { int adapter; };\nint g(struct s *x) { return x->adapter; }\n');
  assert.equal(type('x->adapter'), 'int');
});

test('splitArguments keeps nested commas and strings', () => {
  assert.deepEqual(splitArguments('(a, f(b, c), "x,y", struct foo)'), ['a', 'f(b, c)', '"x,y"', 'struct foo']);
});

test('structs behind a chain of quoted includes ending in an angle include through -I (nouveau)', () => {
  // x.c -> "a.h" -> "b.h" -> "c.h" -> <sub/obj.h>, the last found through the driver's include/
  const files: Record<string, string> = {
    'drivers/gpu/nv/sub/i2c/a.h': '#include "b.h"\n',
    'drivers/gpu/nv/sub/i2c/b.h': '#include "c.h"\n',
    'drivers/gpu/nv/sub/i2c/c.h': '#include <sub/obj.h>\n',
    'drivers/gpu/nv/include/nv/sub/obj.h': 'struct i2c_adapter { struct device dev; };\nstruct nv_aux { struct i2c_adapter i2c; };\n',
    'include/linux/i2c.h': 'struct other;\n',
  };
  const headers = new HeaderIndex('/nonexistent', (rel) => files[rel]);
  headers.allHeaders = Object.keys(files).filter((f) => f.endsWith('.h'));
  const src = '#include "a.h"\nvoid f(struct nv_aux *aux) { use(aux->i2c.dev); }\n';
  const p = parseC(src);
  const c = new FileContext('drivers/gpu/nv/sub/i2c/x.c', p.tree.rootNode, src, headers);
  assert.ok(c.includes().includes('drivers/gpu/nv/include/nv/sub/obj.h'), c.includes().join(' '));
  const at = src.indexOf('aux->i2c');
  let n = p.tree.rootNode.descendantForIndex(at, at + 'aux->i2c'.length);
  while (n.parent && n.text !== 'aux->i2c') n = n.parent;
  assert.equal(typeToString(c.resolve(c.typeOf(n))), 'struct i2c_adapter');
});
