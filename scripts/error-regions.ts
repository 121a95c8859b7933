// Measures what the kernel-aware layer buys: for every site the scan finds, is it inside a
// region tree-sitter-c marks as ERROR, when the file is parsed raw, and when it is normalised?
//   node dist/scripts/error-regions.js [--tree DIR] [paths…]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scan } from '../src/scan.js';
import { inErrorRegion, parseC } from '../src/parse/parser.js';

const args = process.argv.slice(2);
const ti = args.indexOf('--tree');
const tree = ti >= 0 ? args.splice(ti, 2)[1] : '.cache/linux-6.12';
const r = await scan({ tree, subsystem: 'all', paths: args });
const byFile = new Map<string, number[]>();
for (const s of r.sites) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s.offset]);
let raw = 0;
let norm = 0;
let rawItem = 0;
let normItem = 0;
/** the top-level item (function, declaration) around an offset holds an ERROR node */
const itemHasError = (root: ReturnType<typeof parseC>['tree']['rootNode'], o: number): boolean => {
  let n = root.descendantForIndex(o, o + 1);
  while (n.parent && n.parent.type !== 'translation_unit') n = n.parent;
  return n.type === 'ERROR' || n.hasError;
};
let rawFiles = 0;
let normFiles = 0;
for (const [file, offsets] of byFile) {
  const text = readFileSync(join(r.tree, file), 'latin1');
  const a = parseC(text, { raw: true }).tree.rootNode;
  const b = parseC(text).tree.rootNode;
  if (a.hasError) rawFiles++;
  if (b.hasError) normFiles++;
  for (const o of offsets) {
    if (inErrorRegion(a.descendantForIndex(o, o + 1))) raw++;
    if (inErrorRegion(b.descendantForIndex(o, o + 1))) norm++;
    if (itemHasError(a, o)) rawItem++;
    if (itemHasError(b, o)) normItem++;
  }
}
const pct = (n: number) => `${((100 * n) / Math.max(1, r.sites.length)).toFixed(1)}%`;
console.log(`sites: ${r.sites.length} in ${byFile.size} files`);
console.log(`files with ERROR nodes: raw ${rawFiles}, normalised ${normFiles}`);
console.log(`sites in ERROR regions: raw tree-sitter-c ${raw} (${pct(raw)}), with the kernel layer ${norm} (${pct(norm)})`);
console.log(`sites in a function (top-level item) with an ERROR node: raw ${rawItem} (${pct(rawItem)}), `
  + `with the kernel layer ${normItem} (${pct(normItem)})`);
const rawScan = await scan({ tree, subsystem: 'all', paths: args, rawParse: true });
const key = (s: { file: string; offset: number }) => `${s.file}:${s.offset}`;
const found = new Set(rawScan.sites.filter((s) => s.category !== 'unresolved').map(key));
const lost = r.sites.filter((s) => s.category !== 'unresolved' && !found.has(key(s))).length;
console.log(`typed sites the scan loses without the kernel layer: ${lost} of ${r.sites.length} (${pct(lost)}); `
  + `unresolved raw ${rawScan.sites.filter((s) => s.category === 'unresolved').length}, `
  + `with the layer ${r.sites.filter((s) => s.category === 'unresolved').length}`);
