// Finding the sites of one file: every expression that reaches the device embedded in an object
// of a transform's struct, decided by the receiver's inferred type, classified, and given the
// edit that the transform's rules prescribe (or the reason a human must do it).
import { parseC, inErrorRegion, type ParsedFile, type SyntaxNode } from '../parse/parser.js';
import { normalizeKernelC } from '../parse/normalize.js';
import { typeFromText, typeToString, type CType } from '../types/ctype.js';
import { FileContext, splitArguments, type InferEnv } from '../types/infer.js';
import type { HeaderIndex } from '../types/header-index.js';
import { fillTemplate, helperNames, type RewriteRule, type TransformDefinition } from '../transform.js';
import type { AllocationKind, Category, Edit, Embedding, Site, SiteForm } from '../model.js';
import { FileFunctions, TimingAnalysis, type Timing } from './timing.js';
import { ALLOCATION_CALLS, CONVERSION_CALLS, focusFor } from './focus.js';
import type { RelevantWords } from './prefilter.js';
import { globToRegExp } from '../util/glob.js';
import { lineAt, lineStarts } from '../util/text.js';

export interface FileScan {
  sites: Site[];
  embeddings: Embedding[];
  hasErrors: boolean;
  fallbackLookups: number;
  /** false when the normalised text could hold no site, so the parser never ran */
  parsed: boolean;
  /** the tree parsed ahead served (the parser would have read the same text) */
  aheadKept?: boolean;
}

const CONTAINER_OF = new Set(['container_of', 'container_of_const', '__container_of']);

interface Target {
  t: TransformDefinition;
  /** receiver is a pointer (E->dev) or an lvalue (A.dev) */
  pointer: boolean;
}

/** Strip redundant outer parentheses of an expression text when safe inside a call. */
function bare(text: string): string {
  let s = text.trim();
  while (s.startsWith('(') && s.endsWith(')') && balancedInside(s)) {
    const inner = s.slice(1, -1).trim();
    if (hasTopLevelComma(inner)) break;
    s = inner;
  }
  return s;
}
function balancedInside(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') { depth--; if (depth === 0 && i < s.length - 1) return false; }
  }
  return depth === 0;
}
function hasTopLevelComma(s: string): boolean {
  return splitArguments(`(${s})`).length > 1;
}

/** Is the expression (parentheses aside) a member access `A->m` / `A.m` with `m` not in `members`? */
function isFieldOutside(arg: SyntaxNode, members: ReadonlySet<string>): boolean {
  let a: SyntaxNode | null = arg;
  while (a && a.type === 'parenthesized_expression') a = a.namedChild(0);
  if (!a || a.type !== 'field_expression') return false;
  const f = a.childForFieldName('field')?.text;
  return !!f && !members.has(f);
}

/** `&A` for an lvalue A, simplifying `&*p` to `p`. */
function addressOf(text: string): string {
  const s = bare(text);
  if (/^\*\s*[A-Za-z_]\w*$/.test(s)) return s.replace(/^\*\s*/, '');
  if (/^([A-Za-z_]\w*|\(\s*[A-Za-z_]\w*\s*\))(\s*(->|\.)\s*[A-Za-z_]\w*|\s*\[[^\]]*\])*$/.test(s)) return `&${s}`;
  // A stood before `.`: a postfix expression, which `&` takes without parentheses
  return `&${text.trim()}`;
}

function skipParensUp(n: SyntaxNode): { node: SyntaxNode; parent: SyntaxNode | null } {
  let cur = n;
  while (cur.parent && cur.parent.type === 'parenthesized_expression') cur = cur.parent;
  return { node: cur, parent: cur.parent };
}

function skipParensDown(n: SyntaxNode): SyntaxNode {
  let cur = n;
  while (cur.type === 'parenthesized_expression' && cur.namedChildren.length === 1) cur = cur.namedChildren[0]!;
  return cur;
}

export class FileMatcher {
  private readonly ctx: FileContext;
  private readonly timing: Map<string, TimingAnalysis> = new Map();
  private fileFunctions: FileFunctions | undefined;
  private readonly sites: Site[] = [];
  private readonly coreRes: Map<string, RegExp[]> = new Map();

  constructor(
    readonly file: string,
    readonly text: string,
    readonly root: SyntaxNode,
    headers: HeaderIndex,
    readonly transforms: readonly TransformDefinition[],
    private readonly words?: RelevantWords,
    /** the text the parser read (blanked comments and bodies), when it differs */
    private readonly normalized?: string,
    /** every member that can be an object (or an array of them) in a struct this file can see */
    private readonly objectMembers?: ReadonlySet<string>,
  ) {
    this.ctx = new FileContext(file, root, text, headers);
    for (const t of transforms) this.coreRes.set(t.id, t.coreFiles.map(globToRegExp));
  }

  private lineStartsCache: number[] | undefined;
  private lineOf(offset: number): number {
    this.lineStartsCache ??= lineStarts(this.text);
    return lineAt(this.lineStartsCache, offset);
  }

  private timingFor(t: TransformDefinition): TimingAnalysis {
    let a = this.timing.get(t.id);
    if (!a) {
      this.fileFunctions ??= new FileFunctions(this.root, this.text);
      a = new TimingAnalysis(this.fileFunctions, new Set(t.registration), new Set(t.unregistration));
      this.timing.set(t.id, a);
    }
    return a;
  }

  /** Which transform's object a type is: a pointer to it, or the object itself. */
  targetOf(type: CType, wantPointer: boolean): TransformDefinition | undefined {
    let r = this.ctx.resolve(type);
    if (wantPointer) {
      if (r.k !== 'ptr' && r.k !== 'array') return undefined;
      r = this.ctx.resolve(r.k === 'ptr' ? r.to : r.of);
    }
    if (r.k !== 'struct') return undefined;
    return this.transforms.find((t) => t.structs.includes(r.tag));
  }

  private isCore(t: TransformDefinition): boolean {
    return (this.coreRes.get(t.id) ?? []).some((re) => re.test(this.file));
  }

  /** `embeddings`: also look for structs that embed an object (a rewrite has no use for them) */
  run(embeddings = true): FileScan {
    this.visitCandidates();
    this.scanMacros();
    return {
      sites: this.sites.sort((a, b) => a.offset - b.offset || a.transform.localeCompare(b.transform)),
      embeddings: embeddings ? this.embeddings() : [],
      hasErrors: this.root.hasError,
      parsed: true,
      fallbackLookups: this.ctx.fallbackLookups,
    };
  }

  /**
   * Find candidates from the text (a member access `->dev`/`.dev`, a designator `.dev`, a
   * container_of/offsetof/converter call) and look each up in the tree: much cheaper than
   * visiting every node through the binding.
   */
  private visitCandidates(): void {
    const re = this.candidatePattern(true);
    const seen = new Set<number>();
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const word = m[1] ?? m[2];
      const at = m.index + m[0].indexOf(word);
      let n: SyntaxNode | null = this.root.descendantForIndex(at, at + word.length);
      const wanted = m[1] ? ['field_expression', 'initializer_pair'] : ['call_expression', 'offsetof_expression'];
      for (let k = 0; n && k < 4 && !wanted.includes(n.type); k++) n = n.parent;
      if (!n || !wanted.includes(n.type) || seen.has(n.id)) continue;
      seen.add(n.id);
      this.visit(n, {});
    }
  }

  private walk(root: SyntaxNode, env: InferEnv, macro?: { name: string }): void {
    const cursor = root.walk();
    let done = false;
    while (!done) {
      const n = cursor.currentNode;
      this.visit(n, env, macro);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) { done = true; break; }
      }
    }
  }

  private visit(n: SyntaxNode, env: InferEnv, macro?: { name: string }): void {
    switch (n.type) {
      case 'field_expression':
        this.visitField(n, env, macro);
        break;
      case 'call_expression':
        this.visitCall(n, env, macro);
        break;
      case 'offsetof_expression':
        this.visitOffsetof(n, macro);
        break;
      case 'initializer_pair':
        this.visitInitializer(n, env, macro);
        break;
      default:
        break;
    }
  }

  /** `->dev` / `.dev`, or a container_of/offsetof/converter call: where a site can start. */
  private candidatePattern(global: boolean): RegExp {
    return candidatePattern(this.transforms, global);
  }

  private memberNames(): Set<string> {
    return new Set(this.transforms.map((t) => t.member));
  }

  private visitField(n: SyntaxNode, env: InferEnv, macro?: { name: string }): void {
    const field = n.childForFieldName('field');
    if (!field || !this.memberNames().has(field.text)) return;
    const arg = n.childForFieldName('argument');
    if (!arg) return;
    // `A->m->dev` where no struct this file can see has an object member `m` (the words and
    // their headers say which can): `A->m` is no object, whatever A is, and typing A would
    // parse the headers of its struct for nothing (`&pdev->dev.parent`, i915's `->base.dev`)
    if (!macro && this.objectMembers && isFieldOutside(arg, this.objectMembers)) return;
    const op = n.childForFieldName('operator')?.text ?? n.children[1]?.text;
    const pointer = op === '->';
    const recvType = this.ctx.typeOf(arg, env);
    const t = this.targetOf(recvType, pointer);
    if (t && t.member !== field.text) return;
    if (!t) {
      if (macro && env.macroParams && !env.noGuess && this.reachesObjectMember(arg)) {
        this.push(n, undefined, 'by-value', 'macro', recvType, {
          human: `inside macro ${macro.name}(), not used in this file: whether '${bare(arg.text)}' is an object `
            + 'depends on the arguments its users pass',
        }, macro);
        return;
      }
      if (this.couldBeTarget(recvType, pointer) && !(macro && env.noGuess)) {
        this.push(n, undefined, 'by-value', 'unresolved', recvType, {
          human: `cannot decide the type of '${bare(arg.text)}' (${typeToString(recvType)})`,
        }, macro);
      }
      return;
    }
    this.classifyField(n, arg, { t, pointer }, recvType, env, macro);
  }

  private helperNames: Set<string> | undefined;
  /** Is the node inside the body of one of the transforms' own helpers? */
  private inHelperDefinition(n: SyntaxNode): boolean {
    this.helperNames ??= new Set(this.transforms.flatMap(helperNames));
    for (let p: SyntaxNode | null = n; p; p = p.parent) {
      if (p.type !== 'function_definition') continue;
      let d = p.childForFieldName('declarator');
      while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
      const name = d?.childForFieldName('declarator')?.text;
      return !!name && this.helperNames.has(name);
    }
    return false;
  }

  /** Calls of a function or macro in this file, found from the text. */
  private callsOf(name: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const re = new RegExp(`\\b${name}\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      let n: SyntaxNode | null = this.root.descendantForIndex(m.index, m.index + name.length);
      if (n && n.parent?.type === 'call_expression' && n.parent.childForFieldName('function')?.id === n.id) out.push(n.parent);
    }
    return out;
  }

  /**
   * Calls of a macro in the text the parser read (comments and blanked bodies are blank there)
   * beyond the `typed` ones it parsed as calls; the definition itself is not a call.
   */
  private untypedUses(name: string, typed: number): number {
    const src = this.normalized ?? this.text;
    const re = new RegExp(`(?<!#\\s*define\\s+)\\b${name}\\s*\\(`, 'g');
    let hits = 0;
    for (let m = re.exec(src); m; m = re.exec(src)) hits++;
    return Math.max(0, hits - typed);
  }

  /** `(p)->adapter`: the last step is a member that is an object in some struct of the tree. */
  private reachesObjectMember(arg: SyntaxNode): boolean {
    let a: SyntaxNode | null = arg;
    while (a && a.type === 'parenthesized_expression') a = a.namedChild(0);
    if (!a || a.type !== 'field_expression') return false;
    const f = a.childForFieldName('field')?.text;
    if (!f || !this.words || !(this.words.members.has(f) || this.words.arrayMembers.has(f))) return false;
    // a struct of this file or of its quoted includes has a member of that name that is an object
    const defs = [this.ctx.defs, ...this.ctx.includes().map((p) => this.ctx.headers.defsOf(p))];
    for (const d of defs) {
      for (const st of d?.structs.values() ?? []) {
        const mt = st.members.get(f);
        if (!mt) continue;
        let r = this.ctx.resolve(mt);
        if (r.k === 'ptr' || r.k === 'array') r = this.ctx.resolve(r.k === 'ptr' ? r.to : r.of);
        if (r.k === 'struct' && this.transforms.some((t) => t.structs.includes(r.k === 'struct' ? r.tag : ''))) return true;
      }
    }
    return false;
  }

  /**
   * An unknown receiver type is reported as unresolved only when its cause could hide an
   * object: a declaration that was not found, not a struct that is known and different.
   */
  private couldBeTarget(type: CType, pointer: boolean): boolean {
    let r = this.ctx.resolve(type);
    if (pointer && (r.k === 'ptr' || r.k === 'array')) r = this.ctx.resolve(r.k === 'ptr' ? r.to : r.of);
    if (r.k !== 'unknown') return false;
    return !/^(macro parameter|call of macro parameter)/.test(r.why);
  }

  private classifyField(n: SyntaxNode, arg: SyntaxNode, target: Target, recvType: CType, env: InferEnv,
    macro?: { name: string }): void {
    const { t, pointer } = target;
    const objExpr = pointer ? bare(arg.text) : addressOf(arg.text);
    const up = skipParensUp(n);
    const parent = up.parent;
    const rule = (kind: RewriteRule['kind'], match?: string) => t.rules.find((r) => r.kind === kind && (match === undefined || r.match === match));
    const timing = this.timingFor(t).timingOf(n);

    // E->dev.F …
    if (parent && parent.type === 'field_expression' && parent.childForFieldName('argument')?.id === up.node.id) {
      const f = parent.childForFieldName('field');
      if (!f) return;
      const outer = skipParensUp(parent);
      const gp = outer.parent;
      const isWrite = gp && gp.type === 'assignment_expression' && gp.childForFieldName('left')?.id === outer.node.id;
      const isAddr = gp && gp.type === 'pointer_expression' && gp.children[0]?.text === '&';
      if (isWrite && gp) {
        const setter = rule('config-assign', f.text);
        const stmt = gp.parent;
        const right = gp.childForFieldName('right');
        // `a.dev.parent = b.dev.parent = x;`: a setter would take an assignment as its argument
        const chained = !!right && skipParensDown(right).type === 'assignment_expression';
        const plain = gp.childForFieldName('operator')?.text === '=' && stmt?.type === 'expression_statement' && !chained;
        if (setter && plain) {
          const v = right;
          const op = gp.childForFieldName('operator');
          // the value as written, comments included; one that starts on the next line joins the
          // setter's line (else `set(E, ` ends with a space), the re-wrap breaks it if too long
          const value = v && op ? this.text.slice(op.endIndex, v.endIndex).replace(/^\s+/, '') : v?.text ?? '';
          const edit: Edit = {
            start: gp.startIndex, end: gp.endIndex,
            text: fillTemplate(setter.replacement, { E: objExpr, V: value }),
          };
          this.push(n, t, 'member-write', 'config-before-register', recvType, { edit, timing, configured: true }, macro, parent);
          return;
        }
        const memberRule = rule('member')!;
        const edit: Edit = {
          start: up.node.startIndex, end: f.startIndex,
          text: fillTemplate(memberRule.replacement, { E: objExpr, F: '' }),
        };
        const isConfig = t.configMembers.includes(f.text);
        this.push(n, t, 'member-write', isConfig ? 'config-before-register' : 'member-write', recvType,
          { edit, timing, configured: isConfig, setterMissing: isConfig && t.setters.length > 0 && !plain ? f.text : undefined },
          macro, parent);
        return;
      }
      // a read of a member with a getter (not `&E->dev.parent`, not `E->dev.parent++`)
      const getter = rule('member-get', f.text);
      if (getter && !isAddr && gp?.type !== 'update_expression') {
        const edit: Edit = { start: up.node.startIndex, end: parent.endIndex, text: fillTemplate(getter.replacement, { E: objExpr }) };
        // no timing: the getter is valid before registration and after deletion too
        this.push(n, t, 'member-read', 'member-read', recvType, { edit }, macro, parent);
        return;
      }
      const memberRule = rule('member')!;
      const edit: Edit = {
        start: up.node.startIndex, end: f.startIndex,
        text: fillTemplate(memberRule.replacement, { E: objExpr, F: '' }),
      };
      this.push(n, t, isAddr ? 'member-address' : 'member-read', 'member-read', recvType, { edit, timing, object: objExpr }, macro, parent);
      return;
    }
    // &E->dev
    if (parent && parent.type === 'pointer_expression' && parent.children[0]?.text === '&') {
      const outer = skipParensUp(parent);
      const call = outer.parent?.type === 'argument_list' ? outer.parent.parent : null;
      const callee = call?.childForFieldName('function');
      const firstArg = outer.parent?.namedChildren.find((c) => c.type !== 'comment');
      if (call && callee && firstArg?.id === outer.node.id) {
        const setterRule = rule('config-call', callee.text);
        if (setterRule) {
          const helper = setterRule.replacement.replace(/\(.*$/, '');
          const edit: Edit = { start: call.startIndex, end: outer.node.endIndex, text: `${helper}(${objExpr}` };
          this.push(n, t, 'config-call', 'config-before-register', recvType, { edit, timing, configured: true }, macro, parent);
          return;
        }
      }
      const edit: Edit = {
        start: parent.startIndex, end: up.node.endIndex,
        text: fillTemplate(rule('address-of')!.replacement, { E: objExpr }),
      };
      const configCall = callee && /^(device_set_node|ACPI_COMPANION_SET|device_set_of_node_from_dev|set_primary_fwnode|set_secondary_fwnode|device_set_of_node|acpi_preset_companion)$/.test(callee.text);
      // without a setter, a configuration call goes through the accessor: NULL before registration after the switch
      const noSetter = configCall && t.deviceCreatedAt === 'registration'
        ? { name: callee.text, args: (outer.parent?.namedChildren ?? []).filter((c) => c.type !== 'comment').map((c) => c.text) }
        : undefined;
      this.push(n, t, configCall ? 'config-call' : 'address-of', configCall ? 'config-before-register' : 'address-of',
        recvType, { edit, timing, configured: !!configCall, object: objExpr, configCallNoSetter: noSetter }, macro, parent);
      return;
    }
    if (parent && (parent.type === 'sizeof_expression' || parent.type === 'alignof_expression')) {
      this.push(n, t, 'sizeof', 'sizeof-offsetof', recvType, {
        human: `sizeof of the embedded device: the device will no longer be part of struct ${t.struct}`,
      }, macro);
      return;
    }
    this.push(n, t, 'by-value', 'by-value', recvType, {
      human: `the struct device is used by value ('${n.text.replace(/\s+/g, ' ')}'): it will become a pointer`,
    }, macro);
  }

  private visitCall(n: SyntaxNode, env: InferEnv, macro?: { name: string }): void {
    const fn = n.childForFieldName('function');
    if (!fn || fn.type !== 'identifier') return;
    const args = n.childForFieldName('arguments');
    if (CONTAINER_OF.has(fn.text) && args) {
      const parts = splitArguments(args.text);
      if (parts.length < 3) return;
      const ty = typeFromText(parts[1]);
      const t = this.targetOf(ty, false);
      if (!t) return;
      const member = parts[2].replace(/\s+/g, '');
      if (member !== t.member && !member.startsWith(`${t.member}.`)) return;
      if (member === t.member) {
        const r = t.rules.find((x) => x.kind === 'container-of')!;
        const edit: Edit = { start: n.startIndex, end: n.endIndex, text: fillTemplate(r.replacement, { E: '', D: bare(parts[0]) }) };
        this.push(n, t, 'conversion', 'conversion', ty, { edit }, macro);
      } else {
        this.push(n, t, 'conversion', 'conversion', ty, {
          human: `container_of() through a member of the embedded device ('${member}')`,
        }, macro);
      }
      return;
    }
    if (args && (fn.text === 'offsetof' || fn.text === 'offsetofend')) {
      this.visitOffsetofText(n, args.text, macro);
      return;
    }
    for (const t of this.transforms) {
      if (fn.text === t.converter || t.converterAliases.includes(fn.text)) {
        this.push(n, t, 'converter-call', 'conversion', { k: 'struct', tag: t.struct, union: false }, {
          noChange: `already uses ${fn.text}()`,
          phase2: t.deviceCreatedAt === 'registration'
            ? `${fn.text}() returns NULL after the switch once the ${t.struct} is deleted (the device may outlive it): `
              + `check the result, and pin it with ${t.struct}_dev_enter()/_exit() where this can run after ${t.unregistration[0] ?? 'deletion'}()`
            : `${fn.text}() maps the device back to the ${t.struct}: in phase two it must check that the ${t.struct} still exists`,
        }, macro);
      }
    }
    void env;
  }

  private visitOffsetof(n: SyntaxNode, macro?: { name: string }): void {
    this.visitOffsetofText(n, n.text.replace(/^\s*\w+\s*/, ''), macro);
  }

  private visitOffsetofText(n: SyntaxNode, argsText: string, macro?: { name: string }): void {
    const parts = splitArguments(argsText);
    if (parts.length < 2) return;
    const t = this.targetOf(typeFromText(parts[0]), false);
    if (!t) return;
    const member = parts[1].replace(/\s+/g, '');
    if (member !== t.member && !member.startsWith(`${t.member}.`)) return;
    this.push(n, t, 'offsetof', 'sizeof-offsetof', typeFromText(parts[0]), {
      human: `offsetof() of the embedded device: the device will no longer be part of struct ${t.struct}`,
    }, macro);
  }

  /** `.dev = { … }` or `.dev.parent = …` in an initializer of an object. */
  private visitInitializer(n: SyntaxNode, env: InferEnv, macro?: { name: string }): void {
    const designators = n.childrenForFieldName('designator');
    const first = designators[0];
    if (!first || first.type !== 'field_designator') return;
    const name = first.text.replace(/^\./, '').trim();
    if (!this.memberNames().has(name)) return;
    const list = n.parent;
    if (!list || list.type !== 'initializer_list') return;
    const listType = this.initializerListType(list, env);
    if (!listType) return;
    const t = this.targetOf(listType, false);
    if (!t || t.member !== name) return;
    // the (field, value) pairs this initialiser sets on the device
    const pairs: { field: string; value: string }[] = [];
    const value = n.childForFieldName('value');
    if (designators.length === 2 && designators[1].type === 'field_designator' && value) {
      pairs.push({ field: designators[1].text.replace(/^\./, '').trim(), value: value.text });
    } else if (designators.length === 1 && value && value.type === 'initializer_list') {
      for (const p of value.namedChildren) {
        if (p.type === 'comment') continue;
        const ds = p.type === 'initializer_pair' ? p.childrenForFieldName('designator') : [];
        const v = p.childForFieldName('value');
        if (ds.length !== 1 || ds[0].type !== 'field_designator' || !v) { pairs.length = 0; break; }
        pairs.push({ field: ds[0].text.replace(/^\./, '').trim(), value: v.text });
      }
    }
    const object = this.initializedObject(list);
    const calls = pairs.map(({ field, value: v }) => {
      const setter = t.setters.find((x) => x.member === field);
      return setter ? `${setter.helper}(&${object ?? 'OBJ'}, ${v});` : `${t.accessor}(&${object ?? 'OBJ'})->${field} = ${v};`;
    });
    const registration = object && !macro ? this.registrationOf(t, object) : undefined;
    if (!object || pairs.length === 0 || !registration || pairs.some((p) => /\n/.test(p.value))) {
      const how = calls.length && object
        ? `remove '${n.text.replace(/\s+/g, ' ')}' from the initialiser and call ${calls.join(' ')} before ${object} is registered`
        : 'move this configuration of the device to run time, before registration';
      this.push(n, t, 'initializer', 'initializer', listType, {
        human: `designated initialiser of the embedded device, registered ${registration ? 'in a way not understood' : 'in another file'}: ${how}`,
      }, macro);
      return;
    }
    // remove the designator (its whole line when it stands alone) ...
    let start = n.startIndex;
    let end = n.endIndex;
    const after = /^\s*,/.exec(this.text.slice(end));
    if (after) end += after[0].length;
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = this.text.indexOf('\n', end);
    if (/^[\t ]*$/.test(this.text.slice(lineStart, start)) && /^[\t ]*$/.test(this.text.slice(end, lineEnd < 0 ? undefined : lineEnd))) {
      start = lineStart;
      end = lineEnd < 0 ? this.text.length : lineEnd + 1;
    }
    // ... and set it at run time, just before the registration statement
    const stmtLine = this.text.lastIndexOf('\n', registration.startIndex - 1) + 1;
    const indent = /^[\t ]*/.exec(this.text.slice(stmtLine))![0];
    const insertion = calls.map((c) => `${indent}${c}\n`).join('');
    this.push(n, t, 'initializer', 'initializer', listType, {
      edit: { start, end, text: '' },
      moreEdits: [{ start: stmtLine, end: stmtLine, text: insertion }],
    }, macro);
  }

  /** The variable an initializer list (or its enclosing lists) initialises. */
  private initializedObject(list: SyntaxNode): string | undefined {
    let p: SyntaxNode | null = list;
    const path: string[] = [];
    while (p && p.type !== 'init_declarator') {
      if (p.type === 'initializer_pair') {
        const ds = p.childrenForFieldName('designator');
        if (ds.length !== 1 || ds[0].type !== 'field_designator') return undefined;
        path.unshift(ds[0].text.replace(/^\./, '').trim());
      } else if (p.type !== 'initializer_list') return undefined;
      p = p.parent;
    }
    if (!p) return undefined;
    let id = p.childForFieldName('declarator');
    while (id && id.type !== 'identifier') {
      if (id.type === 'array_declarator') return undefined;
      id = id.childForFieldName('declarator') ?? id.namedChild(0);
    }
    return id ? [id.text, ...path].join('.') : undefined;
  }

  /** The statement registering `&object` in this file, if any. */
  private registrationOf(t: TransformDefinition, object: string): SyntaxNode | undefined {
    for (const { call } of this.timingFor(t).registrations()) {
      const obj = this.registeredObject(t, call.node);
      if (!obj || bare(obj.text).replace(/\s+/g, '') !== `&${object}`) continue;
      let stmt: SyntaxNode | null = call.node;
      while (stmt && stmt.parent && stmt.parent.type !== 'compound_statement') stmt = stmt.parent;
      if (stmt && stmt.parent) return stmt;
    }
    return undefined;
  }

  /** The type an initializer list initialises. */
  initializerListType(list: SyntaxNode, env: InferEnv): CType | undefined {
    const p = list.parent;
    if (!p) return undefined;
    if (p.type === 'init_declarator') {
      const decl = p.parent;
      if (!decl || decl.type !== 'declaration') return undefined;
      const name = p.childForFieldName('declarator');
      let id = name;
      while (id && id.type !== 'identifier') id = id.childForFieldName('declarator') ?? id.namedChild(0);
      if (!id) return undefined;
      const t = this.ctx.lookupVar(id.text, id, env);
      return t;
    }
    if (p.type === 'compound_literal_expression') return this.ctx.typeOf(p, env);
    if (p.type === 'initializer_pair') {
      const outer = p.parent;
      if (!outer || outer.type !== 'initializer_list') return undefined;
      let t = this.initializerListType(outer, env);
      if (!t) return undefined;
      for (const d of p.childrenForFieldName('designator')) {
        if (d.type === 'field_designator') t = this.ctx.memberType(t, d.text.replace(/^\./, '').trim());
        else t = this.ctx.deref(t);
      }
      return t;
    }
    if (p.type === 'initializer_list') {
      const t = this.initializerListType(p, env);
      if (!t) return undefined;
      const r = this.ctx.resolve(t);
      return r.k === 'array' ? r.of : undefined;
    }
    return undefined;
  }

  /**
   * Sites inside #define bodies, parsed on their own. A macro used in this file is typed once per
   * use, its parameters bound to the types of the use's arguments: a site that every use makes
   * an object is rewritten inside the macro; one that only some uses make an object is left for
   * a human. A macro not used in this file is typed with unknown parameters and its sites are
   * left for a human (its users are elsewhere).
   */
  private scanMacros(): void {
    // what visitCandidates looks for: a member access or a conversion call, not the bare word
    const interesting = this.candidatePattern(false);
    for (const m of this.ctx.defs.macros.values()) {
      if (!m.body || !interesting.test(m.body)) continue;
      const def = this.root.descendantForIndex(m.bodyStart, m.bodyStart + 1);
      const value = def.type === 'preproc_arg' ? def : null;
      const name = m.name;
      if (!value) continue;
      // the helpers' own definitions: sites, but the subsystem switch changes them, not phase one
      const ownHelper = this.transforms.some((t) => t.converter === name || t.accessor === name);
      const params = m.params;
      const start = value.startIndex;
      const prefix = 'void __m(void){';
      if (start < prefix.length) continue;
      const body = this.text.slice(start, value.endIndex).replace(/\\\n/g, ' \n');
      const snippet = ' '.repeat(start - prefix.length) + prefix + body + '\n;}';
      const parsed = parseC(snippet);
      const fnBody = parsed.tree.rootNode.descendantsOfType('compound_statement')[0];
      if (!fnBody) continue;
      const uses = params.length === 0 ? [] : this.callsOf(name);
      const runs: Site[][] = [];
      const walkWith = (env: InferEnv) => {
        const before = this.sites.length;
        this.walk(fnBody, env, { name });
        runs.push(this.sites.splice(before));
      };
      // used in this file, but only in functions that mention nothing relevant (their bodies were
      // not parsed): its parameters are not objects there, so nothing is guessed
      const usedElsewhereInFile = uses.length === 0 && params.length > 0
        && new RegExp(`\\b${name}\\s*\\(`).test(this.text.slice(0, m.bodyStart - name.length - 8) + this.text.slice(value.endIndex));
      if (uses.length === 0) walkWith({ macroParams: new Set(params), anchor: this.root, noGuess: usedElsewhereInFile });
      // uses the parser did not see as calls (inside other macros, in ERROR regions): each counts
      // as a use of unknown type, so the body is not rewritten for all of them
      for (let k = uses.length > 0 ? this.untypedUses(name, uses.length) : 0; k > 0; k--) runs.push([]);
      for (const use of uses) {
        const args = use.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
        const bindings = new Map<string, CType>();
        params.forEach((p, i) => { if (args[i] && p !== '...') bindings.set(p, this.ctx.typeOf(args[i])); });
        walkWith({ bindings, anchor: use });
      }
      // merge the runs: one site per offset
      const byOffset = new Map<string, { site: Site; count: number }>();
      for (const run of runs) {
        for (const site of run) {
          const k = `${site.offset}:${site.transform}`;
          const hit = byOffset.get(k);
          if (hit) hit.count++;
          else byOffset.set(k, { site, count: 1 });
        }
      }
      for (const { site, count } of byOffset.values()) {
        site.category = 'macro';
        if (ownHelper) {
          site.noChange = `the definition of ${name}() itself: the subsystem switch changes it`;
          delete site.edit;
          delete site.moreEdits;
          delete site.human;
        } else if (uses.length === 0 && site.edit) {
          site.human = `inside macro ${name}(), which is not used in this file: check its users`;
          delete site.edit;
          delete site.moreEdits;
        } else if (count < runs.length && site.edit) {
          site.human = `inside macro ${name}(): ${count} of its ${runs.length} uses in this file give it a ${site.receiverType}`;
          delete site.edit;
          delete site.moreEdits;
        }
        this.sites.push(site);
      }
    }
  }

  private push(n: SyntaxNode, t: TransformDefinition | undefined, form: SiteForm, category: Category, recvType: CType,
    extra: { edit?: Edit; moreEdits?: Edit[]; noChange?: string; human?: string; phase2?: string; timing?: ReturnType<TimingAnalysis['timingOf']>;
      configured?: boolean; setterMissing?: string; configCallNoSetter?: { name: string; args: string[] }; object?: string },
    macro?: { name: string }, extentNode?: SyntaxNode): void {
    const lineStart = this.text.lastIndexOf('\n', n.startIndex - 1) + 1;
    // from the offset, not the node's row: macro bodies are parsed in a snippet of their own
    const row = this.lineOf(n.startIndex);
    const transform = t ?? this.transforms[0];
    let cat: Category = category;
    if (macro) cat = 'macro';
    else if (t && this.isCore(t) && category !== 'unresolved') cat = 'core';
    const site: Site = {
      transform: transform.id,
      file: this.file,
      line: row + 1,
      column: n.startIndex - lineStart + 1,
      offset: n.startIndex,
      end: (extentNode ?? n).endIndex,
      expr: this.text.slice(n.startIndex, (extentNode ?? n).endIndex).replace(/\s+/g, ' '),
      form,
      category: cat,
      receiverType: typeToString(recvType),
      inErrorRegion: inErrorRegion(n),
    };
    if (extra.edit && this.inHelperDefinition(n)) {
      // the helpers' own bodies (a tree that already has them): the switch changes those
      extra.noChange = 'inside the definition of a helper: the subsystem switch changes it';
      delete extra.edit;
      delete extra.moreEdits;
    }
    if (extra.edit) site.edit = extra.edit;
    if (extra.moreEdits) site.moreEdits = extra.moreEdits;
    if (extra.noChange) site.noChange = extra.noChange;
    if (extra.human) site.human = extra.human;
    if (extra.phase2) site.phase2 = extra.phase2;
    const another = extra.timing?.when === 'before-registration' && t && this.registeredElsewhere(n, t);
    if (t && extra.timing && !extra.configured && !another) {
      const why = phaseTwoWhy(t, extra.timing, this.loggedThrough(n), extra.object);
      if (why) site.phase2 = why;
    }
    if (t && extra.setterMissing) {
      const setter = t.setters.find((x) => x.member === extra.setterMissing);
      site.phase2 = `'${extra.setterMissing}' is configured in a chained or compound assignment, left on ${t.accessor}(), `
        + `which is NULL before registration after the switch: make it a statement of its own calling ${setter?.helper ?? 'the setter'}()`;
    }
    if (t && extra.configCallNoSetter) {
      // a call that another setter's call does the work of
      const { name, args } = extra.configCallNoSetter;
      const via = INSTEAD[name];
      const setter = via && t.setters.find((x) => x.call === via.call);
      const value = via?.value.replace(/\$(\d)/g, (_, i: string) => args[Number(i)] ?? `$${i}`);
      site.phase2 = `${name}() configures the device through ${t.accessor}(), which is NULL before `
        + `registration after the switch: ${setter && value ? `record it with ${setter.helper}(${extra.object ?? t.objectName}, ${value})`
          : `${t.struct} needs a setter for it`}`;
    }
    this.sites.push(site);
  }

  /**
   * The object of `X->dev` / `X.dev` was registered before this file sees it, so the
   * registration the timing found is another object's: an `extern` object this file does not
   * register (i2c-amd756-s4882.c's amd756_smbus), or a local that only a core lookup
   * (of_get_i2c_adapter_by_node()) sets.
   */
  private registeredElsewhere(n: SyntaxNode, t: TransformDefinition): boolean {
    let a = n.type === 'field_expression' ? n.childForFieldName('argument') : null;
    while (a?.type === 'parenthesized_expression') a = a.namedChild(0);
    if (a?.type !== 'identifier') return false;
    const name = a.text;
    const root = (e: string): string | undefined => /^[\s&(*]*([A-Za-z_]\w*)/.exec(e)?.[1];
    let registeredHere = false;
    for (const { call } of this.timingFor(t).registrations()) {
      const obj = this.registeredObject(t, call.node);
      if (!obj) return false;
      if (root(obj.text) === name) registeredHere = true;
    }
    // an extern object that this file deletes is registered elsewhere; it may add it back later
    if (new RegExp(`^[ \\t]*extern\\b[^;(]*\\b${name}\\s*;`, 'm').test(this.text)) {
      return !registeredHere || new RegExp(`\\b(?:${t.unregistration.join('|')})\\s*\\(\\s*&?\\s*${name}\\s*\\)`).test(this.text);
    }
    if (registeredHere) return false;
    let fn: SyntaxNode | null = n.parent;
    while (fn && fn.type !== 'function_definition') fn = fn.parent;
    if (!fn) return false;
    const sets = [...this.text.slice(fn.startIndex, fn.endIndex).matchAll(new RegExp(`\\b${name}\\s*=(?!=)([^;]*)`, 'g'))];
    const lookup = new RegExp(`^\\s*(?:${t.coreAllocators.join('|')})\\s*\\(`);
    return sets.length > 0 && sets.every((m) => lookup.test(m[1]));
  }

  /** The printk-style call (dev_err(), dev_info(), ...) whose first argument is the site's device, if any. */
  private loggedThrough(n: SyntaxNode): string | undefined {
    let arg: SyntaxNode = n;
    while (arg.parent && (arg.parent.type === 'parenthesized_expression'
      || (arg.parent.type === 'pointer_expression' && arg.parent.children[0]?.text === '&'))) arg = arg.parent;
    const list = arg.parent;
    if (list?.type !== 'argument_list' || list.namedChildren.find((c) => c.type !== 'comment')?.id !== arg.id) return undefined;
    const name = list.parent?.childForFieldName('function')?.text ?? '';
    return PRINTK.test(name) ? name : undefined;
  }

  /** Structs of this file that embed an object by value, with how they are allocated and registered. */
  private embeddings(): Embedding[] {
    const out: Embedding[] = [];
    // only structs whose body names an object type (or a typedef of one) can embed one
    const typeWords = new Set([...this.transforms.flatMap((t) => t.structs), ...(this.words?.types ?? [])]);
    const mentions = new RegExp(`\\b(?:${[...typeWords].join('|')})\\b`);
    for (const [tag, def] of this.ctx.defs.structs) {
      if (def.span && !mentions.test(this.text.slice(def.span[0], def.span[1]))) continue;
      for (const [member, mt] of def.members) {
        const r = this.ctx.resolve(mt);
        const isArray = r.k === 'array';
        const t = this.targetOf(isArray ? (r as { of: CType }).of : r, false);
        if (!t) continue;
        out.push({
          transform: t.id, file: this.file, line: def.line, container: tag, member, array: isArray,
          allocations: this.allocationsOf(tag), registrations: this.registrationsOf(t),
        });
      }
    }
    return out;
  }

  private allocationsOf(tag: string): AllocationKind[] {
    const kinds = new Set<AllocationKind>();
    const isContainerPtr = (ty: CType) => {
      const r = this.ctx.resolve(ty);
      if (r.k !== 'ptr') return false;
      const to = this.ctx.resolve(r.to);
      return to.k === 'struct' && to.tag === tag;
    };
    const allocKind = (call: SyntaxNode): AllocationKind | undefined => {
      const name = call.childForFieldName('function')?.text ?? '';
      if (/^devm_kzalloc$|^devm_kmalloc$/.test(name)) return 'devm_kzalloc';
      if (/^devm_kcalloc$|^devm_kmalloc_array$/.test(name)) return 'devm_kcalloc';
      if (/^kzalloc$|^kzalloc_node$/.test(name)) return 'kzalloc';
      if (/^kmalloc$|^kmalloc_node$|^kmemdup$/.test(name)) return 'kmalloc';
      if (/^kcalloc$|^kmalloc_array$/.test(name)) return 'kcalloc';
      if (/alloc/.test(name)) return 'other';
      return undefined;
    };
    // allocation calls found from the text, then their assignment or initialised declaration
    const re = new RegExp(`\\b(${ALLOCATION_CALLS.join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      const fn = this.root.descendantForIndex(m.index, m.index + m[1].length);
      const call = fn.parent;
      if (!call || call.type !== 'call_expression') continue;
      const k = allocKind(call);
      let up: SyntaxNode | null = call.parent;
      while (up && (up.type === 'parenthesized_expression' || up.type === 'cast_expression')) up = up.parent;
      if (!k || !up) continue;
      if (up.type === 'assignment_expression') {
        const left = up.childForFieldName('left');
        if (left && isContainerPtr(this.ctx.typeOf(left))) kinds.add(k);
      } else if (up.type === 'init_declarator') {
        let id: SyntaxNode | null = up.childForFieldName('declarator');
        while (id && id.type !== 'identifier') id = id.childForFieldName('declarator') ?? id.namedChild(0);
        const ty = id ? this.ctx.lookupVar(id.text, id) : undefined;
        if (ty && isContainerPtr(ty)) kinds.add(k);
      }
    }
    // objects of the container type itself: static (file scope) or on the stack
    for (const [, ty] of this.ctx.defs.globals) {
      const r = this.ctx.resolve(ty);
      const base = r.k === 'array' ? this.ctx.resolve(r.of) : r;
      if (base.k === 'struct' && base.tag === tag) kinds.add('static');
    }
    return [...kinds].sort();
  }

  /** Registration calls of this file whose object has the transform's type (file-level attribution). */
  private registrationsOf(t: TransformDefinition): string[] {
    const regs = new Set<string>();
    for (const { call } of this.timingFor(t).registrations()) {
      if (this.registeredObject(t, call.node)) regs.add(call.name);
    }
    return [...regs].sort();
  }

  /** The argument of a registration call that is the object (devm_* variants take it second). */
  private registeredObject(t: TransformDefinition, call: SyntaxNode): SyntaxNode | undefined {
    const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
    return args.find((a) => this.targetOf(this.ctx.typeOf(a), true) === t);
  }
}

/**
 * What every site needs in the text: a member access or designator (`->dev`, `.dev`), or a
 * container_of/offsetof/converter call (whose arguments name the member or a device).
 */
function candidatePattern(transforms: readonly TransformDefinition[], global: boolean): RegExp {
  const members = [...new Set(transforms.map((t) => t.member))].join('|');
  const calls = [...CONVERSION_CALLS,
    ...transforms.flatMap((t) => [t.converter, ...t.converterAliases])].join('|');
  return new RegExp(`(?:->|\\.)\\s*(${members})\\b|\\b(${calls})\\s*\\(`, global ? 'g' : '');
}

const holdTests = new WeakMap<RelevantWords, Map<string, (normalized: string) => boolean>>();

/**
 * Can the text the parser would read hold a site or an embedding? A site needs a candidate
 * (see candidatePattern); an embedding needs an object type named in a declaration by value
 * (`struct i2c_adapter adap;`, `… adap[2];`). Most of the files that name an object's type only
 * pass it on (hwmon's detect(), `client->adapter`) and have neither outside the bodies the focus
 * blanked: they are not parsed at all.
 */
function mayHoldSite(words: RelevantWords, transforms: readonly TransformDefinition[]): (normalized: string) => boolean {
  let byTransforms = holdTests.get(words);
  if (!byTransforms) holdTests.set(words, byTransforms = new Map());
  const key = transforms.map((t) => t.id).join(',');
  let test = byTransforms.get(key);
  if (!test) {
    const access = candidatePattern(transforms, false);
    const typeWords = [...new Set([...transforms.flatMap((t) => t.structs), ...words.types])].filter((w) => /^\w+$/.test(w));
    const byValue = new RegExp(`\\b(?:${typeWords.join('|')})\\s+[A-Za-z_]\\w*\\s*[;\\[]`);
    test = (normalized) => access.test(normalized) || byValue.test(normalized);
    byTransforms.set(key, test);
  }
  return test;
}

/** Configuration calls that a setter's call does the work of: acpi_preset_companion(dev, parent, addr). */
const INSTEAD: Record<string, { call: string; value: string }> = {
  acpi_preset_companion: { call: 'ACPI_COMPANION_SET', value: 'acpi_find_child_device($1, $2, false)' },
};

/** Calls that log through a struct device given as their first argument. */
const PRINTK = /^(dev_(emerg|alert|crit|err|warn|notice|info|dbg|vdbg|printk|err_probe|WARN|WARN_ONCE)|dev_\w+_(once|ratelimited))$/;

/** What a human must do, after the switch, about a read of the device before registration or after deletion. */
function phaseTwoWhy(t: TransformDefinition, tm: Timing, logCall: string | undefined, object: string | undefined): string | undefined {
  if (tm.when === 'unknown') return undefined;
  const getter = t.getters?.find((g) => g.member === 'parent');
  const parent = getter ? `${getter.helper}(${object ?? t.objectName})` : 'its parent device';
  if (t.deviceCreatedAt !== 'registration') {
    return tm.when === 'after-deletion'
      ? `the device is used after ${tm.unregistration.name}() at line ${tm.unregistration.node.startPosition.row + 1}`
      : undefined;
  }
  if (tm.when === 'before-registration') {
    const reg = `${tm.registration.name}() at line ${tm.registration.node.startPosition.row + 1}`;
    if (logCall) {
      return `${logCall}() logs through the device before ${reg}, which is NULL until then after the switch: `
        + `log with ${parent}, or move the message after the registration`;
    }
    return `the device is read before ${reg}, which is NULL until then after the switch (the core creates it at `
      + `registration): use ${parent} or the value the driver configured, or move this after the registration`;
  }
  const del = `${tm.unregistration.name}() at line ${tm.unregistration.node.startPosition.row + 1}`;
  return `the device is used after ${del}, where it is NULL after the switch (the core may already have freed it): `
    + `move this before the deletion${logCall ? `, or log with ${parent}` : ''}`;
}

/**
 * Parse and match one file's text; `embeddings: false` leaves out the structs that embed an
 * object. `ahead`: the file parsed before the run's words were known (see FileScanner.parseAhead),
 * used when the parser would read the same text now.
 */
export function scanText(file: string, text: string, headers: HeaderIndex, transforms: readonly TransformDefinition[],
  words?: RelevantWords, raw = false, members?: ReadonlySet<string>, embeddings = true, ahead?: ParsedFile): FileScan {
  const focus = words && !raw ? focusFor(text, words, transforms, members) : undefined;
  const normalized = raw ? undefined : normalizeKernelC(text, focus);
  if (focus && words && normalized && !mayHoldSite(words, transforms)(normalized.text)) {
    return { sites: [], embeddings: [], hasErrors: false, fallbackLookups: 0, parsed: false };
  }
  const kept = !!ahead && !!normalized && ahead.text === text && ahead.normalized === normalized.text;
  const parsed = kept ? ahead : parseC(text, { raw, focus, normalized });
  const objectMembers = focus ? new Set([...focus.members, ...focus.arrayMembers]) : undefined;
  const r = new FileMatcher(file, text, parsed.tree.rootNode, headers, transforms, words, parsed.normalized, objectMembers).run(embeddings);
  return kept ? { ...r, aheadKept: true } : r;
}
