// The words that make a function worth parsing in a file: the relevant words of the whole run,
// what this file itself declares in terms of them, its macros that use them, and the
// registration API. Functions that mention none of them cannot hold a site.
import { learnFromHeader, searchPatterns, type RelevantWords } from './prefilter.js';
import type { TransformDefinition } from '../transform.js';
import { escapeRe } from '../util/text.js';
import type { FocusSpec } from '../parse/normalize.js';


export function cloneWords(w: RelevantWords): RelevantWords {
  return { types: new Set(w.types), funcs: new Set(w.funcs), members: new Set(w.members), arrayMembers: new Set(w.arrayMembers) };
}

/** container_of and offsetof: calls that are sites in their own right (with the converters). */
export const CONVERSION_CALLS: readonly string[] = ['container_of', 'container_of_const', '__container_of', 'offsetof', 'offsetofend'];

/** The allocations whose result the embedding facts report (sites.ts allocationsOf). */
export const ALLOCATION_CALLS: readonly string[] = ['devm_kzalloc', 'devm_kmalloc', 'devm_kcalloc', 'devm_kmalloc_array',
  'kzalloc', 'kzalloc_node', 'kmalloc', 'kmalloc_node', 'kmemdup', 'kcalloc', 'kmalloc_array'];

/** Calls that make a function matter even without a member access. */
const FACT_CALLS = [...CONVERSION_CALLS, ...ALLOCATION_CALLS];

/** Runs of word characters: a word of the focus is one of them when `\bword\b` matches. */
const WORD_RUNS = /\w+/g;

const onParamRes = new Map<string, RegExp>();

/** `p->dev` / `(p).dev` for a macro's parameters (kept per parameter list: drivers repeat them). */
function memberOnParam(params: readonly string[], accessed: string): RegExp {
  const key = `${params.join('|')}\0${accessed}`;
  let re = onParamRes.get(key);
  if (!re) {
    if (onParamRes.size > 512) onParamRes.clear();
    onParamRes.set(key, re = new RegExp(`\\b(?:${params.join('|')})\\b\\s*\\)?\\s*(?:->|\\.)\\s*(?:${accessed})\\b`));
  }
  return re;
}

/**
 * `members`: the members of the run whose structs the file can see (its includes); the file's
 * own struct definitions add theirs.
 */
export function focusFor(text: string, words: RelevantWords, transforms: readonly TransformDefinition[],
  members?: ReadonlySet<string>): FocusSpec {
  const local = cloneWords(words);
  if (members) local.members = new Set(members);
  learnFromHeader(text, local);
  const all = new Set<string>([...local.types, ...local.funcs]);
  for (const t of transforms) {
    for (const n of [...t.registration, ...t.unregistration, t.converter, ...t.converterAliases]) all.add(n);
  }
  // members are generic names (`parent`, `host`): only `m->dev`, `m.dev`, `m[` count, and any
  // parenthesised or called receiver `(…)->dev`, whose type only the parser can tell
  const strong = new Set<string>();
  const calls = new Set<string>([...FACT_CALLS]);
  for (const t of transforms) {
    for (const n of [...t.registration, ...t.unregistration]) strong.add(n);
    for (const n of [t.converter, ...t.converterAliases]) calls.add(n);
  }
  const spec: FocusSpec = {
    words: all, members: local.members, arrayMembers: local.arrayMembers,
    accessed: new Set(transforms.map((t) => t.member)),
    needs: { calls, strong },
  };
  // function-like macros of this file whose body uses one of them (the words as they are before
  // the loop: a macro found in it does not make another count). A set and substrings, not one
  // RegExp of every word made for each file: compiling it cost more than the search
  const fixed = [...searchPatterns(local, [...spec.accessed]).fixed, ...[...spec.accessed].flatMap((m) => [`)->${m}`, `).${m}`])];
  const named = new Set(all);
  const mentions = (body: string): boolean => {
    for (const w of body.match(WORD_RUNS) ?? []) if (named.has(w)) return true;
    return fixed.some((f) => body.includes(f));
  };
  // and those that reach the member on a parameter (`&(client)->dev`): every use of such a macro
  // must be parsed, or a use with another type would go unseen and the body be rewritten
  const accessed = [...spec.accessed].map(escapeRe).join('|');
  const macro = /#\s*define\s+(\w+)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)/g;
  for (let m = macro.exec(text); m; m = macro.exec(text)) {
    const params = m[2].split(',').map((p) => p.trim()).filter((p) => /^\w+$/.test(p));
    const onParam = params.length > 0 && memberOnParam(params, accessed).test(m[3]);
    if (onParam || mentions(m[3])) {
      all.add(m[1]);
      strong.add(m[1]);
    }
  }
  return spec;
}
