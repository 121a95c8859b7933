// The subject prefix of a driver's patch ("i2c: designware:", "drm/amd/display:", …).
//
// From history first: `git log --no-merges -n <depth> -- <unit files>`; each subject's prefix is
// its leading run of `token: ` parts (after any `[PATCH …]` tags); Merge/Revert/Reapply subjects,
// treewide ones (`treewide:` or a commit touching more than TREEWIDE_DIRS second-level
// directories) and root commits (which add every file; in a shallow clone the boundary commit
// looks like one) are ignored. The most common prefix wins, ties going to the most recent.
// With fewer than `minSubjects` usable subjects the path rules of prefixFromPath() decide.

import { posix } from 'node:path';
import { simpleGit } from 'simple-git';
import type { DriverUnit } from './units.js';

export interface PrefixOptions {
  /** how many commits to read (default 30) */
  historyDepth?: number;
  /** fewer usable subjects than this and the path rules decide (default 2) */
  minSubjects?: number;
}

const TREEWIDE_DIRS = 4;

/** The `a: b:` part of a subject, without [PATCH] tags; undefined when there is none. */
export function subjectPrefixOf(subject: string): string | undefined {
  const s = subject.replace(/^\s*(\[[^\]]*\]\s*)+/, '').trim();
  if (/^(Merge|Revert|Reapply)\b/i.test(s)) return undefined;
  // hwmon's `hwmon: (driver) `, Input's `Input: driver - `, else `a: b: ` tokens
  const m = /^([^\s:[\]"'`()]+: (?:\([^()\s]+\) |[\w.,-]+ - ))\S/.exec(s) ?? /^((?:[^\s:[\]"'`()]+: )+)\S/.exec(s);
  if (!m) return undefined;
  const prefix = m[1].trim().replace(/\s+/g, ' ');
  if (/^(treewide|tree-wide|all)\b/i.test(prefix)) return undefined;
  return prefix;
}

/** The most common prefix of a list of subjects (most recent first), with how many had one. */
export function commonPrefix(subjects: string[]): { prefix?: string; usable: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  let usable = 0;
  for (const s of subjects) {
    const p = subjectPrefixOf(s);
    if (!p) continue;
    usable++;
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  let best: string | undefined;
  let bestCount = 0;
  for (const [p, c] of counts) {
    // Map keeps insertion order = recency, so a strict > keeps the most recent on ties
    if (c > bestCount) {
      best = p;
      bestCount = c;
    }
  }
  return { prefix: best, usable, counts };
}

/** Subjects of the commits touching these files, newest first, treewide and root commits dropped. */
export async function historySubjects(tree: string, files: string[], depth = 30): Promise<string[]> {
  if (!files.length) return [];
  let out: string;
  try {
    out = await simpleGit(tree).raw(['log', '--no-merges', '--full-diff', '--name-only', `-n${depth}`,
      '--format=%x01%P%x02%s', '--', ...files]);
  } catch {
    return [];
  }
  const subjects: string[] = [];
  for (const chunk of out.split('\x01').slice(1)) {
    const [head, ...rest] = chunk.split('\n');
    const [parents, subject] = head.split('\x02');
    if (!parents.trim()) continue; // root or shallow boundary commit
    const dirs = new Set(rest.filter(Boolean).map((f) => f.split('/').slice(0, 2).join('/')));
    if (dirs.size > TREEWIDE_DIRS) continue;
    subjects.push(subject ?? '');
  }
  return subjects;
}

function commonDir(files: string[]): string {
  if (!files.length) return '';
  let parts = posix.dirname(files[0]).split('/');
  for (const f of files.slice(1)) {
    const q = posix.dirname(f).split('/');
    let k = 0;
    while (k < parts.length && k < q.length && parts[k] === q[k]) k++;
    parts = parts.slice(0, k);
  }
  return parts.join('/');
}

/** The path the rules look at for a unit: its only file, or the files' common directory. */
export function unitPath(unit: DriverUnit): string {
  if (unit.files.length === 1) return unit.files[0];
  const d = commonDir(unit.files);
  return d === '' ? unit.dir + '/' : d + '/';
}

/** Strip a subsystem prefix and a module-role suffix from a module name. */
function driverName(unitName: string, ...prefixes: string[]): string {
  let n = unitName;
  for (const p of prefixes) {
    if (n.startsWith(p) && n.length > p.length) {
      n = n.slice(p.length);
      break;
    }
  }
  const stripped = n.replace(/[-_](core|platform|plat|platdrv|pci|pcidrv|common|drv|main)$/, '');
  return stripped === '' ? n : stripped;
}

const MEDIA_CATEGORIES = new Set(['i2c', 'spi', 'tuners', 'dvb-frontends', 'radio', 'rc', 'platform', 'pci', 'usb', 'mmc',
  'firewire', 'test-drivers', 'common']);

const DRM_SPECIAL: Record<string, string> = {
  'amd/amdgpu': 'drm/amdgpu',
  'amd/amdkfd': 'drm/amdkfd',
  'amd/display': 'drm/amd/display',
  'amd/pm': 'drm/amd/pm',
  'amd/amdxcp': 'drm/amdgpu',
  'amd/acp': 'drm/amd',
  'amd/include': 'drm/amd',
};

/**
 * The prefix by kernel custom for a path (a file, or a directory ending in `/`) and the module
 * name of its unit: drivers/i2c/busses/i2c-foo.c -> `i2c: foo:`, drivers/spi/spi-foo.c ->
 * `spi: foo:`, drivers/gpu/drm/X/… -> `drm/X:`, drivers/media/… -> `media: <dir or driver>:`,
 * sound/soc/… -> `ASoC: <driver>:`, other sound/… -> `ALSA: <driver>:`, drivers/<subsys>/… ->
 * `<subsys>: <driver>:`.
 */
export function prefixFromPath(path: string, unitName: string): string {
  const parts = path.replace(/\/+$/, '').split('/');
  const isDir = path.endsWith('/');
  const dirs = isDir ? parts : parts.slice(0, -1);
  const base = isDir ? '' : parts[parts.length - 1].replace(/\.[^.]*$/, '');
  const name = unitName || base || dirs[dirs.length - 1] || '';

  if (parts[0] === 'drivers') {
    const subsys = parts[1] ?? '';
    if (subsys === 'i2c') {
      if (dirs[2] === 'muxes') return `i2c: mux: ${driverName(name, 'i2c-mux-', 'i2c-')}:`;
      if (dirs[2] === 'busses') return `i2c: ${driverName(name, 'i2c-')}:`;
      if (/^i2c-core/.test(name) || /^i2c-core/.test(base)) return 'i2c: core:';
      if (dirs.length === 2 && name === 'i2c') return 'i2c:';
      return `i2c: ${driverName(name, 'i2c-')}:`;
    }
    if (subsys === 'spi') {
      if (name === 'spi' || (dirs.length === 2 && base === 'spi')) return 'spi:';
      return `spi: ${driverName(name, 'spi-')}:`;
    }
    if (subsys === 'gpu' && dirs[2] === 'drm') {
      const rest = dirs.slice(3);
      if (!rest.length) return 'drm:';
      const two = rest.slice(0, 2).join('/');
      if (DRM_SPECIAL[two]) return `${DRM_SPECIAL[two]}:`;
      if (rest[0] === 'amd') return 'drm/amd:';
      if (rest[0] === 'bridge' && !isDir) return `drm/bridge: ${driverName(name, 'drm-')}:`;
      if (rest[0] === 'panel' && !isDir) return `drm/panel: ${driverName(name, 'panel-')}:`;
      return `drm/${rest[0]}:`;
    }
    if (subsys === 'gpu') return `gpu: ${dirs[2] ?? name}:`;
    if (subsys === 'media') {
      const rest = dirs.slice(2);
      if (rest[0] === 'i2c') return `media: i2c: ${name}:`;
      const last = rest[rest.length - 1];
      if (!last) return `media: ${name}:`;
      if (rest.length === 1 && MEDIA_CATEGORIES.has(last)) return `media: ${name}:`;
      return `media: ${last}:`;
    }
    if (subsys === 'hwmon') return name === 'hwmon' || isDir ? 'hwmon:' : `hwmon: (${name})`;
    if (subsys === 'input') return `Input: ${name} -`;
    if (subsys === 'iio' && dirs[2]) return `iio: ${dirs[2]}: ${name}:`;
    if (subsys === 'platform' && dirs[2]) return `platform/${dirs[2]}: ${name}:`;
    if (subsys === 'video' && dirs[2] === 'fbdev') return `fbdev: ${name}:`;
    if (subsys === 'net' && dirs[2] === 'ethernet') return `net: ${dirs[4] ?? name}:`;
    if (subsys === 'staging') return `staging: ${dirs[2] ?? name}:`;
    const prefixes = [`${subsys}-`, `${subsys.replace(/s$/, '')}-`];
    if (name === subsys) return `${subsys}:`;
    return `${subsys}: ${driverName(name, ...prefixes)}:`;
  }
  if (parts[0] === 'sound') {
    if (dirs[1] === 'soc') {
      if (dirs[2] === 'sof') return 'ASoC: SOF:';
      return `ASoC: ${driverName(name, 'snd-soc-')}:`;
    }
    if (dirs[1] === 'pci' && dirs[2] === 'hda') return 'ALSA: hda:';
    if (dirs[1] === 'hda') return 'ALSA: hda:';
    if (dirs[1] === 'usb') return 'ALSA: usb-audio:';
    return `ALSA: ${driverName(name, 'snd-')}:`;
  }
  if (parts[0] === 'include') {
    if (dirs[1] === 'linux' && dirs[2]) return `${dirs[2]}:`; // include/linux/spi/… -> spi:
    if (dirs[1] === 'linux' || dirs[1] === 'uapi') return `${base || name}:`;
    if (dirs[1] === 'drm') return 'drm:';
    if (dirs[1] === 'media') return 'media:';
    if (dirs[1] === 'sound') return 'ALSA:';
    return `${dirs[1] ?? name}:`;
  }
  if (parts[0] === 'arch' && dirs[1]) return `${dirs[1] === 'arm' || dirs[1] === 'arm64' ? dirs[1].toUpperCase() : dirs[1]}: ${name}:`;
  return `${dirs[0] ?? name}: ${name}:`;
}

/** The subject prefix for a unit's patch: from the files' history, else from the path rules. */
export async function subjectPrefix(tree: string, unit: DriverUnit, opts: PrefixOptions = {}): Promise<string> {
  const subjects = await historySubjects(tree, unit.files, opts.historyDepth ?? 30);
  const { prefix, usable } = commonPrefix(subjects);
  if (prefix && usable >= (opts.minSubjects ?? 2)) return prefix;
  return prefixFromPath(unitPath(unit), unit.name);
}
