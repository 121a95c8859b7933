// From a rewrite plan to the ordered patches of a series: the header helpers first (helpers
// only: the header's own sites go with the core), one patch per subsystem core, then one patch
// per driver (a Kbuild module, src/patches/units.ts) or per MAINTAINERS section.
import { posix } from 'node:path';
import type { Site } from '../model.js';
import type { TransformDefinition } from '../transform.js';
import type { FileChange, RewritePlan } from '../rewrite.js';
import { driverUnits, type DriverUnit } from '../patches/units.js';
import { recipientsFor, type MaintainersDb } from '../patches/maintainers.js';
import { subjectPrefix, type PrefixOptions } from '../patches/prefix.js';
import { matchesAny } from '../util/glob.js';
import {
  NO_CHANGE, conversionSummaries, fitSubject, headerSummaries, helpersUsed, joinWords, manualLines, paragraphs,
  planText, subsystemName, whyText,
} from './text.js';

/** header: the helpers; core, driver: phase one; switch: the subsystem switch (phase two) */
export type PatchKind = 'header' | 'core' | 'driver' | 'switch';

export interface SeriesFile {
  file: string;
  /** the file's content after this patch (latin1: one char per byte) */
  after: string;
}

export interface SeriesPatch {
  kind: PatchKind;
  /** ids of the transforms the patch serves */
  transforms: string[];
  /** short name: the subsystem (header, core), the module, or the MAINTAINERS section */
  name: string;
  files: SeriesFile[];
  /** sites rewritten by the patch */
  sites: Site[];
  /** sites in the patch's files left for a human */
  manual: Site[];
  units: DriverUnit[];
  /** --split maintainer: the MAINTAINERS section of the group */
  section?: string;
  /** header patch: the helpers added */
  added?: string[];
  prefix: string;
  subject: string;
  /** the commit message body (no subject, no trailers) */
  body: string;
}

export interface GroupOptions {
  /** the tree the plan was made on (the worktree) */
  tree: string;
  plan: RewritePlan;
  /** headerChanges() of the tree: the helpers alone */
  headers: FileChange[];
  transforms: readonly TransformDefinition[];
  only?: readonly string[];
  exclude?: readonly string[];
  split?: 'driver' | 'maintainer';
  /** needed for --split maintainer */
  maintainers?: MaintainersDb;
  prefix?: PrefixOptions;
  /**
   * the subsystem cores' own files (the transforms' coreFiles) are part of the series whatever
   * --only and --exclude say (--phase all: the switch builds only on a fully converted core)
   */
  allCore?: boolean;
  /** a prefix per unit, for tests (default: subjectPrefix from history, else path rules) */
  prefixFor?: (unit: DriverUnit) => Promise<string>;
}

export interface GroupResult {
  patches: SeriesPatch[];
  /** all sites left for a human in the selected files */
  manual: Site[];
  /** rewritten sites in the selected files */
  sites: Site[];
}

/** Does a path pass --only / --exclude? */
export function selected(file: string, only: readonly string[] = [], exclude: readonly string[] = []): boolean {
  return (only.length === 0 || matchesAny(file, only)) && !matchesAny(file, exclude);
}

function byFile(a: Site, b: Site): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.offset - b.offset;
}

function orderTransforms(all: readonly TransformDefinition[], ids: Iterable<string>): TransformDefinition[] {
  const set = new Set(ids);
  return all.filter((t) => set.has(t.id));
}

/** What the patch does, from the helpers it uses. */
function whatText(ts: readonly TransformDefinition[], sites: readonly Site[], subject: string): string {
  const used = helpersUsed(ts, sites);
  const parts: string[] = [];
  for (const t of ts) {
    const obj = t.objectName;
    const m = t.member;
    if (used.includes(t.accessor)) {
      parts.push(`Use ${t.accessor}(${obj}) instead of &${obj}->${m}, and ${t.accessor}(${obj})->field instead of ${obj}->${m}.field.`);
    }
    const setters = t.setters.filter((s) => used.includes(s.helper)).map((s) => `${s.helper}()`);
    if (setters.length) parts.push(`Set the configuration of the device before registration with ${joinWords(setters)}.`);
    const getters = (t.getters ?? []).filter((g) => used.includes(g.helper));
    for (const g of getters) {
      parts.push(`Read the ${g.member} with ${g.helper}(${obj}) instead of ${obj}->${m}.${g.member}: it also works before registration.`);
    }
    if (used.includes(t.converter)) parts.push(`Use ${t.converter}() instead of an open-coded container_of().`);
  }
  const n = sites.length;
  return `Convert ${subject} (${n} access${n === 1 ? '' : 'es'}). ${parts.join(' ')}`.trim();
}

function manualText(manual: readonly Site[]): string {
  if (!manual.length) return '';
  return `The following access${manual.length === 1 ? ' is' : 'es are'} left for a manual follow-up:\n${manualLines(manual)}`;
}

function bodyFor(ts: readonly TransformDefinition[], what: string, manual: readonly Site[]): string {
  const paras: string[] = [];
  for (const t of ts) paras.push(whyText(t), planText(t));
  paras.push(what, NO_CHANGE);
  const text = paragraphs(paras);
  const m = manualText(manual);
  return m ? `${text}\n\n${m}` : text;
}

/** The leading `a: b:` tokens the prefixes share (`i2c: acme:` + `i2c: bramble:` -> `i2c:`). */
export function sharedPrefix(prefixes: readonly string[]): string {
  if (!prefixes.length) return '';
  const split = (p: string): string[] => p.trim().split(/(?<=:)\s+/);
  let common = split(prefixes[0]);
  for (const p of prefixes.slice(1)) {
    const q = split(p);
    let k = 0;
    while (k < common.length && k < q.length && common[k] === q[k]) k++;
    common = common.slice(0, k);
  }
  return common.join(' ');
}

export async function groupPatches(opts: GroupOptions): Promise<GroupResult> {
  const { plan, transforms } = opts;
  const keep = (f: string): boolean => selected(f, opts.only, opts.exclude)
    || (opts.allCore === true && transforms.some((t) => matchesAny(f, t.coreFiles)));
  const lookup = opts.prefixFor ?? ((u: DriverUnit) => subjectPrefix(opts.tree, u, opts.prefix));
  const cache = new Map<DriverUnit, Promise<string>>();
  const prefixFor = (u: DriverUnit): Promise<string> => {
    let p = cache.get(u);
    if (!p) {
      p = lookup(u);
      cache.set(u, p);
    }
    return p;
  };
  /** look the prefixes of many units up, a few git processes at a time */
  const warm = async (us: readonly DriverUnit[]): Promise<void> => {
    let next = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (next < us.length) await prefixFor(us[next++]);
    }));
  };
  const patches: SeriesPatch[] = [];

  // 1. the helpers, one patch per subsystem header
  for (const t of transforms) {
    const h = opts.headers.find((c) => c.file === t.header);
    if (!h) continue;
    const added = h.added ?? [];
    const subject = fitSubject(`${t.subsystem}:`, headerSummaries(t, added));
    const what = `Add ${joinWords(added.map((a) => `${a}()`))} to ${t.header}. The drivers are converted `
      + 'to them in the following patches, one patch per driver, so that each patch can be reviewed '
      + 'and applied on its own.';
    patches.push({
      kind: 'header', transforms: [t.id], name: t.subsystem, files: [{ file: h.file, after: h.after }], sites: [],
      manual: [], units: [], added, prefix: `${t.subsystem}:`, subject,
      body: paragraphs([whyText(t), planText(t), what, NO_CHANGE]),
    });
  }

  // the files with rewritten sites (the header's own sites included), selected by --only/--exclude
  const changes = plan.changes.filter((c) => c.sites.length > 0 && keep(c.file));
  const manual = plan.manual.filter((s) => keep(s.file)).sort(byFile);
  // a core's private header (drivers/i2c/i2c-core.h) goes with the core when its .c name would
  const coreOf = (file: string): TransformDefinition | undefined => transforms.find((t) => matchesAny(file, t.coreFiles)
    || (file.endsWith('.h') && !file.startsWith('include/') && matchesAny(`${file.slice(0, -2)}.c`, t.coreFiles)));

  // 2. the cores
  for (const t of transforms) {
    const files = changes.filter((c) => coreOf(c.file) === t);
    if (!files.length) continue;
    const fileNames = files.map((c) => c.file);
    const sites = files.flatMap((c) => c.sites).sort(byFile);
    const ts = orderTransforms(transforms, sites.map((s) => s.transform));
    const dir = posix.dirname(fileNames.find((f) => f.startsWith('drivers/')) ?? fileNames[0]);
    const unit: DriverUnit = { name: `${t.subsystem}-core`, dir, files: fileNames };
    const prefix = await prefixFor(unit);
    const coreSuffix = /\bcore:\s*$/.test(prefix) ? '' : 'in the core';
    const coreManual = manual.filter((s) => coreOf(s.file) === t);
    patches.push({
      kind: 'core', transforms: ts.map((x) => x.id), name: `${t.subsystem} core`,
      files: files.map((c) => ({ file: c.file, after: c.after })), sites, manual: coreManual, units: [unit], prefix,
      subject: fitSubject(prefix, conversionSummaries(ts.length ? ts : [t], coreSuffix)),
      body: bodyFor(ts.length ? ts : [t], whatText(ts, sites, `the ${subsystemName(t)} core`), coreManual),
    });
  }

  // 3. the drivers
  const driverChanges = changes.filter((c) => !coreOf(c.file));
  const driverManual = manual.filter((s) => !coreOf(s.file));
  const files = [...new Set([...driverChanges.map((c) => c.file), ...driverManual.map((s) => s.file)])].sort();
  const units = (await driverUnits(opts.tree, files)).filter((u) => u.files.some((f) => driverChanges.some((c) => c.file === f)));
  const changeOf = new Map(driverChanges.map((c) => [c.file, c]));
  const rank = (u: DriverUnit): number => {
    const first = u.files.map((f) => changeOf.get(f)).find((c) => c)?.sites[0];
    const k = transforms.findIndex((t) => t.id === first?.transform);
    return k < 0 ? transforms.length : k;
  };
  units.sort((a, b) => rank(a) - rank(b) || a.dir.localeCompare(b.dir) || a.name.localeCompare(b.name));

  // the groups: one unit each, or the units of one MAINTAINERS section
  let groups: { units: DriverUnit[]; section?: string }[] = units.map((u) => ({ units: [u] }));
  if (opts.split === 'maintainer') {
    const bySection = new Map<string, DriverUnit[]>();
    for (const u of units) {
      const section = opts.maintainers ? recipientsFor(opts.maintainers, u.files).sections[0]?.name ?? '' : '';
      const list = bySection.get(section) ?? [];
      list.push(u);
      bySection.set(section, list);
    }
    groups = [...bySection].map(([section, us]) => ({ units: us, section: section || undefined }));
  }

  await warm(units);
  const drivers: SeriesPatch[] = [];
  for (const g of groups) {
    const gFiles = g.units.flatMap((u) => u.files);
    const ch = gFiles.map((f) => changeOf.get(f)).filter((c): c is FileChange => c !== undefined);
    const sites = ch.flatMap((c) => c.sites).sort(byFile);
    const ts = orderTransforms(transforms, sites.map((s) => s.transform));
    const gManual = driverManual.filter((s) => gFiles.includes(s.file));
    const prefixes = await Promise.all(g.units.map((u) => prefixFor(u)));
    const prefix = g.units.length === 1 ? prefixes[0] : sharedPrefix(prefixes) || prefixes[0];
    const names = g.units.map((u) => u.name);
    const who = g.units.length === 1 ? `the ${names[0]} driver` : `the ${joinWords(names)} drivers`;
    drivers.push({
      kind: 'driver', transforms: ts.map((t) => t.id), name: g.section ?? names[0],
      files: ch.map((c) => ({ file: c.file, after: c.after })), sites, manual: gManual, units: g.units,
      section: g.section, prefix, subject: fitSubject(prefix, conversionSummaries(ts)),
      body: bodyFor(ts, whatText(ts, sites, who), gManual),
    });
  }
  // distinct subjects: a group sharing a subject with another names its drivers, else gets a number
  const seen = new Map<string, number>();
  for (const p of [...patches, ...drivers]) seen.set(p.subject, (seen.get(p.subject) ?? 0) + 1);
  const used = new Set<string>();
  for (const p of drivers) {
    if ((seen.get(p.subject) ?? 0) > 1 && p.units.length > 0) {
      const ts = orderTransforms(transforms, p.transforms);
      const names = p.units.map((u) => u.name.replace(/^(i2c|spi|mtd)[-_]/, ''));
      const listed = fitSubject(p.prefix, conversionSummaries(ts, `in ${joinWords(names)}`).slice(0, 3), 1000);
      if (listed.length <= 75 && !used.has(listed)) p.subject = listed;
    }
    let s = p.subject;
    for (let k = 2; used.has(s); k++) s = `${p.subject.slice(0, 75 - ` (${k})`.length)} (${k})`;
    p.subject = s;
    used.add(s);
  }
  patches.push(...drivers);
  return { patches, manual, sites: changes.flatMap((c) => c.sites) };
}
