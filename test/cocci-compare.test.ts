// compareDiffs on synthetic diffs: matching by file and changed range, context ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changedRange, compareDiffs, parseHunks } from '../src/cocci/compare.js';

const A = `diff -u -p a/drivers/i2c/busses/i2c-foo.c b/drivers/i2c/busses/i2c-foo.c
--- a/drivers/i2c/busses/i2c-foo.c
+++ b/drivers/i2c/busses/i2c-foo.c
@@ -10,7 +10,7 @@ static int foo_probe(struct platform_dev
 	int ret;
 
 	adap = &priv->adap;
-	adap->dev.parent = &pdev->dev;
+	i2c_adapter_set_parent(adap, &pdev->dev);
 	adap->owner = THIS_MODULE;
 	adap->algo = &foo_algo;
 	adap->nr = -1;
@@ -40,7 +40,7 @@ static int foo_xfer(struct i2c_adapter *
 	int i;
 
 	if (!num)
-		dev_err(&adap->dev, "no messages\\n");
+		dev_err(i2c_adapter_dev(adap), "no messages\\n");
 	for (i = 0; i < num; i++)
 		foo_one(adap, &msgs[i]);
 	return num;
@@ -80,6 +80,6 @@ static void foo_remove(struct platform_d
 {
 	struct foo *priv = platform_get_drvdata(pdev);
 
-	dev_info(&priv->adap.dev, "bye\\n");
+	dev_info(i2c_adapter_dev(&priv->adap), "bye\\n");
 	i2c_del_adapter(&priv->adap);
 }
--- drivers/i2c/busses/i2c-bar.c
+++ /tmp/cocci-output-1-2-i2c-bar.c
@@ -5,3 +5,3 @@
 {
-	return container_of(d, struct i2c_adapter, dev);
+	return to_i2c_adapter(d);
 }
`;

// The same tree changed by another tool: one context line on each side instead of three, the
// second hunk rewritten differently, the third missing, the file name without a/ b/ prefixes,
// and one hunk of its own.
const B = `--- drivers/i2c/busses/i2c-foo.c
+++ drivers/i2c/busses/i2c-foo.c
@@ -12,3 +12,3 @@
 	adap = &priv->adap;
-	adap->dev.parent = &pdev->dev;
+	i2c_adapter_set_parent(adap, &pdev->dev);
 	adap->owner = THIS_MODULE;
@@ -42,3 +42,4 @@
 	if (!num)
-		dev_err(&adap->dev, "no messages\\n");
+		dev_err(i2c_adapter_dev(adap),
+			"no messages\\n");
 	for (i = 0; i < num; i++)
--- a/drivers/i2c/busses/i2c-bar.c
+++ b/drivers/i2c/busses/i2c-bar.c
@@ -5,3 +5,3 @@
 {
-	return container_of(d, struct i2c_adapter, dev);
+	return to_i2c_adapter(d);
 }
--- a/drivers/i2c/busses/i2c-baz.c
+++ b/drivers/i2c/busses/i2c-baz.c
@@ -1,1 +1,1 @@
-	put_device(&adap->dev);
+	put_device(i2c_adapter_dev(adap));
`;

test('parseHunks normalises file names and keeps hunk bodies', () => {
  const hunks = parseHunks(A);
  assert.deepEqual(hunks.map((h) => h.file), [
    'drivers/i2c/busses/i2c-foo.c', 'drivers/i2c/busses/i2c-foo.c', 'drivers/i2c/busses/i2c-foo.c',
    'drivers/i2c/busses/i2c-bar.c',
  ]);
  assert.deepEqual(changedRange(hunks[0]!), [13, 13]);
  assert.deepEqual(changedRange(parseHunks(B)[0]!), [13, 13]);
  const abs = parseHunks('--- /src/linux/x.c\n+++ /tmp/y.c\n@@ -1,1 +1,1 @@\n-a\n+b\n', { root: '/src/linux' });
  assert.equal(abs[0]!.file, 'x.c');
});

test('compareDiffs matches hunks by file and changed lines, whatever the context', () => {
  const r = compareDiffs(A, B);
  assert.equal(r.identical, 2); // set-parent in i2c-foo.c, container_of in i2c-bar.c
  assert.equal(r.different.length, 1);
  assert.equal(r.different[0]!.a.oldStart, 40);
  assert.equal(r.different[0]!.b.oldStart, 42);
  assert.deepEqual(r.onlyA.map((h) => [h.file, h.oldStart]), [['drivers/i2c/busses/i2c-foo.c', 80]]);
  assert.deepEqual(r.onlyB.map((h) => [h.file, h.oldStart]), [['drivers/i2c/busses/i2c-baz.c', 1]]);
  assert.equal(r.total, 5);
  // spatch re-wraps long lines: with ignoreWhitespace the re-wrapped hunk is the same change
  const w = compareDiffs(A, B, { ignoreWhitespace: true });
  assert.equal(w.identical, 3);
  assert.equal(w.different.length, 0);
});

test('compareDiffs groups overlapping hunks that one side merged', () => {
  const merged = `--- a/f.c
+++ b/f.c
@@ -1,6 +1,6 @@
-a1
+b1
 c
 c
 c
-a5
+b5
 c
`;
  const split = `--- a/f.c
+++ b/f.c
@@ -1,1 +1,1 @@
-a1
+b1
@@ -5,1 +5,1 @@
-a5
+b5
`;
  const r = compareDiffs(merged, split);
  assert.equal(r.identical, 1);
  assert.equal(r.total, 1);
  const other = compareDiffs(merged, split.replace('+b5', '+x5'));
  assert.equal(other.different.length, 1);
  assert.equal(other.different[0]!.b.lines.length, 4);
});

test('identical diffs compare as identical; empty diffs as nothing', () => {
  const r = compareDiffs(A, A);
  assert.equal(r.identical, 4);
  assert.equal(r.total, 4);
  assert.deepEqual(compareDiffs('', ''), { identical: 0, onlyA: [], onlyB: [], different: [], total: 0 });
});
