// Applying a file's edits: nested edits folded into the one that contains them, conflicting ones
// refused, and every statement an edit touched re-aligned and re-wrapped kernel style. Lines no
// edit touched are copied byte for byte.
import type { Edit } from '../model.js';
import { rewrap } from './wrap.js';
import { lineAt, lineStarts } from '../util/text.js';

export interface ApplyResult {
  text: string;
  applied: number;
  /** edits that overlapped another one and could not be combined */
  conflicts: Edit[];
}

/** Fold edits that lie inside another edit whose replacement carries their original text. */
function foldNested(text: string, edits: Edit[]): { edits: Edit[]; conflicts: Edit[] } {
  const sorted = edits.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Edit[] = [];
  const conflicts: Edit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && e.start < last.end) {
      if (e.start === last.start && e.end === last.end && e.text === last.text) continue;
      if (e.end <= last.end) {
        const original = text.slice(e.start, e.end);
        const at = last.text.indexOf(original);
        if (at >= 0) {
          last.text = last.text.slice(0, at) + e.text + last.text.slice(at + original.length);
          continue;
        }
      }
      conflicts.push(e);
      continue;
    }
    out.push({ ...e });
  }
  return { edits: out, conflicts };
}

/**
 * Parenthesis depth at the start of every line (strings, chars and comments skipped). No
 * character is read past a line's end: V8 drops its optimised code for that, then compiles it
 * again (as in lex).
 */
function parenDepths(lines: string[]): number[] {
  const depth: number[] = [];
  let d = 0;
  let inComment = false;
  for (const line of lines) {
    depth.push(d);
    let inStr = 0;
    const n = line.length;
    for (let i = 0; i < n; i++) {
      const c = line.charCodeAt(i);
      if (inComment) {
        if (c === 42 /* * */ && i + 1 < n && line.charCodeAt(i + 1) === 47) { inComment = false; i++; }
        continue;
      }
      if (inStr) {
        if (c === 92 /* \ */) { i++; continue; }
        if (c === inStr) inStr = 0;
        continue;
      }
      if (c === 47 /* / */ && i + 1 < n) {
        const next = line.charCodeAt(i + 1);
        if (next === 42) { inComment = true; i++; continue; }
        if (next === 47) break;
      }
      if (c === 34 || c === 39) { inStr = c; continue; }
      if (c === 40) d++;
      else if (c === 41) d = Math.max(0, d - 1);
    }
    if (line.startsWith('#') || /^\s*$/.test(line)) d = d > 0 && line.startsWith('#') ? 0 : d;
  }
  depth.push(d);
  return depth;
}

export function applyEdits(text: string, edits: readonly Edit[]): ApplyResult {
  if (edits.length === 0) return { text, applied: 0, conflicts: [] };
  const { edits: clean, conflicts } = foldNested(text, edits.slice());
  const lines = text.split('\n');
  const lineStart = lineStarts(text);
  const lineOf = (o: number): number => lineAt(lineStart, o);
  const depth = parenDepths(lines);
  // the statement lines around each edit: back to a line starting at depth 0, on to depth 0
  const regions: { from: number; to: number; edits: Edit[] }[] = [];
  for (const e of clean) {
    let from = lineOf(e.start);
    // an edit that removes a line's newline reaches into the next line
    let to = e.end > e.start && text[e.end - 1] === '\n' ? lineOf(e.end) : lineOf(Math.max(e.start, e.end - 1));
    while (from > 0 && depth[from] > 0 && from > lineOf(e.start) - 12) from--;
    while (to < lines.length - 1 && depth[to + 1] > 0 && to < lineOf(e.end) + 12) to++;
    const last = regions[regions.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else regions.push({ from, to, edits: [e] });
  }
  const out: string[] = [];
  let next = 0;
  for (const r of regions) {
    for (; next < r.from; next++) out.push(lines[next]);
    const base = lineStart[r.from];
    const oldText = lines.slice(r.from, r.to + 1).join('\n');
    let newText = '';
    let pos = 0;
    for (const e of r.edits) {
      newText += oldText.slice(pos, e.start - base) + e.text;
      pos = e.end - base;
    }
    newText += oldText.slice(pos);
    const oldLines = oldText.split('\n');
    const newLines = newText.split('\n');
    out.push(...(oldLines.length === newLines.length ? rewrap(oldLines, newLines) : rewrap([], newLines)));
    next = r.to + 1;
  }
  for (; next < lines.length; next++) out.push(lines[next]);
  return { text: out.join('\n'), applied: clean.length, conflicts };
}
