// Type inference for C expressions of one file: scopes (parameters, locals, for-init, file
// scope), struct members across the file, its quoted includes and the shared headers,
// typedefs, casts, calls (functions and macros, which are expanded), statement expressions,
// conditional and comma expressions, typeof.
import { dirname, normalize as normalizePath } from 'node:path';
import { parseC, type SyntaxNode } from '../parse/parser.js';
import { matchParen, tokenize } from '../parse/normalize.js';
import { UNKNOWN, ptr, typeFromText, type CType, type StructDef } from './ctype.js';
import {
  applyDeclarator, baseType, collectFileDefs, declaratorPath, declaratorsOf, typeOfTypeDescriptor, wrapType, type DeclaratorPath,
  type FileDefs, type MacroDef,
} from './declarations.js';
import type { HeaderIndex } from './header-index.js';

/** How an expression is being typed: where its scope is, and bound macro parameters. */
export interface InferEnv {
  /** for nodes of a macro expansion snippet: the call in the real file whose scope applies */
  anchor?: SyntaxNode;
  /** macro parameters bound to types (when typing a macro body for one of its uses) */
  bindings?: Map<string, CType>;
  /** names that are parameters of the macro being typed: unknown, not undeclared */
  macroParams?: Set<string>;
  /** a macro whose uses in the file were not parsed: do not guess from member names */
  noGuess?: boolean;
  depth?: number;
}

const CONTAINER_OF = new Set(['container_of', 'container_of_const', '__container_of', 'container_of_safe']);
/** The nodes that can declare names (declaredIn's cases). */
const SCOPE_TYPES = new Set(['translation_unit', 'compound_statement', 'ERROR', 'preproc_if', 'preproc_ifdef', 'preproc_else',
  'preproc_elif', 'for_statement', 'function_definition']);
const MAX_DEPTH = 6;

export class FileContext {
  readonly defs: FileDefs;
  private includeDefs: string[] | undefined;
  private readonly typeCache = new Map<number, CType>();
  private readonly expansionCache = new Map<string, SyntaxNode | null>();
  /** how many declarations only the text fallback could find (inside ERROR regions) */
  fallbackLookups = 0;

  constructor(
    readonly file: string,
    readonly root: SyntaxNode,
    readonly text: string,
    readonly headers: HeaderIndex,
  ) {
    this.defs = collectFileDefs(root, file, true, text);
  }

  /**
   * The file's own includes, transitively (six levels), as tree paths; read, not parsed:
   * quoted ones next to the includer, at the root or through a -I path, and angle ones that are
   * not shared headers (`<subdev/i2c.h>` through nouveau's -I), at any level.
   */
  includes(): string[] {
    if (this.includeDefs) return this.includeDefs;
    const out: string[] = [];
    const seen = new Set<string>([this.file]);
    const add = (path: string | undefined, level: number): void => {
      if (!path || path.startsWith('..') || seen.has(path)) return;
      const sk = this.headers.sketch(path);
      if (!sk) return;
      seen.add(path);
      out.push(path);
      walk(path, sk.includes, sk.angleIncludes, level + 1);
    };
    const walk = (file: string, quoted: string[], angle: string[], level: number) => {
      if (level > 6) return;
      for (const inc of quoted) {
        const candidates = [normalizePath(`${dirname(file)}/${inc}`), normalizePath(inc)];
        const near = () => this.headers.nearestHeader(file, inc.replace(/^(\.\.?\/)+/, ''));
        for (const c of [...candidates, near]) {
          const path = typeof c === 'string' ? c : c();
          if (!path || path.startsWith('..') || seen.has(path)) continue;
          if (!this.headers.sketch(path)) continue;
          add(path, level);
          break;
        }
      }
      // `<cxl.h>` that is not a shared header comes through a -I path too
      for (const inc of angle) {
        if (this.headers.isShared(inc)) continue;
        add(this.headers.nearestHeader(file, inc), level);
      }
    };
    walk(this.file, this.defs.quotedIncludes, this.defs.angleIncludes, 1);
    this.includeDefs = out;
    return out;
  }

  private readonly findCache = new Map<string, unknown>();

  private find<T>(pick: (d: FileDefs) => T | undefined, kind: 'structs' | 'typedefs' | 'functions' | 'macros',
    name: string): T | undefined {
    const key = `${kind}\0${name}`;
    if (this.findCache.has(key)) return (this.findCache.get(key) ?? undefined) as T | undefined;
    const v = this.findUncached(pick, kind, name);
    this.findCache.set(key, v ?? null);
    return v;
  }

  private findUncached<T>(pick: (d: FileDefs) => T | undefined, kind: 'structs' | 'typedefs' | 'functions' | 'macros',
    name: string): T | undefined {
    const own = pick(this.defs);
    if (own !== undefined) return own;
    for (const path of this.includes()) {
      if (!this.headers.mayDefine(path, kind, name)) continue;
      const d = this.headers.defsOf(path);
      const v = d && pick(d);
      if (v !== undefined && v !== null) return v;
    }
    for (const f of this.headers.where(kind, name)) {
      const d = this.headers.defsOf(f);
      const v = d && pick(d);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  }

  findStruct(tag: string): StructDef | undefined {
    const def = this.find((d) => d.structs.get(tag), 'structs', tag);
    if (def) return def;
    const alias = this.tagAlias(tag);
    return alias ? this.find((d) => d.structs.get(alias), 'structs', alias) : undefined;
  }

  private readonly aliasCache = new Map<string, string | null>();
  /** `#define ddb_input ddb_io`: a struct tag renamed by an object-like macro. */
  tagAlias(tag: string): string | undefined {
    let a = this.aliasCache.get(tag);
    if (a === undefined) {
      const m = this.find((d) => d.macros.get(tag), 'macros', tag);
      a = m && m.params.length === 0 && /^\s*\w+\s*$/.test(m.body) && m.body.trim() !== tag ? m.body.trim() : null;
      this.aliasCache.set(tag, a);
    }
    return a ?? undefined;
  }
  findTypedef(name: string): CType | undefined {
    return this.find((d) => d.typedefs.get(name), 'typedefs', name);
  }
  findFunction(name: string): CType | undefined {
    return this.find((d) => d.functions.get(name), 'functions', name);
  }
  findMacro(name: string): MacroDef | undefined {
    return this.find((d) => d.macros.get(name), 'macros', name);
  }

  /** Expand typedef names until a struct, pointer, array, primitive or unknown shows. */
  resolve(t: CType): CType {
    for (let i = 0; i < 12 && t.k === 'named'; i++) {
      const def = this.findTypedef(t.name);
      if (!def) return UNKNOWN(`typedef ${t.name} not found`);
      t = def;
    }
    return t;
  }

  structOf(t: CType): StructDef | undefined {
    const r = this.resolve(t);
    if (r.k === 'anon') return r.def;
    if (r.k === 'struct') return this.findStruct(r.tag);
    return undefined;
  }

  memberType(t: CType, field: string): CType {
    const r = this.resolve(t);
    if (r.k === 'unknown') return r;
    if (r.k !== 'struct' && r.k !== 'anon') return UNKNOWN(`member ${field} of non-struct`);
    const def = this.structOf(r);
    if (!def) return UNKNOWN(`struct ${r.k === 'struct' ? r.tag : '?'} not found`);
    return def.members.get(field) ?? UNKNOWN(`no member ${field}`);
  }

  deref(t: CType): CType {
    const r = this.resolve(t);
    if (r.k === 'ptr') return r.to;
    if (r.k === 'array') return r.of;
    if (r.k === 'unknown') return r;
    return UNKNOWN('deref of non-pointer');
  }

  /** The type of an expression node. */
  typeOf(node: SyntaxNode, env: InferEnv = {}): CType {
    const cacheable = !env.anchor && !env.bindings && !env.macroParams;
    if (cacheable) {
      const hit = this.typeCache.get(node.id);
      if (hit) return hit;
    }
    const t = this.computeType(node, env);
    if (cacheable) this.typeCache.set(node.id, t);
    return t;
  }

  private computeType(node: SyntaxNode, env: InferEnv): CType {
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        if (!inner) return UNKNOWN('empty parentheses');
        if (inner.type === 'compound_statement') return this.statementExpressionType(inner, env);
        return this.typeOf(inner, env);
      }
      case 'identifier':
        return this.lookupVar(node.text, node, env) ?? UNKNOWN(`undeclared ${node.text}`);
      case 'field_expression': {
        const arg = node.childForFieldName('argument');
        const field = node.childForFieldName('field');
        if (!arg || !field) return UNKNOWN('field');
        const op = node.childForFieldName('operator')?.text ?? node.children[1]?.text;
        let base = this.typeOf(arg, env);
        if (op === '->') base = this.deref(base);
        return this.memberType(base, field.text);
      }
      case 'pointer_expression': {
        const arg = node.childForFieldName('argument');
        if (!arg) return UNKNOWN('pointer');
        const op = node.childForFieldName('operator')?.text ?? node.children[0]?.text;
        const t = this.typeOf(arg, env);
        return op === '&' ? ptr(t) : this.deref(t);
      }
      case 'subscript_expression': {
        const arg = node.childForFieldName('argument');
        return arg ? this.deref(this.typeOf(arg, env)) : UNKNOWN('subscript');
      }
      case 'cast_expression': {
        const ty = node.childForFieldName('type');
        return ty ? typeOfTypeDescriptor(ty, this.file, (a) => this.typeofArg(a, env)) : UNKNOWN('cast');
      }
      case 'compound_literal_expression': {
        const ty = node.childForFieldName('type');
        return ty ? typeOfTypeDescriptor(ty, this.file, (a) => this.typeofArg(a, env)) : UNKNOWN('literal');
      }
      case 'conditional_expression': {
        const a = node.childForFieldName('consequence');
        const b = node.childForFieldName('alternative');
        const ta = a ? this.typeOf(a, env) : UNKNOWN('?:');
        if (ta.k !== 'unknown' && !(ta.k === 'ptr' && ta.to.k === 'prim' && ta.to.name === 'void')) return ta;
        return b ? this.typeOf(b, env) : ta;
      }
      case 'comma_expression': {
        const r = node.childForFieldName('right');
        return r ? this.typeOf(r, env) : UNKNOWN('comma');
      }
      case 'assignment_expression': {
        const l = node.childForFieldName('left');
        return l ? this.typeOf(l, env) : UNKNOWN('assign');
      }
      case 'update_expression': {
        const a = node.childForFieldName('argument');
        return a ? this.typeOf(a, env) : UNKNOWN('update');
      }
      case 'binary_expression': {
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        const op = node.childForFieldName('operator')?.text;
        if ((op === '+' || op === '-') && l) {
          const tl = this.resolve(this.typeOf(l, env));
          if (tl.k === 'ptr' || tl.k === 'array') return tl.k === 'array' ? ptr(tl.of) : tl;
          if (op === '+' && r) {
            const tr = this.resolve(this.typeOf(r, env));
            if (tr.k === 'ptr') return tr;
          }
        }
        return { k: 'prim', name: 'int' };
      }
      case 'call_expression':
        return this.callType(node, env);
      case 'string_literal':
      case 'concatenated_string':
        return ptr({ k: 'prim', name: 'char' });
      case 'number_literal':
      case 'char_literal':
      case 'sizeof_expression':
      case 'alignof_expression':
      case 'offsetof_expression':
      case 'unary_expression':
      case 'true':
      case 'false':
        return { k: 'prim', name: 'int' };
      case 'null':
        return ptr({ k: 'prim', name: 'void' });
      default:
        return UNKNOWN(`expression ${node.type}`);
    }
  }

  private statementExpressionType(block: SyntaxNode, env: InferEnv): CType {
    const stmts = block.namedChildren.filter((c) => c.type !== 'comment');
    const last = stmts[stmts.length - 1];
    if (last && last.type === 'expression_statement' && last.namedChild(0)) return this.typeOf(last.namedChild(0)!, env);
    return UNKNOWN('statement expression without value');
  }

  /** `typeof(x)`: x was parsed as a type name; it may be an expression. */
  private typeofArg(arg: SyntaxNode, env: InferEnv): CType {
    const inner = arg.type === 'type_descriptor' ? arg : arg;
    const text = inner.text.trim();
    if (/^[A-Za-z_]\w*$/.test(text)) {
      const v = this.lookupVar(text, arg, env);
      if (v) return v;
    }
    if (arg.type === 'type_descriptor') return typeOfTypeDescriptor(arg, this.file);
    return typeFromText(text);
  }

  private callType(node: SyntaxNode, env: InferEnv): CType {
    const fn = node.childForFieldName('function');
    const args = node.childForFieldName('arguments');
    if (!fn) return UNKNOWN('call');
    if (fn.type === 'identifier') {
      const name = fn.text;
      if (CONTAINER_OF.has(name) && args) {
        const parts = splitArguments(this.textOf(args));
        if (parts.length >= 2) return ptr(typeFromText(parts[1]));
        return UNKNOWN('container_of');
      }
      if (env.bindings?.has(name) || env.macroParams?.has(name)) return UNKNOWN('call of macro parameter');
      const local = this.lookupVar(name, node, env, true);
      if (local) {
        const r = this.resolve(local);
        if (r.k === 'func') return r.ret;
        if (r.k === 'ptr' && this.resolve(r.to).k === 'func') return (this.resolve(r.to) as { ret: CType }).ret;
      }
      const f = this.findFunction(name);
      if (f) return f;
      const m = this.findMacro(name);
      if (m && args) return this.macroCallType(m, node, args, env);
      return UNKNOWN(`function ${name} not found`);
    }
    const ft = this.resolve(this.typeOf(fn, env));
    if (ft.k === 'func') return ft.ret;
    if (ft.k === 'ptr') {
      const to = this.resolve(ft.to);
      if (to.k === 'func') return to.ret;
    }
    return UNKNOWN('call through expression');
  }

  /** Text of a node as the parser saw it (normalised). */
  textOf(node: SyntaxNode): string {
    return node.text;
  }

  /** Expand a function-like macro with the call's argument texts, and type the expansion. */
  private macroCallType(m: MacroDef, call: SyntaxNode, args: SyntaxNode, env: InferEnv): CType {
    const depth = (env.depth ?? 0) + 1;
    if (depth > MAX_DEPTH || !m.body.trim()) return UNKNOWN(`macro ${m.name}`);
    const argTexts = splitArguments(this.textOf(args));
    const expanded = expandMacro(m, argTexts);
    let expr = this.expansionCache.get(expanded);
    if (expr === undefined) {
      const snippet = `void __unembed_expansion(void)\n{\n(${expanded}\n);\n}\n`;
      const parsed = parseC(snippet);
      const body = parsed.tree.rootNode.namedChild(0)?.childForFieldName('body');
      const stmt = body?.namedChildren.find((c) => c.type === 'expression_statement');
      expr = stmt?.namedChild(0) ?? null;
      this.expansionCache.set(expanded, expr);
    }
    if (!expr) return UNKNOWN(`macro ${m.name} body`);
    return this.typeOf(expr, { anchor: env.anchor ?? call, bindings: env.bindings, macroParams: env.macroParams, depth });
  }

  /** The declared type of a name visible at `at`. */
  lookupVar(name: string, at: SyntaxNode, env: InferEnv = {}, functionsToo = false): CType | undefined {
    if (env.bindings?.has(name)) return env.bindings.get(name);
    if (env.macroParams?.has(name)) return UNKNOWN(`macro parameter ${name}`);
    let n: SyntaxNode | null = at;
    let usedAnchor = false;
    while (n) {
      const found = this.declaredIn(n, name, env);
      if (found) return found;
      const up = this.scopeAbove(n);
      if (!up && env.anchor && !usedAnchor) {
        usedAnchor = true;
        n = env.anchor;
        continue;
      }
      n = up;
    }
    const g = this.defs.globals.get(name);
    if (g) return g;
    const fn = this.defs.functions.get(name);
    if (fn) return { k: 'func', ret: fn };
    for (const path of this.includes()) {
      if (!this.headers.mayDefine(path, 'globals', name)) continue;
      const v = this.headers.defsOf(path)?.globals.get(name);
      if (v) return v;
    }
    if (functionsToo) return undefined;
    const text = this.textFallback(name, env.anchor ?? at);
    if (text) {
      this.fallbackLookups++;
      return text;
    }
    const f = this.findFunction(name);
    if (f) return { k: 'func', ret: f };
    return undefined;
  }

  private readonly scopesAbove = new Map<number, SyntaxNode | null>();

  /**
   * The nearest ancestor of `n` that can declare a name (see declaredIn), or null at the root.
   * Kept per node: every lookup walks up to the root, and each `parent` the binding answers is
   * a walk down from the root in tree-sitter.
   */
  private scopeAbove(n: SyntaxNode): SyntaxNode | null {
    let up = this.scopesAbove.get(n.id);
    if (up === undefined) {
      up = n.parent;
      while (up && !SCOPE_TYPES.has(up.type)) up = up.parent;
      this.scopesAbove.set(n.id, up);
    }
    return up;
  }

  /** Declarations of `name` directly in scope node `n` (of one of SCOPE_TYPES, or none). */
  private declaredIn(n: SyntaxNode, name: string, env: InferEnv): CType | undefined {
    switch (n.type) {
      case 'translation_unit': {
        // every lookup of a global or a function ends here: once per name
        if (this.topLevel.has(name)) return this.topLevel.get(name) ?? undefined;
        const t = this.declarationsIn(n, name, env);
        this.topLevel.set(name, t ?? null);
        return t;
      }
      case 'compound_statement':
      case 'ERROR':
      case 'preproc_if':
      case 'preproc_ifdef':
      case 'preproc_else':
      case 'preproc_elif':
        return this.declarationsIn(n, name, env);
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        return init && init.type === 'declaration' ? this.declarationsIn(init, name, env, [init]) : undefined;
      }
      case 'function_definition':
        return this.parametersOf(n).get(name);
      default:
        return undefined;
    }
  }

  private readonly topLevel = new Map<string, CType | null>();
  private readonly children = new Map<number, SyntaxNode[]>();

  /** A scope's named children, asked of the binding once (each call builds every node again). */
  private childrenOf(n: SyntaxNode): SyntaxNode[] {
    let c = this.children.get(n.id);
    if (!c) this.children.set(n.id, c = n.namedChildren);
    return c;
  }

  private readonly parameters = new Map<number, Map<string, CType>>();

  /** A function's parameters by name, read once per function (the first of a name wins). */
  private parametersOf(fn: SyntaxNode): Map<string, CType> {
    let m = this.parameters.get(fn.id);
    if (m) return m;
    m = new Map();
    this.parameters.set(fn.id, m);
    let d = fn.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    for (const p of d?.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p.type !== 'parameter_declaration') continue;
      const r = applyDeclarator(baseType(p.childForFieldName('type'), this.file), p.childForFieldName('declarator'));
      if (r && !m.has(r.name)) m.set(r.name, r.type);
    }
    return m;
  }

  /** Scope node id -> each name it declares, with its first declaration (preprocessor branches read in order). */
  private readonly scopes = new Map<number, Map<string, { decl: SyntaxNode; path: DeclaratorPath }>>();

  /**
   * The first declaration of `name` among a scope's nodes (its children unless given). The
   * scope's declarators are read once (every lookup used to ask the binding for each
   * declarator's text again); the type is made at each lookup, since `typeof(x)` in it depends
   * on the environment.
   */
  private declarationsIn(scope: SyntaxNode, name: string, env: InferEnv, nodes?: SyntaxNode[]): CType | undefined {
    let names = this.scopes.get(scope.id);
    if (!names) {
      names = new Map();
      this.indexDeclarations(nodes ?? this.childrenOf(scope), names);
      this.scopes.set(scope.id, names);
    }
    const hit = names.get(name);
    if (!hit) return undefined;
    return wrapType(baseType(hit.decl.childForFieldName('type'), this.file, (a) => this.typeofArg(a, env)), hit.path.wraps);
  }

  private indexDeclarations(nodes: SyntaxNode[], into: Map<string, { decl: SyntaxNode; path: DeclaratorPath }>): void {
    for (const c of nodes) {
      if (c.type === 'preproc_if' || c.type === 'preproc_ifdef' || c.type === 'preproc_else' || c.type === 'preproc_elif') {
        this.indexDeclarations(this.childrenOf(c), into);
        continue;
      }
      if (c.type !== 'declaration' && c.type !== 'field_declaration') continue;
      for (const d of declaratorsOf(c)) {
        const p = declaratorPath(d);
        if (p && !into.has(p.name)) into.set(p.name, { decl: c, path: p });
      }
    }
  }

  /**
   * The last resort for names declared inside regions the parser could not make sense of:
   * the nearest preceding textual declaration `struct foo *name` / `foo_t name` in the file.
   */
  private readonly fallbackCache = new Map<string, { at: number; type: CType }[]>();

  private textFallback(name: string, at: SyntaxNode): CType | undefined {
    let found = this.fallbackCache.get(name);
    if (!found) {
      // every textual declaration of the name in the file, once; the nearest preceding one wins
      found = [];
      const re = new RegExp(
        `(?:\\b(struct|union)\\s+(\\w+)|\\b([A-Za-z_]\\w*))((?:\\s|\\*|\\bconst\\b)*?)\\b${name}\\b\\s*(\\[[^\\]]*\\]\\s*)?(?=[;,=)\\[])`,
        'g',
      );
      for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
        const stars = (m[4].match(/\*/g) ?? []).length;
        let t: CType;
        if (m[1]) t = { k: 'struct', tag: m[2], union: m[1] === 'union' };
        else {
          const word = m[3];
          if (/^(return|case|goto|sizeof|else|if|while|for|do|switch|struct|union|enum)$/.test(word)) continue;
          if (!this.findTypedef(word)) continue;
          t = { k: 'named', name: word };
        }
        for (let i = 0; i < stars; i++) t = ptr(t);
        if (m[5]) t = { k: 'array', of: t };
        found.push({ at: m.index, type: t });
      }
      this.fallbackCache.set(name, found);
    }
    let best: CType | undefined;
    for (const f of found) {
      if (f.at >= at.startIndex) break;
      best = f.type;
    }
    return best;
  }
}

/** Split a call's argument list text `(a, b(c, d), e)` at top-level commas. */
export function splitArguments(argsText: string): string[] {
  const s = argsText.trim().replace(/^\(/, '').replace(/\)$/, '');
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let inStr: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      cur += c;
      if (c === '\\') { cur += s[++i] ?? ''; continue; }
      if (c === inStr) inStr = null;
      continue;
    }
    if (c === '"' || c === '\'') { inStr = c; cur += c; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim() || out.length) out.push(cur.trim());
  return out;
}

/** Substitute a function-like macro's parameters with argument texts (no rescanning of #). */
export function expandMacro(m: MacroDef, args: string[]): string {
  const body = m.body.replace(/\\\n/g, ' ');
  const toks = tokenize(body);
  let out = '';
  let pos = 0;
  for (const t of toks) {
    if (t.kind !== 'id') continue;
    const idx = m.params.indexOf(t.text);
    const isVariadic = t.text === '__VA_ARGS__' && m.params.includes('...');
    if (idx < 0 && !isVariadic) continue;
    out += body.slice(pos, t.start);
    out += isVariadic ? args.slice(m.params.indexOf('...')).join(', ') : `(${args[idx] ?? ''})`;
    pos = t.end;
  }
  out += body.slice(pos);
  return out.replace(/##/g, '');
}

export { matchParen };
