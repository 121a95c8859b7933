// `estimate`: how much work is the migration? From a scan and its rewrite plan (the same
// planFromScan() dry run that `rewrite` and `series` use; the tree is never written), per
// driver (a driverUnits() unit = one patch) and in totals per tree, maintainer and category,
// for strategy A (phase one then the switch) and strategy B (the core allocates the adapter).

import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { transformsFor } from '../../transforms/index.js';
import type { TransformDefinition } from '../transform.js';
import { CATEGORIES, isManual, type AllocationKind, type Category, type ScanResult, type Site } from '../model.js';
import { headerChanges, lineStats, planFromScan, type FileChange, type RewritePlan } from '../rewrite.js';
import { scan, type ScanOptions } from '../scan.js';
import { driverUnits, KbuildIndex, type DriverUnit } from '../patches/units.js';
import { loadMaintainers, primaryTree, recipientsFor, type MaintainersDb } from '../patches/maintainers.js';
import { prefixFromPath, unitPath } from '../patches/prefix.js';
import { treeReader } from '../types/header-index.js';
import { matchesAny } from '../util/glob.js';
import { driverPass } from './adapters.js';
import { DEFAULT_WEIGHTS, type Weights } from './weights.js';
import {
  ESTIMATE_SCHEMA_VERSION, type CategoryCount, type CategoryTotals, type CoreAllocationFacts, type DriverEstimate,
  type Effort, type EmbeddingFact, type EstimateReport, type HardDriver, type Loc, type MaintainerTotals,
  type ManualSite, type SiteRef, type Totals, type TreeRef, type TreeTotals,
} from './schema.js';

export interface EstimateOptions {
  weights?: Weights;
  /** the MAINTAINERS database (default: the tree's MAINTAINERS, when there is one) */
  maintainers?: MaintainersDb;
  /** the plan of the scan (default: planFromScan(scan)) */
  plan?: RewritePlan;
}

const RISKY: readonly AllocationKind[] = ['devm_kzalloc', 'devm_kcalloc', 'kzalloc', 'kmalloc', 'kcalloc'];
const DEVM: readonly AllocationKind[] = ['devm_kzalloc', 'devm_kcalloc'];
const BY_HAND: readonly AllocationKind[] = ['kzalloc', 'kmalloc', 'kcalloc'];

/** The assumptions of the model, printed with every report. */
export const ASSUMPTIONS: EstimateReport['assumptions'] = {
  general: [
    'One patch per driver: a Kbuild module (driverUnits), else a directory; the subsystem cores are one patch each, and the helpers one patch per subsystem header.',
    'Recipients and trees as `get_maintainer.pl --no-git -f <files>`: the tree is the T: of the deepest matched section that has one.',
    'A tree other than the one of the subsystem header (where the helpers land) costs the tree overhead once per phase (acks, an immutable branch or merge-window ordering).',
    'Minutes are weights times counts from the scan; the weights are printed below and can be overridden with --weights FILE.',
    'Subject prefixes come from the path rules (prefixFromPath), not from git history.',
  ],
  phaseOne: [
    'Every site the tool rewrites costs review time for its category; every site left for a human costs writing and testing time.',
    'A driver with a rewritten or a manual site gets one patch; a driver with only manual sites gets a hand-written patch (the series generates none: `seriesPatch` false).',
    'Lines added/removed are lineStats() of the plan\'s changes: exactly the phase-one patch.',
  ],
  phaseTwo: [
    'The switch: the core allocates the struct device separately (at registration for I2C, at allocation for SPI) and revokes the adapter pointer on removal (SRCU, as GPIO does); the adapter itself stays in the driver\'s data.',
    'Per driver: each conversion site (to_i2c_adapter(), container_of() from the device) must check the adapter still exists; each other site flagged for phase two (device used before registration or after deletion) needs a look.',
    'Each adapter embedded in data freed with the driver (devm_kzalloc/kzalloc …) needs its remove path audited (the lifetime risk); each static adapter its re-registration.',
    'The core work is one fixed weight per subsystem (phaseTwo.core), carried by the core patch; the core\'s own sites are part of it.',
    'Sites of phase two are all manual (a human looks at each).',
  ],
  coreAllocation: [
    'Strategy B: the core allocates the whole adapter with the private data appended (as spi_alloc_host() and pwmchip_alloc() do); drivers hold a pointer. SPI needs nothing: its core allocates already.',
    'Per driver: each embedded adapter becomes a pointer returned by the core allocator (devm data: the probe changes; kzalloc data: the error and remove paths too; arrays: one allocation per element); each adapter the driver kzalloc()s itself switches to the allocator.',
    'Each container_of(adap, struct priv, member) becomes a private-data accessor; `&priv->adap` and `priv->adap.field` become `priv->adap` and `priv->adap->field` (mechanical, a Coccinelle rule); each static adapter is allocated at probe instead.',
    'The accesses to adap->dev stay valid (the device stays embedded in a core-owned adapter): no phase one needed. If B is done after phase one (as PWM did), add phase one\'s hours.',
    'The core work is one fixed weight per subsystem whose drivers allocate the object (coreAllocation.core), carried by the core patch.',
    'The counts come from a textual pass over the driver\'s files (approximate: member accesses by name).',
  ],
};

/** Short name of a T: entry: `git git://git.kernel.org/pub/scm/linux/kernel/git/broonie/spi.git` -> `broonie/spi`. */
export function treeName(t: string): string {
  const url = t.trim().split(/\s+/).find((w) => /:\/\//.test(w)) ?? t.trim().split(/\s+/).pop() ?? t;
  let path = url.replace(/^[a-z+]+:\/\/[^/]+\/?/i, '');
  path = path.replace(/^pub\/scm\/linux\/kernel\/git\//, '').replace(/^pub\/scm\//, '');
  path = path.replace(/\/+$/, '').replace(/\.git$/, '');
  return path || url;
}

const round1 = (m: number): number => Math.round(m * 10) / 10;
export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;

function emptyCount(): CategoryCount {
  return { total: 0, rewritten: 0, manual: 0, unchanged: 0, phase2: 0 };
}

function siteStatus(s: Site): SiteRef['status'] {
  return s.edit ? 'rewritten' : isManual(s) ? 'manual' : 'unchanged';
}

function freedBy(allocs: readonly AllocationKind[]): EmbeddingFact['freedBy'] {
  const kinds = new Set<EmbeddingFact['freedBy']>();
  for (const a of allocs) {
    if (DEVM.includes(a)) kinds.add('devm');
    else if (BY_HAND.includes(a)) kinds.add('by hand');
    else if (a === 'static') kinds.add('static');
  }
  if (kinds.size === 0) return 'unknown';
  if (kinds.size > 1) return 'mixed';
  return [...kinds][0];
}

interface Unit {
  id: string;
  name: string;
  dir: string;
  kind: DriverEstimate['kind'];
  core: boolean;
  files: string[];
  /** files for the MAINTAINERS lookup (a core unit without sites: the header) */
  lookup: string[];
  transform?: TransformDefinition;
  unit?: DriverUnit;
}

/** The estimate of a scan. The tree is only read. */
export async function estimateFromScan(result: ScanResult, opts: EstimateOptions = {}): Promise<EstimateReport> {
  const started = Date.now();
  const weights = opts.weights ?? DEFAULT_WEIGHTS;
  const tree = result.tree;
  const transforms = transformsFor(result.subsystems.join(','));
  const plan = opts.plan ?? planFromScan(result);
  const read = treeReader(tree);
  const db = opts.maintainers ?? (existsSync(join(tree, 'MAINTAINERS')) ? await loadMaintainers(tree) : undefined);
  const byTransform = new Map(transforms.map((t) => [t.id, t]));

  // --- the units: helpers, cores, drivers (as src/series/group.ts makes the patches)
  const coreOf = (file: string): TransformDefinition | undefined => transforms.find((t) => matchesAny(file, t.coreFiles));
  const files = [...new Set([...result.sites.map((s) => s.file), ...result.embeddings.map((e) => e.file),
    ...plan.changes.filter((c) => c.kind === 'sites').map((c) => c.file)])].sort();
  const units: Unit[] = [];
  for (const t of transforms) {
    units.push({ id: `helpers/${t.subsystem}`, name: `${t.subsystem}-helpers`, dir: posix.dirname(t.header), kind: 'helpers',
      core: true, files: [t.header], lookup: [t.header], transform: t });
  }
  for (const t of transforms) {
    const cf = files.filter((f) => coreOf(f) === t);
    const dir = posix.dirname(cf.find((f) => f.startsWith('drivers/')) ?? cf[0] ?? t.header);
    units.push({ id: `core/${t.subsystem}`, name: `${t.subsystem}-core`, dir, kind: 'core', core: true, files: cf,
      lookup: cf.length ? cf : [t.header], transform: t });
  }
  const driverFiles = files.filter((f) => !coreOf(f));
  const kbuild = new KbuildIndex(tree);
  for (const u of await driverUnits(tree, driverFiles, kbuild)) {
    units.push({ id: `${u.dir}/${u.name}`, name: u.name, dir: u.dir, kind: u.kind ?? 'module', core: false, files: u.files,
      lookup: u.files, unit: u });
  }
  // ids unique (a directory unit named like a module of the same directory)
  const ids = new Set<string>();
  for (const u of units) {
    let id = u.id;
    for (let k = 2; ids.has(id); k++) id = `${u.id}#${k}`;
    u.id = id;
    ids.add(id);
  }
  const unitOf = new Map<string, Unit>();
  for (const u of units) if (u.kind !== 'helpers') for (const f of u.files) unitOf.set(f, u);

  // --- lines: the helpers alone for the helpers patch, the rest with the files
  const helpersOnly = plan.changes.some((c) => c.kind === 'header') ? headerChanges(tree, transforms) : [];
  const lines = new Map<string, { added: number; removed: number }>();
  const addLines = (id: string, c: Pick<FileChange, 'before' | 'after' | 'file'>): void => {
    const s = lineStats(c);
    const l = lines.get(id) ?? { added: 0, removed: 0 };
    l.added += s.added;
    l.removed += s.removed;
    lines.set(id, l);
  };
  for (const c of plan.changes) {
    const h = helpersOnly.find((x) => x.file === c.file);
    if (c.kind === 'header' && h) {
      const t = transforms.find((x) => x.header === c.file);
      if (t) addLines(`helpers/${t.subsystem}`, h);
      const u = unitOf.get(c.file);
      if (u && h.after !== c.after) addLines(u.id, { file: c.file, before: h.after, after: c.after });
    } else {
      const u = unitOf.get(c.file);
      if (u) addLines(u.id, c);
    }
  }

  // --- home trees: those of the subsystem headers
  const home = new Set<string>();
  if (db) {
    for (const t of transforms) {
      const pt = primaryTree(recipientsFor(db, [t.header]));
      if (pt) home.add(pt.tree);
    }
  }

  const sitesOf = new Map<string, Site[]>();
  for (const s of result.sites) {
    const u = unitOf.get(s.file);
    if (!u) continue;
    (sitesOf.get(u.id) ?? sitesOf.set(u.id, []).get(u.id)!).push(s);
  }
  const structs = [...new Set(transforms.flatMap((t) => t.structs))];
  const ownedStructs = [...new Set(transforms.filter((t) => t.deviceCreatedAt === 'registration').flatMap((t) => t.structs))];
  const regNames = [...new Set(transforms.flatMap((t) => t.registration))];
  const w1 = weights.phaseOne;
  const w2 = weights.phaseTwo;
  const wb = weights.coreAllocation;

  const drivers: DriverEstimate[] = [];
  for (const u of units) {
    const sites = sitesOf.get(u.id) ?? [];
    const byCategory: Partial<Record<Category, CategoryCount>> = {};
    const siteList: SiteRef[] = [];
    const manual: ManualSite[] = [];
    let rewritten = 0;
    let nManual = 0;
    let unchanged = 0;
    let phase2 = 0;
    let review = 0;
    let manualMin = 0;
    for (const s of sites) {
      const status = siteStatus(s);
      const c = (byCategory[s.category] ??= emptyCount());
      c.total++;
      if (s.phase2) { c.phase2++; phase2++; }
      const ref: SiteRef = { file: s.file, line: s.line, column: s.column, category: s.category, expr: s.expr, status };
      if (status === 'rewritten') { c.rewritten++; rewritten++; review += w1.review[s.category]; }
      else if (status === 'manual') {
        c.manual++; nManual++; manualMin += w1.manual[s.category];
        ref.reason = s.human ?? 'no rewrite';
        manual.push({ file: s.file, line: s.line, column: s.column, category: s.category, expr: s.expr, reason: ref.reason });
      } else { c.unchanged++; unchanged++; ref.reason = s.noChange; }
      if (s.phase2) ref.phase2 = s.phase2;
      siteList.push(ref);
    }

    // recipients
    let sections: string[] = [];
    let maintainers: string[] = [];
    let reviewers: string[] = [];
    let lists: string[] = [];
    let treeRef: TreeRef | undefined;
    if (db) {
      const r = recipientsFor(db, u.lookup);
      sections = r.sections.map((s) => s.name);
      maintainers = r.recipients.filter((x) => x.role === 'maintainer').map((x) => x.email);
      reviewers = r.recipients.filter((x) => x.role === 'reviewer').map((x) => x.email);
      lists = r.recipients.filter((x) => x.role === 'list').map((x) => x.email);
      const pt = primaryTree(r);
      if (pt) treeRef = { name: treeName(pt.tree), url: pt.tree, section: pt.section, home: home.has(pt.tree) };
    }

    // embeddings and the textual pass
    const embs = result.embeddings.filter((e) => unitOf.get(e.file) === u);
    const pass = driverPass(read, await passFiles(tree, kbuild, u), embs.map((e) => ({ container: e.container, member: e.member })), structs, regNames,
      ownedStructs);
    const embeddings: EmbeddingFact[] = embs.map((e) => {
      const allocations = e.allocations.length ? e.allocations : pass.allocations.get(e.container) ?? [];
      return {
        file: e.file, line: e.line, subsystem: byTransform.get(e.transform)?.subsystem ?? e.transform, container: e.container,
        member: e.member, array: e.array, allocations, freedBy: freedBy(allocations), registrations: e.registrations,
      };
    });
    const risky = embeddings.filter((e) => e.allocations.some((a) => RISKY.includes(a)));
    const lifetimeRisk = risky.length > 0;
    const lifetimeRiskReason = lifetimeRisk
      ? risky.map((e) => `struct ${e.container}.${e.member}${e.array ? '[]' : ''} is in ${e.allocations.filter((a) => RISKY.includes(a)).join('/')}() data, `
        + `freed ${e.freedBy === 'devm' ? 'at unbind' : 'by the driver'} while the adapter may still be referenced`).join('; ')
      : undefined;
    const staticEmbeddings = embeddings.filter((e) => e.freedBy === 'static');

    // phase one
    const p1Patch = rewritten + nManual > 0 || (u.kind === 'helpers' && (lines.get(u.id)?.added ?? 0) > 0);
    const phaseOne = effort(p1Patch, {
      review: [rewritten, review], manual: [nManual, manualMin], patch: [p1Patch ? 1 : 0, w1.patch],
    }, sites.length, nManual);

    // phase two and strategy B
    let phaseTwo: Effort;
    let coreAllocation: DriverEstimate['coreAllocation'];
    const facts: CoreAllocationFacts = {
      embeddings: embeddings.length, arrays: embeddings.filter((e) => e.array).length, containerOf: pass.containerOf,
      addressUses: pass.addressUses.length, memberAccesses: pass.memberAccesses.length,
      staticAdapters: pass.staticAdapters.map((s) => ({ file: s.file, line: s.line, name: s.name, array: s.array })),
      multipleAdapters: embeddings.length > 1 || embeddings.some((e) => e.array) || pass.staticAdapters.length > 1
        || pass.staticAdapters.some((s) => s.array),
      directAllocations: pass.directAllocations,
    };
    if (u.kind === 'core') {
      // the fixed core work of each phase/strategy; the core's own sites are part of it
      const t = u.transform!;
      phaseTwo = effort(true, { core: [1, w2.core] }, phase2, phase2);
      const owned = t.deviceCreatedAt === 'registration';
      coreAllocation = { ...effort(owned, { core: [owned ? 1 : 0, wb.core] }, 0, 0), facts };
    } else if (u.kind === 'helpers') {
      phaseTwo = effort(false, {}, 0, 0);
      coreAllocation = { ...effort(false, {}, 0, 0), facts };
    } else {
      const isConv = (s: Site): boolean => s.form === 'conversion' || s.form === 'converter-call';
      const conversions = sites.filter(isConv).length;
      const flags = sites.filter((s) => s.phase2 && !isConv(s)).length;
      const statics = pass.staticAdapters.length + staticEmbeddings.length;
      const any = conversions + flags + risky.length + statics > 0;
      phaseTwo = effort(any, {
        conversions: [conversions, conversions * w2.conversion], flags: [flags, flags * w2.flag],
        riskyEmbeddings: [risky.length, risky.length * w2.riskyEmbedding],
        staticAdapters: [statics, statics * w2.staticAdapter], patch: [any ? 1 : 0, w2.patch],
      }, conversions + flags, conversions + flags);

      // strategy B: only for objects the drivers allocate (not SPI: its core allocates)
      const ownedEmb = embeddings.filter((e) => transforms.find((t) => t.subsystem === e.subsystem)?.deviceCreatedAt === 'registration');
      const kindOf = (e: EmbeddingFact): 'devm' | 'byHand' | 'static' | 'other' =>
        e.freedBy === 'devm' ? 'devm' : e.freedBy === 'by hand' ? 'byHand' : e.freedBy === 'static' ? 'static' : 'other';
      const nEmb = (k: string): number => ownedEmb.filter((e) => kindOf(e) === k).length;
      const ownedStatics = pass.staticAdapters.filter((s) => ownedStructs.includes(s.struct));
      const arrays = ownedEmb.filter((e) => e.array).length + ownedStatics.filter((s) => s.array).length;
      const nStatic = ownedStatics.length + nEmb('static');
      const bManual = pass.containerOf.length + nStatic + ownedEmb.length - nEmb('static') + pass.directAllocations.length;
      const bSites = bManual + pass.addressUses.length + pass.memberAccesses.length;
      const bAny = bSites > 0;
      coreAllocation = {
        ...effort(bAny, {
          devmEmbeddings: [nEmb('devm'), nEmb('devm') * wb.devmEmbedding],
          manualEmbeddings: [nEmb('byHand'), nEmb('byHand') * wb.manualEmbedding],
          otherEmbeddings: [nEmb('other'), nEmb('other') * wb.otherEmbedding],
          staticAdapters: [nStatic, nStatic * wb.staticAdapter],
          arrays: [arrays, arrays * wb.array],
          directAllocations: [pass.directAllocations.length, pass.directAllocations.length * wb.directAllocation],
          containerOf: [pass.containerOf.length, pass.containerOf.length * wb.containerOf],
          addressUses: [pass.addressUses.length, pass.addressUses.length * wb.addressUse],
          memberAccesses: [pass.memberAccesses.length, pass.memberAccesses.length * wb.memberAccess],
          patch: [bAny ? 1 : 0, wb.patch],
        }, bSites, bManual),
        facts,
      };
    }
    const strategyA = effort(phaseOne.patch || phaseTwo.patch,
      { phaseOne: [phaseOne.patch ? 1 : 0, phaseOne.minutes], phaseTwo: [phaseTwo.patch ? 1 : 0, phaseTwo.minutes] },
      phaseOne.sites + phaseTwo.sites, phaseOne.manualSites + phaseTwo.manualSites);

    const du: DriverUnit = u.unit ?? { name: u.name, dir: u.dir, files: u.files.length ? u.files : u.lookup };
    drivers.push({
      id: u.id, name: u.name, dir: u.dir, kind: u.kind, core: u.core,
      subsystems: u.transform ? [u.transform.subsystem]
        : [...new Set([...sites.map((s) => byTransform.get(s.transform)?.subsystem ?? s.transform), ...embeddings.map((e) => e.subsystem)])].sort(),
      files: u.files, prefix: u.kind === 'helpers' ? `${u.transform!.subsystem}:` : prefixFromPath(unitPath(du), du.name),
      sections, tree: treeRef, maintainers, reviewers, lists,
      sites: { total: sites.length, rewritten, manual: nManual, unchanged, phase2, byCategory },
      siteList, manual, lines: lines.get(u.id) ?? { added: 0, removed: 0 },
      seriesPatch: u.kind === 'helpers' ? p1Patch : rewritten > 0,
      embeddings, registrations: u.kind === 'helpers' ? [] : pass.registrations, lifetimeRisk, lifetimeRiskReason,
      phaseOne, phaseTwo, strategyA, coreAllocation,
    });
  }

  // --- totals
  const sel = {
    phaseOne: (d: DriverEstimate) => d.phaseOne,
    phaseTwo: (d: DriverEstimate) => d.phaseTwo,
    coreAllocation: (d: DriverEstimate) => d.coreAllocation,
  };
  const totalsFor = (ds: DriverEstimate[]): { phaseOne: Totals; phaseTwo: Totals; strategyA: Totals; coreAllocation: Totals } => ({
    phaseOne: totals(ds, [{ pick: sel.phaseOne, tree: w1.tree, lines: true }]),
    phaseTwo: totals(ds, [{ pick: sel.phaseTwo, tree: w2.tree }]),
    strategyA: totals(ds, [{ pick: sel.phaseOne, tree: w1.tree, lines: true }, { pick: sel.phaseTwo, tree: w2.tree }]),
    coreAllocation: totals(ds, [{ pick: sel.coreAllocation, tree: wb.tree }]),
  });
  const overall = totalsFor(drivers);

  const treeGroups = new Map<string, DriverEstimate[]>();
  for (const d of drivers) {
    const k = d.tree?.url ?? '';
    (treeGroups.get(k) ?? treeGroups.set(k, []).get(k)!).push(d);
  }
  const perTree: TreeTotals[] = [...treeGroups].map(([url, ds]) => ({
    tree: ds[0].tree ?? { name: '(none)', url, section: '', home: false },
    drivers: ds.map((d) => d.id),
    ...totalsFor(ds),
  })).sort((a, b) => b.strategyA.minutes - a.strategyA.minutes || a.tree.name.localeCompare(b.tree.name));

  const perM = new Map<string, MaintainerTotals>();
  for (const d of drivers) {
    for (const m of d.maintainers) {
      let t = perM.get(m);
      if (!t) {
        t = { maintainer: m, phaseOnePatches: 0, phaseTwoPatches: 0, coreAllocationPatches: 0, sites: 0, manualSites: 0, trees: [] };
        perM.set(m, t);
      }
      if (d.phaseOne.patch) t.phaseOnePatches++;
      if (d.phaseTwo.patch) t.phaseTwoPatches++;
      if (d.coreAllocation.patch) t.coreAllocationPatches++;
      t.sites += d.sites.total;
      t.manualSites += d.sites.manual;
      if (d.tree && !t.trees.includes(d.tree.name)) t.trees.push(d.tree.name);
    }
  }
  const perMaintainer = [...perM.values()].sort((a, b) => b.phaseOnePatches - a.phaseOnePatches
    || b.phaseTwoPatches - a.phaseTwoPatches || b.sites - a.sites || a.maintainer.localeCompare(b.maintainer));

  const perCategory: CategoryTotals[] = CATEGORIES.map((category) => {
    const c: CategoryTotals = { category, ...emptyCount(), drivers: 0, minutes: 0 };
    for (const d of drivers) {
      const x = d.sites.byCategory[category];
      if (!x) continue;
      c.drivers++;
      c.total += x.total;
      c.rewritten += x.rewritten;
      c.manual += x.manual;
      c.unchanged += x.unchanged;
      c.phase2 += x.phase2;
    }
    c.minutes = round1(c.rewritten * w1.review[category] + c.manual * w1.manual[category]);
    return c;
  }).filter((c) => c.total > 0);

  const allMaintainers = new Set<string>();
  const allLists = new Set<string>();
  for (const d of drivers) {
    if (!d.phaseOne.patch && !d.phaseTwo.patch && !d.coreAllocation.patch) continue;
    for (const m of d.maintainers) allMaintainers.add(m);
    for (const l of d.lists) allLists.add(l);
  }

  return {
    schemaVersion: ESTIMATE_SCHEMA_VERSION,
    tool: { name: 'unembed', command: 'estimate' },
    tree,
    subsystems: result.subsystems,
    scan: { candidateFiles: result.stats.files, parsedFiles: result.stats.parsedFiles, sites: result.sites.length,
      embeddings: result.embeddings.length, millis: result.stats.millis },
    weights,
    assumptions: ASSUMPTIONS,
    drivers,
    totals: overall,
    perTree,
    perMaintainer,
    perCategory,
    maintainers: [...allMaintainers].sort(),
    lists: [...allLists].sort(),
    hardest: hardest(drivers, 10),
    conflicts: plan.conflicts.map((c) => ({ file: c.file, line: lineAt(plan, c.file, c.edit.start) })),
    seriesPatches: drivers.filter((d) => d.seriesPatch).length,
    millis: Date.now() - started,
  };
}

/** The files of the textual pass: the unit's files and, for a module, all its C sources. */
async function passFiles(tree: string, kbuild: KbuildIndex, u: Unit): Promise<string[]> {
  const out = new Set(u.files);
  if (u.kind === 'module') {
    const mk = await kbuild.dir(u.dir);
    const m = mk?.modules.find((x) => x.name === u.name);
    for (const o of m?.objects ?? []) if (existsSync(join(tree, `${o}.c`))) out.add(`${o}.c`);
  }
  return [...out].sort();
}

function lineAt(plan: RewritePlan, file: string, offset: number): number {
  const c = plan.changes.find((x) => x.file === file);
  if (!c) return 0;
  let n = 1;
  for (let i = 0; i < offset && i < c.before.length; i++) if (c.before.charCodeAt(i) === 10) n++;
  return n;
}

/** An Effort from named parts `[count, total minutes]`; parts with no count or no minutes are omitted. */
function effort(patch: boolean, items: Record<string, [number, number]>, sites: number, manualSites: number): Effort {
  const parts: Record<string, number> = {};
  const counts: Record<string, number> = {};
  let minutes = 0;
  for (const [k, [n, m]] of Object.entries(items)) {
    if (!n || !m) continue;
    parts[k] = round1(m);
    counts[k] = n;
    minutes += m;
  }
  return { patch, minutes: round1(minutes), parts, counts, sites, manualSites };
}

interface PhasePick {
  pick: (d: DriverEstimate) => Effort;
  tree: number;
  lines?: boolean;
}

/** Totals of drivers over one or more phases (summed; distinct people, lists and trees unioned). */
function totals(ds: readonly DriverEstimate[], phases: readonly PhasePick[]): Totals {
  const t: Totals = {
    patches: 0, drivers: 0, sites: 0, manualSites: 0, maintainers: 0, lists: 0, trees: 0, crossTrees: 0,
    linesAdded: 0, linesRemoved: 0, minutes: 0, hours: 0, parts: {},
  };
  const people = new Set<string>();
  const lists = new Set<string>();
  const trees = new Set<string>();
  const driverIds = new Set<string>();
  let driverMin = 0;
  let coreMin = 0;
  let treeMin = 0;
  for (const ph of phases) {
    const cross = new Set<string>();
    for (const d of ds) {
      const e = ph.pick(d);
      if (!e.patch) continue;
      t.patches++;
      if (!d.core) driverIds.add(d.id);
      t.sites += e.sites;
      t.manualSites += e.manualSites;
      if (d.core) coreMin += e.minutes;
      else driverMin += e.minutes;
      for (const m of d.maintainers) people.add(m);
      for (const l of d.lists) lists.add(l);
      if (d.tree) {
        trees.add(d.tree.url);
        if (!d.tree.home) cross.add(d.tree.url);
      }
      if (ph.lines) {
        t.linesAdded += d.lines.added;
        t.linesRemoved += d.lines.removed;
      }
    }
    t.crossTrees += cross.size;
    treeMin += cross.size * ph.tree;
  }
  t.drivers = driverIds.size;
  t.maintainers = people.size;
  t.lists = lists.size;
  t.trees = trees.size;
  t.parts = { drivers: round1(driverMin), core: round1(coreMin), trees: round1(treeMin) };
  t.minutes = round1(driverMin + coreMin + treeMin);
  t.hours = hoursOf(t.minutes);
  return t;
}

function plural(n: number, word: string, pl = `${word}s`): string {
  return `${n} ${n === 1 ? word : pl}`;
}

/** The n hardest drivers (not core, not helpers) by strategy A minutes, with the reasons. */
function hardest(drivers: readonly DriverEstimate[], n: number): HardDriver[] {
  return drivers.filter((d) => !d.core)
    .sort((a, b) => b.strategyA.minutes - a.strategyA.minutes || b.coreAllocation.minutes - a.coreAllocation.minutes
      || a.id.localeCompare(b.id))
    .slice(0, n)
    .map((d) => {
      const why: [number, string][] = [];
      const p1 = d.phaseOne;
      const p2 = d.phaseTwo;
      if (d.manual.length) {
        const cats = [...new Set(d.manual.map((m) => m.category))].join(', ');
        why.push([p1.parts.manual ?? 0, `${plural(d.manual.length, 'site')} for a human (${cats})`]);
      }
      if (d.sites.rewritten) why.push([p1.parts.review ?? 0, `${plural(d.sites.rewritten, 'rewritten site')} to review`]);
      if (p2.counts.conversions) why.push([p2.parts.conversions, `${plural(p2.counts.conversions, 'conversion')} to make safe in phase two`]);
      if (p2.counts.flags) why.push([p2.parts.flags, `${plural(p2.counts.flags, 'site')} flagged for phase two`]);
      if (d.lifetimeRisk) why.push([p2.parts.riskyEmbeddings ?? 0, `lifetime risk: ${d.lifetimeRiskReason}`]);
      if (p2.counts.staticAdapters) why.push([p2.parts.staticAdapters, plural(p2.counts.staticAdapters, 'static adapter')]);
      if (d.coreAllocation.facts.multipleAdapters) why.push([0, 'several adapters (an array or more than one)']);
      if (d.tree && !d.tree.home) why.push([0, `goes through another tree (${d.tree.name})`]);
      if (d.files.length > 3) why.push([0, `${d.files.length} files`]);
      why.sort((a, b) => b[0] - a[0]);
      return { id: d.id, minutes: d.strategyA.minutes, coreAllocationMinutes: d.coreAllocation.minutes, why: why.map((x) => x[1]) };
    });
}

export type { Loc };

/** Scan the tree, plan the rewrite (dry run) and estimate. */
export async function estimate(opts: ScanOptions & EstimateOptions = {}): Promise<EstimateReport> {
  const result = await scan(opts);
  return estimateFromScan(result, opts);
}
