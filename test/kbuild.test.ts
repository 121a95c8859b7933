import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertKernelTree, compileObjects, defaultOutDir, findObjectGoals, KbuildError, parseBuildLog, prepareBuild, projectRoot,
} from '../src/kbuild/build.js';

// Synthetic logs, written for these tests in the shape kbuild + gcc 12 print them.
const T = '/src/lnx';
const O = '/out/b';

test('parseBuildLog: errors attributed to the object whose CC line precedes them', () => {
  const log = [
    '  CC [M]  drivers/foo/alpha.o',
    `${T}/drivers/foo/alpha.c: In function 'alpha_probe':`,
    `${T}/drivers/foo/alpha.c:41:27: error: 'struct widget' has no member named 'dev'`,
    '   41 |         priv->w.dev.parent = &pdev->dev;',
    '      |                ^',
    `${T}/drivers/foo/alpha.c:57:9: warning: unused variable 'x' [-Wunused-variable]`,
    `make[5]: *** [${T}/scripts/Makefile.build:234: drivers/foo/alpha.o] Error 1`,
    '  CC [Y]  lib/beta.o',
    '  CC [N]  drivers/foo/gamma.o',
    `${T}/drivers/foo/gamma.c:3:10: fatal error: mach/board.h: No such file or directory`,
    'compilation terminated.',
    "make[6]: *** No rule to make target 'tools/delta.o'.",
  ].join('\n');
  const { objects, unattributed } = parseBuildLog(log, { tree: T, outDir: O });
  assert.equal(unattributed.length, 0);
  const a = objects.get('drivers/foo/alpha.o');
  assert.ok(a);
  assert.equal(a.tag, 'M');
  assert.equal(a.makeError, true);
  assert.equal(a.diagnostics.length, 2);
  const [e, w] = a.diagnostics;
  assert.deepEqual([e!.file, e!.line, e!.column, e!.severity], ['drivers/foo/alpha.c', 41, 27, 'error']);
  assert.equal(e!.message, "'struct widget' has no member named 'dev'");
  assert.equal(e!.function, 'alpha_probe');
  assert.equal(e!.object, 'drivers/foo/alpha.o');
  assert.equal(w!.severity, 'warning');
  assert.equal(w!.option, '-Wunused-variable');
  assert.equal(w!.message, "unused variable 'x'");
  assert.equal(objects.get('lib/beta.o')?.tag, 'Y');
  assert.equal(objects.get('lib/beta.o')?.diagnostics.length, 0);
  const g = objects.get('drivers/foo/gamma.o');
  assert.equal(g?.tag, 'N');
  assert.equal(g?.diagnostics[0]?.fatal, true);
  assert.equal(g?.diagnostics[0]?.severity, 'error');
  assert.equal(objects.get('tools/delta.o')?.noRule, true);
});

test('parseBuildLog: macro expansion chain and expansion site', () => {
  const log = [
    '  CC [M]  drivers/foo/alpha.o',
    `${T}/drivers/foo/alpha.c: In function 'alpha_irq':`,
    `${T}/include/linux/kit.h:20:54: error: 'struct widget' has no member named 'dev'`,
    '   20 |         check(((type *)0)->member);   \\',
    '      |                          ^~',
    `${T}/include/linux/kit.h:20:9: note: in expansion of macro 'check'`,
    `${T}/include/linux/widget.h:68:27: note: in expansion of macro 'outer_of'`,
    '   68 | #define to_widget(d) outer_of(d, struct widget, dev)',
    `${T}/drivers/foo/alpha.c:90:33: note: in expansion of macro 'to_widget'`,
    `${T}/drivers/foo/alpha.c:91:40: error: 'struct widget' has no member named 'dev'`,
    `${T}/include/linux/printk_like.h:110:25: note: in definition of macro 'log_wrap'`,
    `${T}/drivers/foo/alpha.c:91:17: note: in expansion of macro 'log_err'`,
    `${T}/drivers/foo/alpha.c:95:1: error: control reaches end of non-void function [-Werror=return-type]`,
    `${T}/drivers/foo/alpha.c:95:1: note: some unrelated note`,
  ].join('\n');
  const a = parseBuildLog(log, { tree: T, outDir: O }).objects.get('drivers/foo/alpha.o');
  assert.ok(a);
  const [m, arg, ret] = a.diagnostics;
  assert.equal(m!.file, 'include/linux/kit.h');
  assert.deepEqual(m!.macroChain.map((s) => `${s.kind}:${s.macro}@${s.file}:${s.line}`), [
    'expansion:check@include/linux/kit.h:20',
    'expansion:outer_of@include/linux/widget.h:68',
    'expansion:to_widget@drivers/foo/alpha.c:90',
  ]);
  assert.deepEqual(m!.expansionSite, { file: 'drivers/foo/alpha.c', line: 90, column: 33 });
  assert.equal(m!.function, 'alpha_irq');
  assert.equal(m!.functionFile, 'drivers/foo/alpha.c');
  // a macro argument: gcc points at the token on the .c line; the chain ends on the same line
  assert.deepEqual([arg!.file, arg!.line, arg!.column], ['drivers/foo/alpha.c', 91, 40]);
  assert.equal(arg!.macroChain[0]?.kind, 'definition');
  assert.deepEqual(arg!.expansionSite, { file: 'drivers/foo/alpha.c', line: 91, column: 17 });
  assert.equal(ret!.option, '-Werror=return-type');
  assert.equal(ret!.severity, 'error');
  assert.equal(ret!.notes.length, 1);
  assert.equal(ret!.macroChain.length, 0);
});

test('parseBuildLog: include chains, reused while gcc stays in the same header', () => {
  const log = [
    '  CC [M]  drivers/foo/alpha.o',
    `In file included from ${T}/include/linux/widget_ext.h:5,`,
    `                 from ${T}/drivers/foo/alpha.c:12:`,
    `${T}/include/linux/widget.h: In function \u2018widget_get_data\u2019:`,
    `${T}/include/linux/widget.h:772:37: error: \u2018const struct widget\u2019 has no member named \u2018dev\u2019`,
    `${T}/include/linux/widget.h: In function \u2018widget_set_data\u2019:`,
    `${T}/include/linux/widget.h:777:30: error: \u2018struct widget\u2019 has no member named \u2018dev\u2019`,
    `${T}/drivers/foo/alpha.c: In function \u2018alpha_probe\u2019:`,
    `${T}/drivers/foo/alpha.c:44:2: error: implicit declaration of function 'frob'`,
    `./include/generated/autoconf.h:1:1: warning: odd`,
  ].join('\n');
  const a = parseBuildLog(log, { tree: T, outDir: O }).objects.get('drivers/foo/alpha.o');
  assert.ok(a);
  const [h1, h2, c, gen] = a.diagnostics;
  const chain = [
    { file: 'include/linux/widget_ext.h', line: 5, column: 0 },
    { file: 'drivers/foo/alpha.c', line: 12, column: 0 },
  ];
  assert.deepEqual(h1!.includedFrom, chain);
  assert.equal(h1!.function, 'widget_get_data');
  assert.equal(h1!.message, '\u2018const struct widget\u2019 has no member named \u2018dev\u2019');
  assert.deepEqual(h2!.includedFrom, chain);
  assert.equal(h2!.function, 'widget_set_data');
  assert.deepEqual(c!.includedFrom, []);
  assert.equal(c!.function, 'alpha_probe');
  // paths relative to the build folder are resolved there, and kept relative to it
  assert.equal(gen!.file, 'include/generated/autoconf.h');
});

test('parseBuildLog: without CC lines, diagnostics go to the .c at the root of the include chain', () => {
  const log = [
    `In file included from ${T}/drivers/bar/one.c:3:`,
    `${T}/include/linux/widget.h:10:5: error: boom`,
    `${T}/drivers/bar/two.c:7:1: warning: meh [-Wextra]`,
    `${T}/include/linux/other.h:1:1: error: nowhere`,
  ].join('\n');
  const { objects, unattributed } = parseBuildLog(log, { tree: T });
  assert.equal(objects.get('drivers/bar/one.o')?.diagnostics[0]?.message, 'boom');
  assert.equal(objects.get('drivers/bar/two.o')?.diagnostics[0]?.message, 'meh');
  assert.equal(unattributed.length, 1);
  assert.equal(unattributed[0]?.message, 'nowhere');
});

test('parseBuildLog: objtool lines and CRLF', () => {
  const log = '  CC [M]  drivers/foo/alpha.o\r\ndrivers/foo/alpha.o: warning: objtool: alpha_irq+0x12: unreachable instruction\r\n';
  const a = parseBuildLog(log, { tree: T, outDir: O }).objects.get('drivers/foo/alpha.o');
  assert.equal(a?.diagnostics.length, 1);
  assert.equal(a?.diagnostics[0]?.severity, 'warning');
  assert.match(a?.diagnostics[0]?.message ?? '', /^objtool: alpha_irq/);
});

test('defaultOutDir: next to the corpus in .cache, never inside the tree', () => {
  const root = projectRoot();
  assert.equal(defaultOutDir(path.join(root, '.cache', 'linux-6.12')), path.join(root, '.cache', 'build-linux-6.12'));
  const other = defaultOutDir('/somewhere/linux');
  assert.equal(path.dirname(other), path.join(root, '.cache'));
  assert.match(path.basename(other), /^build-linux-[0-9a-f]{8}$/);
});

test('not a kernel tree: a clear error', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unembed-kbuild-'));
  try {
    fs.writeFileSync(path.join(dir, 'Makefile'), 'all:\n\ttrue\n');
    assert.throws(() => assertKernelTree(dir), (e: unknown) => e instanceof KbuildError && /not a kernel tree/.test((e as Error).message));
    await assert.rejects(prepareBuild({ tree: dir, outDir: path.join(dir, '..', path.basename(dir) + '-out') }), /not a kernel tree/);
    await assert.rejects(compileObjects({ tree: path.join(dir, 'missing'), outDir: dir, files: ['a.c'] }), /not a kernel tree/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const corpus = process.env.UNEMBED_CORPUS_DIR ?? path.join(projectRoot(), '.cache', 'linux-6.12');
const heavySkip = process.env.UNEMBED_HEAVY !== '1'
  ? 'set UNEMBED_HEAVY=1 to build in the kernel corpus'
  : !fs.existsSync(path.join(corpus, 'Makefile'))
    ? `no kernel corpus at ${corpus} (npm run corpus)`
    : false;

test('end to end: prepare allmodconfig and compile i2c-gpio.o', { skip: heavySkip, timeout: 30 * 60_000 }, async () => {
  const outDir = defaultOutDir(corpus);
  const lines: string[] = [];
  await prepareBuild({ tree: corpus, outDir, log: (s) => lines.push(s) });
  assert.ok(fs.existsSync(path.join(outDir, '.unembed-prepare.json')));
  // second call: cached
  const again: string[] = [];
  await prepareBuild({ tree: corpus, outDir, log: (s) => again.push(s) });
  assert.match(again.join('\n'), /up to date/);
  const [r] = await compileObjects({ tree: corpus, outDir, files: ['drivers/i2c/busses/i2c-gpio.c'] });
  assert.ok(r);
  assert.equal(r.status, 'ok', JSON.stringify(r.diagnostics.slice(0, 3)));
  assert.equal(r.membership, 'module');
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0);
  assert.ok(fs.existsSync(path.join(outDir, 'drivers/i2c/busses/i2c-gpio.o')));
  await assert.rejects(compileObjects({ tree: corpus, outDir, files: ['drivers/i2c/busses/i2c-gpio.h'] }), /not a \.c path/);
});

test('end to end: objects built through ../ paths (amdgpu builds ../display)', { skip: heavySkip, timeout: 30 * 60_000 }, async () => {
  const outDir = defaultOutDir(corpus);
  await prepareBuild({ tree: corpus, outDir });
  const goals = await findObjectGoals({ tree: corpus, outDir, dirs: ['drivers/gpu/drm/amd/amdgpu'] });
  assert.equal(goals.get('drivers/gpu/drm/amd/display/amdgpu_dm/amdgpu_dm.c'), 'drivers/gpu/drm/amd/amdgpu/../display/amdgpu_dm/amdgpu_dm.o');
  assert.equal(goals.has('drivers/gpu/drm/amd/amdgpu/amdgpu_device.c'), false);
});
