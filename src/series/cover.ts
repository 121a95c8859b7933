// The cover letter: what the series does and why, how it was generated, a summary computed
// from the plan, and the sites left for a human.
import type { Site } from '../model.js';
import type { TransformDefinition } from '../transform.js';
import type { SeriesPatch } from './group.js';
import { NO_CHANGE, fitSubject, wrap, joinWords, manualLines, paragraphs, planText, subsystemName, whyText } from './text.js';

export interface SeriesSummary {
  patches: number;
  headerPatches: number;
  corePatches: number;
  driverPatches: number;
  /** the subsystem switch (--phase switch|all) */
  switchPatches: number;
  /** patches left out by --max-patches */
  omittedPatches: number;
  files: number;
  sitesRewritten: number;
  sitesManual: number;
  sitesPhase2: number;
  maintainers: number;
  reviewers: number;
  lists: number;
  /** MAINTAINERS sections the patches touch */
  sections: number;
}

export interface CoverInput {
  transforms: readonly TransformDefinition[];
  patches: readonly SeriesPatch[];
  omitted: readonly SeriesPatch[];
  manual: readonly Site[];
  summary: SeriesSummary;
  version: string;
  commandLine: string;
  only: readonly string[];
  exclude: readonly string[];
  /** helpers (phase one, the default), switch (phase two alone), all (both) */
  phase?: 'helpers' | 'switch' | 'all';
  /** --phase switch: the files the check that phase one has landed scanned */
  scannedFiles?: number;
}

/** What the switch does to one subsystem, in a sentence or two. */
export function switchText(t: TransformDefinition): string {
  const name = t.struct.replace(/_/g, ' ');
  if (t.deviceCreatedAt === 'registration') {
    return `The ${subsystemName(t)} switch: struct ${t.struct} holds a pointer to a struct device that the `
      + `${subsystemName(t)} core allocates when the ${name} is registered and frees in the device's release `
      + `callback. The configuration set with the helpers is recorded in the ${name} and applied then, and `
      + `deleting the ${name} revokes the device's way back to it instead of waiting for the last reference `
      + 'to be dropped.';
  }
  return `The ${subsystemName(t)} switch: the ${subsystemName(t)} core allocates the struct device of a ${name} `
    + `separately, together with the ${name}, which gets a reference count of its own: its last reference `
    + `frees the ${name} and its driver data, and the device's release callback frees only the device. `
    + `Unregistering the ${name} revokes the device's way back to it (SRCU), so that lookups, sysfs `
    + 'attributes and new devices fail cleanly once it is gone.';
}

export function coverSubject(ts: readonly TransformDefinition[], phase: CoverInput['phase'] = 'helpers'): string {
  const structs = joinWords(ts.map((t) => `struct ${t.struct}`));
  const prefix = `${ts.map((t) => t.subsystem).join(', ')}:`;
  if (phase === 'all') {
    return fitSubject(prefix, [`Stop embedding the struct device in ${structs}`, 'Stop embedding the struct device',
      'Move the struct device out']);
  }
  if (phase === 'switch') {
    if (ts.length === 1 && ts[0].deviceCreatedAt === 'registration') {
      return fitSubject(prefix, [`Let the core own the struct device of struct ${ts[0].struct}`, 'Let the core own the struct device']);
    }
    return fitSubject(prefix, [`Allocate the struct device of ${structs} separately`,
      'Allocate the struct device separately in the cores', 'Allocate the struct device separately']);
  }
  if (ts.length === 1) {
    const t = ts[0];
    return fitSubject(`${t.subsystem}:`, [`Access the struct device of struct ${t.struct} through helpers`,
      `Access the ${t.struct}'s struct device through helpers`, 'Access the embedded struct device through helpers']);
  }
  return fitSubject(`${ts.map((t) => t.subsystem).join(', ')}:`, ['Access the embedded struct device through helpers',
    'Hide the embedded struct device behind helpers']);
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function coverBlurb(c: CoverInput): string {
  const ts = c.transforms;
  const structs = joinWords(ts.map((t) => `struct ${t.struct}`));
  const s = c.summary;
  const phase = c.phase ?? 'helpers';
  if (phase === 'switch') return switchBlurb(c);
  const paras: string[] = [
    phase === 'all'
      ? `This series makes every access to the struct device embedded in ${structs} go through helpers, `
        + 'then stops embedding it.'
      : `This series makes every access to the struct device embedded in ${structs} go through helpers.`,
  ];
  for (const t of ts) paras.push(whyText(t), planText(t));
  if (phase === 'all') for (const t of ts) paras.push(switchText(t));
  const order: string[] = [];
  if (s.headerPatches) order.push(`${s.headerPatches === 1 ? 'the first patch adds' : `the first ${s.headerPatches} patches add`} the helpers`);
  if (s.corePatches) order.push(`${s.corePatches === 1 ? 'the next one converts the core' : `the next ${s.corePatches} convert the cores (${joinWords(ts.map(subsystemName))})`}`);
  if (phase === 'all') {
    if (s.driverPatches) order.push(`the next ${count(s.driverPatches, 'patch', 'patches')} convert one driver each`);
    order.push(`the last ${s.switchPatches === 1 ? 'one switches' : `${s.switchPatches} switch`} the subsystem${ts.length > 1 ? 's' : ''} `
      + 'so that the core owns the device');
    paras.push(`${order.join(', ').replace(/^./, (x) => x.toUpperCase())}. Each patch builds on its own, so the series `
      + 'is bisectable. The helper and driver patches change no behaviour (the helpers only wrap the embedded '
      + 'device); the switch patches do, as their messages explain, and come last so that they can wait for '
      + 'the driver patches to land through their own trees.');
    if (c.only.length || c.exclude.length || s.omittedPatches) {
      paras.push('This series converts only part of the tree (see --only, --exclude and --max-patches below). The '
        + 'switch patches assume that every other access to the embedded device has been converted as well '
        + 'before they are applied.');
    }
  } else {
    if (s.driverPatches) order.push(`the remaining ${count(s.driverPatches, 'patch', 'patches')} convert one driver each`);
    paras.push(`${order.join(', ').replace(/^./, (x) => x.toUpperCase())}. Each patch builds on its own, so the series `
      + 'is bisectable, and the driver patches can be applied through their own trees once the helpers are in. '
      + NO_CHANGE);
  }
  if (s.omittedPatches) {
    paras.push(`${count(s.omittedPatches, 'further driver patch', 'further driver patches')} were left out `
      + '(--max-patches) and will follow separately.');
  }
  const text = [paragraphs(paras)];
  text.push(`${wrap(`The patches were generated by unembed ${c.version}, which finds the accesses by C type, with:`)}\n\n`
    + `  ${c.commandLine}`);
  const rows: [string, string][] = [
    ['patches', `${s.patches} (${s.headerPatches} helpers, ${s.corePatches} core, ${s.driverPatches} drivers`
      + `${phase === 'all' ? `, ${s.switchPatches} switch` : ''})`],
    ['files changed', String(s.files)],
    ['accesses converted', String(s.sitesRewritten)],
    ['left for a human', String(s.sitesManual)],
    ['to revisit in phase two', String(s.sitesPhase2)],
    ['maintainers (To)', String(s.maintainers)],
    ['reviewers (Cc)', String(s.reviewers)],
    ['mailing lists (Cc)', String(s.lists)],
    ['MAINTAINERS sections', String(s.sections)],
  ];
  if (c.only.length) rows.push(['files (--only)', c.only.join(' ')]);
  if (c.exclude.length) rows.push(['excluded', c.exclude.join(' ')]);
  const w = Math.max(...rows.map((r) => r[0].length));
  text.push(`Summary:\n\n${rows.map(([k, v]) => `  ${`${k}:`.padEnd(w + 2)}${v}`).join('\n')}`);
  if (c.manual.length) {
    text.push(phase === 'all'
      ? `${wrap('Accesses left for a human (not converted by this series; look at them before the switch patches are applied):')}\n\n${manualLines(c.manual)}`
      : `Accesses left for a human (not converted by this series):\n\n${manualLines(c.manual)}`);
  }
  return text.join('\n\n');
}

/** --phase switch: the switch alone, on a base where phase one has landed. */
function switchBlurb(c: CoverInput): string {
  const ts = c.transforms;
  const s = c.summary;
  const structs = joinWords(ts.map((t) => `struct ${t.struct}`));
  const paras: string[] = [`This series stops embedding the struct device in ${structs}.`];
  for (const t of ts) paras.push(whyText(t), switchText(t));
  const helpers = ts.map((t) => `${t.accessor}()${t.setters.length ? ` with the ${t.struct}_set_*() setters` : ''}`);
  paras.push('It is the second step of the conversion and assumes that the first has landed: every access to the '
    + `embedded device goes through ${joinWords(helpers)}. unembed checked this on the base`
    + (c.scannedFiles !== undefined ? `: a scan of the ${c.scannedFiles} files that can hold such an access found none left to convert` : '')
    + `${c.manual.length ? ', apart from the accesses left for a human listed below' : ''}.`);
  paras.push(`${s.switchPatches === 1 ? 'The patch builds' : `Each of the ${s.switchPatches} patches builds`} on its own, `
    + 'so the series is bisectable. The patches change behaviour, as their messages explain.');
  const text = [paragraphs(paras)];
  text.push(`${wrap(`The patches were generated by unembed ${c.version} with:`)}\n\n  ${c.commandLine}`);
  const rows: [string, string][] = [
    ['patches', String(s.patches)],
    ['files changed', String(s.files)],
    ['maintainers (To)', String(s.maintainers)],
    ['reviewers (Cc)', String(s.reviewers)],
    ['mailing lists (Cc)', String(s.lists)],
    ['MAINTAINERS sections', String(s.sections)],
  ];
  const w = Math.max(...rows.map((r) => r[0].length));
  text.push(`Summary:\n\n${rows.map(([k, v]) => `  ${`${k}:`.padEnd(w + 2)}${v}`).join('\n')}`);
  if (c.manual.length) {
    text.push(`${wrap('Accesses left for a human by the first step (look at them before this series is applied):')}\n\n`
      + manualLines(c.manual));
  }
  return text.join('\n\n');
}
