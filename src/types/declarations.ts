// Reading C declarations out of a tree-sitter tree: type specifiers, declarators, struct bodies,
// typedefs, prototypes and function-like macros of one file.
import type { SyntaxNode } from '../parse/parser.js';
import { PRIMITIVES, UNKNOWN, ptr, typeFromText, type CType, type StructDef } from './ctype.js';

/** Resolves `typeof(x)` in a type specifier; the caller knows the scope. */
export type TypeofResolver = (arg: SyntaxNode) => CType;

export interface MacroDef {
  name: string;
  params: string[];
  body: string;
  /** offset of the body in the file */
  bodyStart: number;
  file: string;
  line: number;
}

/** Names to types, read when asked for (see TopDeclarations). */
export interface NameMap<T> {
  get(name: string): T | undefined;
  [Symbol.iterator](): IterableIterator<[string, T]>;
}

/**
 * The prototypes, function definitions and file-scope variables of a file, read from their nodes
 * only when a name is asked for: a driver declares hundreds and inference asks for a few. Each
 * node is indexed under every identifier of its text (its signature, for a definition); a name's
 * nodes are read in order, so the last declaration wins as when all are read.
 */
class TopDeclarations {
  private readonly byName = new Map<string, number[]>();
  private readonly read = new Map<number, { name: string; type: CType; fn: boolean }[]>();
  readonly functions: NameMap<CType>;
  readonly globals: NameMap<CType>;

  constructor(private readonly nodes: readonly SyntaxNode[], heads: readonly string[], private readonly file: string) {
    heads.forEach((head, i) => {
      for (const m of head.matchAll(/[A-Za-z_]\w*/g)) {
        const list = this.byName.get(m[0]);
        if (!list) this.byName.set(m[0], [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
    const view = (fn: boolean): NameMap<CType> => ({
      get: (name) => this.lookup(name, fn),
      [Symbol.iterator]: () => this.all(fn)[Symbol.iterator](),
    });
    this.functions = view(true);
    this.globals = view(false);
  }

  private entries(i: number): { name: string; type: CType; fn: boolean }[] {
    let e = this.read.get(i);
    if (!e) {
      e = [];
      const n = this.nodes[i];
      const base = baseType(n.childForFieldName('type'), this.file);
      for (const d of declaratorsOf(n)) {
        const r = applyDeclarator(base, d);
        if (r) e.push(r.type.k === 'func' ? { name: r.name, type: r.type.ret, fn: true } : { name: r.name, type: r.type, fn: false });
      }
      this.read.set(i, e);
    }
    return e;
  }

  private lookup(name: string, fn: boolean): CType | undefined {
    let found: CType | undefined;
    for (const i of this.byName.get(name) ?? []) {
      for (const e of this.entries(i)) if (e.fn === fn && e.name === name) found = e.type;
    }
    return found;
  }

  private all(fn: boolean): Map<string, CType> {
    const m = new Map<string, CType>();
    this.nodes.forEach((_, i) => { for (const e of this.entries(i)) if (e.fn === fn) m.set(e.name, e.type); });
    return m;
  }
}

export interface FileDefs {
  file: string;
  structs: Map<string, StructDef>;
  typedefs: Map<string, CType>;
  /** function name -> return type */
  functions: NameMap<CType>;
  /** file-scope variables */
  globals: NameMap<CType>;
  macros: Map<string, MacroDef>;
  /** `#include "x.h"` names, as written */
  quotedIncludes: string[];
  /** `#include <x.h>` names */
  angleIncludes: string[];
}

export function baseType(spec: SyntaxNode | null, file: string, typeofOf?: TypeofResolver): CType {
  if (!spec) return UNKNOWN('no type');
  switch (spec.type) {
    case 'struct_specifier':
    case 'union_specifier': {
      const union = spec.type === 'union_specifier';
      const name = spec.childForFieldName('name');
      if (name) return { k: 'struct', tag: name.text, union };
      const body = spec.childForFieldName('body');
      if (body) return { k: 'anon', def: structDefFromBody(body, undefined, union, file, typeofOf) };
      return UNKNOWN('struct without name or body');
    }
    case 'type_identifier':
      return PRIMITIVES.has(spec.text) ? { k: 'prim', name: spec.text } : { k: 'named', name: spec.text };
    case 'primitive_type':
    case 'sized_type_specifier':
    case 'enum_specifier':
      return { k: 'prim', name: spec.type === 'enum_specifier' ? 'enum' : spec.text };
    case 'macro_type_specifier': {
      const name = spec.childForFieldName('name')?.text ?? '';
      const arg = spec.childForFieldName('type');
      if (/^(typeof|__typeof__|__typeof|typeof_unqual|__typeof_unqual__)$/.test(name) && arg) {
        if (typeofOf) return typeofOf(arg);
        return typeFromText(arg.text);
      }
      return UNKNOWN(`macro type ${name}`);
    }
    default:
      return UNKNOWN(`specifier ${spec.type}`);
  }
}

/** A declarator read down to its name: the name and the wrappers around it, outermost first. */
export interface DeclaratorPath {
  name: string;
  wraps: ('ptr' | 'array' | 'func')[];
}

/** Walk a declarator down to its name (null for a declarator that declares none). */
export function declaratorPath(decl: SyntaxNode | null): DeclaratorPath | null {
  let n: SyntaxNode | null = decl;
  // Declarators read inside out: collect the wrappers first, then apply from the name outwards.
  const wraps: DeclaratorPath['wraps'] = [];
  while (n) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: n.text, wraps };
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        wraps.unshift('ptr');
        n = n.childForFieldName('declarator');
        break;
      case 'array_declarator':
      case 'abstract_array_declarator':
        wraps.unshift('array');
        n = n.childForFieldName('declarator');
        break;
      case 'function_declarator':
      case 'abstract_function_declarator':
        wraps.unshift('func');
        n = n.childForFieldName('declarator');
        break;
      case 'init_declarator':
      case 'attributed_declarator':
        n = n.childForFieldName('declarator') ?? n.namedChild(0);
        break;
      case 'parenthesized_declarator':
      case 'abstract_parenthesized_declarator':
        n = n.namedChild(0);
        break;
      default:
        return null;
    }
  }
  return null;
}

/** The type a declarator path gives its name, from the declaration's base type. */
export function wrapType(base: CType, wraps: DeclaratorPath['wraps']): CType {
  let t = base;
  for (let i = wraps.length - 1; i >= 0; i--) {
    if (wraps[i] === 'ptr') t = ptr(t);
    else if (wraps[i] === 'array') t = { k: 'array', of: t };
    else t = { k: 'func', ret: t };
  }
  return t;
}

/** Walk a declarator down to its name, wrapping the base type on the way. */
export function applyDeclarator(base: CType, decl: SyntaxNode | null): { name: string; type: CType } | null {
  const p = declaratorPath(decl);
  return p ? { name: p.name, type: wrapType(base, p.wraps) } : null;
}

/**
 * The declarator wrappers in tree-sitter nest the other way round from C's reading order for
 * pointers (`*p[3]` is array of pointers), so apply them in source nesting order: outermost
 * first. `applyDeclarator` above does exactly that by unshifting while descending.
 */

export function declaratorsOf(node: SyntaxNode): SyntaxNode[] {
  return node.childrenForFieldName('declarator');
}

export function structDefFromBody(body: SyntaxNode, tag: string | undefined, union: boolean,
  file: string, typeofOf?: TypeofResolver, lazy = false): StructDef {
  if (lazy) {
    // members read on first use: most structs of a file are never looked into
    let members: Map<string, CType> | undefined;
    const def = { tag, union, file, line: body.startPosition.row + 1, span: [body.startIndex, body.endIndex] } as StructDef;
    Object.defineProperty(def, 'members', {
      enumerable: true,
      get: () => {
        if (!members) {
          const tmp: StructDef = { tag, union, members: new Map(), file, line: def.line };
          addMembers(tmp, body, file, typeofOf);
          members = tmp.members;
        }
        return members;
      },
    });
    return def;
  }
  const def: StructDef = { tag, union, members: new Map(), file, line: body.startPosition.row + 1, span: [body.startIndex, body.endIndex] };
  addMembers(def, body, file, typeofOf);
  return def;
}

function addMembers(def: StructDef, body: SyntaxNode, file: string, typeofOf?: TypeofResolver): void {
  for (const field of body.namedChildren) {
    if (field.type === 'preproc_if' || field.type === 'preproc_ifdef' || field.type === 'preproc_else'
      || field.type === 'preproc_elif' || field.type === 'ERROR') {
      addMembers(def, field, file, typeofOf);
      continue;
    }
    if (field.type !== 'field_declaration') continue;
    const base = baseType(field.childForFieldName('type'), file, typeofOf);
    const decls = declaratorsOf(field);
    if (decls.length === 0 && base.k === 'anon') {
      // anonymous struct/union member: its members belong to the parent
      for (const [k, v] of base.def.members) def.members.set(k, v);
      continue;
    }
    for (const d of decls) {
      const r = applyDeclarator(base, d);
      if (r) def.members.set(r.name, r.type);
    }
  }
}

/** Everything a file defines that type inference may need, read from its tree. */
export function collectFileDefs(root: SyntaxNode, file: string, lazy = false, text?: string): FileDefs {
  const functions = new Map<string, CType>();
  const globals = new Map<string, CType>();
  const defs: FileDefs = {
    file, structs: new Map(), typedefs: new Map(), functions, globals,
    macros: new Map(), quotedIncludes: [], angleIncludes: [],
  };
  // with the text, declarations that are not typedefs are read on demand
  const deferred: SyntaxNode[] = [];
  const heads: string[] = [];
  // Top-level items only (through #if blocks and ERROR regions): far cheaper than every node.
  // Struct definitions nested in a declaration's type are picked up below.
  const nodes: SyntaxNode[] = [];
  const visitTop = (parent: SyntaxNode) => {
    for (const n of parent.namedChildren) {
      const t = n.type;
      if (t.startsWith('preproc_if') || t === 'preproc_else' || t === 'preproc_elif' || t === 'preproc_elifdef'
        || t === 'ERROR' || t === 'linkage_specification' || t === 'declaration_list') {
        if (t !== 'preproc_function_def' && t !== 'preproc_def' && t !== 'preproc_include') {
          visitTop(n);
          continue;
        }
      }
      nodes.push(n);
      if (t === 'declaration' || t === 'type_definition' || t === 'function_definition' || t === 'expression_statement') {
        const spec = n.childForFieldName('type');
        if (spec && (spec.type === 'struct_specifier' || spec.type === 'union_specifier')) nodes.push(spec);
      }
    }
  };
  visitTop(root);
  const isTop = (n: SyntaxNode): boolean => n.type === 'declaration' || n.type === 'function_definition';
  for (const n of nodes) {
    switch (n.type) {
      case 'struct_specifier':
      case 'union_specifier': {
        const name = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        if (name && body && !defs.structs.has(name.text)) {
          defs.structs.set(name.text, structDefFromBody(body, name.text, n.type === 'union_specifier', file, undefined, lazy));
        }
        break;
      }
      case 'type_definition': {
        const base = baseType(n.childForFieldName('type'), file);
        for (const d of declaratorsOf(n)) {
          const r = applyDeclarator(base, d);
          if (r) defs.typedefs.set(r.name, r.type);
        }
        break;
      }
      case 'function_definition':
      case 'declaration': {
        if (!isTop(n)) break;
        // a function definition is never a typedef; a declaration is one only if it says so
        const own = text?.slice(n.startIndex, n.endIndex);
        const isTypedef = n.type === 'declaration' && (own === undefined || own.includes('typedef'))
          && n.children.some((c) => c.type === 'storage_class_specifier' && c.text === 'typedef');
        if (own !== undefined && !isTypedef) {
          deferred.push(n);
          // a definition's signature: what precedes its body
          const brace = n.type === 'function_definition' ? own.indexOf('{') : -1;
          heads.push(brace >= 0 ? own.slice(0, brace) : own);
          break;
        }
        const base = baseType(n.childForFieldName('type'), file);
        for (const d of declaratorsOf(n)) {
          const r = applyDeclarator(base, d);
          if (!r) continue;
          if (isTypedef) defs.typedefs.set(r.name, r.type);
          else if (r.type.k === 'func') functions.set(r.name, r.type.ret);
          else globals.set(r.name, r.type);
        }
        break;
      }
      case 'preproc_function_def':
      case 'preproc_def': {
        const name = n.childForFieldName('name');
        const value = n.childForFieldName('value');
        if (name) {
          const params = n.childForFieldName('parameters');
          defs.macros.set(name.text, {
            name: name.text,
            params: params ? params.namedChildren.map((p) => p.text) : [],
            body: value ? value.text : '',
            bodyStart: value ? value.startIndex : n.endIndex,
            file, line: n.startPosition.row + 1,
          });
        }
        break;
      }
      case 'preproc_include': {
        const p = n.childForFieldName('path');
        if (p && p.type === 'string_literal') defs.quotedIncludes.push(p.text.slice(1, -1));
        else if (p && p.type === 'system_lib_string') defs.angleIncludes.push(p.text.slice(1, -1));
        break;
      }
      default:
        break;
    }
  }
  if (deferred.length) {
    const top = new TopDeclarations(deferred, heads, file);
    defs.functions = top.functions;
    defs.globals = top.globals;
  }
  return defs;
}

export function typeOfTypeDescriptor(desc: SyntaxNode, file: string, typeofOf?: TypeofResolver): CType {
  const base = baseType(desc.childForFieldName('type'), file, typeofOf);
  const d = desc.childForFieldName('declarator');
  if (!d) return base;
  // abstract declarators have no name: apply wrappers directly
  let t = base;
  const wraps: string[] = [];
  let n: SyntaxNode | null = d;
  while (n) {
    if (n.type === 'abstract_pointer_declarator') wraps.unshift('ptr');
    else if (n.type === 'abstract_array_declarator') wraps.unshift('array');
    else if (n.type === 'abstract_function_declarator') wraps.unshift('func');
    else if (n.type !== 'abstract_parenthesized_declarator') break;
    n = n.childForFieldName('declarator') ?? (n.type === 'abstract_parenthesized_declarator' ? n.namedChild(0) : null);
  }
  for (let i = wraps.length - 1; i >= 0; i--) {
    t = wraps[i] === 'ptr' ? ptr(t) : wraps[i] === 'array' ? { k: 'array', of: t } : { k: 'func', ret: t };
  }
  return t;
}
