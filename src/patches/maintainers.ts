// MAINTAINERS lookup, the way `scripts/get_maintainer.pl --no-git --no-git-fallback` does it
// (script version 0.26, Linux 6.12). The rules mirrored here, with the script's names:
//
// * read_maintainer_file: every `X:<ws>value` line is a type/value entry; any other non-blank,
//   non-`#` line is a section name; a section is the run of entries after its name. F:/X:
//   values are turned into regexes (`.` -> `\.`, `*` -> `.*`, `?` -> `.`), and a value naming an
//   existing directory (tested after that conversion, so only plain paths) gets a trailing `/`.
// * file_match_pattern: the regex is anchored at the start only; a pattern ending in `/` matches
//   the whole subtree, any other pattern only files with the same number of `/` as the pattern.
// * get_maintainers: a section with a matching X: is skipped; otherwise every matching F:
//   records the section with depth = slashes in the pattern (+1 unless it ends in `/`, -1 for a
//   pattern starting with `*`), a matching N: (regex on the path, /x) records depth 0; the
//   last match in the section wins. Sections are used deepest first, file by file.
//   K: (regex, /x) is matched against the files' content only with --keywords-in-file (option
//   `readFile` here) or against a patch's +/- lines (option `patch`); with `-f` alone it is
//   not used. THE REST is no special case: its `F: *` / `F: */` match everything at depth -1.
// * add_categories / push_email_address: M: and R: addresses are kept unless their name or
//   address (case-insensitive) was already seen; lists are kept once per address
//   (case-insensitive); moderated lists are included, subscribers-only lists are not.
// * deduplicate_email: every address goes through .mailmap and a second name/address merge;
//   Linus Torvalds (the "chief penguin") is dropped; the output is unique by exact string.
//
// To/Cc: M: addresses (whatever the status: maintainer, supporter, odd fixer, orphan minder, …)
// go to To, R: and L: to Cc; someone who is a reviewer in one matched section and a maintainer
// in another goes to To.
//
// Deliberate differences: ties in depth are ordered by position in MAINTAINERS (the script
// uses Perl hash order, which is random), and an `L:` value of the form `Name <list@host>` is
// read as that address (the script takes the first word, `Name`, and prints an empty line).

import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join } from 'node:path';

export interface MaintainersEntry {
  type: string;
  /** the value as written (after the tab), F:/X: not yet converted */
  value: string;
  /** index of the line in the script's typevalue array (used to order keyword matches) */
  tvi: number;
}

export interface MaintainersSection {
  /** the section's title line, e.g. `I2C SUBSYSTEM HOST DRIVERS` */
  name: string;
  /** typevalue index of the first entry (the script's `$tvi` for the section) */
  index: number;
  entries: MaintainersEntry[];
  status: string;
  trees: string[];
  /** F: patterns converted to regex source, with the directory slash added */
  files: string[];
  excludes: string[];
  /** N: and K: compiled */
  names: RegExp[];
  keywords: { tvi: number; source: string; re: RegExp }[];
  /** F: and N: in order, the input of the depth logic */
  matchers: ({ kind: 'F'; pattern: string; re: RegExp } | { kind: 'N'; re: RegExp })[];
  excludeRes: RegExp[];
}

export interface Mailmap {
  /** key: `address` or `Name <address>` (formatted like the script) -> real name */
  names: Map<string, string>;
  addresses: Map<string, string>;
}

export interface MaintainersDb {
  sections: MaintainersSection[];
  mailmap?: Mailmap;
}

export interface ParseOptions {
  /** `-d` in read_maintainer_file: is this path (relative to the tree) a directory? */
  isDirectory?: (path: string) => boolean;
}

export type RecipientRole = 'maintainer' | 'reviewer' | 'list';

export interface Recipient {
  /** as the script prints it: `Name <mail>` or a bare list address */
  email: string;
  address: string;
  role: RecipientRole;
  /** the script's role string, e.g. `supporter:I2C SUBSYSTEM` or `open list:I2C SUBSYSTEM` */
  detail: string;
  section: string;
}

export interface SectionMatch {
  name: string;
  status: string;
  trees: string[];
  /** how the section was reached first: F: depth, N: regex (depth 0) or K: keyword */
  via: 'file' | 'regex' | 'keyword';
  depth: number;
}

export interface RecipientsResult {
  /** maintainers (M: of any status: maintainer, supporter, odd fixer, …) */
  to: string[];
  /** reviewers (R:) and mailing lists (L:) */
  cc: string[];
  /** all addresses in the script's output order */
  recipients: Recipient[];
  sections: SectionMatch[];
}

export interface RecipientsOptions {
  /** --keywords-in-file: match K: against each file's text (return undefined when unreadable) */
  readFile?: (file: string) => string | undefined;
  /** patch mode: match K: against the patch like `get_maintainer.pl <patch>` does */
  patch?: string;
  /** --no-keywords */
  keywords?: boolean;
  /** --no-r */
  reviewers?: boolean;
  /** --no-moderated */
  moderated?: boolean;
  /** -s: include subscribers-only lists */
  subscriberLists?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Perl regex -> JS

const LETTER = /[A-Za-z]/;

function bothCases(c: string): string {
  return LETTER.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c;
}

/**
 * Translate a Perl regex as MAINTAINERS uses them to a JS RegExp: the /x flag (whitespace and
 * `#` comments), a leading `(?i)`, `(?i:…)` groups (letters expanded to both cases, since Node 20
 * lacks regexp modifiers), `\A`, `\z`, `\Z`.
 */
export function perlRegex(source: string, extended: boolean): RegExp {
  let out = '';
  let flags = '';
  let i = 0;
  const n = source.length;
  const skipWs = (): void => {
    if (!extended) return;
    while (i < n && /\s/.test(source[i])) i++;
  };
  skipWs();
  if (source.startsWith('(?i)', i)) {
    flags = 'i';
    i += 4;
  }
  let ci = false;
  const stack: boolean[] = [];
  while (i < n) {
    const c = source[i];
    if (c === '\\') {
      const d = source[i + 1] ?? '\\';
      if (d === 'A') out += '^';
      else if (d === 'z' || d === 'Z') out += '$';
      else out += '\\' + d;
      i += 2;
      continue;
    }
    if (c === '[') {
      // a character class, copied with its escapes; first `]` (after `^`) is literal
      let cls = '[';
      i++;
      if (source[i] === '^') { cls += '^'; i++; }
      if (source[i] === ']') { cls += '\\]'; i++; }
      while (i < n && source[i] !== ']') {
        const e = source[i];
        if (e === '\\') {
          cls += e + (source[i + 1] ?? '');
          i += 2;
          continue;
        }
        if (ci && LETTER.test(e) && source[i + 1] === '-' && LETTER.test(source[i + 2] ?? '')) {
          const hi = source[i + 2];
          cls += `${e.toLowerCase()}-${hi.toLowerCase()}${e.toUpperCase()}-${hi.toUpperCase()}`;
          i += 3;
          continue;
        }
        cls += ci && LETTER.test(e) ? e.toLowerCase() + e.toUpperCase() : e;
        i++;
      }
      out += cls + ']';
      i++;
      continue;
    }
    if (extended && /\s/.test(c)) { i++; continue; }
    if (extended && c === '#') {
      while (i < n && source[i] !== '\n') i++;
      continue;
    }
    if (c === '(') {
      if (source.startsWith('(?i:', i)) {
        stack.push(ci);
        ci = true;
        out += '(?:';
        i += 4;
        continue;
      }
      if (source.startsWith('(?i)', i)) {
        ci = true; // to the end of the enclosing group, as in Perl
        i += 4;
        continue;
      }
      stack.push(ci);
      out += '(';
      i++;
      // copy a group's `?:`, `?=`, `?!`, `?<=`, `?<!` verbatim (no case expansion)
      const m = /^\?(?::|=|!|<=|<!)/.exec(source.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
      }
      continue;
    }
    if (c === ')') {
      ci = stack.pop() ?? false;
      out += ')';
      i++;
      continue;
    }
    if (c === '{') {
      // a quantifier: copy it whole
      const m = /^\{\d*(,\d*)?\}/.exec(source.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    out += ci ? bothCases(c) : c;
    i++;
  }
  return new RegExp(out, flags);
}

// ---------------------------------------------------------------------------------------------
// addresses (parse_email, format_email, escape_name)

function escapeName(name: string): string {
  if (/[^A-Za-z0-9_ \-]/.test(name)) return `"${name.replace(/(?<!\\)"/g, '\\"')}"`;
  return name;
}

function trim(s: string): string {
  return s.replace(/^\s+|\s+$/g, '');
}

export function parseEmail(formatted: string): { name: string; address: string } {
  let name = '';
  let address = '';
  let m: RegExpExecArray | null;
  if ((m = /^([^<]+)<(.+@.*)>.*$/.exec(formatted))) {
    name = m[1];
    address = m[2];
  } else if ((m = /^\s*<(.+@\S*)>.*$/.exec(formatted))) {
    address = m[1];
  } else if ((m = /^(.+@\S*).*$/.exec(formatted))) {
    address = m[1];
  }
  name = escapeName(trim(name).replace(/^"|"$/g, ''));
  return { name, address: trim(address) };
}

export function formatEmail(name: string, address: string): string {
  const n = escapeName(trim(name).replace(/^"|"$/g, ''));
  const a = trim(address);
  return n === '' ? a : `${n} <${a}>`;
}

/** The bare address of a formatted recipient, lower-cased (for set comparisons). */
export function addressOf(email: string): string {
  const m = /<([^>]+)>/.exec(email);
  return (m ? m[1] : email).trim().toLowerCase();
}

/** Split an M:/R: value that holds several comma-separated addresses (rfc822_validlist). */
function splitAddresses(value: string): string[] {
  if ((value.match(/@/g) ?? []).length < 2) return [value];
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    if (c === ',' && !quoted && angle === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.map(trim).filter((p) => p !== '');
}

// ---------------------------------------------------------------------------------------------
// parsing

/** Convert an F:/X: value the way read_maintainer_file does (to regex source). */
export function convertFilePattern(value: string, isDirectory?: (p: string) => boolean): string {
  let v = value.replace(/\./g, '\\.').replace(/\*/g, '.*').replace(/\?/g, '.');
  if (isDirectory && isDirectory(v)) v = v.replace(/([^/])$/, '$1/');
  return v;
}

export function parseMaintainers(text: string, opts: ParseOptions = {}): MaintainersDb {
  // the script's @typevalue: entries as {type, value}, other lines as names
  const tv: ({ type: string; value: string } | { name: string })[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const m = /^([A-Z]):\s*(.*)/.exec(line);
    if (m) tv.push({ type: m[1], value: m[2] });
    else if (!/^\s*$/.test(line) && !/^\s*#/.test(line)) tv.push({ name: line });
  }
  const sections: MaintainersSection[] = [];
  let i = 0;
  while (i < tv.length && !('type' in tv[i])) i++;
  while (i < tv.length) {
    const start = i;
    while (i < tv.length && 'type' in tv[i]) i++;
    const before = start > 0 ? tv[start - 1] : undefined;
    const sec: MaintainersSection = {
      name: before && 'name' in before ? before.name : '',
      index: start,
      entries: [],
      status: '',
      trees: [],
      files: [],
      excludes: [],
      names: [],
      keywords: [],
      matchers: [],
      excludeRes: [],
    };
    for (let k = start; k < i; k++) {
      const e = tv[k] as { type: string; value: string };
      sec.entries.push({ type: e.type, value: e.value, tvi: k });
      switch (e.type) {
        case 'S': sec.status = e.value; break;
        case 'T': sec.trees.push(e.value); break;
        case 'F': {
          const p = convertFilePattern(e.value, opts.isDirectory);
          sec.files.push(p);
          sec.matchers.push({ kind: 'F', pattern: p, re: safeRegex(() => new RegExp('^' + p)) });
          break;
        }
        case 'X': {
          const p = convertFilePattern(e.value, opts.isDirectory);
          sec.excludes.push(p);
          sec.excludeRes.push(safeRegex(() => new RegExp('^' + p)));
          break;
        }
        case 'N': {
          const re = safeRegex(() => perlRegex(e.value, true));
          sec.names.push(re);
          sec.matchers.push({ kind: 'N', re });
          break;
        }
        case 'K':
          sec.keywords.push({ tvi: k, source: e.value, re: safeRegex(() => perlRegex(e.value, true)) });
          break;
      }
    }
    sections.push(sec);
    while (i < tv.length && !('type' in tv[i])) i++;
  }
  return { sections };
}

const NEVER = /(?!)/;
function safeRegex(f: () => RegExp): RegExp {
  try {
    return f();
  } catch {
    return NEVER;
  }
}

/** read_mailmap: the kernel's .mailmap (git-shortlog format). */
export function parseMailmap(text: string): Mailmap {
  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = trim(raw.replace(/#.*$/, ''));
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^<]+)<([^>]+)>$/.exec(line))) {
      const e = parseEmail(`${trim(m[1])} <${m[2]}>`);
      names.set(e.address, e.name);
    } else if ((m = /^<([^>]+)>\s*<([^>]+)>$/.exec(line))) {
      addresses.set(m[2], m[1]);
    } else if ((m = /^(.+)<([^>]+)>\s*<([^>]+)>$/.exec(line))) {
      const e = parseEmail(`${trim(m[1])} <${m[2]}>`);
      names.set(m[3], e.name);
      addresses.set(m[3], e.address);
    } else if ((m = /^(.+)<([^>]+)>\s*(.+)\s*<([^>]+)>$/.exec(line))) {
      const real = parseEmail(`${trim(m[1])} <${m[2]}>`);
      const wrong = parseEmail(`${trim(m[3])} <${m[4]}>`);
      const key = formatEmail(wrong.name, wrong.address);
      names.set(key, real.name);
      addresses.set(key, real.address);
    }
  }
  return { names, addresses };
}

function mailmapEmail(mailmap: Mailmap | undefined, line: string): string {
  const { name, address } = parseEmail(line);
  const email = formatEmail(name, address);
  if (!mailmap) return email;
  let realName = name;
  let realAddress = address;
  if (mailmap.names.has(email) || mailmap.addresses.has(email)) {
    realName = mailmap.names.get(email) ?? realName;
    realAddress = mailmap.addresses.get(email) ?? realAddress;
  } else {
    realName = mailmap.names.get(address) ?? realName;
    realAddress = mailmap.addresses.get(address) ?? realAddress;
  }
  return formatEmail(realName, realAddress);
}

/** Read `<tree>/MAINTAINERS` and `<tree>/.mailmap`, checking F:/X: directories in the tree. */
export async function loadMaintainers(tree: string): Promise<MaintainersDb> {
  const text = await readFile(join(tree, 'MAINTAINERS'), 'utf8');
  const isDirectory = (p: string): boolean => {
    try {
      return statSync(join(tree, p)).isDirectory();
    } catch {
      return false;
    }
  };
  const db = parseMaintainers(text, { isDirectory });
  try {
    if ((await stat(join(tree, '.mailmap'))).isFile()) {
      db.mailmap = parseMailmap(await readFile(join(tree, '.mailmap'), 'utf8'));
    }
  } catch {
    // no .mailmap
  }
  return db;
}

// ---------------------------------------------------------------------------------------------
// lookup

function slashes(s: string): number {
  let n = 0;
  for (const c of s) if (c === '/') n++;
  return n;
}

/** file_match_pattern */
export function fileMatchesPattern(file: string, pattern: string, re?: RegExp): boolean {
  const r = re ?? new RegExp('^' + pattern);
  if (!r.test(file)) return false;
  return pattern.endsWith('/') || slashes(file) === slashes(pattern);
}

/** The sections matching one file by F:/N: (not excluded by X:), deepest first. */
export function sectionsForFile(db: MaintainersDb, file: string): { section: MaintainersSection; depth: number; via: 'file' | 'regex' }[] {
  const hits: { section: MaintainersSection; depth: number; via: 'file' | 'regex' }[] = [];
  for (const sec of db.sections) {
    if (sec.excludes.some((p, k) => fileMatchesPattern(file, p, sec.excludeRes[k]))) continue;
    let hit: { depth: number; via: 'file' | 'regex' } | undefined;
    for (const m of sec.matchers) {
      if (m.kind === 'F') {
        if (fileMatchesPattern(file, m.pattern, m.re)) {
          let pd = slashes(m.pattern);
          if (!m.pattern.endsWith('/')) pd++;
          if (m.pattern.startsWith('.*')) pd = -1;
          hit = { depth: pd, via: 'file' };
        }
      } else if (m.re.test(file)) {
        hit = { depth: 0, via: 'regex' };
      }
    }
    if (hit) hits.push({ section: sec, ...hit });
  }
  hits.sort((a, b) => b.depth - a.depth || a.section.index - b.section.index);
  return hits;
}

/** The K: entries whose regex matches a patch, like the script's patch-reading loop. */
function keywordsInPatch(db: MaintainersDb, patch: string): number[] {
  const all = db.sections.flatMap((s) => s.keywords)
    .map((k) => ({ ...k, inDiff: safeRegex(() => new RegExp('^[+-].*(?:' + k.re.source + ')', k.re.flags)) }));
  const found: number[] = [];
  let inDiff = false;
  for (const line of patch.split('\n')) {
    if (/^ mode change [0-7]+ => [0-7]+ (\S+)\s*$/.test(line)
      || /^rename (?:from|to) (\S+)\s*$/.test(line)
      || /^diff --git a\/(\S+) b\/(\S+)\s*$/.test(line)
      || /^Fixes:\s+([0-9a-fA-F]{6,40})/.test(line)) continue;
    if (/^\+\+\+\s+(\S+)/.test(line) || /^---\s+(\S+)/.test(line)) {
      inDiff = true;
      continue;
    }
    if (/^@@ -(\d+),(\d+)/.test(line)) continue;
    for (const k of all) {
      const re = inDiff ? k.inDiff : k.re;
      if (re.test(line)) found.push(k.tvi);
    }
  }
  return found;
}

/** The file names a patch touches, as the script collects them. */
export function filesInPatch(patch: string): string[] {
  const files: string[] = [];
  for (const line of patch.split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^ mode change [0-7]+ => [0-7]+ (\S+)\s*$/.exec(line))) files.push(m[1]);
    else if ((m = /^rename (?:from|to) (\S+)\s*$/.exec(line))) files.push(m[1]);
    else if ((m = /^diff --git a\/(\S+) b\/(\S+)\s*$/.exec(line))) files.push(m[1], m[2]);
    else if ((m = /^\+\+\+\s+(\S+)/.exec(line)) || (m = /^---\s+(\S+)/.exec(line))) {
      files.push(m[1].replace(/^[^/]*\//, ''));
    }
  }
  return [...new Set(files)].filter((f) => f !== 'null' && f !== '/dev/null').sort();
}

const CHIEF_PENGUIN = 'Linus Torvalds <torvalds@linux-foundation.org>';

function maintainerRole(status: string): string {
  const role = (status === '' ? 'unknown' : status).toLowerCase();
  switch (role) {
    case 'supported': return 'supporter';
    case 'maintained': return 'maintainer';
    case 'odd fixes': return 'odd fixer';
    case 'orphan': return 'orphan minder';
    case 'obsolete': return 'obsolete minder';
    case 'buried alive in reporters': return 'chief penguin';
    default: return role;
  }
}

function sectionTitle(sec: MaintainersSection): string {
  return sec.name.length > 50 ? sec.name.slice(0, 47).replace(/\s*$/, '') + '...' : sec.name;
}

/**
 * The recipients for a set of files (paths relative to the tree root), as
 * `get_maintainer.pl --no-git --no-git-fallback -f <files…>` prints them.
 */
export function recipientsFor(db: MaintainersDb, files: readonly string[], opts: RecipientsOptions = {}): RecipientsResult {
  type Pending = { email: string; role: RecipientRole; detail: string; section: string };
  const emailTo: Pending[] = [];
  const listTo: Pending[] = [];
  const nameSeen = new Set<string>();
  const addrSeen = new Set<string>();
  const listSeen = new Set<string>();
  const maintainerKeys = new Set<string>();
  const sectionsOut = new Map<MaintainersSection, SectionMatch>();
  const keywordsOn = opts.keywords ?? true;

  const pushEmail = (value: string, role: RecipientRole, detail: string, section: string): void => {
    for (const one of splitAddresses(value)) {
      const { name, address } = parseEmail(one);
      if (address === '') continue;
      if (role === 'maintainer') {
        if (name !== '') maintainerKeys.add('n:' + name.toLowerCase());
        maintainerKeys.add('a:' + address.toLowerCase());
      }
      if ((name !== '' && nameSeen.has(name.toLowerCase())) || addrSeen.has(address.toLowerCase())) continue;
      emailTo.push({ email: formatEmail(name, address), role, detail, section });
      if (name !== '') nameSeen.add(name.toLowerCase());
      addrSeen.add(address.toLowerCase());
    }
  };

  const addCategories = (sec: MaintainersSection, suffix: string): void => {
    const title = sectionTitle(sec);
    const listRole = title === 'THE REST' ? '' : ':' + title;
    for (const e of sec.entries) {
      if (e.type === 'L') {
        let address = e.value;
        let extra = '';
        const m = /([^\s]+)\s+(.*)$/.exec(address);
        if (m) {
          address = m[1];
          extra = m[2];
          const inner = /<([^>\s]+@[^>\s]+)>/.exec(e.value);
          if (!address.includes('@') && inner) address = inner[1]; // see the header comment
        }
        const key = address.toLowerCase();
        if (/subscribers-only/.test(extra)) {
          if (opts.subscriberLists && !listSeen.has(key)) {
            listSeen.add(key);
            listTo.push({ email: address, role: 'list', detail: `subscriber list${listRole}${suffix}`, section: sec.name });
          }
        } else if (!listSeen.has(key)) {
          if (/moderated/.test(extra)) {
            if (opts.moderated ?? true) {
              listSeen.add(key);
              listTo.push({ email: address, role: 'list', detail: `moderated list${listRole}${suffix}`, section: sec.name });
            }
          } else {
            listSeen.add(key);
            listTo.push({ email: address, role: 'list', detail: `open list${listRole}${suffix}`, section: sec.name });
          }
        }
      } else if (e.type === 'M') {
        pushEmail(e.value, 'maintainer', `${maintainerRole(sec.status)}:${title}${suffix}`, sec.name);
      } else if (e.type === 'R') {
        if (opts.reviewers ?? true) pushEmail(e.value, 'reviewer', `reviewer:${title}${suffix}`, sec.name);
      }
    }
  };

  const note = (sec: MaintainersSection, via: SectionMatch['via'], depth: number): void => {
    if (!sectionsOut.has(sec)) sectionsOut.set(sec, { name: sec.name, status: sec.status, trees: [...sec.trees], via, depth });
  };

  for (const file of files) {
    for (const hit of sectionsForFile(db, file)) {
      addCategories(hit.section, '');
      note(hit.section, hit.via, hit.depth);
    }
  }

  if (keywordsOn) {
    const tvis: number[] = [];
    if (opts.patch !== undefined) tvis.push(...keywordsInPatch(db, opts.patch));
    if (opts.readFile) {
      const all = db.sections.flatMap((s) => s.keywords);
      for (const file of files) {
        if (file === 'MAINTAINERS') continue;
        const text = opts.readFile(file);
        if (text === undefined) continue;
        for (const k of all) if (k.re.test(text)) tvis.push(k.tvi);
      }
    }
    // sort_and_uniq: a string sort of the line indexes
    const uniq = [...new Set(tvis.map(String))].sort();
    for (const t of uniq) {
      const tvi = Number(t);
      const sec = db.sections.find((s) => s.keywords.some((k) => k.tvi === tvi));
      if (!sec) continue;
      const kw = sec.keywords.find((k) => k.tvi === tvi);
      addCategories(sec, `:Keyword:${kw?.source ?? ''}`);
      note(sec, 'keyword', 0);
    }
  }

  // deduplicate_email over maintainers/reviewers, then lists
  const dedupName = new Map<string, [string, string]>();
  const dedupAddr = new Map<string, [string, string]>();
  const dedupe = (email: string): string => {
    const first = mailmapEmail(db.mailmap, email);
    let { name, address } = parseEmail(first);
    let matched = false;
    const byName = name !== '' ? dedupName.get(name.toLowerCase()) : undefined;
    const byAddr = dedupAddr.get(address.toLowerCase());
    if (byName) {
      [name, address] = byName;
      matched = true;
    } else if (byAddr) {
      [name, address] = byAddr;
      matched = true;
    }
    if (!matched) {
      dedupName.set(name.toLowerCase(), [name, address]);
      dedupAddr.set(address.toLowerCase(), [name, address]);
    }
    return mailmapEmail(db.mailmap, formatEmail(name, address));
  };
  for (const p of emailTo) p.email = dedupe(p.email);
  for (const p of listTo) p.email = dedupe(p.email);

  const people = emailTo.filter((p) => !p.email.includes(CHIEF_PENGUIN));
  const seen = new Set<string>();
  const recipients: Recipient[] = [];
  for (const p of [...people, ...listTo]) {
    if (p.email === '' || seen.has(p.email)) continue;
    seen.add(p.email);
    const { name, address } = parseEmail(p.email);
    let role = p.role;
    if (role === 'reviewer' && (maintainerKeys.has('a:' + address.toLowerCase()) || (name !== '' && maintainerKeys.has('n:' + name.toLowerCase())))) {
      role = 'maintainer';
    }
    recipients.push({ email: p.email, address, role, detail: p.detail, section: p.section });
  }
  return {
    to: recipients.filter((r) => r.role === 'maintainer').map((r) => r.email),
    cc: recipients.filter((r) => r.role !== 'maintainer').map((r) => r.email),
    recipients,
    sections: [...sectionsOut.values()],
  };
}

/** The tree a patch for these files goes through: the first (deepest) matched section with a T: git tree. */
export function primaryTree(result: RecipientsResult): { section: string; tree: string } | undefined {
  for (const s of result.sections) {
    const git = s.trees.find((t) => /^git\s/.test(t)) ?? s.trees[0];
    if (git !== undefined) return { section: s.name, tree: git };
  }
  return undefined;
}

/** Sections with a status that means nobody looks after the code (S: Orphan, Obsolete). */
export function unmaintained(result: RecipientsResult): SectionMatch[] {
  return result.sections.filter((s) => /orphan|obsolete/i.test(s.status));
}
