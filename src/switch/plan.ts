// The subsystem switch (phase two) as a series of patches generated from the tree: each patch
// is a list of file edits (functions of the file's text) with a commit message; generating it
// runs the edits in order, each on the text the previous patches left.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileDiff } from '../edits/diff.js';
import type { FileChange } from '../rewrite.js';
import type { TransformDefinition } from '../transform.js';
import { treeReader } from '../types/header-index.js';
import { UsageError } from '../util/errors.js';
import { AnchorError } from './cedit.js';

export interface FileEdit {
  file: string;
  edit: (text: string) => string;
  /** only check that the file is as the patch assumes (the edit throws an AnchorError if not); no change */
  check?: boolean;
}

/** A patch before it is generated: what to edit and why. */
export interface PatchPlan {
  subject: string;
  /** the commit message body, paragraphs separated by blank lines (rewrapped at 75 columns) */
  body: string;
  edits: FileEdit[];
}

/** A generated patch: its file changes, each `before` being the text after the previous patches. */
export interface SwitchPatch {
  subject: string;
  body: string;
  changes: FileChange[];
}

/** Rewrap paragraphs at `width` columns (lines starting with whitespace or '-' are kept). */
export function wrapBody(body: string, width = 75): string {
  return body.trim().split(/\n\s*\n/).map((para) => {
    const words = para.replace(/\s+/g, ' ').trim().split(' ');
    const lines: string[] = [];
    let cur = '';
    for (const w of words) {
      if (cur && cur.length + 1 + w.length > width) { lines.push(cur); cur = w; } else cur = cur ? `${cur} ${w}` : w;
    }
    if (cur) lines.push(cur);
    return lines.join('\n');
  }).join('\n\n');
}

/** Run the plans on the tree's files. Throws AnchorError (as UsageError) when an anchor is missing. */
export function runPlans(tree: string, plans: PatchPlan[]): SwitchPatch[] {
  const read = treeReader(tree);
  const current = new Map<string, string>();
  const out: SwitchPatch[] = [];
  for (const p of plans) {
    const changes: FileChange[] = [];
    for (const e of p.edits) {
      const before = current.get(e.file) ?? read(e.file);
      if (before === undefined) throw new UsageError(`${e.file} not found in ${tree}: is it a kernel tree?`);
      let after: string;
      try {
        after = e.edit(before);
      } catch (err) {
        if (err instanceof AnchorError) throw new UsageError(`switch patch "${p.subject}": ${err.message}`);
        throw err;
      }
      if (e.check) continue;
      if (after === before) throw new UsageError(`switch patch "${p.subject}": nothing changed in ${e.file}`);
      current.set(e.file, after);
      const prev = changes.find((c) => c.file === e.file);
      if (prev) prev.after = after;
      else changes.push({ file: e.file, before, after, sites: [], kind: e.file.startsWith('include/') ? 'header' : 'sites' });
    }
    out.push({ subject: p.subject, body: wrapBody(p.body), changes });
  }
  return out;
}

/** The final state of every file the series touches (before: the tree as it was). */
export function flattenSeries(patches: SwitchPatch[]): FileChange[] {
  const byFile = new Map<string, FileChange>();
  for (const p of patches) {
    for (const c of p.changes) {
      const prev = byFile.get(c.file);
      if (prev) prev.after = c.after;
      else byFile.set(c.file, { ...c });
    }
  }
  return [...byFile.values()];
}

/** One patch as `git format-patch` would print it (mbox, numbered n/total). */
export function formatPatch(p: SwitchPatch, n: number, total: number, author = 'unembed <unembed@localhost>'): string {
  const diff = p.changes.map((c) => fileDiff(c.file, c.before, c.after))
    .map((d) => `diff --git ${/^--- a\/(\S+)/m.exec(d)?.[1] ? `a/${/^--- a\/(\S+)/m.exec(d)![1]} b/${/^--- a\/(\S+)/m.exec(d)![1]}` : ''}\n${d}`)
    .join('');
  return [
    'From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001',
    `From: ${author}`,
    `Subject: [PATCH ${n}/${total}] ${p.subject}`,
    '',
    p.body,
    '',
    'Signed-off-by: ' + author,
    '---',
    diff,
  ].join('\n');
}

/** Write the series' final file states into the tree, each file atomically. */
export function writeSeries(tree: string, patches: SwitchPatch[], upTo = patches.length): string[] {
  const files = flattenSeries(patches.slice(0, upTo));
  for (const c of files) {
    const target = join(tree, c.file);
    const tmp = `${target}.unembed-${process.pid}.tmp`;
    try {
      writeFileSync(tmp, c.after, 'latin1');
      renameSync(tmp, target);
    } catch (e) {
      try { unlinkSync(tmp); } catch { /* gone */ }
      throw e;
    }
  }
  return files.map((c) => c.file);
}

export type { TransformDefinition };
