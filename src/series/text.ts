// The words of a series: subjects (at most 75 characters), commit message bodies wrapped at
// 75 columns, and the cover letter's blurb. Pure functions of the patches and the transforms.
import type { Site } from '../model.js';
import type { TransformDefinition } from '../transform.js';

export const SUBJECT_MAX = 75;
export const BODY_WIDTH = 75;

/** Greedy word wrap; words longer than the width stay whole on their own line. */
export function wrap(text: string, width = BODY_WIDTH, indent = ''): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    if (para.trim() === '') {
      out.push('');
      continue;
    }
    let line = '';
    for (const w of para.split(/\s+/).filter(Boolean)) {
      if (line === '') line = w;
      else if (line.length + 1 + w.length + indent.length <= width) line += ` ${w}`;
      else {
        out.push(indent + line);
        line = w;
      }
    }
    if (line) out.push(indent + line);
  }
  return out.join('\n');
}

/** Paragraphs (strings) wrapped and joined by blank lines. */
export function paragraphs(paras: readonly string[], width = BODY_WIDTH): string {
  return paras.filter((p) => p.trim() !== '').map((p) => wrap(p, width)).join('\n\n');
}

/** A list of words as English: `a`, `a and b`, `a, b and c`. */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** I2C, SPI, MTD. */
export function subsystemName(t: TransformDefinition): string {
  return t.subsystem.toUpperCase();
}

/** `i2c: designware:` + `Make use of …`, shortened to fit SUBJECT_MAX. */
export function fitSubject(prefix: string, summaries: readonly string[], max = SUBJECT_MAX): string {
  const p = prefix.trim();
  for (const s of summaries) {
    const line = p ? `${p} ${s}` : s;
    if (line.length <= max) return line;
  }
  // shorten the prefix: keep its first and last tokens (`drm/amd/display: dc: x:` -> `drm/amd/display: x:`)
  const last = summaries[summaries.length - 1] ?? '';
  const tokens = p.split(/(?<=:)\s+/).filter(Boolean);
  if (tokens.length > 2) {
    const shorter = `${tokens[0]} ${tokens[tokens.length - 1]} ${last}`;
    if (shorter.length <= max) return shorter;
  }
  const first = tokens[0] ?? '';
  const line = first ? `${first} ${last}` : last;
  return line.length <= max ? line : line.slice(0, max).replace(/\s+\S*$/, '');
}

/** The summaries for converting code to a set of transforms, longest first. */
export function conversionSummaries(ts: readonly TransformDefinition[], where = ''): string[] {
  const suffix = where ? ` ${where}` : '';
  if (ts.length === 1) {
    const t = ts[0];
    return [`${t.title}${suffix}`, `Make use of ${t.accessor}()${suffix}`, `Use ${t.accessor}()${suffix}`,
      t.title, `Make use of ${t.accessor}()`, `Use ${t.accessor}()`];
  }
  const acc = joinWords(ts.map((t) => `${t.accessor}()`));
  return [`Make use of ${acc} accessors${suffix}`, `Make use of ${acc}${suffix}`, `Use ${acc}${suffix}`,
    `Make use of ${acc}`, `Use ${acc}`, 'Make use of struct device accessors'];
}

export function headerSummaries(t: TransformDefinition, added: readonly string[]): string[] {
  const setters = t.setters.filter((s) => added.includes(s.helper));
  const acc = `${t.accessor}()`;
  if (setters.length) return [`Add ${acc} and configuration helpers`, `Add ${acc} and setters`, `Add ${acc}`];
  if (added.includes(t.accessor)) return [`Add ${acc} accessor`, `Add ${acc}`];
  return [`Add ${joinWords(added.map((a) => `${a}()`))}`, 'Add struct device helpers'];
}

/** Why: the struct device lifetime problem, in a few lines. */
export function whyText(t: TransformDefinition): string {
  const s = `struct ${t.struct}`;
  if (t.deviceCreatedAt === 'registration') {
    return `${s} embeds its struct device, so the memory holding the ${t.struct.replace(/_/g, ' ')} `
      + 'must stay valid for as long as anybody holds a reference to that device. That memory usually '
      + `belongs to the driver, so the ${subsystemName(t)} core has to wait in the unregistration path `
      + 'until the last reference is gone (an open character device is enough to block a driver '
      + 'unbind), and the device cannot outlive the driver\'s data.';
  }
  return `${s} embeds its struct device, and drivers reach into it directly (${t.objectName}->`
    + `${t.member}.of_node, &${t.objectName}->${t.member} for messages). This ties the driver's view of `
    + `the ${t.struct.replace(/_/g, ' ')} to the device's reference counting and keeps the `
    + `${subsystemName(t)} core from changing how that device is allocated and released.`;
}

/** The plan: helpers first, then the core owns the device. */
export function planText(t: TransformDefinition): string {
  const setters = t.setters.length
    ? `, and dedicated setters configure it before the ${t.struct.replace(/_/g, ' ')} is registered`
    : '';
  return `The plan is to let the ${subsystemName(t)} core own that device and its lifetime, separately `
    + `from ${`struct ${t.struct}`}. As a first step, every access to the embedded device goes through `
    + `helpers: ${t.accessor}() returns the device${setters}. Once nothing touches `
    + `${t.objectName}->${t.member} directly, the core can change how the device is stored without `
    + 'touching every driver again.';
}

export const NO_CHANGE = 'No functional change intended: in this phase the helpers only wrap the '
  + 'embedded device.';

/** One line per site left for a human: `file:line: reason`, continuation lines indented. */
export function manualLines(sites: readonly Site[], width = BODY_WIDTH): string {
  return sites.map((s) => {
    const reason = (s.human ?? 'no automatic rewrite').replace(/\s+/g, ' ').trim();
    const head = `${s.file}:${s.line}:`;
    const first = `  ${head} ${s.expr.replace(/\s+/g, ' ')}`;
    return `${first}\n${wrap(reason, width, '    ')}`;
  }).join('\n');
}

/** Helper names (among the transforms') that appear in added lines of a change. */
export function helpersUsed(ts: readonly TransformDefinition[], sites: readonly Site[]): string[] {
  const names: string[] = [];
  for (const t of ts) {
    const all = [t.accessor, t.converter, ...t.setters.map((s) => s.helper), ...(t.getters ?? []).map((g) => g.helper)];
    for (const n of all) {
      const re = new RegExp(`\\b${n}\\s*\\(`);
      if (sites.some((s) => [s.edit, ...(s.moreEdits ?? [])].some((e) => e && re.test(e.text))) && !names.includes(n)) {
        names.push(n);
      }
    }
  }
  return names;
}
