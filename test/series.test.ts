// `unembed series` on a small synthetic git tree (a copy of testdata/tree committed in a
// temporary repository): order, subjects, bodies, recipients, git am, byte-identical re-runs,
// the user's checkout untouched, bad input, cleanup after a failure and after Ctrl-C.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_TREE, ROOT } from './helpers.js';
import { generateSeries, globRoot, type SeriesOptions } from '../src/series/run.js';
import { fitSubject, wrap } from '../src/series/text.js';
import { editMail } from '../src/series/mail.js';
import { sharedPrefix } from '../src/series/group.js';

const DATE = '2025-01-31T12:00:00Z';
let scratch: string;
let repo: string;
let base: string;

function git(cwd: string, ...args: string[]): string {
  const env = { ...process.env, GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' };
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

function run(over: Partial<SeriesOptions> & { outputDir: string }) {
  return generateSeries({ tree: repo, signoff: true, date: DATE, renderer: 'silent', jobs: 0, ...over });
}

function out(name: string): string {
  return join(scratch, name);
}

function mails(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.patch')).sort();
}

/** The headers of a mail (continuations unfolded) and its commit message. */
function parse(file: string): { headers: Map<string, string>; message: string } {
  const text = readFileSync(file, 'utf8');
  const [head, ...rest] = text.split('\n\n');
  const headers = new Map<string, string>();
  for (const l of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const m = /^([A-Za-z-]+): (.*)$/.exec(l);
    if (m) headers.set(m[1].toLowerCase(), m[2]);
  }
  const body = rest.join('\n\n');
  return { headers, message: body.slice(0, body.indexOf('\n---\n')) };
}

before(() => {
  assert.ok(existsSync(join(EXAMPLE_TREE, 'MAINTAINERS')), 'testdata/tree is missing');
  scratch = mkdtempSync(join(tmpdir(), 'unembed-series-test-'));
  repo = join(scratch, 'linux');
  cpSync(EXAMPLE_TREE, repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'master');
  git(repo, 'config', 'user.name', 'Tess Ter');
  git(repo, 'config', 'user.email', 'tess@example.org');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Initial tree');
  base = git(repo, 'rev-parse', 'HEAD');
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('series: order, subjects, bodies, recipients; the checkout is untouched', async () => {
  // an uncommitted change in the user's checkout: left alone, not part of the series
  const acme = join(repo, 'drivers/i2c/busses/i2c-acme.c');
  const original = readFileSync(acme, 'latin1');
  writeFileSync(acme, `${original}/* local change */\n`, 'latin1');
  const before = { head: git(repo, 'rev-parse', 'HEAD'), branch: git(repo, 'symbolic-ref', 'HEAD'), status: git(repo, 'status', '--porcelain') };
  const notes: string[] = [];
  const r = await run({ outputDir: out('s1'), to: ['Extra To <extra@example.org>'], cc: ['extra-list@example.org'], onNote: (n) => notes.push(n) });
  try {
    assert.deepEqual({ head: git(repo, 'rev-parse', 'HEAD'), branch: git(repo, 'symbolic-ref', 'HEAD'), status: git(repo, 'status', '--porcelain') }, before);
    assert.equal(readFileSync(acme, 'latin1'), `${original}/* local change */\n`);
    assert.ok(notes.some((n) => /uncommitted change\(s\).*not included/.test(n)), notes.join('\n'));
    assert.equal(git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length, 1);
    assert.match(r.branch, /^unembed\/i2c-spi-/);
    assert.equal(git(repo, 'rev-parse', `${r.branch}~${r.patches.length}`), base);

    const files = mails(out('s1'));
    assert.equal(files.length, r.patches.length + 1);
    assert.match(files[0], /^0000-cover-letter\.patch$/);
    const kinds = r.patches.map((p) => p.kind);
    assert.deepEqual(kinds.slice(0, 4), ['header', 'header', 'core', 'core']);
    assert.ok(kinds.slice(4).every((k) => k === 'driver') && kinds.length > 6);
    const subjects = r.patches.map((p) => p.subject);
    assert.equal(subjects[0], 'i2c: Add i2c_adapter_dev() and configuration helpers');
    assert.equal(subjects[1], 'spi: Add spi_controller_dev() accessor');
    assert.equal(subjects[2], 'i2c: core: Make use of i2c_adapter_dev() accessor');
    assert.ok(subjects.includes('i2c: acme: Make use of i2c_adapter_dev() accessor'), subjects.join('\n'));
    assert.ok(subjects.includes('i2c: mux: fennel: Make use of i2c_adapter_dev() accessor'), subjects.join('\n'));
    assert.ok(subjects.includes('spi: heron: Make use of spi_controller_dev() accessor'), subjects.join('\n'));
    for (const s of subjects) assert.ok(s.length <= 75, s);
    // the header patch adds helpers only; the header's own sites are in the core patch
    assert.deepEqual(r.patches[0].files, ['include/linux/i2c.h']);
    assert.equal(r.patches[0].sites, 0);
    // i2c drivers before spi drivers
    const firstSpi = kinds.findIndex((k, i) => k === 'driver' && r.patches[i].subject.startsWith('spi:'));
    assert.ok(r.patches.slice(firstSpi).every((p) => !p.subject.startsWith('i2c:')));

    for (const [k, f] of files.entries()) {
      const { headers, message } = parse(join(out('s1'), f));
      for (const line of message.split("\n")) assert.ok(line.length <= 75 || /^\s*\S+:\d+:/.test(line) || line.startsWith("  unembed series "), `${f}: ${line}`);
      if (k === 0) continue;
      assert.match(headers.get('subject') ?? '', new RegExp(`^\\[PATCH ${String(k).padStart(2, '0')}/${r.patches.length}\\] `));
      assert.match(message, /Signed-off-by: Tess Ter <tess@example.org>$/);
      assert.match(message, /No functional change intended/);
      assert.match(headers.get('to') ?? '', /Extra To <extra@example.org>/);
      assert.match(headers.get('cc') ?? '', /extra-list@example.org/);
      assert.match(headers.get('in-reply-to') ?? '', /^<cover\.1738324800\.git\.tess@example.org>$/);
    }
    // recipients of the acme patch: its maintainer To, its reviewer and the lists Cc
    const acmePatch = r.patches.find((p) => p.subject.startsWith('i2c: acme:'))!;
    const { headers } = parse(join(out('s1'), acmePatch.mail));
    assert.match(headers.get('to') ?? '', /Ada Lovegood <ada.lovegood@example.org>/);
    assert.match(headers.get('to') ?? '', /Otto Host <otto@example.org>/);
    assert.match(headers.get('cc') ?? '', /Bert Reviewer <bert@example.org>/);
    assert.match(headers.get('cc') ?? '', /linux-i2c@lists.example.org/);
    assert.doesNotMatch(headers.get('to') ?? '', /Cleo Corvid|Sam Serial/);
    // sites left for a human: in the patch of their driver and in the cover letter
    const cover = readFileSync(join(out('s1'), files[0]), 'utf8');
    assert.match(cover, /^Subject: \[PATCH 00\/\d+\] i2c, spi: Access the embedded struct device through helpers$/m);
    assert.doesNotMatch(cover, /\*\*\* (SUBJECT|BLURB) HERE \*\*\*/);
    assert.match(cover, /unembed series --subsystem all --base HEAD --signoff/);
    assert.match(cover, /left for a human: +2/);
    assert.match(cover, /drivers\/i2c\/i2c-core-base\.c:143: adap->dev\n +sizeof/);
    assert.match(cover, /^base-commit: [0-9a-f]{40}$/m);
    assert.match(cover, /^Date: Fri, 31 Jan 2025 12:00:00 \+0000$/m);
    const core = readFileSync(join(out('s1'), r.patches[2].mail), 'utf8');
    assert.match(core, /left for a manual follow-up:\n  drivers\/i2c\/i2c-core-base\.c:143:/);

    // git am onto a fresh branch at the base applies every patch, and gives the same tree
    const am = out('am');
    git(repo, 'worktree', 'add', '-q', '-b', 'am-check', am, base);
    try {
      const res = spawnSync('git', ['am', '-q', ...files.slice(1).map((f) => join(out('s1'), f))], { cwd: am, encoding: 'utf8' });
      assert.equal(res.status, 0, res.stderr);
      assert.equal(git(am, 'rev-list', '--count', `${base}..HEAD`), String(r.patches.length));
      assert.equal(git(am, 'rev-parse', 'HEAD^{tree}'), git(repo, 'rev-parse', `${r.branch}^{tree}`));
      assert.equal(git(am, 'log', '--format=%s', '--reverse', `${base}..HEAD`), subjects.join('\n'));
    } finally {
      git(repo, 'worktree', 'remove', '--force', am);
    }

    // same input and --date: byte-identical patches
    const r2 = await run({ outputDir: out('s2'), to: ['Extra To <extra@example.org>'], cc: ['extra-list@example.org'] });
    assert.notEqual(r2.branch, r.branch);
    assert.deepEqual(mails(out('s2')), files);
    for (const f of files) assert.ok(readFileSync(join(out('s1'), f)).equals(readFileSync(join(out('s2'), f))), f);
  } finally {
    writeFileSync(acme, original, 'latin1');
  }
});

test('series: --split maintainer, --max-patches, -v, --subject-prefix, --only/--exclude', async () => {
  const r = await run({ outputDir: out('m'), split: 'maintainer', subsystem: 'all', signoff: false });
  // i2c-corvid and spi-heron share the CORVID section: one patch
  const corvid = r.patches.find((p) => p.files.includes('drivers/i2c/busses/i2c-corvid.c'))!;
  assert.ok(corvid.files.includes('drivers/spi/spi-heron.c'), JSON.stringify(corvid));
  assert.ok(new Set(r.patches.map((p) => p.subject)).size === r.patches.length);
  assert.doesNotMatch(readFileSync(join(out('m'), corvid.mail), 'utf8'), /Signed-off-by/);

  const v = await run({ outputDir: out('v'), subsystem: 'i2c', maxPatches: 3, reroll: 2, subjectPrefix: 'RFC PATCH' });
  assert.equal(v.patches.length, 3);
  assert.ok(v.summary.omittedPatches > 0);
  const files = mails(out('v'));
  assert.equal(files[0], 'v2-0000-cover-letter.patch');
  assert.match(readFileSync(join(out('v'), files[1]), 'utf8'), /^Subject: \[RFC PATCH v2 1\/3\] i2c: Add i2c_adapter_dev\(\)/m);

  const o = await run({ outputDir: out('o'), subsystem: 'i2c', only: ['drivers/i2c/busses/**'], exclude: ['**/i2c-dingo.c'] });
  assert.equal(o.patches[0].kind, 'header'); // the helpers are always part of the series
  assert.ok(o.patches.slice(1).every((p) => p.kind === 'driver' && p.files.every((f) => f.startsWith('drivers/i2c/busses/'))));
  assert.ok(!o.patches.some((p) => p.files.includes('drivers/i2c/busses/i2c-dingo.c')));
});

test('series: bad input is a one-line UsageError and leaves nothing behind', async () => {
  const branches = (): string => git(repo, 'branch', '--list');
  const was = branches();
  const reject = async (o: Partial<SeriesOptions>, re: RegExp): Promise<void> => {
    await assert.rejects(run({ outputDir: out('bad'), ...o }), (e: Error) => e.name === 'UsageError' && re.test(e.message) && !e.message.includes('\n'));
  };
  await reject({ phase: 'switch' }, /--phase switch needs phase one on the base/);
  await reject({ base: 'no-such-ref' }, /base 'no-such-ref' does not exist/);
  await reject({ date: 'yesterday-ish' }, /not an ISO 8601 date/);
  await reject({ subsystem: 'usb' }, /unknown subsystem/);
  mkdirSync(out('full'), { recursive: true });
  writeFileSync(join(out('full'), 'x'), 'x');
  await reject({ outputDir: out('full') }, /is not empty/);
  const plain = out('plain');
  cpSync(EXAMPLE_TREE, plain, { recursive: true });
  await reject({ tree: plain }, /is not a git repository/);
  // no identity: a HOME without .gitconfig and a repository without user.*
  const bare = out('noid');
  cpSync(EXAMPLE_TREE, bare, { recursive: true });
  const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME };
  process.env.HOME = out('home');
  process.env.XDG_CONFIG_HOME = out('home');
  try {
    mkdirSync(out('home'), { recursive: true });
    execFileSync('git', ['init', '-q'], { cwd: bare });
    execFileSync('git', ['add', '-A'], { cwd: bare });
    execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@y', 'commit', '-q', '-m', 'x'], { cwd: bare });
    await reject({ tree: bare }, /no git identity/);
  } finally {
    process.env.HOME = saved.HOME;
    if (saved.XDG === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = saved.XDG;
  }
  // a detached HEAD works, and says so
  git(repo, 'checkout', '-q', '--detach');
  try {
    const notes: string[] = [];
    const r = await run({ outputDir: out('detached'), subsystem: 'spi', onNote: (n) => notes.push(n) });
    assert.ok(r.patches.length > 1);
    assert.ok(notes.some((n) => /HEAD is detached/.test(n)));
  } finally {
    git(repo, 'checkout', '-q', 'master');
  }
  assert.ok(!existsSync(out('bad')));
  assert.equal(branches().split('\n').filter((b) => !b.includes('unembed/')).join('\n'), was.split('\n').filter((b) => !b.includes('unembed/')).join('\n'));
});

test('series: a failure half-way removes the worktree, the branch and the partial output', async () => {
  const branchesBefore = git(repo, 'branch', '--list');
  await assert.rejects(run({
    outputDir: out('fail'), subsystem: 'i2c', branch: 'unembed/fail',
    onCommit: (k) => { if (k === 2) throw new Error('disk full'); },
  }), /disk full/);
  assert.equal(git(repo, 'branch', '--list'), branchesBefore);
  assert.equal(git(repo, 'worktree', 'list').split('\n').length, 1);
  assert.ok(!existsSync(out('fail')) || readdirSync(out('fail')).length === 0);
});

test('series: Ctrl-C removes the worktree and the branch', async () => {
  const flag = out('committing');
  const script = `import { writeFileSync } from 'node:fs';
import { generateSeries } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'series', 'run.js'))};
await generateSeries({ tree: ${JSON.stringify(repo)}, outputDir: ${JSON.stringify(out('int'))}, subsystem: 'i2c',
  branch: 'unembed/interrupted', renderer: 'silent', jobs: 0,
  onCommit: async (k) => { if (k === 1) { writeFileSync(${JSON.stringify(flag)}, 'x'); await new Promise((r) => setTimeout(r, 30000)); } } });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !existsSync(flag)) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(flag), `the run never reached its second commit: ${stderr}`);
    assert.equal(git(repo, 'worktree', 'list').split('\n').length, 2);
    process.kill(-child.pid!, 'SIGINT'); // the whole process group, as a terminal does
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /interrupted \(SIGINT\); removed the worktree and branch unembed\/interrupted/);
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  }
  assert.equal(git(repo, 'branch', '--list', 'unembed/interrupted'), '');
  assert.equal(git(repo, 'worktree', 'list').split('\n').length, 1);
  assert.ok(!existsSync(out('int')) || readdirSync(out('int')).length === 0);
});

test('series text helpers', () => {
  assert.equal(fitSubject('i2c: designware:', ['Make use of i2c_adapter_dev() accessor']),
    'i2c: designware: Make use of i2c_adapter_dev() accessor');
  const long = fitSubject('drm/amd/display: dc: some-very-long-driver-name-here:', ['Make use of i2c_adapter_dev() accessor',
    'Use i2c_adapter_dev()']);
  assert.ok(long.length <= 75, long);
  for (const l of wrap('word '.repeat(60)).split('\n')) assert.ok(l.length <= 75);
  assert.equal(sharedPrefix(['i2c: acme:', 'i2c: bramble:']), 'i2c:');
  assert.equal(globRoot('drivers/i2c/**'), 'drivers/i2c');
  assert.equal(globRoot('**/x.c'), '');
  const mail = Buffer.from('From abc Mon Sep 17 00:00:00 2001\nMessage-Id: <abc.1700000000.git.a@b>\nSubject: x\nTo: A <a@b>\n\nbody\n\xff', 'latin1');
  const edited = editMail(mail, { to: ['a@b', 'C <c@d>'], cc: ['C <c@d>', 'l@m'], idStamp: '42' }).toString('latin1');
  assert.match(edited, /Message-Id: <abc\.42\.git\.a@b>/);
  assert.match(edited, /To: A <a@b>,\n    C <c@d>\nCc: l@m\n\nbody\n\xff$/);
});
