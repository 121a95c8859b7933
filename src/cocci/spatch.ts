// Running spatch (Coccinelle) on generated semantic patches: locating the binary, building the
// command line from a .cocci file's `// Options:` header, and measuring a run.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type SpatchMode = 'patch' | 'context' | 'org' | 'report';

/** The spatch binary: $SPATCH, else `spatch` on PATH; undefined when it is not installed. */
export function findSpatch(): string | undefined {
  const candidates = [process.env['SPATCH'], 'spatch'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0 && /spatch version/.test(r.stdout)) return c;
  }
  return undefined;
}

/** The options a .cocci file declares in its `// Options:` header line (as coccicheck reads them). */
export function coccinelleOptions(cocciText: string): string[] {
  const m = /^\/\/\s*Options:(.*)$/m.exec(cocciText);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : [];
}

export interface SpatchInvocation {
  /** the .cocci file */
  cocci: string;
  mode: SpatchMode;
  /** C files, or directories (spatch --dir) */
  targets: string[];
  /** include directories, passed as `-I` */
  includeDirs?: string[];
  /** parallel spatch processes (--jobs) */
  jobs?: number;
  /** working directory; diff paths are relative to it when targets are */
  cwd?: string;
  /** extra options (after the header's) */
  extra?: string[];
  /** options to use instead of the header's `// Options:` */
  options?: string[];
}

/** The spatch argument vector for an invocation. */
export function spatchArgs(inv: SpatchInvocation): string[] {
  const opts = inv.options ?? coccinelleOptions(readFileSync(inv.cocci, 'utf8'));
  const args = ['--sp-file', inv.cocci, '-D', inv.mode, '--very-quiet', ...opts];
  for (const d of inv.includeDirs ?? []) args.push('-I', d);
  if (inv.jobs && inv.jobs > 1) args.push('--jobs', String(inv.jobs), '--chunksize', '1');
  if (inv.mode !== 'patch' && inv.mode !== 'context') args.push('--no-show-diff');
  args.push(...(inv.extra ?? []));
  const isDir = (t: string) => {
    const abs = path.resolve(inv.cwd ?? '.', t);
    return existsSync(abs) && !abs.endsWith('.c') && !abs.endsWith('.h');
  };
  // spatch keeps only the last --dir: a second folder would be skipped without a word
  if (inv.targets.filter(isDir).length > 1) throw new Error('spatch takes one folder per run: run it once per folder');
  for (const t of inv.targets) {
    if (isDir(t)) args.push('--dir', t);
    else args.push(t);
  }
  return args;
}

export interface SpatchResult {
  args: string[];
  stdout: string;
  stderr: string;
  exitCode: number;
  /** wall clock, milliseconds */
  wallMs: number;
  /** user and system CPU of spatch and its children, milliseconds (from /usr/bin/time) */
  userMs?: number;
  systemMs?: number;
  /** peak resident set of the largest process, kilobytes (from /usr/bin/time) */
  maxRssKb?: number;
}

const TIME = '/usr/bin/time';

/** Parse the output of GNU `time -v`. */
export function parseTimeV(text: string): { userMs?: number; systemMs?: number; maxRssKb?: number } {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const user = num(/User time \(seconds\):\s*([\d.]+)/);
  const sys = num(/System time \(seconds\):\s*([\d.]+)/);
  const rss = num(/Maximum resident set size \(kbytes\):\s*(\d+)/);
  return {
    userMs: user === undefined ? undefined : Math.round(user * 1000),
    systemMs: sys === undefined ? undefined : Math.round(sys * 1000),
    maxRssKb: rss,
  };
}

/** Run spatch; measured with /usr/bin/time -v when it exists. */
export async function runSpatch(spatch: string, inv: SpatchInvocation): Promise<SpatchResult> {
  const args = spatchArgs(inv);
  const timed = existsSync(TIME);
  const timeFile = path.join(tmpdir(), `unembed-spatch-time-${process.pid}-${Date.now()}.txt`);
  const [cmd, argv] = timed ? [TIME, ['-v', '-o', timeFile, spatch, ...args]] : [spatch, args];
  const start = process.hrtime.bigint();
  const { stdout, stderr, exitCode } = await new Promise<{ stdout: string; stderr: string; exitCode: number }>(
    (resolve, reject) => {
      const child = spawn(cmd, argv, { cwd: inv.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) => resolve({
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('latin1'),
        exitCode: code ?? -1,
      }));
    });
  const wallMs = Number((process.hrtime.bigint() - start) / 1000000n);
  let usage = {};
  if (timed) {
    usage = parseTimeV(await readFile(timeFile, 'utf8').catch(() => ''));
    await rm(timeFile, { force: true });
  }
  return { args, stdout, stderr, exitCode, wallMs, ...usage };
}
