// The compiler recall oracle. It shares no code with the scanner (nothing from src/match or
// src/types): it renames the embedded `dev` member in a scratch copy of the tree, compiles
// every candidate file with kbuild, and takes gcc's "has no member named 'dev'" errors as the
// ground truth of where the member is used.
//
//   node dist/scripts/oracle.js [--tree DIR] [--subsystem i2c|spi|all] [--out FILE]
//        [--scan SCAN.json] [--files-from LIST] [--jobs N] [--work DIR] [--only PREFIX,…]
//
// Exit codes: 0 done, 1 the build itself failed, 2 bad input.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  assertKernelTree, compileObjects, findObjectGoals, KbuildError, prepareBuild, projectRoot, readObjectDeps,
  type Diagnostic, type Membership, type ObjectResult,
} from '../src/kbuild/build.js';

class BadInput extends Error {}

type StructName = 'i2c_adapter' | 'spi_controller';

interface Target {
  subsystem: 'i2c' | 'spi';
  struct: StructName;
  header: string;
  /** words whose presence makes a file a candidate (spi_master is a #define of spi_controller) */
  words: string[];
  /** the scanner's transform id for this struct */
  transform: string;
  newName: string;
}

const TARGETS: readonly Omit<Target, 'newName'>[] = [
  { subsystem: 'i2c', struct: 'i2c_adapter', header: 'include/linux/i2c.h', words: ['i2c_adapter'], transform: 'i2c-adapter-dev' },
  { subsystem: 'spi', struct: 'spi_controller', header: 'include/linux/spi/spi.h', words: ['spi_controller', 'spi_master'], transform: 'spi-controller-dev' },
];

export interface Loc { file: string; line: number }
export interface SourceLoc extends Loc { column: number }

export interface OracleSite {
  file: string;
  line: number;
  column: number;
  struct: StructName;
  /** the macro expansion chain, innermost first (the last entry is normally the .c line) */
  via?: Loc[];
  /** for an error inside a macro expansion: the outermost expansion point, i.e. the use */
  use?: SourceLoc;
  /** the first object that reported it, and how many objects did (header sites repeat) */
  object: string;
  reportedBy: number;
  /** reported by at least one object that compiled far enough (see files[].usable) */
  usable: boolean;
}

export type OracleFileStatus = 'ok' | 'oracle-errors' | 'failed' | 'not-built';

export interface OracleFile {
  path: string;
  /**
   * ok: compiled; oracle-errors: failed only because of the renamed member; failed: other
   * errors too; not-built: not part of x86_64 allmodconfig (see membership, usable)
   */
  status: OracleFileStatus;
  membership: Membership;
  /** compiled far enough for its sites to count: no error other than the oracle's */
  usable: boolean;
  sites: number;
  /** errors that are neither the oracle's nor follow from them */
  otherErrors: number;
  /** how the object fared in the unmodified tree (checked only for files with both kinds of error) */
  baseline?: 'ok' | 'failed' | 'not-built';
  firstOtherError?: string;
}

export interface OracleResult {
  tree: string;
  subsystems: string[];
  renamed: { struct: StructName; header: string; to: string }[];
  candidates: { words: number; includes: number; filesFrom: number; total: number };
  millis: { prepare: number; compile: number; baseline: number; total: number };
  files: OracleFile[];
  sites: OracleSite[];
  comparison?: Comparison;
}

interface ScanSite {
  file: string;
  line: number;
  column: number;
  transform: string;
  category: string;
}

export interface Comparison {
  recall: { matched: number; total: number; value: number };
  precision: { confirmed: number; total: number; value: number };
  /** at the use (the expansion point for errors inside macros); `error`: where gcc put it */
  misses: (Loc & { struct: StructName; source: string; error?: Loc })[];
  falsePositives: (Loc & { transform: string; category: string; source: string })[];
  unresolved: { total: number; confirmed: number; notChecked: number };
  notChecked: number;
}

// ---------------------------------------------------------------------------------------------

const say = (s: string): void => { process.stderr.write(`oracle: ${s}\n`); };

function runCapture(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, out: Buffer.concat(out).toString('latin1'), err: Buffer.concat(err).toString('latin1') }));
  });
}

async function isGitTopLevel(tree: string): Promise<boolean> {
  const r = await runCapture('git', ['rev-parse', '--show-toplevel'], tree);
  return r.code === 0 && fs.realpathSync(r.out.trim()) === fs.realpathSync(tree);
}

/** `git grep` in the tree; outside a repository (or in an untracked folder) with --no-index. */
async function gitGrep(tree: string, git: boolean, args: string[]): Promise<string[]> {
  const r = await runCapture('git', ['grep', ...(git ? [] : ['--no-index']), ...args], tree);
  if (r.code > 1) throw new Error(`git grep failed: ${r.err.trim().split('\n')[0] ?? ''}`);
  return r.out.split('\n').filter(Boolean);
}

/** Renames `struct device dev;` (top level of `struct <name> {`) to `newName`. */
export function renameMember(text: string, struct: string, newName: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^struct ${struct}\\s*\\{`).test(l));
  if (start < 0) throw new BadInput(`no 'struct ${struct} {' definition`);
  let depth = 0;
  let hits = 0;
  for (let i = start; i < lines.length; i++) {
    const code = lines[i]!.replace(/\/\*.*?\*\//g, '').replace(/\/\/.*$/, '');
    if (depth === 1 && /^\s*struct\s+device\s+dev\s*;/.test(code)) {
      lines[i] = lines[i]!.replace(/(struct\s+device\s+)dev(\s*;)/, `$1${newName}$2`);
      hits++;
    }
    for (const ch of code) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    if (depth === 0 && i > start) break;
  }
  if (hits !== 1) throw new BadInput(`'struct device dev;' found ${hits} times in struct ${struct}`);
  return lines.join('\n');
}

// Candidate choice (independent of the scanner):
//  1. every file that contains one of the struct's names as a word (git grep -l -w);
//  2. every .c file that #includes, directly, a header from (1) (a header that mentions the
//     type), or a header given in --files-from: a driver that only handles i2c_client can
//     still write `client->adapter->dev` or use to_i2c_adapter() without naming the type, and
//     it then includes <linux/i2c.h> (or a local header that does). Includes are resolved the
//     way kbuild's -I list does for x86: <x> in include/, include/uapi/, arch/*/include[/uapi]/;
//     "x" next to the including file, then in those folders, then as the tail of any such
//     header's path (drivers add their own -I folders). Only one level: a file reaching
//     i2c.h through two headers that both never name i2c_adapter is missed;
//  3. every .c file of --files-from (the scanner's files, so each scanner site is checked).
async function candidates(tree: string, targets: Target[], filesFrom: string[]): Promise<{ files: string[]; counts: OracleResult['candidates'] }> {
  const git = await isGitTopLevel(tree);
  const args = ['-l', '-I', '-w'];
  for (const t of targets) for (const w of t.words) args.push('-e', w);
  const wordFiles = await gitGrep(tree, git, args);
  const headers = new Set<string>(wordFiles.filter((f) => f.endsWith('.h')));
  for (const t of targets) headers.add(t.header);
  for (const f of filesFrom) if (f.endsWith('.h')) headers.add(f);
  const byTail = new Map<string, string[]>();
  for (const h of headers) {
    const parts = h.split('/');
    for (let i = parts.length - 1; i >= 1; i--) {
      const tailPath = parts.slice(i).join('/');
      const list = byTail.get(tailPath) ?? [];
      list.push(h);
      byTail.set(tailPath, list);
    }
  }
  const archRe = /^arch\/[^/]+\/include\/(?:uapi\/)?(.*)$/;
  const angleHit = (x: string): boolean => {
    if (headers.has(`include/${x}`) || headers.has(`include/uapi/${x}`)) return true;
    return (byTail.get(x) ?? []).some((h) => { const m = archRe.exec(h); return !!m && m[1] === x; });
  };
  const lines = await gitGrep(tree, git, ['-I', '-n', '-E', '^\\s*#\\s*include\\s*[<"][^>"]+[>"]', '--', '*.c']);
  const incRe = /^(.+?\.c):\d+:\s*#\s*include\s*([<"])([^>"]+)[>"]/;
  const viaInclude = new Set<string>();
  for (const l of lines) {
    const m = incRe.exec(l);
    if (!m) continue;
    const [, file, kind, x] = m as unknown as [string, string, string, string];
    let hit = angleHit(x);
    if (!hit && kind === '"') {
      const rel = path.posix.normalize(path.posix.join(path.posix.dirname(file), x));
      hit = headers.has(rel) || (byTail.get(x.replace(/^(\.\.?\/)+/, '')) ?? []).length > 0;
    }
    if (hit) viaInclude.add(file);
  }
  const all = new Set<string>();
  let words = 0;
  for (const f of wordFiles) if (f.endsWith('.c')) { all.add(f); words++; }
  let includes = 0;
  for (const f of viaInclude) if (!all.has(f)) { all.add(f); includes++; }
  let extra = 0;
  for (const f of filesFrom) if (f.endsWith('.c') && !all.has(f)) { all.add(f); extra++; }
  const files = [...all].sort();
  return { files, counts: { words, includes, filesFrom: extra, total: files.length } };
}

/**
 * Folders whose Makefile may build sources of other folders through `../` paths (amdgpu:
 * ../display, ../pm): they are dry-run to find those objects' real goals. Folders under
 * another listed folder are covered by it; tools, scripts, docs and other arches are left out.
 */
async function relocatingDirs(tree: string, git: boolean): Promise<string[]> {
  const makefiles = await gitGrep(tree, git, ['-l', '-E', '\\.\\./', '--', '*/Makefile', '*/Kbuild']);
  const dirs = makefiles.map((f) => path.posix.dirname(f))
    .filter((d) => !/^(tools|scripts|Documentation|usr|samples|arch)(\/|$)/.test(d) && !/(^|\/)(tools|test|tests)(\/|$)/.test(d))
    .sort();
  const out: string[] = [];
  for (const d of dirs) if (!out.some((p) => d.startsWith(`${p}/`))) out.push(d);
  return out;
}

/** A scratch copy of the tree: hard links, except the modified headers, which are new files. */
async function scratchCopy(tree: string, dest: string, replaced: Map<string, string>): Promise<void> {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const entries = fs.readdirSync(tree).filter((e) => e !== '.git');
  const r = await runCapture('cp', ['-al', ...entries.map((e) => path.join(tree, e)), dest + path.sep], tree);
  if (r.code !== 0) throw new KbuildError(`cp -al failed: ${r.err.trim().split('\n')[0] ?? ''}`);
  for (const [rel, text] of replaced) {
    const p = path.join(dest, rel);
    fs.unlinkSync(p); // break the hard link: never write through it into the original tree
    fs.writeFileSync(p, text, 'latin1');
  }
}

// ---------------------------------------------------------------------------------------------
// gcc's errors about the renamed member

// gcc 12: "'struct i2c_adapter' has no member named 'dev'" (also for designated initializers,
// with "; did you mean ...?" sometimes appended); older/other: "unknown field 'dev' specified in
// initializer" (no struct named).
const RE_MEMBER = /^['\u2018](?:(?:const|volatile)\s+)*struct (\w+)['\u2019] has no member named ['\u2018]dev['\u2019]/;
const RE_FIELD = /^unknown field ['\u2018]dev['\u2019] specified in initializer/;

function oracleStruct(d: Diagnostic, targets: Target[]): StructName | undefined {
  if (d.severity !== 'error') return undefined;
  const m = RE_MEMBER.exec(d.message);
  if (m) return targets.find((t) => t.struct === m[1])?.struct;
  if (RE_FIELD.test(d.message) && targets.length === 1) return targets[0]!.struct;
  return undefined;
}

const key = (l: { file: string; line: number }): string => `${l.file}:${l.line}`;

/**
 * Errors that follow from an oracle error: on the same line, at the same macro expansion
 * site, on a line of its expansion chain, or in the same function (gcc drops the statement
 * with the bad member, so e.g. "control reaches end of non-void function" follows).
 */
function isConsequence(d: Diagnostic, oracle: Diagnostic[]): boolean {
  const mine = new Set([key(d), ...(d.expansionSite ? [key(d.expansionSite)] : [])]);
  return oracle.some((o) => mine.has(key(o)) || (o.expansionSite && mine.has(key(o.expansionSite)))
    || o.macroChain.some((s) => mine.has(key(s)))
    || (d.function !== undefined && d.function === o.function && d.functionFile === o.functionFile));
}

/**
 * Where the member is used: the outermost macro expansion point when the error is inside a
 * macro, else the error itself. One use can give several errors (container_of() names the
 * member in a static_assert and in offsetof()); they are one site. Two `dev` tokens given as
 * arguments of one macro call are two sites (gcc then points at each token on the use line).
 */
function siteIdentity(d: Diagnostic, struct: StructName): { id: string; use: SourceLoc } {
  const use = d.expansionSite ?? d;
  const onUseLine = d.file === use.file && d.line === use.line;
  return { id: `${struct}|${use.file}:${use.line}:${use.column}|${onUseLine ? `${d.line}:${d.column}` : 'body'}`, use: { file: use.file, line: use.line, column: use.column } };
}

interface Analysis {
  files: OracleFile[];
  sites: OracleSite[];
  /** files that failed with errors besides the oracle's and had oracle errors too */
  recheck: string[];
}

function analyse(results: ObjectResult[], targets: Target[], baseline?: Map<string, ObjectResult>): Analysis {
  const sites = new Map<string, OracleSite>();
  const files: OracleFile[] = [];
  const recheck: string[] = [];
  for (const r of results) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    const oracle = errors.filter((d) => oracleStruct(d, targets));
    const others = errors.filter((d) => !oracleStruct(d, targets) && !isConsequence(d, oracle));
    const attempted = r.compiled !== 'no';
    const base = baseline?.get(r.file);
    // an object that compiles in the unmodified tree fails only because of the rename
    const baselineOk = base?.compiled === 'ok';
    const usable = attempted && (others.length === 0 || baselineOk);
    // (a missing header fails the unmodified tree too: not worth a compile)
    if (attempted && oracle.length && others.length && !others.some((d) => d.fatal) && !base) recheck.push(r.file);
    let status: OracleFileStatus;
    if (r.status === 'not-built') status = 'not-built';
    else if (r.compiled === 'ok') status = 'ok';
    else status = usable && oracle.length ? 'oracle-errors' : 'failed';
    const f: OracleFile = { path: r.file, status, membership: r.membership, usable, sites: 0, otherErrors: others.length };
    if (base) f.baseline = base.compiled === 'no' ? 'not-built' : base.compiled;
    if (others[0]) f.firstOtherError = `${others[0].file}:${others[0].line}: ${others[0].message}`;
    else if (!attempted && r.reason) f.firstOtherError = r.reason;
    const local = new Set<string>();
    for (const d of oracle) {
      const struct = oracleStruct(d, targets)!;
      const { id, use } = siteIdentity(d, struct);
      if (local.has(id)) continue;
      local.add(id);
      f.sites++;
      const old = sites.get(id);
      if (old) {
        old.reportedBy++;
        old.usable ||= usable;
        continue;
      }
      const site: OracleSite = { file: d.file, line: d.line, column: d.column, struct, object: r.object, reportedBy: 1, usable };
      if (d.macroChain.length) site.via = d.macroChain.map((x) => ({ file: x.file, line: x.line }));
      if (d.expansionSite) site.use = use;
      sites.set(id, site);
    }
    files.push(f);
  }
  const at = (s: OracleSite): SourceLoc => s.use ?? s;
  const sorted = [...sites.values()].sort((a, b) => at(a).file.localeCompare(at(b).file) || at(a).line - at(b).line
    || at(a).column - at(b).column || a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { files, sites: sorted, recheck };
}

// ---------------------------------------------------------------------------------------------
// comparison with a scan

function readScan(file: string): ScanSite[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BadInput(`cannot read scan file ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
  const sites = (data as { sites?: unknown } | null)?.sites;
  if (!Array.isArray(sites)) throw new BadInput(`scan file ${file} has no sites[] array`);
  return sites.map((s: unknown, i: number) => {
    const o = s as Partial<ScanSite> | null;
    if (!o || typeof o.file !== 'string' || typeof o.line !== 'number' || typeof o.transform !== 'string' || typeof o.category !== 'string') {
      throw new BadInput(`scan file ${file}: sites[${i}] lacks file/line/transform/category`);
    }
    return { file: o.file, line: o.line, column: typeof o.column === 'number' ? o.column : 0, transform: o.transform, category: o.category };
  });
}

function compare(res: { files: OracleFile[]; sites: OracleSite[] }, results: ObjectResult[], scan: ScanSite[], targets: Target[], tree: string, built: { tree: string; outDir: string }): Comparison {
  const structOf = new Map(targets.map((t) => [t.transform, t.struct] as const));
  const mine = scan.filter((s) => structOf.has(s.transform));
  const sourceCache = new Map<string, string[]>();
  const source = (l: Loc): string => {
    let lines = sourceCache.get(l.file);
    if (!lines) {
      try { lines = fs.readFileSync(path.join(tree, l.file), 'latin1').split('\n'); } catch { lines = []; }
      sourceCache.set(l.file, lines);
    }
    return (lines[l.line - 1] ?? '').trim();
  };
  // recall: compiler sites (reported by a usable object) found by a scan site on their line
  // or on a line of their macro expansion chain
  const scanKeys = new Set(mine.map((s) => `${structOf.get(s.transform)}@${key(s)}`));
  const counted = res.sites.filter((c) => c.usable);
  const misses: Comparison['misses'] = [];
  let matched = 0;
  for (const c of counted) {
    const locs = [c, ...(c.via ?? [])];
    if (locs.some((l) => scanKeys.has(`${c.struct}@${key(l)}`))) matched++;
    else {
      const at = c.use ?? c;
      const miss: Comparison['misses'][number] = { file: at.file, line: at.line, struct: c.struct, source: source(at) };
      if (c.use) miss.error = { file: c.file, line: c.line };
      misses.push(miss);
    }
  }
  // precision: scan sites in files that compiled far enough, confirmed by a compiler site on
  // the same line (its primary location or a line of its expansion chain)
  const usableC = new Set(res.files.filter((f) => f.usable).map((f) => f.path));
  const usableH = new Set<string>();
  for (const r of results) {
    if (!usableC.has(r.file)) continue;
    for (const d of readObjectDeps(built.tree, built.outDir, r.object) ?? []) if (d.endsWith('.h')) usableH.add(d);
  }
  const confirmedKeys = new Set<string>();
  for (const c of res.sites) for (const l of [c, ...(c.via ?? [])]) confirmedKeys.add(`${c.struct}@${key(l)}`);
  const falsePositives: Comparison['falsePositives'] = [];
  let total = 0;
  let confirmed = 0;
  let notChecked = 0;
  const unresolved = { total: 0, confirmed: 0, notChecked: 0 };
  for (const s of mine) {
    const eligible = s.file.endsWith('.h') ? usableH.has(s.file) : usableC.has(s.file);
    const ok = confirmedKeys.has(`${structOf.get(s.transform)}@${key(s)}`);
    if (s.category === 'unresolved') {
      unresolved.total++;
      if (!eligible) unresolved.notChecked++;
      else if (ok) unresolved.confirmed++;
      continue;
    }
    if (!eligible) { notChecked++; continue; }
    total++;
    if (ok) confirmed++;
    else falsePositives.push({ file: s.file, line: s.line, transform: s.transform, category: s.category, source: source(s) });
  }
  const ratio = (a: number, b: number): number => (b ? Math.round((a / b) * 10000) / 10000 : 1);
  return {
    recall: { matched, total: counted.length, value: ratio(matched, counted.length) },
    precision: { confirmed, total, value: ratio(confirmed, total) },
    misses, falsePositives, unresolved, notChecked,
  };
}

// ---------------------------------------------------------------------------------------------

function readFilesFrom(file: string, tree: string): string[] {
  let text: string;
  try { text = fs.readFileSync(file, 'utf8'); } catch (e) {
    throw new BadInput(`cannot read --files-from ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const rel = path.isAbsolute(l) ? path.relative(tree, l) : path.normalize(l);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new BadInput(`--files-from: ${l} is outside the tree`);
    if (!fs.existsSync(path.join(tree, rel))) throw new BadInput(`--files-from: ${l} does not exist in ${tree}`);
    out.push(rel.split(path.sep).join('/'));
  }
  return out;
}

/** One oracle per work folder: a second one would delete the first one's scratch tree. */
function lockWork(work: string): void {
  fs.mkdirSync(work, { recursive: true });
  const lock = path.join(work, 'oracle.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      process.on('exit', () => { fs.rmSync(lock, { force: true }); });
      return;
    } catch {
      const pid = Number(fs.readFileSync(lock, 'utf8'));
      let alive = false;
      try { if (pid > 0) { process.kill(pid, 0); alive = true; } } catch { /* gone */ }
      if (alive) throw new BadInput(`another oracle (pid ${pid}) is using ${work}; use --work`);
      fs.rmSync(lock, { force: true });
    }
  }
  throw new BadInput(`cannot lock ${work}`);
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      tree: { type: 'string' },
      subsystem: { type: 'string', default: 'i2c' },
      out: { type: 'string' },
      scan: { type: 'string' },
      'files-from': { type: 'string' },
      jobs: { type: 'string', default: '2' },
      work: { type: 'string' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: oracle [--tree DIR] [--subsystem i2c|spi|all] [--out FILE] [--scan SCAN.json] [--files-from LIST] [--jobs N] [--work DIR] [--only PATH-PREFIX,…]\n');
    return 0;
  }
  const root = projectRoot();
  const tree = path.resolve(values.tree ?? process.env.UNEMBED_CORPUS_DIR ?? path.join(root, '.cache', 'linux-6.12'));
  if (!fs.existsSync(tree)) throw new BadInput(`tree not found: ${tree}`);
  try { assertKernelTree(tree); } catch (e) { throw new BadInput((e as Error).message.split('\n')[0]!); }
  const sub = values.subsystem!;
  const chosen = sub === 'all' ? TARGETS : TARGETS.filter((t) => t.subsystem === sub);
  if (!chosen.length) throw new BadInput(`unknown subsystem '${sub}' (i2c, spi, all)`);
  const targets: Target[] = chosen.map((t) => ({ ...t, newName: sub === 'all' ? `dev_unembed_oracle_${t.subsystem}` : 'dev_unembed_oracle' }));
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new BadInput(`--jobs must be an integer from 1 to 64`);
  const out = path.resolve(values.out ?? path.join(root, '.cache', `oracle-${sub}.json`));
  const filesFrom = values['files-from'] ? readFilesFrom(values['files-from'], tree) : [];
  const scan = values.scan ? readScan(values.scan) : undefined;
  const work = path.resolve(values.work ?? path.join(root, '.cache', `oracle-${sub}`));
  const relWork = path.relative(tree, work);
  if (relWork === '' || (!relWork.startsWith('..') && !path.isAbsolute(relWork))) {
    throw new BadInput(`--work must be outside the tree: ${work}`);
  }
  const t0 = Date.now();
  lockWork(work);

  const replaced = new Map<string, string>();
  for (const t of targets) {
    const file = path.join(tree, t.header);
    let text: string;
    try { text = fs.readFileSync(file, 'latin1'); } catch { throw new BadInput(`${t.header} not found in ${tree}`); }
    try { replaced.set(t.header, renameMember(text, t.struct, t.newName)); } catch (e) {
      throw new BadInput(`${t.header}: ${(e as Error).message}`);
    }
  }
  const git = await isGitTopLevel(tree);
  const cleanBefore = git ? (await runCapture('git', ['status', '--porcelain', '--untracked-files=no'], tree)).out : '';

  const cand = await candidates(tree, targets, filesFrom);
  if (values.only) {
    // a quick partial run: keep candidates under the given path prefixes (comma-separated)
    const prefixes = values.only.split(',').map((p) => p.trim()).filter(Boolean);
    cand.files = cand.files.filter((f) => prefixes.some((p) => f.startsWith(p)));
    cand.counts.total = cand.files.length;
  }
  say(`${cand.counts.total} candidate files (${cand.counts.words} name a type, ${cand.counts.includes} more include a header that does, ${cand.counts.filesFrom} more from --files-from)`);

  const scratch = path.join(work, 'tree');
  const outDir = path.join(work, 'build');
  say(`scratch copy in ${scratch}`);
  await scratchCopy(tree, scratch, replaced);

  const identity = git ? (await runCapture('git', ['rev-parse', 'HEAD'], tree)).out.trim() : tree;
  const digest = createHash('sha256');
  for (const [k, v] of replaced) digest.update(k).update('\0').update(v).update('\0');
  const tp = Date.now();
  await prepareBuild({ tree: scratch, outDir, jobs, log: say, key: `${identity} ${digest.digest('hex')}` });
  const prepareMs = Date.now() - tp;

  const goals = await findObjectGoals({ tree: scratch, outDir, dirs: await relocatingDirs(tree, git), log: say });

  const tc = Date.now();
  let last = 0;
  const results = await compileObjects({
    tree: scratch, outDir, files: cand.files, jobs, log: say, goals,
    onProgress: (done, total) => {
      if (done - last >= 100 || done === total) {
        last = done;
        const el = (Date.now() - tc) / 1000;
        say(`${done}/${total} objects, ${el.toFixed(0)} s, about ${((el / done) * (total - done) / 60).toFixed(0)} min left`);
      }
    },
  });
  const compileMs = Date.now() - tc;
  let res = analyse(results, targets);
  let baselineMs = 0;
  if (res.recheck.length) {
    // Files with oracle errors and other errors: compile them in the unmodified tree (its own
    // build folder). Those that compile there fail only because of the rename.
    const tb = Date.now();
    say(`${res.recheck.length} files have errors besides the oracle's: compiling them in the unmodified tree`);
    const baseOut = path.join(work, 'baseline');
    await prepareBuild({ tree, outDir: baseOut, jobs, log: say });
    const base = await compileObjects({ tree, outDir: baseOut, files: res.recheck, jobs, log: say, goals });
    res = analyse(results, targets, new Map(base.map((b) => [b.file, b])));
    baselineMs = Date.now() - tb;
  }

  const result: OracleResult = {
    tree,
    subsystems: targets.map((t) => t.subsystem),
    renamed: targets.map((t) => ({ struct: t.struct, header: t.header, to: t.newName })),
    candidates: cand.counts,
    millis: { prepare: prepareMs, compile: compileMs, baseline: baselineMs, total: Date.now() - t0 },
    files: res.files,
    sites: res.sites,
  };
  const count = (s: OracleFileStatus): number => res.files.filter((f) => f.status === s).length;
  say(`files: ${res.files.length} (ok ${count('ok')}, oracle-errors ${count('oracle-errors')}, failed ${count('failed')}, not-built ${count('not-built')}; usable ${res.files.filter((f) => f.usable).length})`);
  for (const t of targets) {
    const s = res.sites.filter((x) => x.struct === t.struct);
    say(`struct ${t.struct}: ${s.length} sites (${s.filter((x) => x.usable).length} from usable files) in ${new Set(s.map((x) => x.file)).size} files`);
  }
  if (scan) {
    const c = compare(res, results, scan, targets, tree, { tree: scratch, outDir });
    result.comparison = c;
    const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
    const lines = [
      `recall    ${pct(c.recall.value)} (${c.recall.matched}/${c.recall.total} compiler sites found by the scan)`,
      `precision ${pct(c.precision.value)} (${c.precision.confirmed}/${c.precision.total} scan sites confirmed by the compiler; ${c.notChecked} in files that did not compile far enough)`,
      `unresolved scan sites: ${c.unresolved.total} (${c.unresolved.confirmed} confirmed, ${c.unresolved.notChecked} not checkable)`,
    ];
    if (c.misses.length) lines.push(`misses (${c.misses.length}):`, ...c.misses.map((m) => `  ${m.file}:${m.line}: ${m.source}${m.error ? `  [error at ${m.error.file}:${m.error.line}]` : ''}`));
    if (c.falsePositives.length) lines.push(`false positives (${c.falsePositives.length}):`, ...c.falsePositives.map((m) => `  ${m.file}:${m.line}: [${m.category}] ${m.source}`));
    process.stdout.write(lines.join('\n') + '\n');
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
  say(`wrote ${out} in ${((Date.now() - t0) / 1000).toFixed(0)} s (prepare ${(prepareMs / 1000).toFixed(0)} s, compile ${(compileMs / 1000).toFixed(0)} s, baseline ${(baselineMs / 1000).toFixed(0)} s)`);
  if (git) {
    const cleanAfter = (await runCapture('git', ['status', '--porcelain', '--untracked-files=no'], tree)).out;
    if (cleanAfter !== cleanBefore) say(`WARNING: the tracked files of ${tree} changed during the run`);
  }
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  const err = e as Error;
  const usage = err instanceof BadInput || (err as NodeJS.ErrnoException).code?.startsWith?.('ERR_PARSE_ARGS');
  process.stderr.write(`oracle: ${usage ? (err.message.split('\n')[0] ?? '') : err.message}\n`);
  process.exitCode = usage ? 2 : 1;
});
