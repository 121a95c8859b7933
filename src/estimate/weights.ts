// The effort model's weights, in minutes, in ONE place. Every figure of `unembed estimate` in
// hours is a sum of these weights times counts taken from the scan; the report prints them, and
// `--weights FILE` overrides any subset of them (a JSON object of the same shape).
//
// The numbers are a starting point drawn from the precedents (PWM's 164-patch accessor and
// pwmchip_alloc() series, the I2C printk-helper series converting 12 drivers by hand): what
// matters most is that they are explicit, so a maintainer who disagrees can change one number
// and see the consequence.

import { readFileSync } from 'node:fs';
import { CATEGORIES, type Category } from '../model.js';
import { UsageError } from '../util/errors.js';

export interface PhaseOneWeights {
  /**
   * Minutes to review one site the tool rewrote, per category: reading the hunk and checking
   * that the helper call is equivalent (a setter call replacing an assignment, an initialiser
   * moved to run time, a rewrite inside a macro take longer than `&adap->dev`).
   */
  review: Record<Category, number>;
  /**
   * Minutes for one site a human must rewrite, per category: understanding the code, writing
   * the change and building/testing it (a by-value use or a sizeof of the device needs a
   * redesign; an unresolved receiver first needs its type found).
   */
  manual: Record<Category, number>;
  /** Minutes per patch: commit message, building the object, checkpatch, one review round, resend share. */
  patch: number;
  /**
   * Minutes per maintainer tree other than the subsystem's own (the tree of the header that
   * receives the helpers): acks, an immutable branch or a merge-window ordering, follow-ups.
   */
  tree: number;
}

export interface PhaseTwoWeights {
  /**
   * Minutes per conversion site in a driver (to_i2c_adapter(), container_of() from the device):
   * once the device is separately allocated and revocable, each must check that the adapter
   * still exists (or get it from a reference it holds).
   */
  conversion: number;
  /** Minutes per other site flagged for phase two (device used before registration or after deletion). */
  flag: number;
  /**
   * Minutes per adapter embedded in private data freed with the driver (devm_kzalloc(),
   * kzalloc() … kfree()): audit the remove path so nothing touches the adapter after
   * deletion, the case the core no longer waits for.
   */
  riskyEmbedding: number;
  /** Minutes per static adapter (or static struct embedding one): re-registration after unbind must work. */
  staticAdapter: number;
  /** Minutes per phase-two patch (as phase one). */
  patch: number;
  /** Minutes per maintainer tree other than the subsystem's own (as phase one). */
  tree: number;
  /**
   * Minutes of core work per subsystem: allocate the device separately, make the pointer
   * revocable (SRCU, as GPIO did), check it in every user-space entry point, stop waiting on
   * dev_released. A judgement, not a count.
   */
  core: number;
}

export interface CoreAllocationWeights {
  /** Minutes per adapter embedded in devm-allocated private data: switch to devm_i2c_alloc_adapter() with the private data appended. */
  devmEmbedding: number;
  /** Minutes per adapter embedded in private data freed by hand (kzalloc … kfree): the error and remove paths change too. */
  manualEmbedding: number;
  /** Minutes per adapter embedded in data allocated otherwise or where the allocation was not found. */
  otherEmbedding: number;
  /** Extra minutes per array of adapters (one allocation per element, a loop of frees on errors). */
  array: number;
  /** Minutes per adapter the driver allocates itself (`adap = kzalloc(sizeof(*adap))`): switch to the core allocator. */
  directAllocation: number;
  /** Minutes per container_of(adap, struct priv, member): becomes i2c_get_adapdata() or a private-data accessor. */
  containerOf: number;
  /** Minutes per `&priv->adap` use: becomes `priv->adap` (mechanical, Coccinelle can do it). */
  addressUse: number;
  /** Minutes per `priv->adap.field` access: becomes `priv->adap->field` (mechanical). */
  memberAccess: number;
  /** Minutes per static adapter: allocate it at probe/init time instead. */
  staticAdapter: number;
  /** Minutes per patch. */
  patch: number;
  /** Minutes per maintainer tree other than the subsystem's own. */
  tree: number;
  /**
   * Minutes of core work per subsystem whose object drivers allocate (I2C; not SPI, whose core
   * allocates already): i2c_alloc_adapter()/devm_i2c_alloc_adapter(), refcounted release,
   * guarding the algorithm callbacks after the driver is gone.
   */
  core: number;
}

export interface Weights {
  phaseOne: PhaseOneWeights;
  phaseTwo: PhaseTwoWeights;
  coreAllocation: CoreAllocationWeights;
}

function perCategory(values: Partial<Record<Category, number>>, fallback: number): Record<Category, number> {
  const out = {} as Record<Category, number>;
  for (const c of CATEGORIES) out[c] = values[c] ?? fallback;
  return out;
}

/** The default weights (minutes). */
export const DEFAULT_WEIGHTS: Weights = {
  phaseOne: {
    review: perCategory({
      'address-of': 1, 'member-read': 1, 'member-write': 2, 'config-before-register': 2, conversion: 1,
      initializer: 4, macro: 3, 'by-value': 3, 'sizeof-offsetof': 3, core: 2, unresolved: 2,
    }, 2),
    manual: perCategory({
      'address-of': 15, 'member-read': 15, 'member-write': 20, 'config-before-register': 20, conversion: 20,
      initializer: 30, macro: 30, 'by-value': 60, 'sizeof-offsetof': 60, core: 60, unresolved: 25,
    }, 30),
    patch: 30,
    tree: 120,
  },
  phaseTwo: {
    conversion: 20,
    flag: 15,
    riskyEmbedding: 30,
    staticAdapter: 20,
    patch: 30,
    tree: 120,
    core: 40 * 60,
  },
  coreAllocation: {
    devmEmbedding: 45,
    manualEmbedding: 75,
    otherEmbedding: 60,
    array: 45,
    directAllocation: 30,
    containerOf: 10,
    addressUse: 2,
    memberAccess: 1,
    staticAdapter: 60,
    patch: 30,
    tree: 120,
    core: 40 * 60,
  },
};

type Shape = { [k: string]: number | Shape };

/** Deep-merge `over` onto `base`, checking keys and values; `path` names the place in errors. */
function merge(base: Shape, over: unknown, path: string, file: string): Shape {
  if (typeof over !== 'object' || over === null || Array.isArray(over)) {
    throw new UsageError(`weights file ${file}: ${path || 'the top level'} must be an object`);
  }
  const out: Shape = { ...base };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    const here = path ? `${path}.${k}` : k;
    if (path === '' && k === 'schemaVersion') {
      if (v !== 1) throw new UsageError(`weights file ${file}: schemaVersion must be 1`);
      continue;
    }
    if (path === '' && (k === '$comment' || k === 'comment')) continue;
    if (!(k in base)) {
      throw new UsageError(`weights file ${file}: unknown key '${here}' (known: ${Object.keys(base).join(', ')})`);
    }
    const b = base[k];
    if (typeof b === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
        throw new UsageError(`weights file ${file}: '${here}' must be a non-negative number of minutes`);
      }
      out[k] = v;
    } else {
      out[k] = merge(b, v, here, file);
    }
  }
  return out;
}

/** Validate a parsed weights object (any subset of Weights) and merge it onto the defaults. */
export function parseWeights(value: unknown, file = '<weights>', base: Weights = DEFAULT_WEIGHTS): Weights {
  return merge(base as unknown as Shape, value, '', file) as unknown as Weights;
}

/** Read `--weights FILE`: JSON, any subset of the Weights shape; a bad file is a UsageError (exit 2). */
export function loadWeights(file: string): Weights {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`weights file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`weights file ${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return parseWeights(value, file);
}

/** One-line descriptions of the weights, for the report (key path -> text). */
export const WEIGHT_DOCS: Record<string, string> = {
  'phaseOne.review': 'per rewritten site, by category: review of the hunk',
  'phaseOne.manual': 'per site a human rewrites, by category: write, build, test',
  'phaseOne.patch': 'per patch: message, build, checkpatch, a review round, resend',
  'phaseOne.tree': 'per maintainer tree other than the subsystem\'s own: acks, merge coordination',
  'phaseTwo.conversion': 'per conversion site in a driver: check the adapter still exists',
  'phaseTwo.flag': 'per other site flagged for phase two (before registration, after deletion)',
  'phaseTwo.riskyEmbedding': 'per adapter embedded in data freed with the driver: audit the remove path',
  'phaseTwo.staticAdapter': 'per static adapter: re-registration after unbind',
  'phaseTwo.patch': 'per phase-two patch',
  'phaseTwo.tree': 'per maintainer tree other than the subsystem\'s own',
  'phaseTwo.core': 'per subsystem: the core change (separate device, revocable pointer)',
  'coreAllocation.devmEmbedding': 'per adapter embedded in devm data: switch to a core allocator',
  'coreAllocation.manualEmbedding': 'per adapter embedded in kzalloc data freed by hand',
  'coreAllocation.otherEmbedding': 'per adapter embedded in data allocated otherwise / not found',
  'coreAllocation.array': 'extra per array of adapters',
  'coreAllocation.directAllocation': 'per adapter the driver kzalloc()s itself: switch to the allocator',
  'coreAllocation.containerOf': 'per container_of() from the adapter to the private data',
  'coreAllocation.addressUse': 'per &priv->adap use (becomes priv->adap)',
  'coreAllocation.memberAccess': 'per priv->adap.field access (becomes priv->adap->field)',
  'coreAllocation.staticAdapter': 'per static adapter: allocate at probe instead',
  'coreAllocation.patch': 'per patch',
  'coreAllocation.tree': 'per maintainer tree other than the subsystem\'s own',
  'coreAllocation.core': 'per subsystem whose drivers allocate the object: the core allocator',
};
