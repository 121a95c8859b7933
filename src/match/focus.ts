// The words that make a function worth parsing in a file: the relevant words of the whole run,
// what this file itself declares in terms of them, its macros that use them, and the
// registration API. Functions that mention none of them cannot hold a site.
import { learnFromHeader, searchPatterns, type RelevantWords } from './prefilter.js';
import type { TransformDefinition } from '../transform.js';

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function cloneWords(w: RelevantWords): RelevantWords {
  return { types: new Set(w.types), funcs: new Set(w.funcs), members: new Set(w.members), arrayMembers: new Set(w.arrayMembers) };
}

export function focusFor(text: string, words: RelevantWords, transforms: readonly TransformDefinition[]): RegExp {
  const local = cloneWords(words);
  learnFromHeader(text, local);
  // members are generic names (`parent`, `host`): only their use as `m->dev`, `m.dev`, `m[` counts
  const all = new Set<string>([...local.types, ...local.funcs]);
  const members = [...new Set(transforms.map((t) => t.member))];
  // and any parenthesised or called receiver, `(c ? &p->a : &p->b)->dev`, whose type only the parser can tell
  const fixed = [...searchPatterns({ ...local, types: new Set(), funcs: new Set() }, members).fixed,
    ...members.flatMap((m) => [`)->${m}`, `).${m}`])];
  for (const t of transforms) {
    for (const n of [...t.registration, ...t.unregistration, t.converter, ...t.converterAliases]) all.add(n);
  }
  const build = () => new RegExp([...[...all].map((w) => `\\b${escapeRe(w)}\\b`), ...fixed.map(escapeRe)].join('|'));
  const wordRe = build();
  // function-like macros of this file whose body uses one of the words
  const macro = /#\s*define\s+(\w+)\(([^)]*)\)((?:[^\n]*\\\n)*[^\n]*)/g;
  for (let m = macro.exec(text); m; m = macro.exec(text)) {
    if (wordRe.test(m[3])) all.add(m[1]);
  }
  return build();
}
