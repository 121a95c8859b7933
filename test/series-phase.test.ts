// `unembed series --phase all|switch` on a synthetic git tree: testdata/tree with the overlay
// testdata/series-switch (the I2C and SPI core files the subsystem switch anchors on), committed
// in a temporary repository. Order and content of the commits, the cover letters, and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_TREE, ROOT, SPI_SWITCH_SUBJECTS, TESTDATA } from './helpers.js';
import { generateSeries, type SeriesOptions, type SeriesResult } from '../src/series/run.js';

const DATE = '2025-01-31T12:00:00Z';
const OVERLAY = join(TESTDATA, 'series-switch');
const I2C_SWITCH = [
  'i2c: mux: Record the ACPI companion of a channel with a setter',
  'i2c: core: Allocate and own the struct device of an adapter',
  'i2c: dev: Fail file operations once the adapter is deleted',
  'i2c: mux: Check the parent adapter is still there',
];
const SPI_SWITCH = SPI_SWITCH_SUBJECTS;

let scratch: string;
let repo: string;
let base: string;
let all: SeriesResult;

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' };
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

function run(over: Partial<SeriesOptions> & { outputDir: string }): Promise<SeriesResult> {
  return generateSeries({ tree: repo, signoff: true, date: DATE, renderer: 'silent', jobs: 0, ...over });
}

function out(name: string): string {
  return join(scratch, name);
}

/** The commit message of a mail (between the headers and the `---` line). */
function message(file: string): string {
  const text = readFileSync(file, 'utf8');
  const body = text.slice(text.indexOf('\n\n') + 2);
  return body.slice(0, body.indexOf('\n---\n'));
}

/** The diff of a mail, without the index lines (blob names depend on the parent). */
function diff(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.slice(text.indexOf('\ndiff --git ')).replace(/^index .*\n/gm, '').replace(/\n-- \n[\s\S]*$/, '');
}

/** The files a mail's diff touches, in order. */
function diffFiles(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]);
}

function header(file: string, name: string): string {
  const head = readFileSync(file, 'utf8').split('\n\n')[0].replace(/\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1] ?? '';
}

before(async () => {
  assert.ok(existsSync(join(OVERLAY, 'drivers/i2c/i2c-mux.c')), 'testdata/series-switch is missing');
  scratch = mkdtempSync(join(tmpdir(), 'unembed-series-phase-'));
  repo = join(scratch, 'linux');
  cpSync(EXAMPLE_TREE, repo, { recursive: true });
  cpSync(OVERLAY, repo, { recursive: true });
  rmSync(join(repo, 'README.md'));
  git(repo, 'init', '-q', '-b', 'master');
  git(repo, 'config', 'user.name', 'Tess Ter');
  git(repo, 'config', 'user.email', 'tess@example.org');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Initial tree');
  base = git(repo, 'rev-parse', 'HEAD');
  all = await run({ outputDir: out('all'), phase: 'all' });
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('series --phase all: helpers, cores, drivers, then the switch last', () => {
  const kinds = all.patches.map((p) => p.kind);
  const nSwitch = I2C_SWITCH.length + SPI_SWITCH.length;
  assert.deepEqual(kinds.slice(0, 4), ['header', 'header', 'core', 'core']);
  assert.ok(kinds.slice(4, -nSwitch).length >= 6 && kinds.slice(4, -nSwitch).every((k) => k === 'driver'), kinds.join(' '));
  assert.deepEqual(kinds.slice(-nSwitch), Array(nSwitch).fill('switch'));
  assert.deepEqual(all.patches.slice(-nSwitch).map((p) => p.subject), [...I2C_SWITCH, ...SPI_SWITCH]);
  assert.equal(all.summary.switchPatches, nSwitch);
  assert.equal(git(repo, 'rev-parse', `${all.branch}~${all.patches.length}`), base);

  const mails = readdirSync(out('all')).filter((f) => f.endsWith('.patch')).sort();
  assert.equal(mails.length, all.patches.length + 1);
  const sw = all.patches.slice(-nSwitch);
  // what each switch commit touches
  assert.deepEqual(sw.map((p) => diffFiles(join(out('all'), p.mail))), [
    ['drivers/i2c/i2c-mux.c'],
    ['drivers/i2c/i2c-core-base.c', 'drivers/i2c/i2c-mux.c', 'include/linux/i2c.h'],
    ['drivers/i2c/i2c-dev.c'],
    ['drivers/i2c/i2c-mux.c', 'include/linux/i2c-mux.h'],
    ['drivers/spi/spi.c', 'include/linux/spi/spi.h'],
    ['drivers/spi/spi.c'],
    ['drivers/platform/x86/x86-android-tablets/core.c'],
    ['drivers/spi/spi.c', 'include/linux/spi/spi.h'],
    ['drivers/spi/spi.c'],
    ['drivers/spi/spi.c'],
    ['drivers/media/pci/mgb4/mgb4_core.c'],
  ]);
  // the switch runs on the tree phase one left: the companion setter replaces what phase one wrote
  const mux = diff(join(out('all'), sw[0].mail));
  assert.match(mux, /^-\t\tacpi_preset_companion\(i2c_adapter_dev\(&priv->adap\),/m);
  assert.match(mux, /^\+.*i2c_adapter_set_acpi_companion\(&priv->adap,/m);
  const core = diff(join(out('all'), sw[1].mail));
  assert.match(core, /^-\tstruct device dev;/m);
  assert.match(core, /^\+\tstruct device \*dev;/m);
  assert.match(core, /^-\tstruct completion dev_released;/m);
  assert.match(core, /^-\tinit_completion\(&adap->dev_released\);/m);
  assert.match(diff(join(out('all'), sw[4].mail)), /^\+struct spi_controller \*to_spi_controller\(/m);
  // phase one's commits do not touch what the switch changes in the struct
  for (const p of all.patches.slice(0, -nSwitch)) {
    assert.doesNotMatch(readFileSync(join(out('all'), p.mail), 'utf8'), /^[-+]\tstruct completion dev_released;/m, p.subject);
  }
  // the final tree: no embedded device left in the struct, every driver converted
  const i2ch = git(repo, 'show', `${all.branch}:include/linux/i2c.h`);
  const adapter = /\nstruct i2c_adapter \{[^}]*\}/.exec(i2ch)?.[0] ?? '';
  assert.match(adapter, /\tstruct device \*dev;/);
  assert.doesNotMatch(adapter, /\tstruct device dev;|dev_released/);
  assert.doesNotMatch(git(repo, 'show', `${all.branch}:drivers/i2c/busses/i2c-acme.c`), /&\w+->adapter\.dev\b/);

  for (const p of sw) {
    const f = join(out('all'), p.mail);
    const msg = message(f);
    assert.ok(msg.split('\n').every((l) => l.length <= 75), `${p.subject}: wrapped at 75`);
    assert.match(msg, /\n\n/, `${p.subject}: a body`);
    assert.match(msg, /Signed-off-by: Tess Ter <tess@example.org>$/);
    assert.doesNotMatch(msg, /No functional change intended/);
    assert.ok(p.subject.length <= 75);
    // recipients from MAINTAINERS, like the other patches
    const to = header(f, 'to');
    if (p.subject.startsWith('i2c:')) {
      assert.match(to, /Ines Inter <ines@example.org>/, p.subject);
      assert.match(header(f, 'cc'), /linux-i2c@lists.example.org/, p.subject);
    } else if (p.subject.startsWith('spi:')) {
      assert.match(header(f, 'cc'), /linux-spi@lists.example.org/, p.subject);
    }
    assert.match(header(f, 'in-reply-to'), /^<cover\.1738324800\.git\.tess@example.org>$/);
  }
  const cover = readFileSync(join(out('all'), mails[0]), 'utf8');
  assert.match(cover, /^Subject: \[PATCH 00\/25\] i2c, spi: Stop embedding the struct device/m);
  assert.match(cover, /--phase all/);
  assert.match(cover, /the last 11 switch the\s+subsystems/);
  assert.match(cover, /11 switch\)/);

  // git am of every mail onto the base gives the branch's tree
  const am = out('am-all');
  git(repo, 'worktree', 'add', '-q', '--detach', am, base);
  try {
    execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@y', 'am', '-q',
      ...mails.slice(1).map((m) => join(out('all'), m))], { cwd: am, stdio: 'pipe' });
    assert.equal(git(am, 'rev-parse', 'HEAD^{tree}'), git(repo, 'rev-parse', `${all.branch}^{tree}`));
  } finally {
    git(repo, 'worktree', 'remove', '--force', am);
  }
});

test('series --phase all --only: the cores are converted in full, the switch builds on them', async () => {
  const notes: string[] = [];
  const r = await run({ outputDir: out('all-only'), phase: 'all', subsystem: 'i2c', only: ['drivers/i2c/busses/**'],
    onNote: (n) => notes.push(n) });
  assert.ok(notes.some((n) => /switch patches assume that the accesses outside this series are converted/.test(n)), notes.join('\n'));
  const core = r.patches.find((p) => p.kind === 'core');
  assert.ok(core, r.patches.map((p) => p.subject).join('\n'));
  // outside --only, but the core's own files: the header's inline functions and the core
  assert.ok(core.files.includes('include/linux/i2c.h') && core.files.includes('drivers/i2c/i2c-core-base.c'), core.files.join(' '));
  assert.ok(r.patches.filter((p) => p.kind === 'driver').every((p) => p.files.every((f) => f.startsWith('drivers/i2c/busses/'))));
  assert.deepEqual(r.patches.filter((p) => p.kind === 'switch').map((p) => p.subject), I2C_SWITCH);
  assert.equal(r.patches[r.patches.length - 1].kind, 'switch');
  const i2ch = git(repo, 'show', `${r.branch}:include/linux/i2c.h`);
  assert.doesNotMatch(i2ch, /adapter->dev\.parent|&adap->dev\b/);
  const cover = readFileSync(join(out('all-only'), '0000-cover-letter.patch'), 'utf8');
  assert.match(cover, /The\s+switch patches assume that every other access/);
});

test('series --phase switch: the switch alone on a base where phase one has landed', async () => {
  const nSwitch = I2C_SWITCH.length + SPI_SWITCH.length;
  const phaseOne = `${all.branch}~${nSwitch}`;
  const r = await run({ outputDir: out('switch'), phase: 'switch', base: phaseOne });
  assert.deepEqual(r.patches.map((p) => p.kind), Array(nSwitch).fill('switch'));
  assert.deepEqual(r.patches.map((p) => p.subject), [...I2C_SWITCH, ...SPI_SWITCH]);
  assert.equal(git(repo, 'rev-parse', `${r.branch}~${nSwitch}`), git(repo, 'rev-parse', phaseOne));
  // the same changes as the last commits of --phase all, the same tree at the end
  const swAll = all.patches.slice(-nSwitch);
  r.patches.forEach((p, k) => {
    assert.equal(diff(join(out('switch'), p.mail)), diff(join(out('all'), swAll[k].mail)), p.subject);
    assert.equal(message(join(out('switch'), p.mail)), message(join(out('all'), swAll[k].mail)), p.subject);
  });
  assert.equal(git(repo, 'rev-parse', `${r.branch}^{tree}`), git(repo, 'rev-parse', `${all.branch}^{tree}`));
  const cover = readFileSync(join(out('switch'), '0000-cover-letter.patch'), 'utf8');
  assert.match(cover, /^Subject: \[PATCH 00\/11\] i2c, spi: Allocate the struct device/m);
  assert.match(cover, /assumes that the first has\s+landed/);
  assert.match(cover, /found none left to convert/);
  // the sites left for a human by phase one are listed as a prerequisite to look at
  assert.match(cover, /drivers\/i2c\/i2c-core-base\.c:\d+: adap->dev/);
  assert.equal(r.summary.sitesRewritten, 0);
});

test('series --phase switch|all: bad input is a one-line UsageError and leaves nothing behind', async () => {
  const branches = git(repo, 'branch', '--list');
  const worktrees = git(repo, 'worktree', 'list');
  const reject = async (o: Partial<SeriesOptions>, re: RegExp): Promise<void> => {
    await assert.rejects(run({ outputDir: out('bad'), ...o }),
      (e: Error) => e.name === 'UsageError' && re.test(e.message) && !e.message.includes('\n'), JSON.stringify(o));
  };
  // phase one has not landed: no helpers in the header
  await reject({ phase: 'switch' }, /^--phase switch needs phase one on the base: include\/linux\/i2c\.h has no i2c_adapter_dev\(\)/);
  // the helpers are in, the drivers are not converted yet
  const helpersOnly = `${all.branch}~${all.patches.length - 2}`;
  assert.equal(git(repo, 'log', '-1', '--format=%s', helpersOnly), 'spi: Add spi_controller_dev() accessor');
  await reject({ phase: 'switch', base: helpersOnly }, /needs phase one on the base: \d+ accesses in \d+ files still use the embedded device \(first: [^)]+:\d+\)/);
  await reject({ phase: 'switch', only: ['drivers/i2c/**'] }, /--phase switch takes no --only/);
  await reject({ phase: 'all', subsystem: 'mtd' }, /no subsystem switch for mtd/);
  await reject({ phase: 'later' as SeriesOptions['phase'] }, /--phase must be helpers, switch or all/);
  assert.ok(!existsSync(out('bad')) || readdirSync(out('bad')).length === 0);
  assert.equal(git(repo, 'branch', '--list'), branches);
  assert.equal(git(repo, 'worktree', 'list'), worktrees);

  // through the CLI: exit 2, one line on stderr, no stack trace
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'unembed.js'), 'series', '--tree', repo, '--phase', 'switch',
    '-o', out('bad-cli')], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.equal(cli.stderr.trim().split('\n').length, 1, cli.stderr);
  assert.match(cli.stderr, /^unembed: --phase switch needs phase one on the base/);
  assert.equal(git(repo, 'branch', '--list'), branches);
});
