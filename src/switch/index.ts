// Phase two, the subsystem switch: generate the core change that makes the subsystem core
// allocate and own the struct device (see docs/design.md), from the tree it runs on.
import type { TransformDefinition } from '../transform.js';
import { UsageError } from '../util/errors.js';
import { i2cSwitchPlan } from './i2c.js';
import { spiSwitchPlan } from './spi.js';
import { flattenSeries, runPlans, type PatchPlan, type SwitchPatch } from './plan.js';

export { flattenSeries, formatPatch, writeSeries, type SwitchPatch } from './plan.js';
export { AnchorError } from './cedit.js';

/** Is there a subsystem switch for this transform? */
export function hasSwitch(t: TransformDefinition): boolean {
  return t.id === 'i2c-adapter-dev' || t.id === 'spi-controller-dev';
}

export function switchPlans(t: TransformDefinition): PatchPlan[] {
  if (t.id === 'i2c-adapter-dev') return i2cSwitchPlan(t);
  if (t.id === 'spi-controller-dev') return spiSwitchPlan(t);
  throw new UsageError(`no subsystem switch for ${t.id}`);
}

/** The switch as a series of patches, generated on the files of `tree` (phase one applied). */
export function generateSwitch(tree: string, t: TransformDefinition): SwitchPatch[] {
  return runPlans(tree, switchPlans(t));
}

/** The switch as the final state of each file it touches. */
export function switchChanges(tree: string, t: TransformDefinition) {
  return flattenSeries(generateSwitch(tree, t));
}
