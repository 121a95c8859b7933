// The prefilter's pieces on small synthetic trees: the grep runner (GNU grep and its JavaScript
// fallback agree), the member-access patterns (a bare `i2c->dev` is not a reason to parse a
// file), the include reachability that drops member-only files, and the size limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { grepFiles } from '../src/match/grep.js';
import { grepPatterns, learnFromHeader, memberAccessOnly, parseLsFilesDebug, relevantWords, SourceList, MAX_FILE_BYTES } from '../src/match/prefilter.js';
import { IncludeGraph } from '../src/match/reach.js';
import { askedPaths, candidateFiles, scan, scanScope, untrackedFolders } from '../src/scan.js';
import { transformsFor } from '../transforms/index.js';
import { treeReader } from '../src/types/header-index.js';
import { simpleGit, type SimpleGit } from 'simple-git';
import { fileTree } from './helpers.js';

function tree(files: Record<string, string>): { dir: string; done: () => void } {
  return fileTree(files, 'unembed-prefilter-');
}

/** A git repository in `dir`, with an author for commits. */
async function initGit(dir: string): Promise<SimpleGit> {
  const git = simpleGit(dir);
  await git.init();
  await git.addConfig('user.name', 'Test Author');
  await git.addConfig('user.email', 'test@example.com');
  return git;
}

const KERNEL = {
  'Makefile': '',
  'Kconfig': '',
  'include/linux/device.h': 'struct device { int id; };\n',
  'include/linux/i2c.h': '#include <linux/device.h>\nstruct i2c_adapter { struct device dev; int nr; };\n',
  // a container with a generic member name
  'drivers/gpu/foo/foo_i2c.h': '#include <linux/i2c.h>\nstruct foo_chan {\n\tstruct i2c_adapter base;\n};\n',
  // reaches the container through an include chain, never names a type word
  'drivers/gpu/foo/foo_drv.h': '#include "foo_i2c.h"\nstruct foo_dev { struct foo_chan *chan; };\n',
  'drivers/gpu/foo/foo_main.c': '#include "foo_drv.h"\nvoid f(struct foo_dev *d) { put(&d->chan->base.dev); }\n',
  // `->base.dev` too, but it cannot see struct foo_chan: some other struct's `base`
  'drivers/gpu/bar/bar.h': 'struct bar_obj { struct thing base; };\n',
  'drivers/gpu/bar/bar.c': '#include "bar.h"\nvoid g(struct bar_obj *o) { use(o->base.dev); }\n',
  // a bare `base->dev`: a local or a parameter, whose declaration would name a type word
  'drivers/misc/bare.c': 'void h(struct other *base) { use(base->dev); }\n',
  // names the type: always a candidate
  'drivers/i2c/busses/i2c-x.c': '#include <linux/i2c.h>\nvoid k(struct i2c_adapter *a) { use(&a->dev); }\n',
  // a multi-line macro's bare use counts (and this file can see struct foo_chan)
  'drivers/media/m.c': '#include "../../gpu/foo/foo_drv.h"\n#define DEV_OF(base) \\\n\tbase->dev \\\n\t/* end */\nint z;\n',
};

test('grep: GNU grep, the fallback without it and the match in this thread find the same files', async () => {
  const lines = {
    ...KERNEL,
    // grep reads lines: a member access split over two is not one, in this thread either
    'drivers/x/split.c': 'void s(struct p *p) { use(p->\n\tbase.dev); }\n',
    // nor is `.` stopped by a carriage return in a macro's line
    'drivers/x/cr.h': '#define M(base) base->dev x\r y \\\n\t0\n',
  };
  const t = tree(lines);
  try {
    const read = treeReader(t.dir);
    const files = Object.keys(lines).filter((f) => /\.[ch]$/.test(f));
    const patterns = ['\\b(i2c_adapter|foo_chan)\\b', '(->|\\.)\\s*(base)\\s*(->|\\.)\\s*(dev)\\b',
      '\\b(base)\\s*(->|\\.)\\s*(dev)\\b.*\\\\$'];
    const viaGrep = await grepFiles(t.dir, files, patterns, read, 0);
    const inThread = await grepFiles(t.dir, files, patterns, read);
    const oldPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    let viaJs: string[];
    try {
      viaJs = await grepFiles(t.dir, files, patterns, read, 0);
    } finally {
      process.env.PATH = oldPath;
    }
    assert.deepEqual(viaJs, viaGrep);
    assert.deepEqual(inThread, viaGrep);
    assert.deepEqual(viaGrep, ['drivers/gpu/bar/bar.c', 'drivers/gpu/foo/foo_drv.h', 'drivers/gpu/foo/foo_i2c.h', 'drivers/gpu/foo/foo_main.c',
      'drivers/i2c/busses/i2c-x.c', 'drivers/media/m.c', 'drivers/x/cr.h', 'include/linux/i2c.h']);
  } finally {
    t.done();
  }
});

test('member patterns: `->m.dev` and macro lines count, a bare `m->dev` does not', () => {
  const words = { types: new Set(['i2c_adapter']), funcs: new Set<string>(), members: new Set(['base']), arrayMembers: new Set(['adaps']) };
  const p = grepPatterns(words, ['dev']);
  const any = (s: string) => p.members.some((m) => new RegExp(m, 'm').test(s));
  assert.ok(any('x->base.dev'));
  assert.ok(any('x.base->dev'));
  assert.ok(any('x->adaps[1]'));
  assert.ok(any('#define A(base) \\\n\tbase->dev \\\n'));
  assert.ok(!any('use(base->dev);'));
  assert.ok(!any('x->based.dev'));
  assert.ok(!any('x->base.device'));
  const only = memberAccessOnly(words, ['dev']);
  assert.equal(only('struct i2c_adapter *a; a->base.dev'), undefined, 'a word: not member-only');
  assert.deepEqual([...only('p->base.dev; q->adaps[0]')!].sort(), ['adaps', 'base']);
});

test('include reachability: through chains, never a false no', () => {
  const t = tree(KERNEL);
  try {
    const read = treeReader(t.dir);
    const files = Object.keys(KERNEL).filter((f) => /\.[ch]$/.test(f));
    const target = 'drivers/gpu/foo/foo_i2c.h';
    const g = new IncludeGraph(files, [target], read);
    assert.equal(g.reachedTargets('drivers/gpu/foo/foo_main.c', read('drivers/gpu/foo/foo_main.c')!).has(target), true);
    assert.equal(g.reachedTargets('drivers/gpu/bar/bar.c', read('drivers/gpu/bar/bar.c')!).has(target), false);
    assert.equal(g.reachedTargets(target, read(target)!).has(target), true, 'a header reaches itself');
    // what a file can include: through quoted and angle includes
    assert.deepEqual(g.closure(['drivers/gpu/foo/foo_main.c']),
      ['drivers/gpu/foo/foo_drv.h', 'drivers/gpu/foo/foo_i2c.h', 'include/linux/device.h', 'include/linux/i2c.h']);
    // a cycle does not hang, and what lies behind it is still found
    const c = tree({ 'a.h': '#include "b.h"\n', 'b.h': '#include "a.h"\n#include "c.h"\n', 'c.h': '', 'x.c': '#include "a.h"\n' });
    try {
      const rc = treeReader(c.dir);
      const gc = new IncludeGraph(['a.h', 'b.h', 'c.h', 'x.c'], ['c.h'], rc);
      assert.equal(gc.reachedTargets('x.c', rc('x.c')!).has('c.h'), true);
    } finally {
      c.done();
    }
  } finally {
    t.done();
  }
});

test('include reachability: resolved as kbuild does, over every arch, never a false no', () => {
  const files: Record<string, string> = {
    // two headers of one name: a quoted include takes the one next to the includer
    'drivers/a/core.h': 'A\n',
    'drivers/b/core.h': 'B\n',
    'drivers/a/x.c': '#include "core.h"\n#include "../b/core.h"\n',
    // a quoted name that is not next to its includer: the standard folders first
    'drivers/c/y.c': '#include "linux/i2c.h"\n#include "regs.h"\n',
    'include/linux/i2c.h': '#include <linux/types.h>\n#include <asm/io.h>\n',
    'tools/include/linux/i2c.h': 'tools\n',
    // in no standard folder: every file of that path, wherever a Makefile's -I may point
    'drivers/c/sub/regs.h': '',
    'drivers/d/regs.h': '',
    // include/uapi and every arch's include folders are standard folders too
    'include/uapi/linux/types.h': '',
    'tools/include/uapi/linux/types.h': '',
    'arch/x86/include/asm/io.h': '',
    'arch/arm/include/asm/io.h': '',
    'tools/arch/x86/include/asm/io.h': '',
    // `<subdev/i2c.h>` through nouveau's -I: by path suffix
    'drivers/gpu/nouveau/include/nvkm/subdev/i2c.h': '',
    'drivers/gpu/nouveau/z.c': '#include <subdev/i2c.h>\n',
  };
  const reads: string[] = [];
  const read = (f: string) => {
    reads.push(f);
    return files[f];
  };
  const g = new IncludeGraph(Object.keys(files), [], read);
  assert.deepEqual(g.closure(['drivers/a/x.c']), ['drivers/a/core.h', 'drivers/b/core.h']);
  assert.deepEqual(g.closure(['drivers/c/y.c']), ['arch/arm/include/asm/io.h', 'arch/x86/include/asm/io.h', 'drivers/c/sub/regs.h',
    'drivers/d/regs.h', 'include/linux/i2c.h', 'include/uapi/linux/types.h']);
  assert.deepEqual(g.closure(['drivers/gpu/nouveau/z.c']), ['drivers/gpu/nouveau/include/nvkm/subdev/i2c.h']);
  assert.deepEqual(g.closure([], ['linux/i2c.h']), ['arch/arm/include/asm/io.h', 'arch/x86/include/asm/io.h', 'include/linux/i2c.h',
    'include/uapi/linux/types.h']);
  // includes read elsewhere are not read again
  const known = new IncludeGraph(Object.keys(files), ['arch/x86/include/asm/io.h'], read);
  known.knowIncludes(new Map([['include/linux/i2c.h', '<asm/io.h']]));
  reads.length = 0;
  assert.equal(known.reachedTargets('drivers/c/y.c', files['drivers/c/y.c']).has('arch/x86/include/asm/io.h'), true);
  assert.ok(!reads.includes('include/linux/i2c.h'), 'the known includes are used');
  assert.ok(reads.includes('drivers/c/sub/regs.h'), 'the others are read');
});

test('candidates: member-only files need the container in reach; type words always count', async () => {
  const t = tree(KERNEL);
  try {
    const { files } = await candidateFiles(t.dir, transformsFor('i2c'), []);
    assert.ok(files.includes('drivers/gpu/foo/foo_main.c'), 'reaches struct foo_chan through foo_drv.h');
    assert.ok(!files.includes('drivers/gpu/bar/bar.c'), 'its `base` belongs to another struct');
    assert.ok(!files.includes('drivers/misc/bare.c'), 'a bare `base->dev` is a local');
    assert.ok(files.includes('drivers/i2c/busses/i2c-x.c'));
    assert.ok(files.includes('drivers/media/m.c'), 'a multi-line macro body');
    const r = await relevantWords(t.dir, transformsFor('i2c'), files.filter((f) => f.endsWith('.h')), treeReader(t.dir));
    assert.deepEqual(r.memberHeaders.get('base'), ['drivers/gpu/foo/foo_i2c.h']);
  } finally {
    t.done();
  }
});

test('source list: files over the size limit are left out and listed', async () => {
  const t = tree({ 'small.h': 'int a;\n', 'gen/huge.h': `/* ${'x'.repeat(MAX_FILE_BYTES)} */\n`, 'x.c': 'int b;\n' });
  try {
    const s = new SourceList(t.dir, false);
    assert.deepEqual(await s.files(), ['small.h', 'x.c']);
    assert.deepEqual(s.large, ['gen/huge.h']);
    assert.deepEqual(await s.under('gen', 'h'), []);
    const { diagnostics } = await candidateFiles(t.dir, transformsFor('i2c'), []);
    assert.deepEqual(diagnostics.map((d) => d.file), ['gen/huge.h']);
    assert.match(diagnostics[0].message, /not searched: over 4 MiB/);
  } finally {
    t.done();
  }
});

test('learnFromHeader: a global at depth 0 yields an object, a member inside braces names one, in any order', () => {
  const words = { types: new Set(['i2c_adapter']), funcs: new Set<string>(), members: new Set<string>(), arrayMembers: new Set<string>() };
  learnFromHeader(`static struct i2c_adapter *first_glob;
struct foo_priv {
\tstruct i2c_adapter *adap;
\tstruct { int x; } inner;
\tstruct i2c_adapter *other;
};
static struct i2c_adapter *second_glob;
void f(void) { if (x) { } }
struct bar { struct i2c_adapter *nested; };
static struct i2c_adapter *third_glob;
`, words);
  assert.deepEqual([...words.funcs].sort(), ['first_glob', 'second_glob', 'third_glob']);
  assert.deepEqual([...words.members].sort(), ['adap', 'nested', 'other']);
});

test('grep over thousands of files: the greps share the list in turn, and every match comes back, sorted', async () => {
  const files: Record<string, string> = {};
  // 2,500 files (more than one grep's share), every 7th names the word
  for (let i = 0; i < 2500; i++) files[`drivers/x/f${String(i).padStart(4, '0')}.c`] = i % 7 === 0 ? 'struct i2c_adapter *a;\n' : 'int x;\n';
  const t = tree(files);
  try {
    const list = Object.keys(files);
    const read = treeReader(t.dir);
    const found = await grepFiles(t.dir, list, ['\\b(i2c_adapter)\\b'], read, 0);
    assert.deepEqual(found, list.filter((_, i) => i % 7 === 0));
  } finally {
    t.done();
  }
});

test('a partial scan\'s include closure sees an untracked shared header (the closure over the tracked files is done again)', async () => {
  const t = tree(KERNEL);
  try {
    const git = await initGit(t.dir);
    writeFileSync(join(t.dir, 'drivers/gpu/foo/foo_new.c'), '#include <linux/fresh.h>\n');
    await git.add('.');
    await git.commit('base');
    writeFileSync(join(t.dir, 'include/linux/fresh.h'), '#include <linux/device.h>\n');
    const sources = new SourceList(t.dir, true, untrackedFolders(askedPaths(t.dir, ['drivers/gpu/foo'])));
    assert.ok(!(await sources.tracked()).includes('include/linux/fresh.h'));
    const scope = await scanScope(t.dir, ['drivers/gpu/foo'], sources);
    assert.ok(scope.headers?.includes('include/linux/fresh.h'), 'the untracked header');
    assert.ok(scope.headers?.includes('include/linux/device.h'), 'and what it includes');
  } finally {
    t.done();
  }
});

test('a partial scan\'s workers find an untracked header through a -I path (their header list is sent again)', async () => {
  const t = tree(KERNEL);
  try {
    const git = await initGit(t.dir);
    // "far_regs.h" is neither next to the driver nor at the root: the nearest header of that name
    writeFileSync(join(t.dir, 'drivers/i2c/busses/i2c-far.c'),
      '#include "far_regs.h"\nvoid far_remove(struct far_priv *p)\n{\n\tput_device(&p->adap.dev);\n}\n');
    await git.add('.');
    await git.commit('base');
    mkdirSync(join(t.dir, 'drivers/i2c/busses/far'), { recursive: true });
    writeFileSync(join(t.dir, 'drivers/i2c/busses/far/far_regs.h'),
      '#include <linux/i2c.h>\nstruct far_priv {\n\tstruct i2c_adapter adap;\n};\n');
    const r = await scan({ tree: t.dir, subsystem: 'i2c', paths: ['drivers/i2c/busses'], jobs: 1 });
    const site = r.sites.find((x) => x.file === 'drivers/i2c/busses/i2c-far.c');
    assert.ok(site, JSON.stringify(r.sites.map((x) => x.file)));
    assert.equal(site.receiverType, 'struct i2c_adapter', JSON.stringify(site));
    assert.equal(site.edit?.text, 'i2c_adapter_dev(&p->adap)');
  } finally {
    t.done();
  }
});

test('in a git tree, untracked sources are scanned too, ignored ones are not', async () => {
  const t = tree({ ...KERNEL, '.gitignore': 'build/\n' });
  try {
    const git = await initGit(t.dir);
    await git.add('.');
    await git.commit('base');
    const driver = '#include <linux/i2c.h>\nvoid n(struct i2c_adapter *a) { use(&a->dev); }\n';
    mkdirSync(join(t.dir, 'drivers/i2c/busses'), { recursive: true });
    writeFileSync(join(t.dir, 'drivers/i2c/busses/i2c-new.c'), driver);
    mkdirSync(join(t.dir, 'build'), { recursive: true });
    writeFileSync(join(t.dir, 'build/gen.c'), driver);
    const { files } = await candidateFiles(t.dir, transformsFor('i2c'), []);
    assert.ok(files.includes('drivers/i2c/busses/i2c-new.c'), files.join(' '));
    assert.ok(!files.includes('build/gen.c'));
    assert.ok(files.includes('drivers/i2c/busses/i2c-x.c'));
  } finally {
    t.done();
  }
});

test('a partial scan lists untracked files only where it can read them', async () => {
  const t = tree({ ...KERNEL });
  try {
    const git = simpleGit(t.dir);
    await git.init();
    await git.add('.');
    await git.raw(['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base']);
    const untracked = ['drivers/i2c/busses/i2c-new.c', 'drivers/misc/far.c', 'include/linux/new.h', 'arch/x86/include/asm/new.h'];
    for (const f of untracked) {
      mkdirSync(dirname(join(t.dir, f)), { recursive: true });
      writeFileSync(join(t.dir, f), 'int x;\n');
    }
    const folders = untrackedFolders(askedPaths(t.dir, ['drivers/i2c/busses']));
    assert.deepEqual(folders, ['drivers/i2c/busses', 'include', 'arch/*/include']);
    const partial = await new SourceList(t.dir, true, folders).files();
    assert.deepEqual(untracked.filter((f) => partial.includes(f)),
      ['drivers/i2c/busses/i2c-new.c', 'include/linux/new.h', 'arch/x86/include/asm/new.h']);
    assert.ok(partial.includes('drivers/i2c/busses/i2c-x.c'), 'tracked files are all listed');
    // the whole tree: every untracked file
    assert.equal(untrackedFolders(askedPaths(t.dir, [])), undefined);
    const all = await new SourceList(t.dir, true).files();
    assert.deepEqual(untracked.filter((f) => all.includes(f)), untracked);
  } finally {
    t.done();
  }
});

test('candidates: each file gets only the members whose structs it can include', async () => {
  const t = tree({
    ...KERNEL,
    // names the type word, and also `->base.dev` on a struct that is not a container of ours
    'drivers/gpu/bar/bar_ddc.c': '#include <linux/i2c.h>\n#include "bar.h"\n'
      + 'struct i2c_adapter *ddc(struct bar_obj *o) { use(o->base.dev); return 0; }\n',
  });
  try {
    const { files, memberScope, words } = await candidateFiles(t.dir, transformsFor('i2c'), []);
    assert.ok(words.members.has('base'), 'struct foo_chan teaches `base`');
    assert.ok(files.includes('drivers/gpu/bar/bar_ddc.c'));
    assert.ok(!(memberScope.get('drivers/gpu/bar/bar_ddc.c') ?? [...words.members]).includes('base'),
      'bar_ddc.c cannot include foo_i2c.h');
    // foo_main.c sees struct foo_chan: `base` stays (no entry means every member)
    assert.ok((memberScope.get('drivers/gpu/foo/foo_main.c') ?? [...words.members]).includes('base'));
  } finally {
    t.done();
  }
});

test('git ls-files --debug: every path with the size git keeps for it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'unembed-lsfiles-'));
  try {
    const files = ['a.c', 'drivers/i2c/b.h', 'drivers/x y/c.c', 'e.c'];
    files.forEach((f, i) => {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), 'x'.repeat(i * 1234567 + 7));
    });
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['add', '.'], { cwd: dir });
    const out = execFileSync('git', ['ls-files', '-z', '--debug', '--', '*.c', '*.h'], { cwd: dir }).toString('latin1');
    const sizes = new Map<string, number>();
    assert.deepEqual(parseLsFilesDebug(out, sizes), files);
    for (const f of files) assert.equal(sizes.get(f), statSync(join(dir, f)).size, f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
