// Run spatch with the generated semantic patches over files or directories of a kernel tree and
// collect one unified diff, with wall time, CPU time and peak RSS per semantic patch.
//
//   node dist/scripts/spatch-run.js [--tree DIR] [--cocci FILE]... [--out FILE] [--jobs N]
//        [--options="OPTS"] [--summary FILE] TARGET...
//
// TARGETs are paths relative to the tree (files or directories). The targets are copied to a
// scratch directory and every .cocci is applied there in turn with --in-place, so that several
// semantic patches touching one file give one combined diff; the diff (`diff -up`, a/ b/ paths
// relative to the tree) is then made against the tree. spatch reads headers from the tree
// itself (-I arch/x86/include -I include …), with the options of each file's `// Options:` line
// unless --options is given. Timing comes from /usr/bin/time -v (user and system time include
// spatch's worker processes; peak RSS is that of the largest single process).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KERNEL_INCLUDE_DIRS } from '../src/cocci/emit.js';
import { findSpatch, runSpatch, type SpatchResult } from '../src/cocci/spatch.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CocciRun {
  cocci: string;
  wallMs: number;
  userMs?: number;
  systemMs?: number;
  maxRssKb?: number;
  exitCode: number;
  args: string[];
}

export interface SpatchRunSummary {
  tree: string;
  targets: string[];
  jobs: number;
  files: number;
  changedFiles: number;
  hunks: number;
  added: number;
  removed: number;
  diffBytes: number;
  wallMs: number;
  userMs: number;
  systemMs: number;
  maxRssKb: number;
  runs: CocciRun[];
}

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...await listSources(p));
    else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Source files of the targets, relative to the tree; a file target brings its directory's headers. */
async function collect(tree: string, targets: string[]): Promise<{ files: string[]; cFiles: number }> {
  const files = new Set<string>();
  let cFiles = 0;
  for (const t of targets) {
    const abs = path.resolve(tree, t);
    const st = await stat(abs);
    const found = st.isDirectory() ? await listSources(abs)
      : [abs, ...(await readdir(path.dirname(abs))).filter((n) => n.endsWith('.h')).map((n) => path.join(path.dirname(abs), n))];
    for (const f of found) files.add(path.relative(tree, f));
    cFiles += st.isDirectory() ? found.filter((f) => f.endsWith('.c')).length : 1;
  }
  return { files: [...files].sort(), cFiles };
}

function fileDiff(tree: string, scratch: string, rel: string): string {
  const r = spawnSync('diff', ['-up', '--label', `a/${rel}`, '--label', `b/${rel}`, path.join(tree, rel), path.join(scratch, rel)],
    { encoding: 'latin1', maxBuffer: 1 << 28 });
  if (r.status === 0) return '';
  if (r.status !== 1) throw new Error(`diff failed on ${rel}: ${r.stderr}`);
  return `diff -up a/${rel} b/${rel}\n${r.stdout}`;
}

export async function spatchRun(opts: {
  tree: string; cocci: string[]; targets: string[]; jobs: number; options?: string[]; log?: (s: string) => void;
}): Promise<{ diff: string; summary: SpatchRunSummary; stderr: string }> {
  const spatch = findSpatch();
  if (!spatch) throw new Error('spatch is not installed (set $SPATCH or install coccinelle)');
  const log = opts.log ?? (() => {});
  const tree = path.resolve(opts.tree);
  const { files, cFiles } = await collect(tree, opts.targets);
  const scratch = await mkdtemp(path.join(tmpdir(), 'unembed-spatch-'));
  try {
    for (const f of files) {
      await mkdir(path.dirname(path.join(scratch, f)), { recursive: true });
      await copyFile(path.join(tree, f), path.join(scratch, f));
    }
    const includeDirs = KERNEL_INCLUDE_DIRS.map((d) => path.join(tree, d)).filter((d) => existsSync(d));
    const runs: CocciRun[] = [];
    let stderr = '';
    const started = Date.now();
    // spatch takes one --dir per run: one run per folder, the single files together
    const dirTargets: string[] = [];
    const fileTargets: string[] = [];
    for (const t of opts.targets) ((await stat(path.resolve(tree, t))).isDirectory() ? dirTargets : fileTargets).push(t);
    const groups = [...dirTargets.map((d) => [d]), ...(fileTargets.length ? [fileTargets] : [])];
    for (const cocci of opts.cocci) for (const group of groups) {
      log(`spatch ${path.basename(cocci)} on ${group.join(' ')} (--jobs ${opts.jobs}) …`);
      const r: SpatchResult = await runSpatch(spatch, {
        cocci: path.resolve(cocci), mode: 'patch', targets: group, includeDirs, jobs: opts.jobs,
        cwd: scratch, options: opts.options, extra: ['--in-place'],
      });
      stderr += `### ${path.basename(cocci)}\n${r.stderr}`;
      if (r.exitCode !== 0) log(`  spatch exited with ${r.exitCode}: ${r.stderr.split('\n').slice(-5).join('\n')}`);
      runs.push({
        cocci: path.relative(root, path.resolve(cocci)), wallMs: r.wallMs, userMs: r.userMs, systemMs: r.systemMs,
        maxRssKb: r.maxRssKb, exitCode: r.exitCode, args: r.args,
      });
      log(`  ${(r.wallMs / 1000).toFixed(1)} s wall, ${(((r.userMs ?? 0) + (r.systemMs ?? 0)) / 1000).toFixed(1)} s CPU, `
        + `${Math.round((r.maxRssKb ?? 0) / 1024)} MiB peak RSS`);
    }
    const wallMs = Date.now() - started;
    const diff = files.map((f) => fileDiff(tree, scratch, f)).join('');
    const lines = diff.split('\n');
    const summary: SpatchRunSummary = {
      tree: path.relative(root, tree) || tree,
      targets: opts.targets,
      jobs: opts.jobs,
      files: cFiles,
      changedFiles: lines.filter((l) => l.startsWith('diff -up ')).length,
      hunks: lines.filter((l) => l.startsWith('@@ ')).length,
      added: lines.filter((l) => l.startsWith('+') && !l.startsWith('+++ ')).length,
      removed: lines.filter((l) => l.startsWith('-') && !l.startsWith('--- ')).length,
      diffBytes: Buffer.byteLength(diff, 'latin1'),
      wallMs,
      userMs: runs.reduce((s, r) => s + (r.userMs ?? 0), 0),
      systemMs: runs.reduce((s, r) => s + (r.systemMs ?? 0), 0),
      maxRssKb: Math.max(0, ...runs.map((r) => r.maxRssKb ?? 0)),
      runs,
    };
    return { diff, summary, stderr };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tree: { type: 'string', default: path.join(root, '.cache', 'linux-6.12') },
      cocci: { type: 'string', multiple: true },
      out: { type: 'string' },
      summary: { type: 'string' },
      jobs: { type: 'string', default: '2' },
      options: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log('usage: spatch-run [--tree DIR] [--cocci FILE]... [--out FILE] [--summary FILE] [--jobs N] '
      + '[--options="OPTS"] TARGET...');
    process.exit(values.help ? 0 : 2);
  }
  const cocci = values.cocci?.length ? values.cocci
    : (await readdir(path.join(root, 'cocci'))).filter((f) => f.endsWith('.cocci')).sort().map((f) => path.join(root, 'cocci', f));
  const { diff, summary, stderr } = await spatchRun({
    tree: values.tree!, cocci, targets: positionals, jobs: Number(values.jobs),
    options: values.options === undefined ? undefined : values.options.split(/\s+/).filter(Boolean),
    log: (s) => console.error(s),
  });
  if (values.out) {
    await mkdir(path.dirname(path.resolve(values.out)), { recursive: true });
    await writeFile(values.out, diff, 'latin1');
    await writeFile(`${values.out}.log`, stderr, 'latin1');
  } else {
    process.stdout.write(diff);
  }
  const json = JSON.stringify(summary, null, 2);
  if (values.summary) await writeFile(values.summary, `${json}\n`);
  console.error(`${summary.files} C files, ${summary.changedFiles} changed, ${summary.hunks} hunks (+${summary.added} -${summary.removed}), `
    + `${summary.diffBytes} bytes; ${(summary.wallMs / 1000).toFixed(1)} s wall, `
    + `${((summary.userMs + summary.systemMs) / 1000).toFixed(1)} s CPU, ${Math.round(summary.maxRssKb / 1024)} MiB peak RSS`);
  if (summary.runs.some((r) => r.exitCode !== 0)) process.exitCode = 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
