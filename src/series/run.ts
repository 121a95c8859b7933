// `unembed series`: a patch series in a git worktree on a new branch, then format-patch.
//
// --phase helpers (default): the helpers, the cores, one patch per driver (phase one).
// --phase all: the same, then the subsystem switch (src/switch/) generated on the worktree as
// phase one left it, one commit per switch patch, last.
// --phase switch: the switch alone, on a base where phase one has landed. It refuses (a usage
// error, before any commit) when the base still has accesses to convert or lacks the helpers:
// the switch would not build on such a base, which a maintainer would not accept.
//
// The user's checkout, index and current branch are never touched: the series is built in a
// temporary `git worktree` on a new branch from --base, the scan and rewrite run there, each
// patch is one commit (fixed author/committer date, so the same input and --date give the same
// commits and byte-identical patches), and `git format-patch` writes into a temporary folder
// inside --output-dir whose files are moved into place at the end. On failure or Ctrl-C the
// worktree and the branch are removed. On success the worktree is removed and the branch kept.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Listr, ListrLogger, type ListrTask } from 'listr2';
import { transformsFor } from '../../transforms/index.js';
import type { TransformDefinition } from '../transform.js';
import type { Site } from '../model.js';
import { checkKernelTree } from '../scan.js';
import { headerChanges, planRewrite, type RewritePlan } from '../rewrite.js';
import { filesInPatch, loadMaintainers, recipientsFor, type MaintainersDb } from '../patches/maintainers.js';
import { UsageError } from '../util/errors.js';
import { matchesAny } from '../util/glob.js';
import { addWorktree, commitFiles, formatPatch, freeBranch, gitDate, inspectRepo, type RepoInfo, type Worktree } from './git.js';
import { groupPatches, type SeriesPatch } from './group.js';
import type { DriverUnit } from '../patches/units.js';
import { prefixFromPath, unitPath } from '../patches/prefix.js';
import { coverBlurb, coverSubject, type SeriesSummary } from './cover.js';
import { generateSwitch, hasSwitch } from '../switch/index.js';
import { editMail, fillCover, headerValue, uniqueAddresses } from './mail.js';

export type SeriesPhase = 'helpers' | 'switch' | 'all';
export type SeriesSplit = 'driver' | 'maintainer';
export type SeriesRenderer = 'auto' | 'plain' | 'silent';

export interface SeriesOptions {
  /** the kernel tree: the top of a git repository (default: current directory) */
  tree?: string;
  /** i2c, spi, mtd, all (default all) */
  subsystem?: string;
  /** the commit the series starts from (default HEAD) */
  base?: string;
  /** where the patches go (default ./outgoing); must be empty unless `force` */
  outputDir?: string;
  force?: boolean;
  phase?: SeriesPhase;
  /** path globs (src/util/glob.ts): only files matching one of them */
  only?: string[];
  exclude?: string[];
  /** at most this many patches (the cover letter not counted) */
  maxPatches?: number;
  split?: SeriesSplit;
  /** add Signed-off-by: from the tree's git identity */
  signoff?: boolean;
  /** format-patch --subject-prefix (default PATCH) */
  subjectPrefix?: string;
  /** format-patch -v N */
  reroll?: number;
  /** extra recipients for every mail */
  to?: string[];
  cc?: string[];
  /** ISO 8601 date for the commits and mails (default: now) */
  date?: string;
  /** name of the new branch (default unembed/<subsystem>-<base>) */
  branch?: string;
  /** keep the worktree after success (its path is in the result) */
  keepWorktree?: boolean;
  /** progress: 'auto' (listr2's default renderer on a terminal, plain lines otherwise), 'plain', 'silent' */
  renderer?: SeriesRenderer;
  /** the command line recorded in the cover letter (default: rebuilt from these options) */
  commandLine?: string;
  /** told about things the user should know (uncommitted changes left out, shallow clone, …) */
  onNote?: (note: string) => void;
  /** scan worker threads (see ScanOptions.jobs) */
  jobs?: number;
  /**
   * called after each commit (index from 0 over the whole series; total: the commits of the
   * current step, phase one or the switch); a rejection aborts the run (and cleans up)
   */
  onCommit?: (index: number, total: number, subject: string, commit: string) => void | Promise<void>;
}

export interface SeriesPatchInfo {
  /** the mail file, relative to the output dir */
  mail: string;
  kind: SeriesPatch['kind'];
  subject: string;
  files: string[];
  sites: number;
  manual: number;
  to: string[];
  cc: string[];
  commit: string;
}

export interface SeriesResult {
  branch: string;
  baseSha: string;
  outputDir: string;
  /** the cover letter's file name */
  cover: string;
  patches: SeriesPatchInfo[];
  /** sites left for a human in the selected files */
  manual: Site[];
  summary: SeriesSummary;
  notes: string[];
  /** the worktree, when kept */
  worktree?: string;
}

const PATCH_FILE = /^(v\d+-)?\d{4}-.*\.patch$/;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0';
  } catch {
    return '0';
  }
}

function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** The command line as the options say (only what shapes the patches, no local paths). */
export function seriesCommandLine(o: SeriesOptions): string {
  const args = ['unembed', 'series', '--subsystem', o.subsystem ?? 'all', '--base', o.base ?? 'HEAD'];
  if (o.phase && o.phase !== 'helpers') args.push('--phase', o.phase);
  for (const g of o.only ?? []) args.push('--only', g);
  for (const g of o.exclude ?? []) args.push('--exclude', g);
  if (o.maxPatches !== undefined) args.push('--max-patches', String(o.maxPatches));
  if (o.split && o.split !== 'driver') args.push('--split', o.split);
  if (o.signoff) args.push('--signoff');
  if (o.subjectPrefix && o.subjectPrefix !== 'PATCH') args.push('--subject-prefix', o.subjectPrefix);
  if (o.reroll !== undefined) args.push('-v', String(o.reroll));
  for (const a of o.to ?? []) args.push('--to', a);
  for (const a of o.cc ?? []) args.push('--cc', a);
  if (o.date) args.push('--date', o.date);
  return args.map(shellQuote).join(' ');
}

/** The static directory part of a glob (`drivers/i2c/**` -> `drivers/i2c`), '' when it has none. */
export function globRoot(glob: string): string {
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (/[*?[]/.test(p)) break;
    fixed.push(p);
  }
  if (fixed.length === parts.length - 1 && !/[*?[]/.test(parts[parts.length - 1]) && !glob.endsWith('/')) {
    return parts.join('/'); // a plain path
  }
  return fixed.join('/');
}

/** The files of the tree matching the transforms' coreFiles globs (a folder level each, no `**`). */
export function coreFilesIn(tree: string, transforms: readonly TransformDefinition[]): string[] {
  const out: string[] = [];
  for (const g of transforms.flatMap((t) => t.coreFiles)) {
    if (!/[*?[]/.test(g)) {
      if (existsSync(join(tree, g))) out.push(g);
      continue;
    }
    const dir = g.slice(0, g.lastIndexOf('/'));
    if (/[*?[]/.test(dir) || !existsSync(join(tree, dir))) continue;
    for (const e of readdirSync(join(tree, dir), { withFileTypes: true })) {
      const f = `${dir}/${e.name}`;
      if (e.isFile() && matchesAny(f, [g])) out.push(f);
    }
  }
  return [...new Set(out)].sort();
}

/** Check everything that can be checked before touching anything. */
async function validate(o: SeriesOptions): Promise<{ tree: string; transforms: TransformDefinition[]; repo: RepoInfo;
  outputDir: string; date: { raw: string; date: Date } }> {
  const phase = o.phase ?? 'helpers';
  if (phase !== 'helpers' && phase !== 'switch' && phase !== 'all') {
    throw new UsageError(`--phase must be helpers, switch or all, not '${String(phase)}'`);
  }
  if (phase === 'switch' && ((o.only ?? []).length || (o.exclude ?? []).length || o.maxPatches !== undefined)) {
    throw new UsageError('--phase switch takes no --only, --exclude or --max-patches: the switch changes the core, '
      + 'and every driver must already be converted');
  }
  if (o.split && o.split !== 'driver' && o.split !== 'maintainer') throw new UsageError(`--split must be driver or maintainer, not '${o.split}'`);
  if (o.maxPatches !== undefined && (!Number.isInteger(o.maxPatches) || o.maxPatches < 1)) {
    throw new UsageError('--max-patches must be a positive integer');
  }
  if (o.reroll !== undefined && (!Number.isInteger(o.reroll) || o.reroll < 1)) throw new UsageError('-v must be a positive integer');
  let transforms: TransformDefinition[];
  try {
    transforms = transformsFor(o.subsystem ?? 'all');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (phase !== 'helpers') {
    const none = transforms.filter((t) => !hasSwitch(t)).map((t) => t.subsystem);
    if (none.length) throw new UsageError(`--phase ${phase}: there is no subsystem switch for ${none.join(', ')} (there is one for i2c and spi)`);
  }
  const date = gitDate(o.date);
  const tree = checkKernelTree(o.tree ?? process.cwd());
  const repo = await inspectRepo(tree, o.base ?? 'HEAD');
  const outputDir = resolve(o.outputDir ?? 'outgoing');
  if (existsSync(outputDir)) {
    const entries = readdirSync(outputDir);
    if (entries.length && !o.force) throw new UsageError(`output folder '${o.outputDir ?? 'outgoing'}' is not empty (pass --force to write into it)`);
  }
  return { tree, transforms, repo, outputDir, date };
}

interface Ctx {
  worktree?: Worktree;
  plan?: RewritePlan;
  patches?: SeriesPatch[];
  /** the switch's patches (--phase switch|all), appended to `patches` once committed */
  switched?: SeriesPatch[];
  omitted?: SeriesPatch[];
  manual?: Site[];
  commits: string[];
  db?: MaintainersDb;
  result?: SeriesResult;
}

/** Generate the series. Throws UsageError for bad input, before anything is created. */
export async function generateSeries(o: SeriesOptions = {}): Promise<SeriesResult> {
  const { tree, transforms, repo, outputDir, date } = await validate(o);
  const notes: string[] = [];
  const note = (s: string): void => {
    notes.push(s);
    o.onNote?.(s);
  };
  if (repo.dirty.length) {
    note(`${repo.dirty.length} uncommitted change(s) in '${tree}' are not included: the series is built from `
      + `${o.base ?? 'HEAD'} (${repo.baseSha.slice(0, 12)})`);
  }
  if (!repo.branch) note(`HEAD is detached; the series starts from ${o.base ?? 'HEAD'} (${repo.baseSha.slice(0, 12)})`);
  if (repo.shallow) note('shallow clone: subject prefixes fall back to path rules where the history is cut off');

  const subsystemSlug = transforms.map((t) => t.subsystem).join('-');
  const branch = await freeBranch(tree, o.branch ?? `unembed/${subsystemSlug}-${repo.baseSha.slice(0, 12)}`);
  const ctx: Ctx = { commits: [] };
  let tmpOut: string | undefined;
  const cleanupSync = (): void => {
    ctx.worktree?.removeSync(true);
    if (tmpOut) rmSync(tmpOut, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    process.stderr.write(`\nunembed: interrupted (${sig}); removing the worktree…\n`);
    cleanupSync();
    process.stderr.write(`unembed: interrupted (${sig}); removed the worktree and branch ${branch}\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const only = o.only ?? [];
  const exclude = o.exclude ?? [];
  const phase = o.phase ?? 'helpers';
  if (phase === 'all' && (only.length || exclude.length || o.maxPatches !== undefined)) {
    note('--phase all with --only, --exclude or --max-patches: the switch patches assume that the accesses '
      + 'outside this series are converted as well before they are applied');
  }
  const loadDb = async (wt: string): Promise<MaintainersDb | undefined> => {
    let db: MaintainersDb | undefined;
    try {
      db = existsSync(join(wt, 'MAINTAINERS')) ? await loadMaintainers(wt) : undefined;
    } catch {
      db = undefined;
    }
    if (!db) note('no readable MAINTAINERS in the tree: recipients come from --to/--cc only');
    return db;
  };
  const commitOne = async (c: Ctx, p: SeriesPatch, k: number, n: number): Promise<void> => {
    const trailer = o.signoff ? `\n\nSigned-off-by: ${repo.identity.name} <${repo.identity.email}>` : '';
    const message = `${p.subject}\n\n${p.body}${trailer}\n`;
    const sha = await commitFiles(c.worktree!.path, p.files, message, repo.identity, date.raw);
    c.commits.push(sha);
    await o.onCommit?.(k, n, p.subject, sha);
  };
  const tasks: ListrTask<Ctx>[] = [
    {
      title: `Create a worktree on the new branch ${branch} from ${o.base ?? 'HEAD'} (${repo.baseSha.slice(0, 12)})`,
      task: async (c) => {
        c.worktree = await addWorktree(tree, branch, repo.baseSha);
      },
    },
    {
      title: 'Scan',
      task: async (c, task) => {
        const wt = c.worktree!.path;
        const roots = only.map(globRoot);
        // --phase switch: the helpers must be there (cheap, before the scan of the whole tree)
        if (phase === 'switch') {
          const missing = headerChanges(wt, transforms).filter((h) => (h.added ?? []).length);
          if (missing.length) {
            const h = missing[0];
            const added = h.added ?? [];
            throw new UsageError(`--phase switch needs phase one on the base: ${h.file} has no ${added[0]}()`
              + `${added.length > 1 ? ` (nor ${added.length - 1} other helper${added.length > 2 ? 's' : ''})` : ''} yet; `
              + 'use --phase all, or --phase helpers and let it land first');
          }
        }
        // --phase switch checks the whole tree (it takes no --only); --phase all scans the cores'
        // own files too (the switch needs them converted, whatever --only says)
        let paths = only.length && roots.every((r) => r !== '' && existsSync(join(wt, r))) ? [...new Set(roots)] : [];
        if (paths.length && phase === 'all') paths = [...new Set([...paths, ...coreFilesIn(wt, transforms)])];
        c.plan = await planRewrite({
          tree: wt, subsystem: o.subsystem ?? 'all', paths, jobs: o.jobs,
          onProgress: (d, t) => { task.output = `${d}/${t} files`; },
        });
        task.title = `Scan: ${c.plan.scan.stats.files} files, ${c.plan.scan.sites.length} sites`;
      },
    },
    {
      title: 'Check that phase one has landed',
      enabled: () => phase === 'switch',
      task: async (c, task) => {
        const wt = c.worktree!.path;
        const pending = c.plan!.changes.filter((ch) => ch.sites.length > 0);
        if (pending.length) {
          const n = pending.reduce((k, ch) => k + ch.sites.length, 0);
          const first = pending[0].sites[0];
          throw new UsageError(`--phase switch needs phase one on the base: ${n} access${n === 1 ? '' : 'es'} in `
            + `${pending.length} file${pending.length === 1 ? '' : 's'} still use the embedded device (first: ${first.file}:${first.line}); `
            + 'use --phase all, or --phase helpers and let it land first');
        }
        c.db = await loadDb(wt);
        c.patches = [];
        c.omitted = [];
        c.manual = c.plan!.manual.slice().sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset));
        task.title = `Phase one has landed: no access left to convert in ${c.plan!.scan.stats.files} files`
          + `${c.manual.length ? `, ${c.manual.length} left for a human` : ''}`;
      },
    },
    {
      title: 'Rewrite and group into patches',
      enabled: () => phase !== 'switch',
      task: async (c, task) => {
        const wt = c.worktree!.path;
        c.db = await loadDb(wt);
        // one commit (a tarball import): no history to learn prefixes from, the path rules decide
        // (subjectPrefix would list the root commit's every file once per driver to find that out)
        const prefixFor = repo.commits < 2
          ? (u: DriverUnit) => Promise.resolve(prefixFromPath(unitPath(u), u.name))
          : undefined;
        if (repo.commits < 2) note('the base has no history: subject prefixes come from the path rules');
        const g = await groupPatches({
          tree: wt, plan: c.plan!, headers: headerChanges(wt, transforms), transforms, only, exclude,
          split: o.split ?? 'driver', maintainers: c.db, prefixFor, allCore: phase === 'all',
        });
        const max = o.maxPatches ?? Infinity;
        c.patches = g.patches.slice(0, max);
        c.omitted = g.patches.slice(c.patches.length);
        c.manual = g.manual;
        const nDrivers = c.patches.filter((p) => p.kind === 'driver').length;
        task.title = `Rewrite: ${c.patches.length} patches (${nDrivers} drivers), ${g.manual.length} sites left for a human`
          + (c.omitted.length ? `, ${c.omitted.length} left out by --max-patches` : '');
        if (phase === 'helpers' && c.patches.every((p) => p.kind === 'header') && g.sites.length === 0) {
          throw new UsageError('nothing to convert in the selected files (check --subsystem, --only, --exclude)');
        }
      },
    },
    {
      title: 'Commit',
      enabled: () => phase !== 'switch',
      task: (c, task) => {
        const n = c.patches!.length;
        const width = String(n).length;
        return task.newListr(c.patches!.map((p, k) => ({
          title: `[${String(k + 1).padStart(width)}/${n}] ${p.subject}`,
          task: () => commitOne(c, p, k, n),
        })), { concurrent: false, exitOnError: true });
      },
    },
    {
      title: 'Subsystem switch',
      enabled: () => phase !== 'helpers',
      task: (c, task) => {
        // generated on the worktree as the commits before left it (phase one applied)
        const wt = c.worktree!.path;
        c.switched = [];
        for (const t of transforms) {
          for (const sp of generateSwitch(wt, t)) {
            const prefix = /^(.*:)\s/.exec(sp.subject)?.[1] ?? `${t.subsystem}:`;
            c.switched.push({
              kind: 'switch', transforms: [t.id], name: `${t.subsystem} switch`,
              files: sp.changes.map((ch) => ({ file: ch.file, after: ch.after })), sites: [], manual: [], units: [],
              prefix, subject: sp.subject, body: sp.body,
            });
          }
        }
        const n = c.switched.length;
        const offset = c.patches!.length;
        task.title = `Subsystem switch: ${n} patch${n === 1 ? '' : 'es'}`;
        return task.newListr(c.switched.map((p, k) => ({
          title: `[switch ${k + 1}/${n}] ${p.subject}`,
          task: async () => {
            await commitOne(c, p, offset + k, n);
            c.patches!.push(p);
          },
        })), { concurrent: false, exitOnError: true });
      },
    },
    {
      title: 'format-patch',
      task: async (c, task) => {
        mkdirSync(outputDir, { recursive: true });
        tmpOut = mkdtempSync(join(outputDir, '.unembed-tmp-'));
        const names = await formatPatch({
          worktree: c.worktree!.path, baseSha: repo.baseSha, outDir: tmpOut,
          subjectPrefix: o.subjectPrefix ?? 'PATCH', reroll: o.reroll,
        });
        if (names.length !== c.patches!.length + 1) {
          throw new Error(`format-patch wrote ${names.length} files for ${c.patches!.length} patches and a cover letter`);
        }
        const stamp = String(Math.floor(date.date.getTime() / 1000));
        const infos: SeriesPatchInfo[] = [];
        const allTo: string[] = [];
        const allCc: string[] = [];
        const people = { maintainers: new Set<string>(), reviewers: new Set<string>(), lists: new Set<string>(), sections: new Set<string>() };
        let firstDate: string | undefined;
        for (let k = 1; k < names.length; k++) {
          const file = join(tmpOut, names[k]);
          const buf = readFileSync(file);
          const p = c.patches![k - 1];
          let to: string[] = [];
          let cc: string[] = [];
          if (c.db) {
            const text = buf.toString('latin1');
            const r = recipientsFor(c.db, filesInPatch(text), { patch: text });
            to = r.to;
            cc = r.cc;
            for (const x of r.recipients) {
              (x.role === 'maintainer' ? people.maintainers : x.role === 'reviewer' ? people.reviewers : people.lists).add(x.address.toLowerCase());
            }
            for (const s of r.sections) people.sections.add(s.name);
          }
          to = uniqueAddresses([...to, ...(o.to ?? [])]);
          cc = uniqueAddresses([...cc, ...(o.cc ?? [])], to);
          allTo.push(...to);
          allCc.push(...cc);
          writeFileSync(file, editMail(buf, { to, cc, idStamp: stamp }));
          firstDate ??= headerValue(buf, 'date');
          infos.push({
            mail: names[k], kind: p.kind, subject: p.subject, files: p.files.map((f) => f.file), sites: p.sites.length,
            manual: p.manual.length, to, cc, commit: c.commits[k - 1],
          });
        }
        const patches = c.patches!;
        const summary: SeriesSummary = {
          patches: patches.length,
          headerPatches: patches.filter((p) => p.kind === 'header').length,
          corePatches: patches.filter((p) => p.kind === 'core').length,
          driverPatches: patches.filter((p) => p.kind === 'driver').length,
          switchPatches: patches.filter((p) => p.kind === 'switch').length,
          omittedPatches: c.omitted!.length,
          files: new Set(patches.flatMap((p) => p.files.map((f) => f.file))).size,
          sitesRewritten: patches.reduce((n, p) => n + p.sites.length, 0),
          sitesManual: c.manual!.length,
          sitesPhase2: patches.reduce((n, p) => n + p.sites.filter((s) => s.phase2).length, 0),
          maintainers: people.maintainers.size,
          reviewers: people.reviewers.size,
          lists: people.lists.size,
          sections: people.sections.size,
        };
        const coverFile = join(tmpOut, names[0]);
        const coverText = readFileSync(coverFile, 'utf8');
        const filled = fillCover(coverText, coverSubject(transforms, phase), coverBlurb({
          transforms, patches, omitted: c.omitted!, manual: c.manual!, summary, version: version(),
          commandLine: o.commandLine ?? seriesCommandLine(o), only, exclude, phase,
          scannedFiles: phase === 'switch' ? c.plan!.scan.stats.files : undefined,
        }));
        const coverTo = uniqueAddresses(allTo);
        writeFileSync(coverFile, editMail(Buffer.from(filled, 'utf8'), {
          to: coverTo, cc: uniqueAddresses(allCc, coverTo), idStamp: stamp, date: o.date ? firstDate : undefined,
        }));
        // move into place
        if (o.force) for (const f of readdirSync(outputDir)) if (PATCH_FILE.test(f)) rmSync(join(outputDir, f), { force: true });
        for (const n of names) renameSync(join(tmpOut, n), join(outputDir, n));
        rmSync(tmpOut, { recursive: true, force: true });
        tmpOut = undefined;
        task.title = `format-patch: ${names.length} files in ${outputDir}`;
        c.result = {
          branch, baseSha: repo.baseSha, outputDir, cover: names[0], patches: infos, manual: c.manual!, summary, notes,
        };
      },
    },
  ];

  const plain = o.renderer === 'plain' || (o.renderer !== 'silent' && !process.stdout.isTTY);
  const list = new Listr<Ctx>(tasks, {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    renderer: o.renderer === 'silent' ? 'silent' : plain ? 'simple' : 'default',
    // the plain renderer prints a failed task on stderr by default: progress (failures included)
    // goes to stdout, so that stderr carries the CLI's one-line error alone
    rendererOptions: plain ? { logger: new ListrLogger({ useIcons: true, toStderr: [] }) } : { collapseSubtasks: true },
  } as ConstructorParameters<typeof Listr<Ctx>>[1]);
  try {
    await list.run(ctx);
    const r = ctx.result!;
    if (o.keepWorktree) r.worktree = ctx.worktree!.path;
    else await ctx.worktree!.remove(false);
    return r;
  } catch (e) {
    if (tmpOut) rmSync(tmpOut, { recursive: true, force: true });
    await ctx.worktree?.remove(true);
    throw e;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
