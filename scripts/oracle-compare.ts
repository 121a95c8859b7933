// Recall and precision of a scan against the compiler oracle's output (scripts/oracle.ts), for
// one subsystem: a compiler site is found when the scan has a site of that transform on the
// same file and line (or on the macro expansion line gcc names).
// Scan sites the compiler cannot judge (files it did not compile, or did not consider, and
// sites the scan left `unresolved`) are counted and listed apart: check those by hand.
//   node dist/scripts/oracle-compare.js ORACLE.json SCAN.json [i2c-adapter-dev]
import { readFileSync } from 'node:fs';

interface OracleSite { file: string; line: number; usable: boolean; struct: string; via?: { file: string; line: number }[] }
interface OracleFile { path: string; usable: boolean; status?: string }
interface ScanSite { file: string; line: number; transform: string; category: string; expr: string }

const [oraclePath, scanPath, transform = 'i2c-adapter-dev'] = process.argv.slice(2);
const oracle = JSON.parse(readFileSync(oraclePath, 'utf8')) as { sites: OracleSite[]; files: OracleFile[] };
const scan = JSON.parse(readFileSync(scanPath, 'utf8')) as { sites: ScanSite[] };
const usableFiles = new Set(oracle.files.filter((f) => f.usable).map((f) => f.path));
const ours = scan.sites.filter((s) => s.transform === transform);
const oursAt = new Set(ours.map((s) => `${s.file}:${s.line}`));
const truth = oracle.sites.filter((s) => s.usable);
const truthAt = new Set(truth.flatMap((s) => [`${s.file}:${s.line}`, ...(s.via ?? []).map((v) => `${v.file}:${v.line}`)]));
const missed = truth.filter((s) => !oursAt.has(`${s.file}:${s.line}`) && !(s.via ?? []).some((v) => oursAt.has(`${v.file}:${v.line}`)));
const checkable = ours.filter((s) => usableFiles.has(s.file) && s.category !== 'unresolved');
const wrong = checkable.filter((s) => !truthAt.has(`${s.file}:${s.line}`));
const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(2)}%`;
console.log(`compiler sites (usable files): ${truth.length}; found ${truth.length - missed.length}, recall ${pct(truth.length - missed.length, truth.length)}`);
console.log(`scan sites in compiled files: ${checkable.length}; confirmed ${checkable.length - wrong.length}, precision ${pct(checkable.length - wrong.length, checkable.length)}`);
for (const m of missed) console.log(`  missed   ${m.file}:${m.line}${m.via?.length ? ` (via ${m.via.map((v) => `${v.file}:${v.line}`).join(' ')})` : ''}`);
for (const w of wrong) console.log(`  not confirmed ${w.file}:${w.line} ${w.category} ${w.expr}`);

const files = new Map(oracle.files.map((f) => [f.path, f]));
const unchecked = ours.filter((s) => !usableFiles.has(s.file) || s.category === 'unresolved');
const why = (s: ScanSite): string => {
  if (s.category === 'unresolved') return usableFiles.has(s.file) ? `unresolved (compiler: ${truthAt.has(`${s.file}:${s.line}`) ? 'a site' : 'no site'})` : 'unresolved';
  const f = files.get(s.file);
  if (!f) return s.file.endsWith('.c') ? 'file not among the oracle\'s candidates' : 'header (its sites count through the .c files)';
  return `file not compiled usably (${f.status ?? 'unusable'})`;
};
const groups = new Map<string, ScanSite[]>();
for (const s of unchecked) groups.set(why(s), [...(groups.get(why(s)) ?? []), s]);
console.log(`scan sites the compiler cannot judge: ${unchecked.length}`);
for (const [k, v] of groups) {
  console.log(`  ${k}: ${v.length} in ${new Set(v.map((s) => s.file)).size} file(s)`);
  for (const s of v) console.log(`    ${s.file}:${s.line} ${s.category} ${s.expr}`);
}
