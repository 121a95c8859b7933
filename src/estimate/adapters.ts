// A small textual pass over a driver's files for what the type-based scan does not record but
// the estimate needs: for strategy B (the core allocates the adapter) the container_of() from
// the adapter to the private data, `&priv->adap` uses and `priv->adap.field` accesses of the
// embedded member, static adapters; for both strategies the registration calls and, for
// structs defined in a header, how the driver allocates them.
//
// It works on the text with comments and string literals blanked (offsets and lines kept). The
// member accesses are found by name (`->adap`, `.adap`) in the files of the driver that embeds
// the member, followed by `.` (a by-value member; a pointer member is followed by `->`), so a
// same-named by-value member of another struct in the same driver would be counted too: the
// counts are approximate, which is what an estimate needs.

import { escapeRe, lineAt, lineStarts } from '../util/text.js';
import type { AllocationKind } from '../model.js';
import type { Loc } from './schema.js';

/** Blank comments and the contents of string and character literals (newlines kept, so offsets and lines stay). */
export function blankComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?(?:\*\/|$)|\/\/(?:\\\n|[^\n])*|"(?:\\[\s\S]|[^"\\\n])*"|'(?:\\[\s\S]|[^'\\\n])*'/g,
    (m) => (m[0] === '"' || m[0] === '\'' ? m[0] + m.slice(1, -1).replace(/[^\n]/g, ' ') + m[m.length - 1] : m.replace(/[^\n]/g, ' ')));
}

const esc = escapeRe;

/** The arguments of a call whose `(` is at `open`, split at top-level commas; undefined if unbalanced. */
function callArgs(text: string, open: number): string[] | undefined {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = open; i < text.length && i < open + 2000; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      if (depth === 1) continue;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        args.push(cur.trim());
        return args;
      }
    } else if (c === ',' && depth === 1) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  return undefined;
}

/** Skip backwards over a receiver expression (`priv`, `p->x[i].y`, `(cast)p`) ending before `end`; returns its start. */
function receiverStart(text: string, end: number): number {
  let i = end - 1;
  const ws = (): void => { while (i >= 0 && /\s/.test(text[i])) i--; };
  for (;;) {
    ws();
    if (i < 0) return 0;
    const c = text[i];
    if (c === ')' || c === ']') {
      const open = c === ')' ? '(' : '[';
      let depth = 0;
      for (; i >= 0; i--) {
        if (text[i] === c) depth++;
        else if (text[i] === open && --depth === 0) break;
      }
      i--;
      // a call or a subscript: the name before it belongs to the receiver
      while (i >= 0 && /\w/.test(text[i])) i--;
    } else if (/\w/.test(c)) {
      while (i >= 0 && /\w/.test(text[i])) i--;
    } else {
      return i + 1;
    }
    ws();
    if (i >= 1 && text[i] === '>' && text[i - 1] === '-') { i -= 2; continue; }
    if (i >= 0 && text[i] === '.') { i--; continue; }
    return i + 1;
  }
}

/**
 * Is the receiver before `at` (the `->`/`.` of the member) of a container type? Its last part
 * (`priv` in `priv->adap`, `chan` in `x->chan->adap`, `dev` in `dev[i].adap`) must be a name
 * declared with a container type, or a cast to one (`((struct foo *)p)->adap`).
 */
function receiverIsContainer(text: string, at: number, names: ReadonlySet<string>, containers: ReadonlySet<string>): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  while (i >= 0 && text[i] === ']') {
    let depth = 0;
    for (; i >= 0; i--) {
      if (text[i] === ']') depth++;
      else if (text[i] === '[' && --depth === 0) break;
    }
    i--;
    while (i >= 0 && /\s/.test(text[i])) i--;
  }
  if (text[i] === ')') {
    let depth = 0;
    const end = i;
    for (; i >= 0; i--) {
      if (text[i] === ')') depth++;
      else if (text[i] === '(' && --depth === 0) break;
    }
    const inner = text.slice(i, end);
    return [...containers].some((c) => new RegExp(`\\b${esc(c)}\\b`).test(inner));
  }
  const endId = i + 1;
  while (i >= 0 && /\w/.test(text[i])) i--;
  return names.has(text.slice(i + 1, endId));
}

export interface ContainerRef {
  container: string;
  member: string;
}

export interface StaticAdapter extends Loc {
  name: string;
  array: boolean;
  /** the struct tag (i2c_adapter, spi_controller, …) */
  struct: string;
}

export interface DriverPass {
  containerOf: Loc[];
  addressUses: Loc[];
  memberAccesses: Loc[];
  staticAdapters: StaticAdapter[];
  registrations: string[];
  /** adapters the driver allocates itself: `struct i2c_adapter *v` … `v = kzalloc(` */
  directAllocations: Loc[];
  /** allocation kinds of each container, from `v = alloc(…)` with `struct C *v` (by container name) */
  allocations: Map<string, AllocationKind[]>;
}

function allocKind(name: string): AllocationKind | undefined {
  if (/^devm_k[mz]alloc$/.test(name)) return 'devm_kzalloc';
  if (/^devm_kcalloc$|^devm_kmalloc_array$/.test(name)) return 'devm_kcalloc';
  if (/^kzalloc(_node)?$/.test(name)) return 'kzalloc';
  if (/^kmalloc(_node)?$|^kmemdup$/.test(name)) return 'kmalloc';
  if (/^kcalloc$|^kmalloc_array$/.test(name)) return 'kcalloc';
  if (/alloc/.test(name)) return 'other';
  return undefined;
}

/**
 * The pass over one driver's files. `containers`: the structs embedding the object in this
 * driver; `structs`: the subsystems' struct tags (for static adapters); `registrationNames`:
 * the registration calls of the subsystems.
 */
export function driverPass(read: (file: string) => string | undefined, files: readonly string[],
  containers: readonly ContainerRef[], structs: readonly string[], registrationNames: readonly string[],
  ownedStructs: readonly string[] = []): DriverPass {
  const out: DriverPass = {
    containerOf: [], addressUses: [], memberAccesses: [], staticAdapters: [], registrations: [], directAllocations: [],
    allocations: new Map(),
  };
  const regs = new Set<string>();
  const allocs = new Map<string, Set<AllocationKind>>();
  const members = [...new Set(containers.map((c) => c.member))];
  const containerNames = new Set(containers.map((c) => c.container));
  const regRe = registrationNames.length ? new RegExp(`\\b(${registrationNames.map(esc).join('|')})\\s*\\(`, 'g') : undefined;
  const staticRe = structs.length
    ? new RegExp(`^([ \\t]*)((?:static|const|__maybe_unused|__initdata|volatile)\\s+)*struct\\s+(${structs.map(esc).join('|')})`
      + '\\s+(\\w+)\\s*(\\[[^\\]]*\\])?\\s*(?:__\\w+\\s*)*(=|;|,)', 'gm')
    : undefined;
  const texts = new Map<string, string>();
  for (const file of files) {
    const raw = read(file);
    if (raw !== undefined) texts.set(file, blankComments(raw));
  }
  // names declared with a container type anywhere in the driver (variables, parameters, members):
  // the receivers whose `->member` / `.member` is the embedded object
  const receivers = new Map<string, Set<string>>(); // member -> names
  for (const c of containers) {
    const set = receivers.get(c.member) ?? new Set<string>();
    receivers.set(c.member, set);
    const re = new RegExp(`(?:\\bstruct\\s+)?\\b${esc(c.container)}\\b\\s*((?:\\*\\s*(?:const\\s+)?)*)(\\w+)\\b(?!\\s*\\()`, 'g');
    for (const text of texts.values()) {
      for (const m of text.matchAll(re)) if (!/^(const|volatile|__iomem)$/.test(m[2])) set.add(m[2]);
    }
  }
  for (const [file, text] of texts) {
    let starts: number[] | undefined;
    const loc = (offset: number): Loc => ({ file, line: lineAt((starts ??= lineStarts(text)), offset) + 1 });

    if (regRe) for (const m of text.matchAll(regRe)) regs.add(m[1]);

    if (staticRe && structs.some((st) => text.includes(st))) {
      for (const m of text.matchAll(staticRe)) {
        const isStatic = /\bstatic\b/.test(m[2] ?? '');
        if (m[1] !== '' && !isStatic) continue; // an indented non-static declaration: a local
        // a tentative declaration and the definition are one adapter: keep the definition's line
        const here = { ...loc(m.index! + m[1].length), name: m[4], array: m[5] !== undefined, struct: m[3] };
        const seen = out.staticAdapters.findIndex((x) => x.file === file && x.name === here.name);
        if (seen < 0) out.staticAdapters.push(here);
        else if (m[6] === '=') out.staticAdapters[seen] = here;
      }
    }

    // container_of(x, struct C, member…)
    for (const m of text.matchAll(/\bcontainer_of(?:_const)?\s*\(/g)) {
      const args = callArgs(text, m.index! + m[0].length - 1);
      if (!args || args.length !== 3) continue;
      const type = args[1].replace(/^struct\s+/, '').trim();
      const member = /^(\w+)/.exec(args[2])?.[1];
      if (containerNames.has(type) && member && containers.some((c) => c.container === type && c.member === member)) {
        out.containerOf.push(loc(m.index!));
      }
    }

    // accesses to the embedded member: &p->m (address), p->m.f (member access)
    if (members.length) {
      const memberRe = new RegExp(`(->|\\.)\\s*(${members.map(esc).join('|')})\\b`, 'g');
      for (const m of text.matchAll(memberRe)) {
        const at = m.index!;
        if (m[1] === '.' && text[at - 1] === '.') continue; // `...`
        let j = at + m[0].length;
        while (j < text.length && /\s/.test(text[j])) j++;
        if (text[j] === '[') {
          let depth = 0;
          for (; j < text.length; j++) {
            if (text[j] === '[') depth++;
            else if (text[j] === ']' && --depth === 0) break;
          }
          j++;
          while (j < text.length && /\s/.test(text[j])) j++;
        }
        const start = receiverStart(text, at);
        if (start === at) continue; // no receiver: a designated initialiser `.adap =`
        if (!receiverIsContainer(text, at, receivers.get(m[2]) ?? new Set(), containerNames)) continue;
        if (text[j] === '.' && /[A-Za-z_]/.test(text[j + 1] ?? '')) {
          out.memberAccesses.push(loc(at));
          continue;
        }
        if (text[j] === '-' && text[j + 1] === '>') continue; // a pointer member of that name
        let k = start - 1;
        while (k >= 0 && (/\s/.test(text[k]) || text[k] === '(')) k--;
        if (k >= 0 && text[k] === '&' && text[k - 1] !== '&') out.addressUses.push(loc(at));
      }
    }

    // adapters allocated by the driver itself
    for (const st of ownedStructs) {
      const vars = new Set<string>();
      for (const m of text.matchAll(new RegExp(`\\bstruct\\s+${esc(st)}\\s*\\*\\s*(\\w+)`, 'g'))) vars.add(m[1]);
      if (!vars.size) continue;
      const re = new RegExp(`\\b(${[...vars].map(esc).join('|')})\\s*=\\s*(?:\\([^()]*\\)\\s*)?((?:devm_)?k[mz]alloc|(?:devm_)?kcalloc|kmemdup)\\s*\\(`, 'g');
      for (const m of text.matchAll(re)) out.directAllocations.push(loc(m.index!));
    }

    // allocations of the containers: `struct C *v` … `v = alloc(`
    for (const c of containerNames) {
      const vars = new Set<string>();
      for (const m of text.matchAll(new RegExp(`(?:\\bstruct\\s+)?\\b${esc(c)}\\s*\\*\\s*(\\w+)`, 'g'))) vars.add(m[1]);
      for (const m of text.matchAll(new RegExp(`^(?:static\\s+)?(?:struct\\s+)?${esc(c)}\\s+(\\w+)\\s*(?:\\[[^\\]]*\\])?\\s*(=|;)`, 'gm'))) {
        void m;
        (allocs.get(c) ?? allocs.set(c, new Set()).get(c)!).add('static');
      }
      if (!vars.size) continue;
      const re = new RegExp(`\\b(${[...vars].map(esc).join('|')})\\s*=\\s*(?:\\([^()]*\\)\\s*)?(\\w*alloc\\w*|kmemdup)\\s*\\(`, 'g');
      for (const m of text.matchAll(re)) {
        const k = allocKind(m[2]);
        if (k) (allocs.get(c) ?? allocs.set(c, new Set()).get(c)!).add(k);
      }
    }
  }
  out.registrations = [...regs].sort();
  for (const [c, set] of allocs) out.allocations.set(c, [...set].sort());
  return out;
}
