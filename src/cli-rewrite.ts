// `unembed rewrite`: the diff on stdout (like spatch), or --in-place, or --json.
import type { Argv } from 'yargs';
import { commonOptions, type CommonArgs } from './cli.js';
import { planDiff, planRewrite, writePlan } from './rewrite.js';
import { siteLine } from './report/scan-text.js';

export function addRewriteCommand<T>(y: Argv<T>): Argv<T> {
  return y.command('rewrite [paths..]', 'rewrite the accesses to helper calls (phase one)', (c) => commonOptions(c)
    .positional('paths', { type: 'string', array: true, describe: 'files or folders (default: the whole tree)' })
    .option('in-place', { type: 'boolean', default: false, describe: 'write the files (atomically)' })
    .option('force', { type: 'boolean', default: false, describe: 'with --in-place: also over uncommitted changes' })
    .option('headers', { type: 'boolean', default: true, describe: 'add the helpers to the subsystem headers' }),
  async (argv) => {
    const a = argv as unknown as CommonArgs & { paths?: string[]; inPlace: boolean; force: boolean; headers: boolean };
    const plan = await planRewrite({
      tree: a.tree, subsystem: a.subsystem, paths: a.paths ?? [], headers: a.headers, diffs: !a.json && !a.inPlace,
    });
    if (a.json) {
      process.stdout.write(`${JSON.stringify({
        changes: plan.changes.map((c) => ({ file: c.file, kind: c.kind, sites: c.sites.length, added: c.added })),
        edits: plan.scan.sites.filter((s) => s.edit),
        manual: plan.manual,
        phase2: plan.phase2,
        conflicts: plan.conflicts,
      }, null, 1)}\n`);
    } else if (!a.inPlace) {
      process.stdout.write(planDiff(plan));
    }
    if (a.inPlace) {
      const files = await writePlan(plan, { force: a.force });
      process.stderr.write(`unembed: rewrote ${files.length} file(s)\n`);
    }
    for (const s of plan.manual) process.stderr.write(`${siteLine(s)}\n`);
    process.stderr.write(`unembed: ${plan.scan.sites.filter((s) => s.edit).length} site(s) rewritten, `
      + `${plan.manual.length} left for a human, ${plan.phase2.length} flagged for phase two\n`);
  });
}
