// Kernel build harness: configure an out-of-tree build (allmodconfig + prepare) and compile
// single objects with kbuild, turning gcc's output into structured diagnostics.
//
// Facts this relies on (checked on 6.12, x86_64, GNU make 4.3, gcc 12):
// - `make O=out prepare` is enough for `make O=out dir/file.o`; `modules_prepare` only adds
//   scripts/module.lds, which single objects do not need. A single-object build still runs the
//   prepare checks (about 5 s per make invocation), so objects are compiled in batches.
// - kbuild compiles a requested `.o` even when its Kconfig symbol or its directory is not
//   enabled (the object is then compiled from the nearest enabled directory with that
//   directory's flags and no [M] tag). Sources outside kbuild's reach (tools/, other arches'
//   Makefiles never descended, missing files) give "No rule to make target". We override
//   `quiet_modtag` on the command line so the "CC" line says [M] (module), [Y] (built-in) or
//   [N] (not part of this configuration); the override does not enter the saved command line,
//   so it never triggers rebuilds.
// - gcc only prints an "In file included from" chain when the include context changes, so
//   diagnostics are attributed by position in the log: make runs with --output-sync=target and
//   stdout/stderr on one pipe, which keeps each object's "CC" line and its diagnostics together.
// - kbuild does not set -fmax-errors (gcc's default is 0 = unlimited); we pass
//   KCFLAGS=-fmax-errors=0 anyway. KCFLAGS is part of the saved command of prepare's own objects
//   (kernel/bounds.s, asm-offsets.s), so prepare and compile use the same KCFLAGS.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argumentRuns } from '../util/text.js';

export type Severity = 'error' | 'warning';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** One step of a macro expansion chain, innermost first (as gcc prints the notes). */
export interface MacroStep extends SourceLocation {
  macro: string;
  /** 'expansion': "in expansion of macro"; 'definition': "in definition of macro" (a macro argument) */
  kind: 'expansion' | 'definition';
}

export interface DiagnosticNote extends SourceLocation {
  message: string;
}

export interface Diagnostic extends SourceLocation {
  /** the object (`dir/file.o`, relative to the tree) whose compilation printed it */
  object: string;
  severity: Severity;
  /** gcc's message without the trailing [-Wflag] */
  message: string;
  /** `-Wfoo` / `-Werror=foo` when gcc named the option */
  option?: string;
  fatal: boolean;
  /** the enclosing function ("In function 'x'"), when gcc said, and the file it is in */
  function?: string;
  functionFile?: string;
  /** the include chain, innermost first; the last element is the `.c` file's #include line */
  includedFrom: SourceLocation[];
  /** "in expansion of macro" / "in definition of macro" notes, innermost first */
  macroChain: MacroStep[];
  /** the outermost macro expansion point (normally the .c line), when the error is in a macro body */
  expansionSite?: SourceLocation;
  /** the other notes attached to this diagnostic */
  notes: DiagnosticNote[];
}

export type ObjectStatus = 'ok' | 'failed' | 'not-built';
/** What kbuild's single-object build says about the object in this configuration. */
export type Membership = 'module' | 'builtin' | 'none' | 'no-rule' | 'unknown';

export interface ObjectResult {
  /** the `.c` file, relative to the tree */
  file: string;
  /** the object goal, relative to the tree / output dir */
  object: string;
  /**
   * 'ok': compiled; 'failed': part of the configuration (or unknown) and gcc or objtool failed;
   * 'not-built': not part of this configuration (no kbuild rule, or neither obj-y nor obj-m).
   * kbuild still compiles an enabled-directory's disabled object on request: see `compiled`.
   */
  status: ObjectStatus;
  membership: Membership;
  /** what happened to the compilation itself: 'no' when make never ran gcc for it */
  compiled: 'ok' | 'failed' | 'no';
  reason?: string;
  diagnostics: Diagnostic[];
}

export interface PrepareOptions {
  tree: string;
  outDir: string;
  log?: (s: string) => void;
  /** make target that creates .config (default 'allmodconfig') */
  config?: string;
  /**
   * turn off CONFIG_WERROR and friends after configuring (default true): warnings must not
   * fail objects, the harness wants gcc's errors
   */
  disableWerror?: boolean;
  jobs?: number;
  /** extra text folded into the cache stamp (e.g. a digest of modified headers) */
  key?: string;
  /** extra KCFLAGS, must match the ones given to compileObjects */
  extraFlags?: string[];
}

export interface CompileOptions {
  tree: string;
  outDir: string;
  /** .c paths relative to the tree */
  files: string[];
  jobs?: number;
  /** appended to KCFLAGS */
  extraFlags?: string[];
  /** delete existing objects first so every object is recompiled and reports (default true) */
  rebuild?: boolean;
  log?: (s: string) => void;
  /** called for each object as its "CC" line (or no-rule message) appears */
  onProgress?: (done: number, total: number, object: string) => void;
  /** where to keep the raw make output (default: <outDir>/unembed-logs/) */
  logDir?: string;
  /**
   * the make goal for a .c file when it is not `<file>.o` (objects that a Makefile elsewhere
   * builds through a `../` path, see findObjectGoals)
   */
  goals?: ReadonlyMap<string, string>;
}

export interface GoalOptions {
  tree: string;
  outDir: string;
  /** directory goals to dry-run (`dir/`); default: the whole build */
  dirs?: string[];
  log?: (s: string) => void;
}

export const DEFAULT_KCFLAGS = ['-fmax-errors=0'];
const WERROR_SYMBOLS = ['WERROR', 'KVM_WERROR', 'OBJTOOL_WERROR', 'DRM_WERROR', 'DRM_AMDGPU_WERROR', 'PPC_WERROR'];
const STAMP = '.unembed-prepare.json';
/** keeps the whole make command line (passed down through `sh -c` by kbuild) under the
 * 128 KiB single-argument limit of Linux */
const MAX_GOAL_CHARS = 60_000;
const QUIET_MODTAG = 'quiet_modtag=$(if $(part-of-module),[M],$(if $(part-of-builtin),[Y],[N]))';

export class KbuildError extends Error {
  override readonly name = 'KbuildError';
}

// ---------------------------------------------------------------------------------------------
// locations

/** The project's root (the folder with unembed's package.json). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const name: unknown = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: unknown }).name;
        if (name === 'unembed') return dir;
      } catch { /* keep looking */ }
    }
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/**
 * The default output folder for a tree: `<project>/.cache/build-<basename>` when the tree is
 * itself in the project's .cache folder (the corpus), else with a digest of the tree's path.
 */
export function defaultOutDir(tree: string): string {
  const abs = path.resolve(tree);
  const cache = path.join(projectRoot(), '.cache');
  const base = path.basename(abs);
  if (path.dirname(abs) === cache) return path.join(cache, `build-${base}`);
  const digest = createHash('sha256').update(abs).digest('hex').slice(0, 8);
  return path.join(cache, `build-${base}-${digest}`);
}

/** Throws a KbuildError with a one-line message when `tree` is not a kernel source tree. */
export function assertKernelTree(tree: string): void {
  const mk = path.join(tree, 'Makefile');
  let head = '';
  try {
    head = fs.readFileSync(mk, 'latin1').slice(0, 4000);
  } catch {
    throw new KbuildError(`not a kernel tree: ${tree} (no Makefile)`);
  }
  const ok = /^VERSION = \d+/m.test(head) && /^PATCHLEVEL = \d+/m.test(head)
    && fs.existsSync(path.join(tree, 'Kconfig')) && fs.existsSync(path.join(tree, 'scripts', 'Makefile.build'))
    && fs.existsSync(path.join(tree, 'include', 'linux'));
  if (!ok) throw new KbuildError(`not a kernel tree: ${tree} (Makefile has no VERSION/PATCHLEVEL or Kconfig, scripts/Makefile.build, include/linux missing)`);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

// ---------------------------------------------------------------------------------------------
// processes

interface RunResult {
  code: number;
  output: string;
}

/**
 * Runs a command with stdout and stderr on one pipe (so make's output sync keeps a recipe's
 * lines together). The command goes through `sh -c 'exec "$@" 2>&1'` with the arguments as
 * positional parameters: nothing is interpolated into the shell string.
 */
function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string; onLine?: (line: string) => void; keep?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'exec "$@" 2>&1', 'sh', cmd, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // keep: how many bytes of output to keep (default all; a dry run prints hundreds of MB)
    const chunks: Buffer[] = [];
    let kept = 0;
    const logFd = opts.logFile ? fs.openSync(opts.logFile, 'w') : undefined;
    let partial = '';
    child.stdout.on('data', (b: Buffer) => {
      if (opts.keep === undefined || kept < opts.keep) { chunks.push(b); kept += b.length; }
      if (logFd !== undefined) fs.writeSync(logFd, b);
      if (opts.onLine) {
        partial += b.toString('latin1');
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) opts.onLine(l);
      }
    });
    child.on('error', (e) => {
      if (logFd !== undefined) fs.closeSync(logFd);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (logFd !== undefined) fs.closeSync(logFd);
      if (opts.onLine && partial) opts.onLine(partial);
      resolve({ code: code ?? (signal ? 128 : 1), output: Buffer.concat(chunks).toString('latin1') });
    });
  });
}

function tail(text: string, n = 15): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

function kbuildEnv(): NodeJS.ProcessEnv {
  // ASCII quotes in gcc's messages; no inherited KCFLAGS/ARCH/CROSS_COMPILE surprises
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
  for (const k of ['KCFLAGS', 'KCPPFLAGS', 'ARCH', 'CROSS_COMPILE', 'KBUILD_OUTPUT', 'MAKEFLAGS', 'MFLAGS', 'MAKELEVEL']) delete env[k];
  return env;
}

function kcflags(extra: string[] | undefined): string {
  return [...DEFAULT_KCFLAGS, ...(extra ?? [])].join(' ');
}

async function treeIdentity(tree: string): Promise<string> {
  const top = await run('git', ['-C', tree, 'rev-parse', '--show-toplevel', 'HEAD'], { env: kbuildEnv() });
  if (top.code === 0) {
    const [root, head] = top.output.trim().split('\n');
    if (root && head && fs.realpathSync(root) === fs.realpathSync(tree)) return `git:${head}`;
  }
  return `path:${fs.realpathSync(tree)}`;
}

// ---------------------------------------------------------------------------------------------
// prepare

interface Stamp {
  tree: string;
  identity: string;
  config: string;
  disableWerror: boolean;
  kcflags: string;
  key: string;
}

/**
 * Configures `outDir` (`make O=outDir allmodconfig`, CONFIG_WERROR off, `make prepare`) so
 * that single objects can be built. Skipped when the stamp written after the last success
 * matches (tree, its git HEAD or path, config, flags, key).
 */
export async function prepareBuild(opts: PrepareOptions): Promise<void> {
  const log = opts.log ?? (() => {});
  const tree = path.resolve(opts.tree);
  const outDir = path.resolve(opts.outDir);
  assertKernelTree(tree);
  if (isInside(outDir, tree)) throw new KbuildError(`refusing to build inside the source tree: ${outDir}`);
  if (fs.existsSync(path.join(tree, '.config')) || fs.existsSync(path.join(tree, 'include', 'config'))) {
    throw new KbuildError(`source tree is not clean (has .config or include/config): ${tree}; out-of-tree builds need 'make mrproper' there`);
  }
  const stamp: Stamp = {
    tree,
    identity: await treeIdentity(tree),
    config: opts.config ?? 'allmodconfig',
    disableWerror: opts.disableWerror ?? true,
    kcflags: kcflags(opts.extraFlags),
    key: opts.key ?? '',
  };
  const stampFile = path.join(outDir, STAMP);
  try {
    const old = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as Partial<Stamp>;
    if (JSON.stringify(old) === JSON.stringify(stamp) && fs.existsSync(path.join(outDir, '.config'))) {
      log(`prepare: ${outDir} is up to date (${stamp.identity}, ${stamp.config})`);
      return;
    }
  } catch { /* no stamp */ }
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(stampFile, { force: true });
  const logDir = path.join(outDir, 'unembed-logs');
  fs.mkdirSync(logDir, { recursive: true });
  const env = kbuildEnv();
  const jobs = Math.max(1, opts.jobs ?? 2);
  const step = async (what: string, cmd: string, args: string[]): Promise<void> => {
    const started = Date.now();
    log(`prepare: ${what}`);
    const r = await run(cmd, args, { env, logFile: path.join(logDir, `prepare-${what.replace(/\W+/g, '_')}.log`) });
    if (r.code !== 0) throw new KbuildError(`${what} failed (exit ${r.code}) in ${outDir}:\n${tail(r.output)}`);
    log(`prepare: ${what} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await step(stamp.config, 'make', ['-C', tree, `O=${outDir}`, stamp.config]);
  if (stamp.disableWerror) {
    const args = ['--file', path.join(outDir, '.config')];
    for (const s of WERROR_SYMBOLS) args.push('--disable', s);
    await step('disable WERROR', path.join(tree, 'scripts', 'config'), args);
    await step('olddefconfig', 'make', ['-C', tree, `O=${outDir}`, 'olddefconfig']);
  }
  await step('prepare', 'make', ['-C', tree, `O=${outDir}`, `-j${jobs}`, `KCFLAGS=${stamp.kcflags}`, 'prepare']);
  fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
}

// ---------------------------------------------------------------------------------------------
// diagnostics

export interface ParseOptions {
  /** absolute tree path: paths below it become tree-relative */
  tree: string;
  /** absolute build dir: relative paths in gcc's output (./include/generated/…) resolve here */
  outDir?: string;
}

export interface ObjectLog {
  object: string;
  /** [M] / [Y] / [N] from our quiet_modtag, or '' for kbuild's default blank tag */
  tag: 'M' | 'Y' | 'N' | '' | null;
  /** make printed "No rule to make target" for it */
  noRule: boolean;
  /** make printed "*** [...: object] Error N" */
  makeError: boolean;
  diagnostics: Diagnostic[];
}

export interface ParsedLog {
  objects: Map<string, ObjectLog>;
  /** diagnostics printed before any object's "CC" line (prepare failures, …) */
  unattributed: Diagnostic[];
}

const RE_CC = /^\s+CC(?: \[([MYN])\])?\s+(\S+\.o)$/;
const RE_NORULE = /^make(?:\[\d+\])?: \*\*\* No rule to make target '([^']+)'/;
const RE_MAKEERR = /^make(?:\[\d+\])?: \*\*\* \[(?:.+?):\d+: ([^\]]+)\] Error \d+/;
const RE_INCLUDED = /^(?:In file included from|\s+from) (.+?):(\d+)(?::(\d+))?[:,]$/;
const RE_CONTEXT = /^(.+?): (?:In (?:function|member function|static member function|constructor|destructor) ['\u2018`](.+?)['\u2019]|At top level):$/;
const RE_DIAG = /^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning|note): (.*)$/;
const RE_OBJTOOL = /^(\S+\.o): (warning|error): objtool: (.*)$/;
const RE_MACRO_NOTE = /^in (expansion|definition) of macro ['\u2018`](.+?)['\u2019]$/;
const RE_OPTION = /\s\[(-W[^\]]+)\]$/;

/** Parses a kbuild + gcc log (as produced by compileObjects) into per-object records. */
export function parseBuildLog(text: string, opts: ParseOptions): ParsedLog {
  const tree = path.resolve(opts.tree);
  const outDir = opts.outDir ? path.resolve(opts.outDir) : undefined;
  const objects = new Map<string, ObjectLog>();
  const unattributed: Diagnostic[] = [];
  const norm = (p: string): string => {
    let abs = p;
    if (!path.isAbsolute(p)) abs = outDir ? path.resolve(outDir, p) : p;
    if (path.isAbsolute(abs) && isInside(abs, tree)) return path.relative(tree, abs);
    if (outDir && path.isAbsolute(abs) && isInside(abs, outDir)) return path.relative(outDir, abs);
    return p.replace(/^\.\//, '');
  };
  const obj = (name: string): ObjectLog => {
    const key = norm(name);
    let o = objects.get(key);
    if (!o) {
      o = { object: key, tag: null, noRule: false, makeError: false, diagnostics: [] };
      objects.set(key, o);
    }
    return o;
  };
  let current: ObjectLog | undefined;
  let chain: SourceLocation[] = [];
  let chainFresh = false;
  let lastChain: SourceLocation[] = [];
  let lastFile = '';
  let fn: string | undefined;
  let fnFile: string | undefined;
  let last: Diagnostic | undefined;

  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    let m: RegExpExecArray | null;
    if ((m = RE_CC.exec(line))) {
      current = obj(m[2]!);
      current.tag = (m[1] as 'M' | 'Y' | 'N' | undefined) ?? '';
      chain = []; chainFresh = false; lastChain = []; lastFile = ''; fn = undefined; fnFile = undefined; last = undefined;
      continue;
    }
    if ((m = RE_NORULE.exec(line))) { obj(m[1]!).noRule = true; continue; }
    if ((m = RE_MAKEERR.exec(line))) {
      const target = m[1]!;
      if (target.endsWith('.o')) obj(target).makeError = true;
      continue;
    }
    if ((m = RE_INCLUDED.exec(line))) {
      if (line.startsWith('In file included from')) chain = [];
      chain.push({ file: norm(m[1]!), line: Number(m[2]), column: m[3] ? Number(m[3]) : 0 });
      chainFresh = true;
      continue;
    }
    if ((m = RE_CONTEXT.exec(line))) {
      fn = m[2];
      fnFile = m[2] === undefined ? undefined : norm(m[1]!);
      continue;
    }
    if ((m = RE_OBJTOOL.exec(line))) {
      const o = current ?? obj(m[1]!);
      const d: Diagnostic = {
        object: o.object, file: norm(m[1]!), line: 0, column: 0, severity: m[2] as Severity,
        message: `objtool: ${m[3]!}`, fatal: false, includedFrom: [], macroChain: [], notes: [],
      };
      o.diagnostics.push(d);
      last = undefined;
      continue;
    }
    if ((m = RE_DIAG.exec(line))) {
      const loc: SourceLocation = { file: norm(m[1]!), line: Number(m[2]), column: m[3] ? Number(m[3]) : 0 };
      const kind = m[4]!;
      let message = m[5]!;
      if (kind === 'note') {
        if (!last) continue;
        const mm = RE_MACRO_NOTE.exec(message);
        if (mm) {
          last.macroChain.push({ ...loc, macro: mm[2]!, kind: mm[1] as 'expansion' | 'definition' });
          if (mm[1] === 'expansion') last.expansionSite = { ...loc };
        } else {
          last.notes.push({ ...loc, message });
        }
        chainFresh = false;
        continue;
      }
      let option: string | undefined;
      const om = RE_OPTION.exec(message);
      if (om) { option = om[1]; message = message.slice(0, om.index); }
      // gcc prints the include chain only when it changes: reuse the previous one for the same file
      let includedFrom: SourceLocation[];
      if (chainFresh) includedFrom = chain;
      else if (loc.file === lastFile) includedFrom = lastChain;
      else includedFrom = [];
      chain = []; chainFresh = false;
      lastChain = includedFrom; lastFile = loc.file;
      // attribution: the include chain's root, or the diagnostic's own .c file, names the
      // object when no "CC" line did (make without output sync, or a log excerpt)
      let target = current;
      const root = includedFrom.length ? includedFrom[includedFrom.length - 1]!.file : loc.file;
      if (!target && root.endsWith('.c')) target = obj(root.replace(/\.c$/, '.o'));
      const d: Diagnostic = {
        object: target?.object ?? '', ...loc,
        severity: kind === 'warning' ? 'warning' : 'error',
        message, fatal: kind === 'fatal error', includedFrom, macroChain: [], notes: [],
      };
      if (option) d.option = option;
      if (fn !== undefined) { d.function = fn; d.functionFile = fnFile ?? ''; }
      if (target) target.diagnostics.push(d); else unattributed.push(d);
      last = d;
      continue;
    }
  }
  return { objects, unattributed };
}

// ---------------------------------------------------------------------------------------------
// compile

function objectOf(file: string): string {
  return file.replace(/\.c$/, '.o');
}

/**
 * Compiles each `.c` file as a single kbuild object (`make O=outDir -k -jN a.o b.o …`, one
 * make per batch of goals) and returns a result per file, in input order.
 * Throws KbuildError when make fails before compiling anything (prepare broken).
 */
export async function compileObjects(opts: CompileOptions): Promise<ObjectResult[]> {
  const log = opts.log ?? (() => {});
  const tree = path.resolve(opts.tree);
  const outDir = path.resolve(opts.outDir);
  assertKernelTree(tree);
  if (isInside(outDir, tree)) throw new KbuildError(`refusing to build inside the source tree: ${outDir}`);
  if (!fs.existsSync(path.join(outDir, '.config'))) throw new KbuildError(`${outDir} is not configured: run prepareBuild first`);
  const files: string[] = [];
  const seen = new Set<string>();
  for (const f of opts.files) {
    const rel = path.normalize(f);
    if (path.isAbsolute(rel) || rel.startsWith('..') || !rel.endsWith('.c') || /\s/.test(rel)) {
      throw new KbuildError(`not a .c path relative to the tree: ${f}`);
    }
    if (!seen.has(rel)) { seen.add(rel); files.push(rel); }
  }
  const goals = files.map((f) => opts.goals?.get(f) ?? objectOf(f));
  if (opts.rebuild ?? true) {
    for (const g of goals) fs.rmSync(path.join(outDir, g), { force: true });
  }
  const logDir = opts.logDir ?? path.join(outDir, 'unembed-logs');
  fs.mkdirSync(logDir, { recursive: true });
  const env = kbuildEnv();
  const jobs = Math.max(1, opts.jobs ?? 2);
  const merged = new Map<string, ObjectLog>();
  const unattributed: Diagnostic[] = [];
  // make prints a `../` goal as given; the parser normalises it
  const keys = goals.map((g) => path.normalize(g));
  const goalSet = new Set(keys);
  let done = 0;
  const chunks = argumentRuns(goals, MAX_GOAL_CHARS);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const logFile = path.join(logDir, `compile-${stamp}-${i}.log`);
    const started = Date.now();
    log(`compile: batch ${i + 1}/${chunks.length}: ${chunk.length} objects (log ${logFile})`);
    const onLine = (l: string): void => {
      const m = RE_CC.exec(l) ?? RE_NORULE.exec(l);
      if (!m) return;
      const o = m.length > 2 ? m[2]! : m[1]!;
      const k = path.normalize(o);
      if (goalSet.has(k)) opts.onProgress?.(++done, goals.length, k);
    };
    const args = ['-C', tree, `O=${outDir}`, '-k', `-j${jobs}`, '--output-sync=target',
      `KCFLAGS=${kcflags(opts.extraFlags)}`, QUIET_MODTAG, ...chunk];
    const r = await run('make', args, { env, logFile, onLine });
    const parsed = parseBuildLog(r.output, { tree, outDir });
    for (const [k, v] of parsed.objects) {
      const old = merged.get(k);
      if (!old) merged.set(k, v);
      else {
        old.tag = v.tag ?? old.tag; old.noRule ||= v.noRule; old.makeError ||= v.makeError;
        old.diagnostics.push(...v.diagnostics);
      }
    }
    unattributed.push(...parsed.unattributed);
    const attempted = chunk.some((g) => {
      const o = parsed.objects.get(path.normalize(g));
      return (o && (o.tag !== null || o.noRule)) || fs.existsSync(path.join(outDir, g));
    });
    if (r.code !== 0 && !attempted) {
      throw new KbuildError(`make failed before compiling any object (exit ${r.code}); see ${logFile}:\n${tail(r.output)}`);
    }
    log(`compile: batch ${i + 1} done in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${r.code})`);
  }
  return files.map((file, i) => classify(file, keys[i]!, merged.get(keys[i]!), outDir));
}

function classify(file: string, object: string, o: ObjectLog | undefined, outDir: string): ObjectResult {
  const diagnostics = o?.diagnostics ?? [];
  const exists = fs.existsSync(path.join(outDir, object));
  const hasError = diagnostics.some((d) => d.severity === 'error');
  let membership: Membership = 'unknown';
  if (o?.noRule) membership = 'no-rule';
  else if (o?.tag === 'M') membership = 'module';
  else if (o?.tag === 'Y') membership = 'builtin';
  else if (o?.tag === 'N') membership = 'none';
  const ran = !!o && o.tag !== null;
  let compiled: ObjectResult['compiled'];
  if (ran) compiled = exists && !hasError && !o.makeError ? 'ok' : 'failed';
  else compiled = exists && !o?.noRule ? 'ok' : 'no';
  let status: ObjectStatus;
  let reason: string | undefined;
  if (membership === 'no-rule') {
    status = 'not-built';
    reason = 'kbuild has no rule for it (outside kbuild, another architecture, or missing)';
  } else if (membership === 'none') {
    status = 'not-built';
    reason = `not enabled in this configuration (kbuild compiled it on request: ${compiled})`;
  } else if (compiled === 'ok') {
    status = 'ok';
    if (!ran) reason = 'up to date (not recompiled)';
  } else {
    status = 'failed';
    if (!ran) reason = 'make did not compile it (see the log)';
  }
  const r: ObjectResult = { file, object, status, membership, compiled, diagnostics };
  if (reason) r.reason = reason;
  return r;
}

/**
 * Folders whose Makefile or Kbuild builds sources of other folders through `../` (amdgpu builds
 * ../display and ../pm): the dirs to give findObjectGoals. Tools, scripts, docs, other arches and
 * test folders are left out; a folder under another listed one is covered by it. [] when the
 * tree is not a git tree.
 */
export function relocatingDirs(tree: string): string[] {
  let out = '';
  try {
    out = execFileSync('git', ['-C', tree, 'grep', '-l', '-E', '\\.\\./', '--', '*/Makefile', '*/Kbuild'],
      { encoding: 'latin1', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch { return []; }
  const dirs = out.split('\n').filter(Boolean).map((f) => f.replace(/\/[^/]*$/, ''))
    .filter((d) => !/^(tools|scripts|Documentation|usr|samples|arch)(\/|$)/.test(d) && !/(^|\/)(tools|test|tests)(\/|$)/.test(d))
    .sort();
  const res: string[] = [];
  for (const d of dirs) if (!res.some((p) => d.startsWith(`${p}/`))) res.push(d);
  return res;
}

const RE_DRY_CC = /-c -o (\S+\.o) (\S+\.c)(?=\s|$)/g;

/**
 * Objects that kbuild builds under another name than `<file>.o`: a Makefile may compile a
 * source of a sibling folder through a `../` path (amdgpu builds ../display and ../pm this
 * way), and then `make <file>.o` compiles it from the wrong folder, without that Makefile's
 * -I flags. A dry run (`make -n -k [dir/ …]`) prints every compile command; this returns
 * .c (tree-relative) -> goal, for the sources whose goal differs. Cached in the build folder
 * (valid while the prepare stamp and the folder list are unchanged).
 */
export async function findObjectGoals(opts: GoalOptions): Promise<Map<string, string>> {
  const log = opts.log ?? (() => {});
  const tree = path.resolve(opts.tree);
  const outDir = path.resolve(opts.outDir);
  assertKernelTree(tree);
  let stampText = '';
  try { stampText = fs.readFileSync(path.join(outDir, STAMP), 'utf8'); } catch {
    throw new KbuildError(`${outDir} is not prepared: run prepareBuild first`);
  }
  const dirs = [...new Set((opts.dirs ?? []).map((d) => d.replace(/\/*$/, '/')))].sort();
  const cacheFile = path.join(outDir, 'unembed-goals.json');
  try {
    const c = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { stamp?: string; dirs?: string[]; goals?: [string, string][] };
    if (c.stamp === stampText && JSON.stringify(c.dirs) === JSON.stringify(dirs) && Array.isArray(c.goals)) {
      log(`goals: cached (${c.goals.length} relocated objects)`);
      return new Map(c.goals);
    }
  } catch { /* no cache */ }
  const started = Date.now();
  log(`goals: dry run of ${dirs.length ? `${dirs.length} folders` : 'the whole build'}`);
  const stamp = JSON.parse(stampText) as { kcflags?: string };
  // a source can be compiled twice (xe builds i915's display code through ../i915/): the
  // folder's own goal wins, else the first one seen
  const goals = new Map<string, string>();
  const direct = new Set<string>();
  const onLine = (l: string): void => {
    if (!l.includes('-c -o ')) return;
    for (const m of l.matchAll(RE_DRY_CC)) {
      const [, obj, src] = m as unknown as [string, string, string];
      const abs = path.isAbsolute(src) ? path.normalize(src) : path.resolve(outDir, src);
      if (!isInside(abs, tree)) continue;
      const file = path.relative(tree, abs);
      if (obj === objectOf(file)) direct.add(file);
      else if (!goals.has(file)) goals.set(file, obj);
    }
  };
  const r = await run('make', ['-C', tree, `O=${outDir}`, '-n', '-k', `KCFLAGS=${stamp.kcflags ?? kcflags(undefined)}`, ...dirs],
    { env: kbuildEnv(), onLine, keep: 1 << 20 });
  for (const f of direct) goals.delete(f);
  log(`goals: ${goals.size} relocated objects in ${((Date.now() - started) / 1000).toFixed(0)} s (make exit ${r.code})`);
  fs.writeFileSync(cacheFile, JSON.stringify({ stamp: stampText, dirs, goals: [...goals] }) + '\n');
  return goals;
}

/**
 * The files an object was compiled from: the dependency list kbuild saved in `.<obj>.cmd` after
 * a successful build, or gcc's raw `.<obj>.d` left behind by a failed one. Tree-relative paths
 * (files outside the tree, such as generated headers, are dropped). null when neither exists.
 */
export function readObjectDeps(tree: string, outDir: string, object: string): string[] | null {
  const dir = path.join(path.resolve(outDir), path.dirname(object));
  const base = path.basename(object);
  let text: string | undefined;
  for (const f of [`.${base}.cmd`, `.${base}.d`]) {
    try {
      text = fs.readFileSync(path.join(dir, f), 'latin1');
      break;
    } catch { /* next */ }
  }
  if (text === undefined) return null;
  const absTree = path.resolve(tree);
  const out = new Set<string>();
  for (const tok of text.split(/[\s\\]+/)) {
    if (!tok || tok.startsWith('$(') || tok.endsWith(':') || tok.includes(':=')) continue;
    const abs = path.isAbsolute(tok) ? tok : path.resolve(outDir, tok);
    if (isInside(abs, absTree) && /\.[ch]$/.test(abs)) out.add(path.relative(absTree, abs));
  }
  return [...out];
}
