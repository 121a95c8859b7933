// `unembed switch`: the phase-two core change as a patch series (mbox on stdout, or one file per
// patch with --out), or written into the tree with --in-place. To register it, add
// `addSwitchCommand` to the list in src/cli-commands.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { commonOptions, type CommonArgs } from '../cli.js';
import { transformsFor } from '../../transforms/index.js';
import { UsageError } from '../util/errors.js';
import { formatPatch, generateSwitch, writeSeries } from './index.js';

export function addSwitchCommand<T>(y: Argv<T>): Argv<T> {
  return y.command('switch', 'generate the core change (phase two): the core allocates and owns the device',
    (c) => commonOptions(c)
      .option('in-place', { type: 'boolean', default: false, describe: 'write the files into the tree' })
      .option('out', { type: 'string', describe: 'write one mbox file per patch into this folder' }),
    async (argv) => {
      const a = argv as unknown as CommonArgs & { inPlace: boolean; out?: string };
      const ts = transformsFor(a.subsystem);
      if (ts.length !== 1) throw new UsageError('name one subsystem: --subsystem i2c (or spi)');
      const patches = generateSwitch(a.tree, ts[0]);
      const mbox = patches.map((p, i) => formatPatch(p, i + 1, patches.length));
      if (a.out) {
        mkdirSync(a.out, { recursive: true });
        mbox.forEach((m, i) => writeFileSync(join(a.out!, `${String(i + 1).padStart(4, '0')}.patch`), m));
      } else if (!a.inPlace) {
        process.stdout.write(mbox.join('\n'));
      }
      if (a.inPlace) writeSeries(a.tree, patches);
      process.stderr.write(`unembed: ${patches.length} patch(es): ${patches.map((p) => p.subject).join('; ')}\n`);
    });
}
