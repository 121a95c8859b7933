// The data that flows between the stages: parse -> types -> match -> edits -> patches/report.
// Everything here is plain data (JSON-serialisable), so workers, the CLI and tests share it.

/** Where a site sits and what it does with the embedded device. */
export const CATEGORIES = [
  'address-of',          // &adap->dev
  'member-read',         // adap->dev.parent read, &adap->dev.kobj
  'member-write',        // adap->dev.groups = …  (not a known configuration field)
  'config-before-register', // adap->dev.parent = …, device_set_node(&adap->dev, …)
  'conversion',          // container_of(d, struct i2c_adapter, dev), to_i2c_adapter(d)
  'initializer',         // static struct i2c_adapter x = { .dev.parent = … }
  'macro',               // inside a #define body
  'by-value',            // the struct device used as a value (copy, typeof, …)
  'sizeof-offsetof',     // sizeof(adap->dev), offsetof(struct i2c_adapter, dev)
  'core',                // in the subsystem core itself
  'unresolved',          // the receiver's type could not be decided
] as const;
export type Category = (typeof CATEGORIES)[number];

/** The syntactic shape of the access, independent of where it is. */
export type SiteForm =
  | 'address-of' | 'member-read' | 'member-write' | 'member-address' | 'config-call'
  | 'conversion' | 'converter-call' | 'initializer' | 'by-value' | 'sizeof' | 'offsetof';

export interface Edit {
  /** byte offsets in the file (files are read as latin1: one char per byte) */
  start: number;
  end: number;
  text: string;
}

export interface Site {
  transform: string;        // 'i2c-adapter-dev'
  file: string;             // path relative to the tree root
  line: number;             // 1-based
  column: number;           // 1-based, in bytes
  offset: number;
  end: number;
  expr: string;             // the source text of the access
  form: SiteForm;
  category: Category;
  /** the receiver's type as inferred, e.g. `struct i2c_adapter *` */
  receiverType: string;
  /** the rewrite this site gets in phase one (absent when it needs a human or nothing) */
  edit?: Edit;
  /** further edits of the same rewrite (an initialiser moved to run time: the insertion) */
  moreEdits?: Edit[];
  /** the site already goes through the helper (to_i2c_adapter()): nothing to rewrite */
  noChange?: string;
  /** why the tool does not rewrite it: a human must */
  human?: string;
  /** rewritten now, but phase two (the core owning the device) needs a human look */
  phase2?: string;
  /** the site lies in a region tree-sitter marked as ERROR (found by the fallback) */
  inErrorRegion: boolean;
}

export type AllocationKind = 'devm_kzalloc' | 'kzalloc' | 'kmalloc' | 'kcalloc' | 'devm_kcalloc' | 'static'
  | 'stack' | 'core' | 'other' | 'unknown';

/** A struct that embeds the subsystem object by value (the lifetime problem). */
export interface Embedding {
  transform: string;
  file: string;
  line: number;
  /** the embedding struct's tag (or typedef name) */
  container: string;
  member: string;
  array: boolean;
  /** how objects of the container are allocated in the files that use it */
  allocations: AllocationKind[];
  /** registration calls seen on the embedded object */
  registrations: string[];
}

export interface FileDiagnostic {
  file: string;
  message: string;
}

export interface ScanStats {
  files: number;
  parsedFiles: number;
  bytes: number;
  filesWithErrors: number;
  sitesInErrorRegions: number;
  millis: number;
}

export interface ScanResult {
  tree: string;
  subsystems: string[];
  sites: Site[];
  embeddings: Embedding[];
  diagnostics: FileDiagnostic[];
  stats: ScanStats;
}

/** A site a human must handle: no rewrite, and not already in helper form. */
export function isManual(s: Site): boolean {
  return !s.edit && !s.noChange;
}
