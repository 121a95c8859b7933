// The command line: a thin layer over the library API (src/index.ts). Exit codes: 0 ok,
// 1 the job failed, 2 usage or input error. Errors are one line, never a stack trace.
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { readFileSync } from 'node:fs';
import { scan } from './scan.js';
import { formatScan } from './report/scan-text.js';
import { UsageError } from './util/errors.js';
import { commands as extraCommands } from './cli-commands.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface CommonArgs {
  tree: string;
  subsystem: string;
  json: boolean;
}

export function commonOptions<T>(y: Argv<T>): Argv<T & CommonArgs> {
  return y
    .option('tree', { type: 'string', default: '.', describe: 'kernel tree (a git checkout)' })
    .option('subsystem', { type: 'string', default: 'all', describe: 'i2c, spi, mtd, or all (i2c and spi)' })
    .option('json', { type: 'boolean', default: false, describe: 'print JSON' }) as Argv<T & CommonArgs>;
}

export function fail(e: unknown): never {
  const err = e as Error;
  const usage = err instanceof UsageError || err.name === 'UsageError';
  const msg = (err && err.message ? err.message : String(e)).split('\n')[0];
  process.stderr.write(`unembed: ${msg}\n`);
  process.exit(usage ? 2 : 1);
}

async function main(): Promise<void> {
  let y = yargs(hideBin(process.argv))
    .scriptName('unembed')
    .usage('$0 <command> [options]\n\nFind and hide accesses to the struct device embedded in i2c_adapter / spi_controller.')
    .command('scan [paths..]', 'list every access to the embedded device, by type', (c) => commonOptions(c)
      .positional('paths', { type: 'string', array: true, describe: 'files or folders (default: the whole tree)' }),
    async (argv) => {
      const r = await scan({
        tree: argv.tree, subsystem: argv.subsystem, paths: (argv.paths as string[] | undefined) ?? [],
        onProgress: process.stderr.isTTY ? (d, t) => process.stderr.write(`\rscanning ${d}/${t}`) : undefined,
      });
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stdout.write(argv.json ? `${JSON.stringify(r, null, 1)}\n` : `${formatScan(r)}\n`);
    });
  for (const c of extraCommands) y = c(y);
  await y
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .version(version)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`unembed: ${String(msg).split('\n').join(' ')}\n`);
      process.exit(2);
    })
    .parseAsync();
}

main().catch(fail);
