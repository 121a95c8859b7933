// `npm run bench`: speed and memory, measured in one run and printed — never asserted in tests.
//  1. `unembed scan --subsystem all` over the whole tree: wall time, CPU time, peak RSS.
//  2. spatch (--jobs 2, the options the generated .cocci headers name) against
//     `unembed rewrite` on the same files, alternating runs: wall, CPU, peak RSS, the ratios,
//     and recall on the same hunks.
//   node dist/scripts/bench.js [--tree DIR] [--rounds N] [--no-spatch] [DIR…]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseTimeV } from '../src/cocci/spatch.js';
import { spatchRun } from './spatch-run.js';
import { crossCheck } from './cross-check.js';

interface Measure {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
  stdout: string;
}

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin', 'unembed.js');

/** Run a command under /usr/bin/time -v; stdout is kept (the diff), timings parsed. */
function timed(cmd: string, args: string[]): Promise<Measure> {
  const timeFile = join(tmpdir(), `unembed-bench-${process.pid}-${Date.now()}.txt`);
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      const t = parseTimeV(existsSync(timeFile) ? readFileSync(timeFile, 'utf8') : '');
      rmSync(timeFile, { force: true });
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${Buffer.concat(err).toString().slice(-500)}`));
      else resolve({ wallMs, cpuMs: (t.userMs ?? 0) + (t.systemMs ?? 0), maxRssKb: t.maxRssKb ?? 0, stdout: Buffer.concat(out).toString('latin1') });
    });
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (kb: number) => `${Math.round(kb / 1024)} MiB`;
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Every run's figure, for the spread behind a median: `13.1 13.7 15.2 s`. */
const each = (xs: number[]) => `${xs.map((x) => (x / 1000).toFixed(1)).join(' ')} s`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tree: { type: 'string', default: join(ROOT, '.cache', 'linux-6.12') },
      rounds: { type: 'string', default: '1' },
      'no-spatch': { type: 'boolean', default: false },
    },
  });
  const tree = values.tree!;
  if (!existsSync(join(tree, 'Makefile'))) throw new Error(`no kernel tree at ${tree} (run npm run corpus)`);
  const rounds = Math.max(1, Number(values.rounds));
  console.log(`machine: ${(await import('node:os')).cpus().length} cores; tree ${tree}`);

  // 1. the whole tree
  const scans: Measure[] = [];
  for (let i = 0; i < rounds; i++) scans.push(await timed('node', [BIN, 'scan', '--tree', tree, '--subsystem', 'all', '--json']));
  const sites = (JSON.parse(scans[0].stdout) as { sites: unknown[]; stats: { files: number } });
  console.log(`\nscan --subsystem all, whole tree (${sites.stats.files} candidate files, ${sites.sites.length} sites), ${rounds} run(s):`);
  console.log(`  wall ${s(median(scans.map((m) => m.wallMs)))}   CPU ${s(median(scans.map((m) => m.cpuMs)))}   `
    + `peak RSS ${mib(Math.max(...scans.map((m) => m.maxRssKb)))}   (goal: < 15 s wall, < 1 GiB)`);
  if (rounds > 1) console.log(`  each run: wall ${each(scans.map((m) => m.wallMs))}; CPU ${each(scans.map((m) => m.cpuMs))}`);

  if (values['no-spatch']) return;
  // 2. spatch against unembed rewrite, alternating
  const targets = positionals.length ? positionals : ['drivers/i2c/busses', 'drivers/spi'];
  const cocci = ['cocci/i2c-adapter-dev.cocci', 'cocci/spi-controller-dev.cocci'].map((c) => join(ROOT, c));
  const sp: Measure[] = [];
  const ue: Measure[] = [];
  let spatchDiff = '';
  for (let i = 0; i < rounds; i++) {
    const r = await spatchRun({ tree, cocci, targets, jobs: 2 });
    spatchDiff = r.diff;
    sp.push({ wallMs: r.summary.wallMs, cpuMs: r.summary.userMs + r.summary.systemMs, maxRssKb: r.summary.maxRssKb, stdout: '' });
    ue.push(await timed('node', [BIN, 'rewrite', '--tree', tree, '--no-headers', ...targets]));
  }
  const x = crossCheck(tree, spatchDiff, ue[0].stdout);
  const spatchHunks = x.total - x.onlyUnembed.length;
  const oursOfSpatch = spatchHunks - x.onlySpatch.length;
  const ourHunks = x.total - x.onlySpatch.length;
  console.log(`\nrewrite of ${targets.join(' ')}: spatch --jobs 2 vs unembed, ${rounds} alternating round(s):`);
  const row = (name: string, m: Measure[]) => console.log(`  ${name.padEnd(8)} wall ${s(median(m.map((v) => v.wallMs))).padStart(8)}   `
    + `CPU ${s(median(m.map((v) => v.cpuMs))).padStart(8)}   peak RSS ${mib(Math.max(...m.map((v) => v.maxRssKb))).padStart(8)}`);
  row('spatch', sp);
  row('unembed', ue);
  if (rounds > 1) {
    console.log(`  each run: spatch wall ${each(sp.map((m) => m.wallMs))}; unembed wall ${each(ue.map((m) => m.wallMs))}`);
  }
  console.log(`  ratio    wall ${(median(sp.map((v) => v.wallMs)) / median(ue.map((v) => v.wallMs))).toFixed(1)}x   `
    + `CPU ${(median(sp.map((v) => v.cpuMs)) / median(ue.map((v) => v.cpuMs))).toFixed(1)}x   (goal: >= 20x)`);
  console.log(`  hunks: spatch ${spatchHunks}, unembed ${ourHunks}; unembed makes ${oursOfSpatch} of spatch's `
    + `(recall vs spatch ${((100 * oursOfSpatch) / Math.max(1, spatchHunks)).toFixed(1)}%), `
    + `${x.onlyUnembed.length} more that spatch misses; identical text ${x.identical}/${x.total}`);
}

main().catch((e: Error) => {
  process.stderr.write(`bench: ${e.message.split('\n')[0]}\n`);
  process.exit(1);
});
