// `unembed estimate`: how much work is the migration? The scan and the rewrite plan as a dry
// run (the tree is never written), per driver, tree, maintainer and category, for both
// strategies. Formats: text (default), markdown, json, html; -o FILE writes to a file.
import { writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { commonOptions, type CommonArgs } from './cli.js';
import { scan } from './scan.js';
import { ESTIMATE_FORMATS, type EstimateFormat } from './estimate/formats.js';
import { DEFAULT_WEIGHTS, loadWeights } from './estimate/weights.js';
import { UsageError } from './util/errors.js';

interface EstimateArgs extends CommonArgs {
  paths?: string[];
  format: string;
  output?: string;
  weights?: string;
}

export function addEstimateCommand<T>(y: Argv<T>): Argv<T> {
  return y.command('estimate [paths..]', 'how much work is this? per driver, tree, maintainer; both strategies', (c) => commonOptions(c)
    .positional('paths', { type: 'string', array: true, describe: 'files or folders (default: the whole tree)' })
    .option('format', { type: 'string', default: 'text', choices: [...ESTIMATE_FORMATS], describe: 'output format (--json = json)' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE' })
    .option('weights', { type: 'string', describe: 'JSON file overriding the effort model\'s weights (minutes)' }),
  async (argv) => {
    const a = argv as unknown as EstimateArgs;
    const format = (a.json ? 'json' : a.format) as EstimateFormat;
    if (!ESTIMATE_FORMATS.includes(format)) throw new UsageError(`unknown format '${a.format}'`);
    const weights = a.weights ? loadWeights(a.weights) : DEFAULT_WEIGHTS; // fail before the long scan
    const tty = process.stderr.isTTY;
    const result = await scan({
      tree: a.tree, subsystem: a.subsystem, paths: a.paths ?? [],
      onProgress: tty ? (d, t) => process.stderr.write(`\rscanning ${d}/${t}`) : undefined,
    });
    if (tty) process.stderr.write('\r\x1b[Kestimating…');
    const { estimateFromScan, renderEstimate } = await import('./estimate/index.js');
    const report = await estimateFromScan(result, { weights });
    if (tty) process.stderr.write('\r\x1b[K');
    const text = renderEstimate(report, format, { color: !a.output && process.stdout.isTTY && !process.env.NO_COLOR });
    if (a.output) {
      writeFileSync(a.output, text);
      process.stderr.write(`unembed: wrote ${a.output} (${format})\n`);
    } else {
      process.stdout.write(text);
    }
  });
}
