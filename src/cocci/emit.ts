// Emit a Coccinelle semantic patch (SmPL) from a transform definition. The .cocci file is not a
// hand-written twin of the engine: every rewrite comes from `t.rules` (pattern and replacement
// templates), every type from `t.structs`, every name from the definition. The output is a
// function of the definition only (no dates, no paths, no environment), so it is deterministic.
//
// Shape of the output, following scripts/coccinelle in the kernel: `///` description, the
// `// Confidence:` / `// Copyright:` / `// Options:` / `// Keywords:` header, the four virtual
// modes, then
//   - patch mode: one rule per RewriteRule and object form (a pointer `E`, or an lvalue `A` of
//     the struct type for `&A.dev` / `A.dev.F`), configuration setters first;
//   - context mode: the same patterns marked with `*`;
//   - org / report mode: the same patterns with a position and a python script printing
//     `file:line` messages through coccilib;
//   - context / org / report only: what cannot be rewritten safely (initialisers of the embedded
//     device in static objects, sizeof/offsetof, the device used by value).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { helperNames, type RewriteRule, type RuleKind, type TransformDefinition } from '../transform.js';

/**
 * The spatch options the generated files declare in their `// Options:` line (coccicheck appends
 * them to its own `-I` flags). Most receivers are typed by declarations in the C file or its
 * local headers, but `&spi->controller->dev` or `dspi->bitbang.ctlr->dev.parent` need a struct
 * declared in a system header:
 *   --all-includes               read the headers the C file includes (found through `-I`);
 *   --include-headers-for-types  use them for types only: never match or rewrite an included
 *                                header (without it, --all-includes rewrote include/linux/i2c.h
 *                                once per C file, including `#define to_i2c_adapter(d)` into
 *                                itself);
 *   --include-headers            process the headers under the target directory on their own
 *                                (drivers/i2c/i2c-core.h has `&adap->dev`);
 *   --disable-worth-trying-opt   spatch otherwise skips every file that does not spell the
 *                                struct's name, although the receiver may be typed through a
 *                                header (i2c-at91-core.c, i2c-pasemi-platform.c: `struct
 *                                i2c_adapter` is only in their local header).
 * Measured on 6.12 (2 CPUs, --jobs 2): on drivers/spi the includes find 268 hunks instead of 259
 * with the default local includes, for about 2.5 times the CPU; on drivers/i2c/busses the last
 * option adds 2 hunks for about 10% more CPU. --recursive-includes found nothing more on
 * drivers/i2c/busses for 4 times the CPU and 10 times the memory (830 MB).
 */
export const SPATCH_OPTIONS: readonly string[] = [
  '--include-headers', '--include-headers-for-types', '--all-includes', '--disable-worth-trying-opt',
];

/** Include paths (relative to the tree root) that spatch needs with SPATCH_OPTIONS on a kernel tree. */
export const KERNEL_INCLUDE_DIRS: readonly string[] = [
  'arch/x86/include', 'arch/x86/include/generated', 'include', 'arch/x86/include/uapi',
  'arch/x86/include/generated/uapi', 'include/uapi', 'include/generated/uapi',
];

/** Order of rule kinds in the emitted file: setters before the generic member rule. */
const KIND_ORDER: readonly RuleKind[] = ['config-assign', 'config-call', 'container-of', 'member-get', 'address-of', 'member'];

/** Placeholders a rule pattern may use (bare, as in SmPL): the object, a field, a value, a device. */
const PLACEHOLDERS: ReadonlySet<string> = new Set(['E', 'F', 'V', 'D']);

const PATCH = 'patch && !context && !org && !report';
/** Position constraint of patch and context rules: never inside a helper's own definition. */
const GUARD = 'position p : script:python() { not unembed_skip(p) };';
const CONTEXT = 'context && !patch && !org && !report';
const ORG_REPORT = '!patch && !context && (org || report)';
const NOT_PATCH = '!patch && (context || org || report)';

type ObjectForm = 'ptr' | 'val';

/** One emitted rule: a RewriteRule applied to one object form. */
interface Variant {
  /** SmPL rule name stem, e.g. `set_parent_ptr` */
  name: string;
  rule: RewriteRule;
  form: ObjectForm | 'none';
  /** metavariable names the rule binds (E or A, F, V, D) */
  vars: string[];
  /** alternatives (one per struct alias when the pattern names the struct) */
  branches: { pattern: string; replacement: string }[];
}

/** Stable sort of the rules by kind, keeping the definition's order within a kind. */
export function orderRules(rules: readonly RewriteRule[]): RewriteRule[] {
  return rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => KIND_ORDER.indexOf(a.r.kind) - KIND_ORDER.indexOf(b.r.kind) || a.i - b.i)
    .map((x) => x.r);
}

function smplName(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

/** Metavariables used by a pattern (bare letters), checked against the known placeholders. */
function patternVars(rule: RewriteRule): string[] {
  const text = rule.pattern.replace(/\$REST\b/g, '');
  const found = new Set<string>();
  for (const m of text.matchAll(/\b([A-Z])\b/g)) {
    const v = m[1]!;
    if (!PLACEHOLDERS.has(v)) throw new Error(`rule ${rule.id}: unknown placeholder '${v}' in pattern '${rule.pattern}'`);
    found.add(v);
  }
  for (const m of rule.replacement.matchAll(/\$(REST|[A-Z])\b/g)) {
    const v = m[1]!;
    if (v !== 'REST' && !found.has(v)) {
      throw new Error(`rule ${rule.id}: replacement uses $${v}, which the pattern does not bind`);
    }
  }
  if (/\$REST\b/.test(rule.replacement) !== /\$REST\b/.test(rule.pattern)) {
    throw new Error(`rule ${rule.id}: $REST must appear in both the pattern and the replacement`);
  }
  return ['E', 'F', 'V', 'D'].filter((v) => found.has(v));
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The variants of one rule: pointer and lvalue forms when it has an object, struct aliases. */
function variants(t: TransformDefinition, rule: RewriteRule): Variant[] {
  const vars = patternVars(rule);
  const replacement = rule.replacement.replace(/\$([EFVD])\b/g, '$1');
  const aliasBranches = (pattern: string, repl: string) => {
    const re = new RegExp(`\\bstruct\\s+${escapeRe(t.struct)}\\b`, 'g');
    if (!re.test(pattern)) return [{ pattern, replacement: repl }];
    const names = [t.struct, ...t.structs.filter((s) => s !== t.struct)];
    return names.map((s) => ({ pattern: pattern.replace(re, `struct ${s}`), replacement: repl }));
  };
  const base = smplName(rule.id);
  if (!vars.includes('E')) {
    return [{ name: base, rule, form: 'none', vars, branches: aliasBranches(rule.pattern, replacement) }];
  }
  const ptr: Variant = { name: `${base}_ptr`, rule, form: 'ptr', vars, branches: aliasBranches(rule.pattern, replacement) };
  // The lvalue form: `E->` becomes `A.`, and the object pointer `$E` becomes `&A`.
  const valPattern = rule.pattern.replace(/\bE->/g, 'A.').replace(/\bE\b/g, '(&A)');
  const valReplacement = rule.replacement.replace(/\$E\b/g, '&A').replace(/\$([FVD])\b/g, '$1');
  const val: Variant = {
    name: `${base}_val`, rule, form: 'val', vars: vars.map((v) => (v === 'E' ? 'A' : v)),
    branches: aliasBranches(valPattern, valReplacement),
  };
  return [ptr, val];
}

/** `struct s *E;` / `struct s A;`, or type sets `{struct s1 *, struct s2 *} E;` for struct aliases. */
function objectDecl(t: TransformDefinition, form: ObjectForm): string {
  const [suffix, name] = form === 'ptr' ? [' *', 'E'] : ['', 'A'];
  if (t.structs.length === 1) return form === 'ptr' ? `struct ${t.structs[0]} *E;` : `struct ${t.structs[0]} A;`;
  return `{${t.structs.map((s) => `struct ${s}${suffix}`).join(', ')}} ${name};`;
}

/** Metavariable declarations of a variant (without positions). */
function declarations(t: TransformDefinition, v: Variant): string[] {
  const out: string[] = [];
  if (v.form !== 'none') out.push(objectDecl(t, v.form));
  if (v.vars.includes('F')) out.push('identifier F;');
  const exprs = v.vars.filter((x) => x === 'V' || x === 'D');
  if (exprs.length) out.push(`expression ${exprs.join(', ')};`);
  return out;
}

/** Put a position on the access: on the member token (`E->dev@p`), else on the called name. */
function withPosition(pattern: string, member: string): string {
  const m = new RegExp(`(->|\\.)\\s*${escapeRe(member)}\\b`).exec(pattern);
  if (m) {
    const at = m.index + m[0].length;
    return `${pattern.slice(0, at)}@p${pattern.slice(at)}`;
  }
  const call = /^(\s*[A-Za-z_]\w*)(\s*\()/.exec(pattern);
  if (call) return `${call[1]}@p${pattern.slice(call[1]!.length)}`;
  throw new Error(`cannot place a position in pattern '${pattern}'`);
}

/**
 * A getter reads the member: where it is written (`E->dev.parent = V` left by the setters in a
 * chained or compound assignment, `&E->dev.parent`, `++`), the getter would make an lvalue of
 * a call. One rule per object form records those positions; the getter rules skip them. (An
 * `assignment operator` metavariable lost the positions with spatch 1.1.1: the operators are
 * spelled out.)
 */
function writeRule(t: TransformDefinition, v: Variant): string {
  const member = v.rule.match!;
  const obj = v.form === 'val' ? 'A.' : 'E->';
  const at = `${obj}${t.member}@w.${member}`;
  const forms = [...['=', '+=', '-='].map((op) => [`  ${at} ${op} V`]), [`  &${at}`],
    [`  ${at}++`], [`  ${at}--`], [`  ++${at}`], [`  --${at}`]];
  return smplRule(`${v.name}_write`, '', [objectDecl(t, v.form as ObjectForm), 'expression V;', 'position w;'],
    disjunction(forms), t.member);
}

/** Pattern text for context / report mode: `$REST` matches any remaining arguments. */
function matchText(pattern: string): string {
  return pattern.replace(/\$REST\b/g, ', ...');
}

/** Patch mode body of one branch: a common `$REST)` tail stays context, keeping the arguments as written. */
function patchLines(branch: { pattern: string; replacement: string }, ruleId: string): string[] {
  const tail = '$REST)';
  if (branch.pattern.includes('$REST')) {
    if (!branch.pattern.endsWith(tail) || !branch.replacement.endsWith(tail)) {
      throw new Error(`rule ${ruleId}: $REST is only supported as the last argument list ('…$REST)')`);
    }
    return [
      `- ${branch.pattern.slice(0, -tail.length)}`,
      `+ ${branch.replacement.slice(0, -tail.length)}`,
      '  , ...)',
    ];
  }
  return [`- ${branch.pattern}`, `+ ${branch.replacement}`];
}

function disjunction(alternatives: string[][]): string[] {
  if (alternatives.length === 1) return alternatives[0]!;
  const out = ['('];
  alternatives.forEach((a, i) => {
    if (i > 0) out.push('|');
    out.push(...a);
  });
  out.push(')');
  return out;
}

/**
 * One SmPL rule. Rules on an lvalue `A` disable the `fld_to_ptr` isomorphism (`A.f` would also
 * match `p->f`, and the replacement takes `&A`); the member used as a bare name (the last
 * argument of container_of/offsetof) is declared a `symbol`.
 */
function smplRule(name: string, depends: string, decls: string[], body: string[], member: string): string {
  const text = body.join('\n');
  const disable = decls.some((d) => / A;$/.test(d)) ? ' disable fld_to_ptr' : '';
  const bare = new RegExp(`\\b${escapeRe(member)}\\b`).test(text.replace(/(->|\.)\s*\w+/g, ''));
  const all = bare ? [`symbol ${member};`, ...decls] : decls;
  return [`@${name}${depends ? ` depends on ${depends}` : ''}${disable}@`, ...all, '@@', '', ...body, ''].join('\n');
}

/** A python string literal (ASCII-safe: JSON string syntax is valid python here). */
function pyString(s: string): string {
  return JSON.stringify(s);
}

/** Python code building a message from a text that mentions metavariables by name. */
function pyMessage(text: string, vars: string[]): string {
  if (vars.length === 0) return pyString(text.replace(/%/g, '%%'));
  const args: string[] = [];
  const re = new RegExp(`\\b(${vars.join('|')})\\b`, 'g');
  const fmt = text.replace(/%/g, '%%').replace(re, (v) => {
    args.push(`unembed_c(${v})`);
    return '%s';
  });
  return args.length ? `${pyString(fmt)} % (${args.join(', ')})` : pyString(fmt);
}

/** The org and report scripts of a position-carrying rule. */
function scripts(ruleName: string, vars: string[], message: string, from: Record<string, string> = {}): string[] {
  const inherit = ['p', ...vars].map((v) => `${v} << ${from[v] ?? ruleName}.${v};`);
  const msg = pyMessage(message, vars);
  return [
    ['@script:python depends on org@', ...inherit, '@@', '',
      'if not unembed_skip(p):', `    msg = ${msg}`, '    msg_safe = msg.replace("[", "@(").replace("]", ")")',
      '    coccilib.org.print_todo(p[0], msg_safe)', ''].join('\n'),
    ['@script:python depends on report@', ...inherit, '@@', '',
      'if not unembed_skip(p):', `    msg = ${msg}`, '    coccilib.report.print_report(p[0], msg)', ''].join('\n'),
  ];
}

function section(title: string): string {
  return `//----------------------------------------------------------\n//  ${title}\n//----------------------------------------------------------\n`;
}

/**
 * Python shared by the rules: the helpers whose own definitions must not be rewritten (the
 * accessor's body is `&adap->dev`, the converter's is container_of), and a printer for
 * messages. Written without backslashes: spatch's SmPL lexer mis-reads `\"` in script code.
 */
function pythonHelpers(t: TransformDefinition): string {
  const helpers = [...new Set(helperNames(t))];
  return [
    '@initialize:python@',
    '@@',
    '',
    'import linecache',
    '',
    'UNEMBED_HELPERS = frozenset([',
    ...helpers.map((h) => `    ${pyString(h)},`),
    '])',
    '',
    'def unembed_define(text):',
    '    # the name a #define line defines, or None',
    '    s = text.lstrip()',
    '    if not s.startswith("#"):',
    '        return None',
    '    s = s[1:].lstrip()',
    '    if not s.startswith("define") or not s[6:7].isspace():',
    '        return None',
    '    return s[6:].split("(")[0].split()[0] if s[6:].strip() else None',
    '',
    'def unembed_skip(p):',
    '    # inside the definition of a helper, a function or a (multi-line) macro',
    '    if p[0].current_element in UNEMBED_HELPERS:',
    '        return True',
    '    first = int(p[0].line)',
    '    line = first',
    '    while line > 0:',
    '        text = linecache.getline(p[0].file, line)',
    '        if line != first and not text.rstrip().endswith(chr(92)):',
    '            return False',
    '        name = unembed_define(text)',
    '        if name is not None:',
    '            return name in UNEMBED_HELPERS',
    '        line -= 1',
    '    return False',
    '',
    'def unembed_c(e):',
    '    # C text of a metavariable binding, without the spaces spatch puts between tokens',
    '    s = " ".join(str(e).split())',
    '    for a, b in ((" -> ", "->"), (" . ", "."), ("& ", "&"), ("( ", "("), (" )", ")"), (" [ ", "["), (" ]", "]"), (" ,", ",")):',
    '        s = s.replace(a, b)',
    '    return s',
    '',
  ].join('\n');
}

/** One line of the description per rule: `pattern -> replacement`. */
function describe(rules: RewriteRule[]): string[] {
  const lines = rules.map((r) => [
    matchText(r.pattern),
    r.replacement.replace(/\$REST\b/g, ', ...').replace(/\$([EFVD])\b/g, '$1'),
  ] as const);
  const width = Math.max(...lines.map(([p]) => p.length));
  return lines.map(([p, r]) => `///   ${p.padEnd(width)} -> ${r}`);
}

function header(t: TransformDefinition, ordered: RewriteRule[]): string {
  const structs = t.structs.map((s) => `struct ${s}`).join(' / ');
  const keywords = [...new Set([...t.structs, t.accessor, t.converter])];
  return [
    '// SPDX-License-Identifier: GPL-2.0-only',
    '///',
    `/// ${t.title}.`,
    '///',
    `/// Hide every access to the ${t.memberType} embedded in ${structs}`,
    `/// (member '${t.member}') behind helpers from ${t.header}, so that the core`,
    '/// can own the device later. E is a pointer to the object; the same rules',
    `/// apply to an lvalue A of the struct type (&A.${t.member} -> ${t.accessor}(&A)):`,
    '///',
    ...describe(ordered),
    '///',
    `/// Not rewritten, only reported (context, org and report modes): static`,
    `/// initialisers of the embedded device (.${t.member} = {...}, .${t.member}.F = ...),`,
    `/// sizeof/offsetof of it, and the device used by value.`,
    '///',
    '// Confidence: High',
    '// Copyright: (C) 2026 The unembed authors',
    `// Comments: Generated by unembed from transforms/${t.id}.ts; do not edit.`,
    `// Options: ${SPATCH_OPTIONS.join(' ')}`,
    `// Keywords: ${keywords.join(', ')}`,
    '//',
    '',
    'virtual patch',
    'virtual context',
    'virtual org',
    'virtual report',
    '',
  ].join('\n');
}

/** The .cocci text for one transform. */
export function emitSmPL(t: TransformDefinition): string {
  const ordered = orderRules(t.rules);
  const all = ordered.flatMap((r) => variants(t, r));
  const names = new Set<string>();
  for (const v of all) {
    if (names.has(v.name)) throw new Error(`${t.id}: two rules are named ${v.name}`);
    names.add(v.name);
  }
  const m = t.member;
  const parts: string[] = [header(t, ordered), pythonHelpers(t)];

  // the getters' write positions, shared by every mode, and what each getter rule skips
  const writes = new Map<string, string[]>();
  for (const v of all.filter((x) => x.rule.kind === 'member-get')) {
    writes.set(v.rule.id, [...(writes.get(v.rule.id) ?? []), `${v.name}_write.w`]);
  }
  const skipWrites = (v: Variant): { decls: string[]; at: string } => {
    const w = writes.get(v.rule.id);
    return w ? { decls: [`position q != {${w.join(', ')}};`], at: 'q' } : { decls: [], at: '' };
  };
  const placed = (pattern: string, v: Variant, pos = 'p'): string => {
    const extra = skipWrites(v).at;
    return withPosition(pattern, m).replace('@p', `@${pos}${extra ? `@${extra}` : ''}`);
  };

  parts.push(section('For patch mode'));
  const written = new Set<string>();
  for (const v of all) {
    if (v.rule.kind === 'member-get' && !written.has(v.rule.id)) {
      written.add(v.rule.id);
      parts.push(`// ${v.rule.id}: where ${v.rule.pattern} is written, not read (every mode)`);
      parts.push(...all.filter((x) => x.rule.id === v.rule.id).map((x) => writeRule(t, x)));
    }
    parts.push(`// ${v.rule.id}: ${v.rule.pattern} -> ${v.rule.replacement}`);
    parts.push(smplRule(v.name, PATCH, [...declarations(t, v), GUARD, ...skipWrites(v).decls],
      disjunction(v.branches.map((b) => patchLines({ ...b, pattern: placed(b.pattern, v) }, v.rule.id))), m));
  }

  parts.push(section('For context mode'));
  for (const v of all) {
    parts.push(smplRule(`${v.name}_context`, CONTEXT, [...declarations(t, v), GUARD, ...skipWrites(v).decls],
      disjunction(v.branches.map((b) => [`* ${placed(matchText(b.pattern), v)}`])), m));
  }

  parts.push(section('For org and report mode'));
  // A configuration rule and the generic rule may match the same access (`E->dev.parent = V`
  // is also `E->dev.F`): the generic rules skip the positions the earlier rules reported.
  const earlier: string[] = [];
  for (const v of all) {
    const decls = declarations(t, v);
    const generic = v.rule.kind === 'address-of' || v.rule.kind === 'member' || v.rule.kind === 'member-get';
    const skip = [...(generic ? earlier.map((n) => `${n}.p`) : []), ...(writes.get(v.rule.id) ?? [])];
    const constraint = skip.length ? ` != {${skip.join(', ')}}` : '';
    decls.push(`position p${constraint};`);
    const name = `${v.name}_report`;
    parts.push(smplRule(name, ORG_REPORT, decls,
      disjunction(v.branches.map((b) => [`  ${withPosition(matchText(b.pattern), m)}`])), m));
    const repl = v.branches[0]!.replacement.replace(/\$REST\b/g, ', ...');
    parts.push(...scripts(name, v.vars, `WARNING: use ${repl} (unembed rule ${v.rule.id})`));
    if (v.rule.kind === 'config-assign' || v.rule.kind === 'config-call' || v.rule.kind === 'member-get') earlier.push(name);
  }

  parts.push(section('Not rewritten: reported in context, org and report mode'));
  parts.push(...humanRules(t));
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').replace(/\n*$/, '\n');
}

/** Rules for what cannot be rewritten safely: reported, never patched. */
function humanRules(t: TransformDefinition): string[] {
  const m = t.member;
  const out: string[] = [];
  const rule = (name: string, depends: string, decls: string[], lines: string[]) => smplRule(name, depends, decls, lines, m);
  const ptr = objectDecl(t, 'ptr');
  const val = objectDecl(t, 'val');

  // Initialisers of static objects: there is no statement to turn into a setter call.
  const initMsg = `WARNING: initialiser of the ${t.memberType} embedded in struct ${t.struct} I: `
    + `set it at run time with ${t.setters.length ? 'the setters' : `${t.accessor}()`} before registration (unembed, by hand)`;
  t.structs.forEach((s, i) => {
    const suffix = t.structs.length > 1 ? `_${i}` : '';
    const decls = ['identifier I, F;', 'initializer X;'];
    out.push(rule(`init${suffix}_context`, CONTEXT, decls, disjunction([
      [`  struct ${s} I = { ...,`, `*   .${m} = X,`, '  ...};'],
      [`  struct ${s} I = { ...,`, `*   .${m}.F = X,`, '  ...};'],
    ])));
    out.push(rule(`init${suffix}_report`, ORG_REPORT, [...decls, 'position p;'], disjunction([
      [`  struct ${s} I = { ..., .${m}@p = X, ... };`],
      [`  struct ${s} I = { ..., .${m}.F@p = X, ... };`],
    ])));
    out.push(...scripts(`init${suffix}_report`, ['I'], initMsg));
    // One level of nesting: a struct declared in the same file embeds the object as member M.
    out.push(rule(`nest${suffix}`, NOT_PATCH, ['identifier T, M;'], [`  struct T { ... struct ${s} M; ... };`]));
    const ndecls = [`identifier nest${suffix}.T, nest${suffix}.M;`, 'identifier I, F;', 'initializer X;'];
    out.push(rule(`nest${suffix}_init_context`, CONTEXT, ndecls, disjunction([
      ['  struct T I = { ..., .M = { ...,', `*   .${m} = X,`, '  ...}, ...};'],
      ['  struct T I = { ..., .M = { ...,', `*   .${m}.F = X,`, '  ...}, ...};'],
      ['  struct T I = { ...,', `*   .M.${m}.F = X,`, '  ...};'],
    ])));
    out.push(rule(`nest${suffix}_init_report`, ORG_REPORT, [...ndecls, 'position p;'], disjunction([
      [`  struct T I = { ..., .M = { ..., .${m}@p = X, ... }, ... };`],
      [`  struct T I = { ..., .M = { ..., .${m}.F@p = X, ... }, ... };`],
      [`  struct T I = { ..., .M.${m}.F@p = X, ... };`],
    ])));
    out.push(...scripts(`nest${suffix}_init_report`, ['I', 'M'], initMsg.replace(' I:', ' I.M:'),
      { M: `nest${suffix}` }));
  });

  // sizeof / offsetof: the size or layout of the object changes when the device moves out.
  const sizeDecls = [ptr, val];
  const sizeBranches = (mark: string, pos: string) => [
    [`${mark}sizeof${pos}(E->${m})`], [`${mark}sizeof${pos}(A.${m})`],
    ...t.structs.map((s) => [`${mark}offsetof${pos}(struct ${s}, ${m})`]),
  ];
  out.push(rule('size_context', CONTEXT, sizeDecls, disjunction(sizeBranches('* ', ''))));
  out.push(rule('size_report', ORG_REPORT, [...sizeDecls, 'position p;'], disjunction(sizeBranches('  ', '@p'))));
  out.push(...scripts('size_report', [], `WARNING: sizeof/offsetof of the ${t.memberType} embedded in struct ${t.struct}: `
    + 'the layout changes when the core owns the device (unembed, by hand)'));

  // The device used by value: every access that is not `&E->dev`, `E->dev.F` or a sizeof.
  out.push(rule('handled', NOT_PATCH, [ptr, val, 'identifier F;', 'position p;'], disjunction([
    [`  &E->${m}@p`], [`  E->${m}@p.F`], [`  sizeof(E->${m}@p)`],
    [`  &A.${m}@p`], [`  A.${m}@p.F`], [`  sizeof(A.${m}@p)`],
  ])));
  const byDecls = [ptr, val, 'position p != handled.p;'];
  out.push(rule('by_value_context', CONTEXT, byDecls, disjunction([[`* E->${m}@p`], [`* A.${m}@p`]])));
  out.push(rule('by_value_report', ORG_REPORT, byDecls, disjunction([[`  E->${m}@p`], [`  A.${m}@p`]])));
  out.push(...scripts('by_value_report', [], `WARNING: the ${t.memberType} embedded in struct ${t.struct} `
    + 'is used by value (unembed, by hand)'));
  return out;
}

/** Write `<outDir>/<t.id>.cocci` for every transform; returns the paths written. */
export async function emitAll(transforms: readonly TransformDefinition[], outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const t of transforms) {
    const file = path.join(outDir, `${t.id}.cocci`);
    await writeFile(file, emitSmPL(t));
    written.push(file);
  }
  return written;
}
