// The registry of transforms. `--subsystem all` means the migration's two: i2c and spi.
import type { TransformDefinition } from '../src/transform.js';
import i2cAdapterDev from './i2c-adapter-dev.js';
import spiControllerDev from './spi-controller-dev.js';
import mtdInfoDev from './mtd-info-dev.js';

export const TRANSFORMS: readonly TransformDefinition[] = [i2cAdapterDev, spiControllerDev, mtdInfoDev];
export const DEFAULT_SUBSYSTEMS = ['i2c', 'spi'];

/** Transforms for a --subsystem value: a name, or 'all' (i2c and spi). */
export function transformsFor(subsystem: string): TransformDefinition[] {
  const names = subsystem === 'all' ? DEFAULT_SUBSYSTEMS : subsystem.split(',').map((s) => s.trim());
  return names.map((n) => {
    const t = TRANSFORMS.find((x) => x.subsystem === n || x.id === n);
    if (!t) throw new Error(`unknown subsystem '${n}' (known: ${TRANSFORMS.map((x) => x.subsystem).join(', ')}, all)`);
    return t;
  });
}
