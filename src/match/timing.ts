// When, relative to the object's registration, does code run? Within one file: a site before a
// registration call in the same function, or in a function that the file calls (transitively)
// before a registration call, runs before registration; a site after an unregistration call in
// the same function runs after deletion.
import type { SyntaxNode } from '../parse/parser.js';

export interface CallSite {
  name: string;
  node: SyntaxNode;
  offset: number;
}

interface FunctionInfo {
  name: string;
  node: SyntaxNode;
  /** the definition's span in the text */
  start: number;
  end: number;
  /** its calls, read when first asked for (see FileFunctions.callsOf) */
  calls?: CallSite[];
}

export type Timing = { when: 'before-registration'; registration: CallSite }
  | { when: 'after-deletion'; unregistration: CallSite }
  | { when: 'unknown' };

function functionName(def: SyntaxNode): string | undefined {
  let d = def.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  return d?.childForFieldName('declarator')?.text;
}

/**
 * The functions of a file, and the calls each makes read when first asked for: the timing needs
 * those of the functions with a registration call, their callees and the functions holding a
 * site, a few of a driver's dozens (reading every call costs a node object per call).
 */
export class FileFunctions {
  readonly functions = new Map<string, FunctionInfo>();
  readonly byNode = new Map<number, FunctionInfo>();
  private readonly spans: FunctionInfo[] = [];

  constructor(root: SyntaxNode, private readonly text: string) {
    for (const def of root.descendantsOfType('function_definition')) {
      const name = functionName(def);
      if (!name) continue;
      const info: FunctionInfo = { name, node: def, start: def.startIndex, end: def.endIndex };
      this.functions.set(name, info);
      this.byNode.set(def.id, info);
      this.spans.push(info);
    }
  }

  callsOf(f: FunctionInfo): CallSite[] {
    if (f.calls) return f.calls;
    const calls: CallSite[] = [];
    for (const c of f.node.descendantsOfType('call_expression')) {
      // `name (` at the call's start is a call through an identifier: read from the text,
      // which costs far less than asking the binding for the function field
      const offset = c.startIndex;
      const m = CALLEE.exec(this.text.slice(offset, offset + 80));
      if (m) calls.push({ name: m[1], node: c, offset });
    }
    return (f.calls = calls);
  }

  /**
   * The functions whose text names one of `callees` followed by `(`: a superset of those that
   * call one (a name in a comment or a string counts too; their calls, read from the tree, tell).
   */
  naming(callees: ReadonlySet<string>): Set<FunctionInfo> {
    const out = new Set<FunctionInfo>();
    const names = [...callees].filter((c) => /^\w+$/.test(c));
    if (names.length === 0) return out;
    const re = new RegExp(`\\b(?:${names.join('|')})\\s*\\(`, 'g');
    for (let m = re.exec(this.text); m; m = re.exec(this.text)) {
      // every function whose span holds it (GNU C nests functions)
      for (const f of this.spans) if (f.start <= m.index && m.index < f.end) out.add(f);
    }
    return out;
  }
}

const CALLEE = /^([A-Za-z_]\w*)\s*\(/;

export class TimingAnalysis {
  private readonly functions: Map<string, FunctionInfo>;
  private readonly byNode: Map<number, FunctionInfo>;
  /** the functions that may call a registration function (their text names one) */
  private readonly registering: Set<FunctionInfo>;
  /** functions called before a registration: name -> that registration */
  private readonly beforeRegistration = new Map<string, CallSite>();

  constructor(private readonly fns: FileFunctions, private readonly registration: Set<string>, private readonly unregistration: Set<string>) {
    this.functions = fns.functions;
    this.byNode = fns.byNode;
    this.registering = fns.naming(registration);
    // Propagate: callees of a function, called before its registration call, run before it.
    const queue: [string, CallSite][] = [];
    for (const f of this.functions.values()) {
      if (!this.registering.has(f)) continue;
      const calls = fns.callsOf(f);
      const reg = calls.find((c) => this.registration.has(c.name));
      if (!reg) continue;
      for (const c of calls) {
        if (c.offset < reg.offset && this.functions.has(c.name)) queue.push([c.name, reg]);
      }
    }
    while (queue.length) {
      const [name, reg] = queue.pop()!;
      if (this.beforeRegistration.has(name)) continue;
      this.beforeRegistration.set(name, reg);
      for (const c of fns.callsOf(this.functions.get(name)!)) {
        if (this.functions.has(c.name) && !this.registration.has(c.name)) queue.push([c.name, reg]);
      }
    }
  }

  enclosingFunction(node: SyntaxNode): FunctionInfo | undefined {
    for (let n: SyntaxNode | null = node; n; n = n.parent) {
      if (n.type === 'function_definition') return this.byNode.get(n.id);
    }
    return undefined;
  }

  timingOf(node: SyntaxNode): Timing {
    const f = this.enclosingFunction(node);
    if (!f) return { when: 'unknown' };
    const calls = this.fns.callsOf(f);
    const at = node.startIndex;
    const unreg = calls.filter((c) => this.unregistration.has(c.name) && c.offset + c.node.text.length <= at);
    const regAfter = calls.find((c) => this.registration.has(c.name) && c.offset > at);
    const regBefore = calls.some((c) => this.registration.has(c.name) && c.offset < at);
    if (unreg.length && !calls.some((c) => this.registration.has(c.name) && c.offset > unreg[0].offset && c.offset < at)) {
      return { when: 'after-deletion', unregistration: unreg[unreg.length - 1] };
    }
    if (regAfter && !regBefore) return { when: 'before-registration', registration: regAfter };
    const inherited = this.beforeRegistration.get(f.name);
    if (inherited && !regBefore) return { when: 'before-registration', registration: inherited };
    return { when: 'unknown' };
  }

  /** Registration calls in the file, with the function they are in. */
  registrations(): { fn: string; call: CallSite }[] {
    const out: { fn: string; call: CallSite }[] = [];
    for (const f of this.functions.values()) {
      if (!this.registering.has(f)) continue;
      for (const c of this.fns.callsOf(f)) if (this.registration.has(c.name)) out.push({ fn: f.name, call: c });
    }
    return out;
  }
}
