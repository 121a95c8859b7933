// Which of a list of files match any of some patterns: GNU grep over chunks of the list, both
// cores at once. `git grep` checks each -e pattern separately on every line, so with the 50-100
// patterns of a whole-tree run it is 5-8 times slower than one alternation in GNU grep's DFA.
// Where grep cannot be run, the same patterns are applied in JavaScript.
import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { argumentRuns } from '../util/text.js';

/**
 * A pattern written in the subset both GNU ERE and JavaScript read the same way: identifiers,
 * `(a|b)`, `\b`, `\s`, `\.`, `\[`, `->`, `.*`, `^`, `$`.
 */
export type GrepPattern = string;

/** Identifiers as one alternation. */
export function alternation(names: Iterable<string>): string {
  return `(${[...names].filter((n) => /^\w+$/.test(n)).join('|')})`;
}

// Linux allows 2 MiB of arguments and environment; each grep costs a fork of this process
const MAX_ARGS_BYTES = 1024 * 1024;
/** Below this many files per core, one grep does the whole list. */
const FILES_PER_GREP = 1000;
/**
 * Up to this many files are matched in this thread: a partial scan's few thousand headers are
 * read once for all its rounds (the caller's reader keeps them) instead of by a grep each round,
 * whose forks, reads and output cost more than V8's regex over them (measured on 6.12).
 */
const IN_THREAD_FILES = 5000;

function grepChunk(cwd: string, patterns: readonly GrepPattern[], files: string[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const args = ['-l', '-s', '-I', '-E'];
    for (const p of patterns) args.push('-e', p);
    args.push('--', ...files);
    const child = spawn('grep', args, { cwd, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', () => resolve(undefined));
    // 0: matches, 1: none, 2: some file could not be read (the others were still searched)
    child.on('close', (code) => resolve(code === null || code > 2 ? undefined : Buffer.concat(out).toString('latin1').split('\n').filter(Boolean)));
  });
}

/** The files (relative to `cwd`) that contain a line matching any pattern, sorted. */
export async function grepFiles(cwd: string, files: readonly string[], patterns: readonly GrepPattern[],
  readText: (rel: string) => string | undefined, inThreadUpTo = IN_THREAD_FILES): Promise<string[]> {
  if (files.length === 0 || patterns.length === 0) return [];
  if (files.length <= inThreadUpTo) return matchInThread(files, patterns, readText);
  // one grep per core, each dealt every jobs-th file (consecutive files are alike: the first
  // half of include/ is not the second), but not for a few hundred files, where another fork
  // of this process (12 ms) costs more than it saves
  const jobs = Math.max(1, Math.min(cpus().length, 4, Math.ceil(files.length / FILES_PER_GREP)));
  const parts = Array.from({ length: jobs }, (_, j) => files.filter((_, i) => i % jobs === j))
    .flatMap((dealt) => argumentRuns(dealt, MAX_ARGS_BYTES));
  const found: string[] = [];
  // at most `jobs` greps at a time
  let next = 0;
  let failed = false;
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (next < parts.length && !failed) {
      const r = await grepChunk(cwd, patterns, parts[next++]);
      if (r === undefined) failed = true;
      else found.push(...r);
    }
  }));
  return failed ? matchInThread(files, patterns, readText) : found.sort();
}

/**
 * The same patterns in JavaScript, line by line as grep reads them: `\s` and `.` do not cross a
 * newline (in JavaScript they would: `p->` at a line's end, `base.dev` on the next).
 */
function matchInThread(files: readonly string[], patterns: readonly GrepPattern[], readText: (rel: string) => string | undefined): string[] {
  const line = (p: string) => p.replaceAll('\\s', '[^\\S\\n]').replace(/(?<!\\)\./g, '[^\\n]');
  const re = new RegExp(patterns.map((p) => `(?:${line(p)})`).join('|'), 'm');
  return files.filter((f) => re.test(readText(f) ?? '')).sort();
}
