// The generic transform test (jscodeshift / Coccinelle style): for every transform folder under
// testdata/, each NAME.c is rewritten inside a copy of the example tree and must give NAME.res
// byte for byte; a second rewrite of the result must change nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRANSFORMS } from '../transforms/index.js';
import { planRewrite } from '../src/rewrite.js';
import { scratchTree, TESTDATA } from './helpers.js';

for (const t of TRANSFORMS) {
  const dir = join(TESTDATA, t.id);
  if (!existsSync(dir)) continue;
  const inputs = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
  test(`transform ${t.id} has fixtures`, () => assert.ok(inputs.length > 0));
  for (const input of inputs) {
    const name = input.slice(0, -2);
    test(`${t.id}: ${name}`, async () => {
      const expected = readFileSync(join(dir, `${name}.res`), 'latin1');
      const tree = scratchTree();
      try {
        mkdirSync(join(tree.dir, 'drivers/fixture'), { recursive: true });
        const rel = `drivers/fixture/${input}`;
        copyFileSync(join(dir, input), join(tree.dir, rel));
        const plan = await planRewrite({ tree: tree.dir, subsystem: t.subsystem, paths: [rel], headers: false, jobs: 0 });
        const change = plan.changes.find((c) => c.file === rel);
        const actual = change ? change.after : readFileSync(join(dir, input), 'latin1');
        assert.equal(actual, expected, `${name}: rewrite differs from ${name}.res`);
        // what is marked for a human must be reported as such
        const marked = (readFileSync(join(dir, input), 'latin1').match(/unembed: human/g) ?? []).length;
        const manual = plan.manual.filter((s) => s.file === rel).length;
        assert.ok(manual >= marked, `${name}: ${marked} site(s) marked for a human, ${manual} reported`);
        // idempotent: the result has nothing left to rewrite
        writeFileSync(join(tree.dir, rel), actual, 'latin1');
        const again = await planRewrite({ tree: tree.dir, subsystem: t.subsystem, paths: [rel], headers: false, jobs: 0 });
        assert.equal(again.changes.filter((c) => c.file === rel).length, 0, `${name}: a second rewrite changes it again`);
      } finally {
        tree.done();
      }
    });
  }
}
