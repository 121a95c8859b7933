// `unembed cocci`: write the Coccinelle semantic patches generated from the transforms.
import type { Argv } from 'yargs';
import { resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { transformsFor } from '../transforms/index.js';
import { UsageError } from './util/errors.js';

export function addCoccinelleCommand<T>(y: Argv<T>): Argv<T> {
  return y.command('cocci', 'write the equivalent Coccinelle semantic patches (.cocci)', (c) => c
    .option('subsystem', { type: 'string', default: 'all', describe: 'i2c, spi, mtd, or all (i2c and spi)' })
    .option('output', { alias: 'o', type: 'string', default: 'cocci', describe: 'folder to write the .cocci files to' }),
  async (argv) => {
    const a = argv as unknown as { subsystem: string; output: string };
    let transforms;
    try {
      transforms = transformsFor(a.subsystem);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const dir = resolve(a.output);
    mkdirSync(dir, { recursive: true });
    const { emitAll } = await import('./cocci/emit.js');
    for (const f of await emitAll(transforms, dir)) process.stdout.write(`${f}\n`);
  });
}
