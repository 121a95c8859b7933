import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';
import {
  addressOf, filesInPatch, loadMaintainers, parseMailmap, parseMaintainers, perlRegex, primaryTree,
  recipientsFor, unmaintained,
} from '../src/patches/maintainers.js';

const run = promisify(execFile);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = join(ROOT, 'testdata', 'maintainers');
// the corpus where the harness put it ($UNEMBED_CORPUS_DIR, or .cache/linux-6.12)
const CORPUS = process.env.UNEMBED_CORPUS_DIR ?? join(ROOT, '.cache', 'linux-6.12');

const DIRS = new Set(['drivers/frob/legacy', 'drivers/frob', 'include/linux/frob']);
const db = parseMaintainers(readFileSync(join(DATA, 'MAINTAINERS'), 'utf8'), { isDirectory: (p) => DIRS.has(p) });
db.mailmap = parseMailmap(readFileSync(join(DATA, 'mailmap'), 'utf8'));

test('sections: names, status, trees, converted patterns', () => {
  assert.deepEqual(db.sections.map((s) => s.name), [
    'ACME FROB DRIVER', 'FROB SUBSYSTEM', 'FROB LEGACY', 'ACME ARM PLATFORM', 'FROB WIDGET HELPERS',
    'SPI THINGS', 'THE REST',
  ]);
  const legacy = db.sections[2];
  assert.equal(legacy.status, 'Orphan');
  assert.deepEqual(legacy.files, ['drivers/frob/legacy/']); // a directory gets its slash
  assert.deepEqual(db.sections[0].files, ['drivers/frob/frob-acme\\.c', 'include/linux/frob/acme.\\.h']);
  assert.deepEqual(db.sections[1].trees, ['git git://git.example.org/frob.git']);
});

test('a driver file: depth order, dedupe by address, moderated list, penguin dropped', () => {
  const r = recipientsFor(db, ['drivers/frob/frob-acme.c']);
  assert.deepEqual(r.recipients.map((x) => x.email), [
    'Alice Example <alice@example.org>',
    'Bob Reviewer <bob@example.org>',
    'Carol Core <carol@example.org>',
    '"Eve Q. Arm" <eve@example.org>',
    'linux-frob@lists.example.org',
    'frob-arm@lists.example.org',
    'linux-kernel@vger.kernel.org',
  ]);
  assert.deepEqual(r.to, ['Alice Example <alice@example.org>', 'Carol Core <carol@example.org>', '"Eve Q. Arm" <eve@example.org>']);
  assert.deepEqual(r.cc, ['Bob Reviewer <bob@example.org>', 'linux-frob@lists.example.org', 'frob-arm@lists.example.org', 'linux-kernel@vger.kernel.org']);
  assert.deepEqual(r.sections.map((s) => [s.name, s.via, s.depth]), [
    ['ACME FROB DRIVER', 'file', 3], ['FROB SUBSYSTEM', 'file', 2], ['ACME ARM PLATFORM', 'regex', 0], ['THE REST', 'file', -1],
  ]);
  assert.deepEqual(r.recipients.map((x) => x.detail), [
    'maintainer:ACME FROB DRIVER', 'reviewer:ACME FROB DRIVER', 'supporter:FROB SUBSYSTEM', 'odd fixer:ACME ARM PLATFORM',
    'open list:ACME FROB DRIVER', 'moderated list:ACME ARM PLATFORM', 'open list',
  ]);
  assert.deepEqual(primaryTree(r), { section: 'FROB SUBSYSTEM', tree: 'git git://git.example.org/frob.git' });
});

test('X: exclusion, directory without slash, orphan, subscribers-only lists', () => {
  const r = recipientsFor(db, ['drivers/frob/legacy/old.c']);
  assert.deepEqual(r.recipients.map((x) => x.email), ['Dave Old <dave@example.org>', 'frob-arm@lists.example.org', 'linux-kernel@vger.kernel.org']);
  assert.deepEqual(unmaintained(r).map((s) => s.name), ['FROB LEGACY']);
  const s = recipientsFor(db, ['drivers/frob/legacy/old.c'], { subscriberLists: true });
  assert.ok(s.cc.includes('frob-users@lists.example.org'));
  // without the directory check the pattern only matches files at its own depth
  const plain = parseMaintainers(readFileSync(join(DATA, 'MAINTAINERS'), 'utf8'));
  assert.deepEqual(recipientsFor(plain, ['drivers/frob/legacy/old.c']).recipients.map((x) => x.email), ['linux-kernel@vger.kernel.org']);
});

test('? and * globs and their slash count', () => {
  assert.deepEqual(recipientsFor(db, ['include/linux/frob/acme1.h']).to, ['Alice Example <alice@example.org>', '"Eve Q. Arm" <eve@example.org>']);
  assert.deepEqual(recipientsFor(db, ['include/linux/frob/acme10.h']).to, ['"Eve Q. Arm" <eve@example.org>']);
  const spi = recipientsFor(db, ['drivers/foo/spi-bar.c']);
  assert.deepEqual(spi.to, ['Grace Hopper <grace@example.org>']);
  assert.equal(spi.sections[0].status, 'Obsolete');
  assert.deepEqual(recipientsFor(db, ['drivers/foo/sub/spi-bar.c']).to, []);
});

test('K: keywords only with file content or a patch; mailmap; dedupe by name', () => {
  const files = ['drivers/frob/frob-acme.c', 'drivers/misc/thing.c'];
  assert.ok(!recipientsFor(db, files).to.some((e) => e.includes('frank')));
  const content = (f: string): string => (f === 'drivers/misc/thing.c' ? 'int x = frob_widget_register(1);\n' : 'x\n');
  const r = recipientsFor(db, files, { readFile: content });
  assert.deepEqual(r.recipients.map((x) => x.email), [
    'Alice Example <alice@example.org>', 'Bob Reviewer <bob@example.org>', 'Carol Core <carol@example.org>',
    '"Eve Q. Arm" <eve@example.org>', 'Frank Kw <frank@example.org>', // mapped by .mailmap
    'linux-frob@lists.example.org', 'frob-arm@lists.example.org', 'linux-kernel@vger.kernel.org',
  ]);
  assert.equal(r.sections.find((s) => s.name === 'FROB WIDGET HELPERS')?.via, 'keyword');
  const patch = [
    'Subject: [PATCH] misc: thing: use the helper', '', '---',
    'diff --git a/drivers/misc/thing.c b/drivers/misc/thing.c',
    '--- a/drivers/misc/thing.c', '+++ b/drivers/misc/thing.c', '@@ -1,1 +1,1 @@',
    ' frob_widget_context(); /* context lines do not count */',
  ];
  assert.deepEqual(filesInPatch(patch.join('\n')), ['drivers/misc/thing.c']);
  assert.ok(!recipientsFor(db, ['drivers/misc/thing.c'], { patch: patch.join('\n') }).to.length);
  const added = [...patch, '+frob_widget_add();'].join('\n');
  assert.deepEqual(recipientsFor(db, ['drivers/misc/thing.c'], { patch: added }).to, ['Frank Kw <frank@example.org>']);
  assert.deepEqual(recipientsFor(db, ['drivers/misc/thing.c'], { patch: added, keywords: false }).to, []);
});

test('perl regex translation', () => {
  assert.ok(perlRegex('(?i)pidfd', true).test('PIDFD_open'));
  assert.ok(perlRegex('\\b(?i:rust)\\b', true).test('the Rust code'));
  assert.ok(!perlRegex('\\b(?i:rust)\\b', true).test('trusty'));
  assert.ok(perlRegex('foo  bar # comment', true).test('foobar'));
  assert.ok(perlRegex('[^a-z]tegra', true).test('nvidia,tegra'));
  assert.equal(addressOf('"A. B" <X@Y.org>'), 'x@y.org');
});

// --- cross-checks against the real scripts/get_maintainer.pl (skipped without the corpus) ------

const haveCorpus = existsSync(join(CORPUS, 'scripts', 'get_maintainer.pl')) && existsSync(join(CORPUS, 'MAINTAINERS'));

async function pool<T, R>(items: T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k]);
    }
  }));
  return out;
}

const GM = ['--no-git', '--no-git-fallback', '--no-rolestats'];

test('synthetic MAINTAINERS agrees with get_maintainer.pl', { skip: !haveCorpus && 'no corpus' }, async () => {
  const t = mkdtempSync(join(tmpdir(), 'unembed-gm-'));
  try {
    for (const f of ['COPYING', 'CREDITS', 'Kbuild', 'Makefile', 'README']) writeFileSync(join(t, f), '');
    for (const d of ['Documentation', 'arch', 'include/linux/frob', 'drivers/frob/legacy', 'drivers/misc', 'drivers/foo/sub', 'fs', 'init', 'ipc', 'kernel', 'lib', 'scripts']) {
      mkdirSync(join(t, d), { recursive: true });
    }
    copyFileSync(join(DATA, 'MAINTAINERS'), join(t, 'MAINTAINERS'));
    copyFileSync(join(DATA, 'mailmap'), join(t, '.mailmap'));
    copyFileSync(join(CORPUS, 'scripts', 'get_maintainer.pl'), join(t, 'scripts', 'get_maintainer.pl'));
    const files = ['drivers/frob/frob-acme.c', 'drivers/frob/legacy/old.c', 'include/linux/frob/acme1.h', 'drivers/foo/spi-bar.c',
      'drivers/foo/sub/spi-bar.c', 'drivers/misc/thing.c'];
    for (const f of files) writeFileSync(join(t, f), f.endsWith('thing.c') ? 'frob_widget_register();\n' : 'x\n');
    const real = await loadMaintainers(t);
    for (const f of files) {
      for (const kf of [false, true]) {
        const { stdout } = await run('perl', ['scripts/get_maintainer.pl', ...GM, ...(kf ? ['--keywords-in-file'] : []), '-f', f], { cwd: t });
        const ours = recipientsFor(real, [f], kf ? { readFile: (p) => readFileSync(join(t, p), 'utf8') } : {});
        assert.deepEqual(ours.recipients.map((x) => x.email), stdout.split('\n').filter(Boolean), `${f} kf=${kf}`);
      }
    }
  } finally {
    rmSync(t, { recursive: true, force: true });
  }
});

test('corpus: same address set as get_maintainer.pl for >= 95% of 40 sample files', { skip: !haveCorpus && 'no corpus', timeout: 600_000 }, async () => {
  const dbc = await loadMaintainers(CORPUS);
  const git = simpleGit(CORPUS);
  const sample: string[] = [];
  for (const dir of ['drivers/i2c', 'drivers/spi', 'drivers/gpu/drm', 'drivers/media']) {
    const out = await git.raw(['grep', '-l', '-E', 'i2c_adapter|spi_controller', '--', `${dir}/*.c`, `${dir}/*.h`]);
    const all = out.split('\n').filter(Boolean).sort();
    for (let k = 0; k < 10; k++) sample.push(all[Math.floor((k * all.length) / 10)]);
  }
  assert.equal(sample.length, 40);
  const results = await pool(sample, 4, async (f) => {
    const { stdout } = await run('perl', ['scripts/get_maintainer.pl', ...GM, '-f', f], { cwd: CORPUS });
    const theirs = new Set(stdout.split('\n').filter(Boolean).map(addressOf));
    const ours = new Set(recipientsFor(dbc, [f]).recipients.map((r) => r.address.toLowerCase()));
    const same = theirs.size === ours.size && [...theirs].every((a) => ours.has(a));
    return { f, same, onlyTheirs: [...theirs].filter((a) => !ours.has(a)), onlyOurs: [...ours].filter((a) => !theirs.has(a)) };
  });
  const bad = results.filter((r) => !r.same);
  for (const b of bad) console.log(`differs: ${b.f} perl-only=${b.onlyTheirs.join(',')} ours-only=${b.onlyOurs.join(',')}`);
  console.log(`get_maintainer.pl agreement: ${results.length - bad.length}/${results.length}`);
  assert.ok(results.length - bad.length >= Math.ceil(0.95 * results.length), `only ${results.length - bad.length}/${results.length} agree`);
});
