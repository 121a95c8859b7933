// Kernel-style re-wrapping of lines an edit changed: continuation lines stay aligned with the
// open parenthesis they were aligned to, and a line pushed past 100 columns is broken after a
// top-level comma of its innermost open call, the rest aligned with that parenthesis (tabs,
// then spaces).

export const MAX_COLUMNS = 100;
const TAB = 8;

/** Display width of a line prefix, tabs expanded. */
export function columns(s: string): number {
  let c = 0;
  for (const ch of s) c = ch === '\t' ? c + TAB - (c % TAB) : c + 1;
  return c;
}

/** Indentation reaching column `col` the kernel way: tabs, then spaces. */
export function indentTo(col: number): string {
  return '\t'.repeat(Math.floor(col / TAB)) + ' '.repeat(col % TAB);
}

/** Columns of the parentheses still open at the end of `line`, outermost first (strings/comments skipped). */
export function openParens(line: string): number[] {
  return openParensNamed(line).map((p) => p.col);
}

/** Open parentheses with the identifier just before each (the function they call, if any). */
export function openParensNamed(line: string): { col: number; name: string }[] {
  const stack: { col: number; name: string }[] = [];
  let inStr: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === '\\') { i++; continue; }
      if (c === inStr) inStr = null;
      continue;
    }
    if (c === '"' || c === '\'') { inStr = c; continue; }
    if (c === '/' && line[i + 1] === '*') {
      const e = line.indexOf('*/', i + 2);
      if (e < 0) break;
      i = e + 1;
      continue;
    }
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '(') stack.push({ col: columns(line.slice(0, i)), name: /(\w*)\s*$/.exec(line.slice(0, i))![1] });
    else if (c === ')') stack.pop();
  }
  return stack;
}

/**
 * Re-align and re-wrap after edits. `oldLines`/`newLines` are one statement's lines before and
 * after the edit (same count). Continuation lines that were aligned one column after an open
 * parenthesis of the previous line follow that parenthesis to its new column. Then any line
 * longer than 100 columns is broken.
 */
export function rewrap(oldLines: string[], newLines: string[]): string[] {
  const out = newLines.slice();
  for (let i = 1; i < out.length; i++) {
    const prevOld = oldLines[i - 1];
    const prevNew = out[i - 1];
    const curOld = oldLines[i];
    if (prevOld === undefined || curOld === undefined) continue;
    const indentOld = columns(/^[\t ]*/.exec(curOld)![0]);
    const parensOld = openParens(prevOld);
    const idx = parensOld.findIndex((c) => c + 1 === indentOld);
    if (idx < 0) continue;
    // the same parenthesis after the edit: the one after the same name, else the same depth from the end
    const named = openParensNamed(prevOld)[idx];
    const parensNew = openParensNamed(prevNew);
    let match = named.name ? parensNew.filter((p) => p.name === named.name).pop() : undefined;
    if (!match) match = parensNew[parensNew.length - (parensOld.length - idx)];
    if (!match) continue;
    const target = match.col + 1;
    if (target !== indentOld) {
      out[i] = indentTo(target) + out[i].replace(/^[\t ]*/, '');
    }
  }
  const wrapped: string[] = [];
  for (const line of out) wrapped.push(...breakLong(line));
  return wrapped;
}

/** Break a line longer than 100 columns after the last top-level comma that fits. */
export function breakLong(line: string): string[] {
  if (columns(line) <= MAX_COLUMNS) return [line];
  // candidate break points: commas at the depth of an open call, outside strings
  let inStr: string | null = null;
  const stack: number[] = [];
  let best = -1;
  let bestParen = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === '\\') { i++; continue; }
      if (c === inStr) inStr = null;
      continue;
    }
    if (c === '"' || c === '\'') { inStr = c; continue; }
    if (c === '(') stack.push(i);
    else if (c === ')') stack.pop();
    else if (c === ',' && stack.length && columns(line.slice(0, i + 1)) <= MAX_COLUMNS) {
      best = i;
      bestParen = stack[stack.length - 1];
    }
  }
  if (best < 0) return [line];
  const head = line.slice(0, best + 1);
  const rest = line.slice(best + 1).replace(/^\s+/, '');
  if (!rest) return [line];
  const next = indentTo(columns(line.slice(0, bestParen)) + 1) + rest;
  if (columns(next) >= columns(line)) return [line];
  return [head, ...breakLong(next)];
}
