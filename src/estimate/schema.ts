// The estimate report: the one data structure every format renders, and the JSON schema of
// `unembed estimate --format json`. Every figure the text, markdown and HTML formats show is a
// field here (they are pure functions of this object).
//
// Schema version 1. Conventions: minutes are integers or decimals of minutes as the weights
// give them; `hours` fields are minutes / 60 rounded to one decimal; file paths are relative
// to the tree root; lines and columns are 1-based. Compatible additions (new fields) keep the
// version; removing or changing the meaning of a field bumps `schemaVersion`.
//
// Vocabulary:
// - driver: a unit of `driverUnits()` (one module from the Makefiles, else a directory) = one
//   patch of the phase-one series. Besides drivers proper there are `core` units (files of a
//   subsystem core, `TransformDefinition.coreFiles`) and one `helpers` unit per subsystem (its
//   header gains the helpers; its own sites go in that patch).
// - strategy A = phase one (accessor/setter helpers, what `unembed rewrite` writes) followed by
//   phase two ("the switch": the core allocates the struct device separately and revokes it).
// - strategy B = "core allocation": the core allocates the whole adapter (as spi_alloc_host()
//   and pwmchip_alloc() do), drivers hold a pointer.

import type { AllocationKind, Category } from '../model.js';
import type { Weights } from './weights.js';

export const ESTIMATE_SCHEMA_VERSION = 1 as const;

/** A position in the tree. */
export interface Loc {
  file: string;
  line: number;
}

/** How a site is handled in phase one. */
export type SiteStatus = 'rewritten' | 'manual' | 'unchanged';

/** One site of the scan, as the report lists it (every site of the scan is in exactly one driver). */
export interface SiteRef extends Loc {
  column: number;
  category: Category;
  expr: string;
  status: SiteStatus;
  /** why a human must handle it (status 'manual') or why nothing changes ('unchanged') */
  reason?: string;
  /** the phase-two note of the scan, when flagged */
  phase2?: string;
}

/** A manual site: where, what, and why the tool leaves it to a human. */
export interface ManualSite extends Loc {
  column: number;
  category: Category;
  expr: string;
  reason: string;
}

/** The maintainer tree a patch goes through (the first, deepest matched MAINTAINERS section with a T: entry). */
export interface TreeRef {
  /** short name from the T: URL, e.g. `andi.shyti/linux`, `broonie/spi`, `media`, `drm/misc/kernel` */
  name: string;
  /** the T: value as written, e.g. `git git://git.kernel.org/pub/scm/linux/kernel/git/broonie/spi.git` */
  url: string;
  /** the MAINTAINERS section that gave the tree */
  section: string;
  /** true for a tree that receives the helpers (the tree of a subsystem header): no cross-tree overhead */
  home: boolean;
}

/** An embedding of the object by value in a driver's struct (`ScanResult.embeddings`, completed over the driver's files). */
export interface EmbeddingFact extends Loc {
  subsystem: string;
  container: string;
  member: string;
  array: boolean;
  /** allocation kinds; those of the scan, or found by the estimate's pass over the driver's files when the scan had none */
  allocations: AllocationKind[];
  /** 'devm': freed by devres at unbind; 'by hand': kfree() in the driver; 'static'; 'unknown' */
  freedBy: 'devm' | 'by hand' | 'static' | 'unknown' | 'mixed';
  /** registration calls on the embedded object seen in the struct's file */
  registrations: string[];
}

/** Per-category site counts. */
export interface CategoryCount {
  total: number;
  rewritten: number;
  manual: number;
  unchanged: number;
  /** sites flagged for phase two */
  phase2: number;
}

/** Strategy B facts of one driver, from the estimate's textual pass over its files. */
export interface CoreAllocationFacts {
  /** adapters embedded by value (an array counts once; see `arrays`) */
  embeddings: number;
  arrays: number;
  /** container_of(x, struct <container>, <member>) from the adapter to the private data */
  containerOf: Loc[];
  /** `&priv->adap` uses */
  addressUses: number;
  /** `priv->adap.field` accesses */
  memberAccesses: number;
  /** static adapters (file-scope or static objects of the subsystem type) */
  staticAdapters: (Loc & { name: string; array: boolean })[];
  /** several adapters (more than one embedding, an array, or several statics) */
  multipleAdapters: boolean;
  /** adapters the driver allocates itself (`adap = kzalloc(…)` with `struct i2c_adapter *adap`) */
  directAllocations: Loc[];
}

/** Minutes of one driver under one phase or strategy, with the parts. */
export interface Effort {
  /** does the driver get a patch in this phase/strategy */
  patch: boolean;
  minutes: number;
  /** named parts summing to `minutes` (e.g. `review`, `manual`, `patch`, `conversions`); zero parts omitted */
  parts: Record<string, number>;
  /** how many of each part (sites, embeddings, patches …), same keys as `parts` */
  counts: Record<string, number>;
  /** sites of this phase: phase one all the driver's sites; phase two the conversions and flagged sites; B the places to change */
  sites: number;
  /** of which need a human (phase one: manual sites; phase two: all; B: all but the mechanical address/member rewrites) */
  manualSites: number;
}

export interface DriverEstimate {
  /** unique id: `<dir>/<name>` (helpers: `helpers/<subsystem>`) */
  id: string;
  name: string;
  dir: string;
  kind: 'module' | 'directory' | 'helpers' | 'core';
  /** subsystem core code (or the helpers patch), not a driver */
  core: boolean;
  subsystems: string[];
  files: string[];
  /** the subject prefix by path rules (`prefixFromPath`), e.g. `i2c: designware:` */
  prefix: string;
  /** MAINTAINERS sections matched, deepest first */
  sections: string[];
  tree?: TreeRef;
  /** M: people (To), R: reviewers, L: lists, as get_maintainer.pl -f would print them */
  maintainers: string[];
  reviewers: string[];
  lists: string[];
  sites: { total: number; rewritten: number; manual: number; unchanged: number; phase2: number;
    byCategory: Partial<Record<Category, CategoryCount>> };
  /** every site of the driver */
  siteList: SiteRef[];
  /** the sites a human must handle (status 'manual'), with the reason */
  manual: ManualSite[];
  /** the series (`unembed series`) generates a patch for it (it has rewritten sites, or it is a helpers patch) */
  seriesPatch: boolean;
  /** lines added / removed by the phase-one patch (lineStats over the plan's changes of its files) */
  lines: { added: number; removed: number };
  embeddings: EmbeddingFact[];
  /** registration calls of the subsystems found in the driver's files */
  registrations: string[];
  /** the embedded adapter is freed with the driver's data (devm_kzalloc/kzalloc/… embedding) */
  lifetimeRisk: boolean;
  lifetimeRiskReason?: string;
  phaseOne: Effort;
  phaseTwo: Effort;
  /** strategy A for this driver: phaseOne + phaseTwo minutes */
  strategyA: Effort;
  coreAllocation: Effort & { facts: CoreAllocationFacts };
}

/** Totals of one phase or strategy over a set of drivers. */
export interface Totals {
  patches: number;
  /** drivers proper (not core or helpers) with a patch */
  drivers: number;
  sites: number;
  manualSites: number;
  /** distinct M: people / L: lists / trees over the patches */
  maintainers: number;
  lists: number;
  trees: number;
  /** trees other than the subsystems' own, each costing the tree overhead */
  crossTrees: number;
  linesAdded: number;
  linesRemoved: number;
  /** minutes: drivers' minutes + subsystem core work + tree overhead */
  minutes: number;
  hours: number;
  /** the parts of `minutes` (`drivers`, `core`, `trees`) */
  parts: Record<string, number>;
}

export interface PhaseTotals {
  phaseOne: Totals;
  phaseTwo: Totals;
  /** phase one then phase two: patches, sites and minutes add up (a driver patched in both counts twice) */
  strategyA: Totals;
  coreAllocation: Totals;
}

export interface TreeTotals {
  tree: TreeRef;
  /** driver ids going through the tree */
  drivers: string[];
  phaseOne: Totals;
  phaseTwo: Totals;
  strategyA: Totals;
  coreAllocation: Totals;
}

export interface MaintainerTotals {
  /** `Name <address>` as get_maintainer.pl prints it */
  maintainer: string;
  /** patches this person is To: on, per phase/strategy */
  phaseOnePatches: number;
  phaseTwoPatches: number;
  coreAllocationPatches: number;
  sites: number;
  manualSites: number;
  trees: string[];
}

export interface CategoryTotals extends CategoryCount {
  category: Category;
  drivers: number;
  /** phase-one minutes of the sites of this category (review + manual work) */
  minutes: number;
}

export interface HardDriver {
  id: string;
  /** strategy A minutes of the driver (phase one + phase two) */
  minutes: number;
  coreAllocationMinutes: number;
  /** reasons, biggest first */
  why: string[];
}

export interface EstimateReport {
  schemaVersion: typeof ESTIMATE_SCHEMA_VERSION;
  tool: { name: 'unembed'; command: 'estimate' };
  tree: string;
  subsystems: string[];
  scan: { candidateFiles: number; parsedFiles: number; sites: number; embeddings: number; millis: number };
  /** the weights used (defaults merged with --weights) */
  weights: Weights;
  /** the model's assumptions, in words, per phase/strategy */
  assumptions: { phaseOne: string[]; phaseTwo: string[]; coreAllocation: string[]; general: string[] };
  drivers: DriverEstimate[];
  totals: PhaseTotals;
  perTree: TreeTotals[];
  perMaintainer: MaintainerTotals[];
  perCategory: CategoryTotals[];
  /** distinct M: people and L: lists over all patches of all phases */
  maintainers: string[];
  lists: string[];
  /** the ten hardest drivers (strategy A minutes), with why */
  hardest: HardDriver[];
  /** edits that collided in the plan (should be none) */
  conflicts: Loc[];
  /** patches `unembed series` generates (drivers with rewritten sites, cores, helpers) */
  seriesPatches: number;
  /** how long the estimate took after the scan (ms) */
  millis: number;
}
