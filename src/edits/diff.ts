// One file's change as a unified diff, `a/` and `b/` prefixes as git and spatch print them.
import { formatPatch, structuredPatch } from 'diff';

const CONTEXT = 3;

/** Where the lines of `text` before offset `at` start: the line count and the offset of the line holding `at`. */
function lineStartBefore(text: string, at: number, extraLines: number): { offset: number; lines: number } {
  // (lastIndexOf reads a negative start as 0: a first empty line would look like a line end)
  const startOfLine = (i: number) => (i > 0 ? text.lastIndexOf('\n', i - 1) + 1 : 0);
  let offset = startOfLine(at);
  for (let k = 0; k < extraLines && offset > 0; k++) offset = startOfLine(offset - 1);
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) lines++;
  return { offset, lines };
}

/** The offset just past the line holding `at` and `extraLines` more (the text's end at most). */
function lineEndAfter(text: string, at: number, extraLines: number): number {
  let end = at;
  for (let k = 0; k <= extraLines && end < text.length; k++) {
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + 1;
  }
  return end;
}

/**
 * The diff is taken over the changed lines and a margin of unchanged ones (twice the context):
 * the unchanged rest of a driver, most of its lines, cost jsdiff as much as the change. The
 * hunks are those of the whole file, moved down by the lines left out (the edits only replace
 * text, and the margin keeps every hunk's context and every merge of neighbouring hunks).
 */
export function fileDiff(file: string, before: string, after: string): string {
  const n = Math.min(before.length, after.length);
  let start = 0;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  const margin = 2 * CONTEXT + 1;
  const from = lineStartBefore(before, start, margin);
  const toBefore = lineEndAfter(before, endBefore, margin);
  const toAfter = lineEndAfter(after, endAfter, margin);
  // the window must end where both texts end, or at the same unchanged line in both
  const whole = toBefore === before.length || toAfter === after.length;
  const oldText = whole ? before.slice(from.offset) : before.slice(from.offset, toBefore);
  const newText = whole ? after.slice(from.offset) : after.slice(from.offset, toAfter);
  const patch = structuredPatch(`a/${file}`, `b/${file}`, oldText, newText, '', '', { context: CONTEXT });
  for (const h of patch.hunks) {
    h.oldStart += from.lines;
    h.newStart += from.lines;
  }
  return formatPatch(patch).replace(/^=+\n/m, '').replace(/^(---|\+\+\+) (\S+)\t?\n/gm, '$1 $2\n');
}
