// `rewrite`: turn a scan into file changes (the same code path for rewrite, estimate and series),
// print them as a unified diff, or write them in place, atomically and only over clean files.
import { execFile } from 'node:child_process';
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { structuredPatch } from 'diff';
import { fileDiff } from './edits/diff.js';
import { transformsFor } from '../transforms/index.js';
import type { TransformDefinition } from './transform.js';
import type { Edit, ScanResult, Site } from './model.js';
import { isManual } from './model.js';
import { isGitTree, scanForEdits, type ScanOptions } from './scan.js';
import type { EditedFile } from './scan-worker.js';
import { applyEdits } from './edits/apply.js';
import { addHelpers } from './edits/header.js';
import { treeReader } from './types/header-index.js';
import { UsageError } from './util/errors.js';

const execFileP = promisify(execFile);

export interface FileChange {
  file: string;
  before: string;
  after: string;
  /** sites rewritten in this file */
  sites: Site[];
  /** 'header': the helpers added to a subsystem header */
  kind: 'sites' | 'header';
  /** for header changes: the helpers added */
  added?: string[];
  /** the unified diff, when the worker that made the change wrote it too */
  diff?: string;
}

export interface RewritePlan {
  scan: ScanResult;
  /** the header patches first, then the files with sites, sorted */
  changes: FileChange[];
  /** sites left for a human */
  manual: Site[];
  /** rewritten now, flagged for phase two */
  phase2: Site[];
  /** edits that collided with another edit in the same place */
  conflicts: { file: string; edit: Edit }[];
}

export interface RewriteOptions extends ScanOptions {
  /** add the helpers to the subsystem headers (default true) */
  headers?: boolean;
  /** the diff will be printed: the workers write each file's diff along with its edits */
  diffs?: boolean;
}

/** The header changes for the transforms, skipped where the helpers exist already. */
export function headerChanges(tree: string, transforms: readonly TransformDefinition[]): FileChange[] {
  const read = treeReader(tree);
  const out: FileChange[] = [];
  for (const t of transforms) {
    const before = read(t.header);
    if (before === undefined) throw new UsageError(`${t.header} not found in the tree: is it a kernel tree?`);
    const r = addHelpers(before, t);
    if (r) out.push({ file: t.header, before, after: r.text, sites: [], kind: 'header', added: r.added });
  }
  return out;
}

/**
 * Apply the sites' edits file by file: the plan of a scan. `edited`: files whose edits the scan's
 * workers applied already (scanForEdits), taken as they are.
 */
export function planFromScan(result: ScanResult, opts: { headers?: boolean; edited?: ReadonlyMap<string, EditedFile> } = {}): RewritePlan {
  const read = treeReader(result.tree);
  const byFile = new Map<string, Site[]>();
  for (const s of result.sites) {
    if (!s.edit) continue;
    const list = byFile.get(s.file);
    if (list) list.push(s);
    else byFile.set(s.file, [s]);
  }
  const transforms = transformsFor(result.subsystems.join(','));
  const headers = opts.headers === false ? [] : headerChanges(result.tree, transforms);
  const changes: FileChange[] = [];
  const conflicts: { file: string; edit: Edit }[] = [];
  for (const [file, sites] of [...byFile].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const header = headers.find((h) => h.file === file);
    const done = header ? undefined : opts.edited?.get(file);
    if (done) {
      for (const e of done.conflicts) conflicts.push({ file, edit: e });
      if (done.after !== done.before) changes.push({ file, before: done.before, after: done.after, sites, kind: 'sites', diff: done.diff });
      continue;
    }
    const before = header ? header.after : read(file);
    if (before === undefined) continue;
    const edits = sites.flatMap((s) => [s.edit!, ...(s.moreEdits ?? [])]);
    // a header that also receives the helpers: its sites were found in the original text;
    // shift them past the inserted block
    const shifted = header ? shiftEdits(header.before, header.after, edits) : edits;
    const r = applyEdits(before, shifted);
    for (const e of r.conflicts) conflicts.push({ file, edit: e });
    if (header) {
      header.after = r.text;
      header.sites = sites;
    } else if (r.text !== before) {
      changes.push({ file, before, after: r.text, sites, kind: 'sites' });
    }
  }
  return {
    scan: result,
    changes: [...headers, ...changes],
    manual: result.sites.filter(isManual),
    phase2: result.sites.filter((s) => s.phase2),
    conflicts,
  };
}

/** Edits computed on `before` moved to where the same text is in `after` (one insertion). */
function shiftEdits(before: string, after: string, edits: Edit[]): Edit[] {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const delta = after.length - before.length;
  return edits.map((e) => (e.start >= i ? { ...e, start: e.start + delta, end: e.end + delta } : e));
}

export async function planRewrite(opts: RewriteOptions = {}): Promise<RewritePlan> {
  const { result, edited } = await scanForEdits(opts, { diffs: opts.diffs });
  return planFromScan(result, { headers: opts.headers, edited });
}

/** The plan as one unified diff, `a/` and `b/` prefixes as git and spatch print them. */
export function planDiff(plan: RewritePlan): string {
  return plan.changes.map((c) => c.diff ?? fileDiff(c.file, c.before, c.after)).join('');
}

/** Lines added and removed by one change. */
export function lineStats(c: Pick<FileChange, 'before' | 'after' | 'file'>): { added: number; removed: number } {
  const p = structuredPatch(c.file, c.file, c.before, c.after, '', '', { context: 0 });
  let added = 0;
  let removed = 0;
  for (const h of p.hunks) {
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

/** Files among `files` with uncommitted changes in a git tree. */
export async function dirtyFiles(tree: string, files: string[]): Promise<string[]> {
  if (!isGitTree(tree) || files.length === 0) return [];
  const { stdout } = await execFileP('git', ['status', '--porcelain', '-z', '--', ...files],
    { cwd: tree, maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\0').filter(Boolean).map((l) => l.slice(3));
}

/**
 * Write the plan into the tree: every file to a temporary sibling first, then renamed over the
 * original, so that an interrupted run leaves each file either old or new. Refuses files with
 * uncommitted changes unless `force`.
 */
export async function writePlan(plan: RewritePlan, opts: { force?: boolean } = {}): Promise<string[]> {
  const tree = plan.scan.tree;
  const files = plan.changes.map((c) => c.file);
  if (!opts.force) {
    const dirty = await dirtyFiles(tree, files);
    if (dirty.length) {
      throw new UsageError(`${dirty.length} file(s) to rewrite have uncommitted changes (first: ${dirty[0]}); `
        + 'commit or stash them, or pass --force');
    }
  }
  const temps: [string, string][] = [];
  try {
    for (const c of plan.changes) {
      const target = join(tree, c.file);
      const tmp = `${target}.unembed-${process.pid}.tmp`;
      writeFileSync(tmp, c.after, 'latin1');
      temps.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of temps) {
      try { unlinkSync(tmp); } catch { /* already gone */ }
    }
    throw e;
  }
  for (const [tmp, target] of temps) renameSync(tmp, target);
  return files;
}
