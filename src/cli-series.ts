// `unembed series`: the patch series (helpers, cores, one patch per driver, and with --phase the subsystem switch) as
// format-patch files, built in a git worktree on a new branch.
import type { Argv } from 'yargs';
import type { SeriesPhase, SeriesSplit } from './series/run.js';
import { siteLine } from './report/scan-text.js';

interface SeriesArgs {
  tree: string;
  subsystem: string;
  base: string;
  outputDir: string;
  force: boolean;
  phase: string;
  only: string[];
  exclude: string[];
  maxPatches?: number;
  split: string;
  signoff: boolean;
  subjectPrefix: string;
  v?: number;
  to: string[];
  cc: string[];
  date?: string;
  branch?: string;
  keepWorktree: boolean;
  json: boolean;
}

export function addSeriesCommand<T>(y: Argv<T>): Argv<T> {
  return y.command('series', 'generate the patch series (format-patch files) in a new worktree: phase one, the switch, or both', (c) => c
    .option('tree', { type: 'string', default: '.', describe: 'kernel tree (the top of a git repository)' })
    .option('subsystem', { type: 'string', default: 'all', describe: 'i2c, spi, mtd, or all (i2c and spi)' })
    .option('base', { type: 'string', default: 'HEAD', describe: 'commit the series starts from' })
    .option('output-dir', { alias: 'o', type: 'string', default: 'outgoing', describe: 'folder for the patches (must be empty)' })
    .option('force', { type: 'boolean', default: false, describe: 'write into a non-empty output folder (old patches removed)' })
    .option('phase', { type: 'string', default: 'helpers', choices: ['helpers', 'switch', 'all'], describe: 'helpers: phase one; switch: the subsystem switch alone (phase one must have landed); all: both, the switch last' })
    .option('only', { type: 'string', array: true, default: [], describe: 'only files matching these globs (** across folders)' })
    .option('exclude', { type: 'string', array: true, default: [], describe: 'leave out files matching these globs' })
    .option('max-patches', { type: 'number', describe: 'at most N patches (the cover letter not counted)' })
    .option('split', { type: 'string', default: 'driver', choices: ['driver', 'maintainer'], describe: 'one patch per driver, or per MAINTAINERS section' })
    .option('signoff', { type: 'boolean', default: false, describe: 'add Signed-off-by: from the tree\'s git identity' })
    .option('subject-prefix', { type: 'string', default: 'PATCH', describe: 'e.g. "RFC PATCH"' })
    .option('v', { type: 'number', describe: 'reroll count (format-patch -v N)' })
    .option('to', { type: 'string', array: true, default: [], describe: 'extra To: for every mail' })
    .option('cc', { type: 'string', array: true, default: [], describe: 'extra Cc: for every mail' })
    .option('date', { type: 'string', describe: 'ISO 8601 date of the commits and mails (reproducible output)' })
    .option('branch', { type: 'string', describe: 'name of the new branch (default unembed/<subsystem>-<base>)' })
    .option('keep-worktree', { type: 'boolean', default: false, describe: 'keep the worktree after success' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result as JSON' }),
  async (argv) => {
    const a = argv as unknown as SeriesArgs;
    // loaded when the command runs: git, listr2 and the series code cost every other command time
    const { generateSeries } = await import('./series/run.js');
    const r = await generateSeries({
      tree: a.tree, subsystem: a.subsystem, base: a.base, outputDir: a.outputDir, force: a.force,
      phase: a.phase as SeriesPhase, only: a.only, exclude: a.exclude, maxPatches: a.maxPatches,
      split: a.split as SeriesSplit, signoff: a.signoff, subjectPrefix: a.subjectPrefix, reroll: a.v,
      to: a.to, cc: a.cc, date: a.date, branch: a.branch, keepWorktree: a.keepWorktree,
      renderer: a.json ? 'silent' : 'auto',
      onNote: (n) => process.stderr.write(`unembed: ${n}\n`),
    });
    if (a.json) {
      process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
      return;
    }
    for (const s of r.manual) process.stderr.write(`${siteLine(s)}\n`);
    const s = r.summary;
    process.stdout.write(`unembed: ${s.patches} patches and a cover letter in ${r.outputDir} (branch ${r.branch}, `
      + `base ${r.baseSha.slice(0, 12)}); ${s.sitesRewritten} accesses converted, ${s.sitesManual} left for a human`
      + `${r.worktree ? `; worktree kept at ${r.worktree}` : ''}\n`);
  });
}
