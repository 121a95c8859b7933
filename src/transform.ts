// A transform is data, in the spirit of a Coccinelle rule: the typed metavariables, the
// patterns with their replacements, the categories they serve, the helper names and the
// registration API. The engine (src/match, src/edits) and the SmPL emitter (src/cocci) both
// read these definitions; neither has subsystem names of its own.

/** Placeholders a replacement template may use. */
export interface TemplateVars {
  /** E: an expression of pointer type to the object (`adap`, `priv->adap_ptr`) */
  E: string;
  /** F: the struct device member after `.dev.` (`parent`, `of_node`) */
  F?: string;
  /** V: a value assigned or passed (`&pdev->dev`) */
  V?: string;
  /** D: a `struct device *` expression (container_of's first argument) */
  D?: string;
  /** REST: the remaining arguments of a call, text as written (with leading comma) */
  REST?: string;
}

export type RuleKind =
  | 'address-of'        // &E->dev
  | 'member'            // E->dev.F (read, write, or &E->dev.F)
  | 'member-get'        // E->dev.F read, F a member with a getter (E->dev.parent)
  | 'config-assign'     // E->dev.F = V, F a configuration field
  | 'config-call'       // api(&E->dev, …)
  | 'container-of';     // container_of(D, struct S, dev)

export interface RewriteRule {
  id: string;
  kind: RuleKind;
  /** SmPL-like pattern text; documentation and the source of the emitted .cocci */
  pattern: string;
  /** replacement template with $E, $F, $V, $D, $REST */
  replacement: string;
  /** for config-assign: the struct device member; for config-call: the API called */
  match?: string;
}

export interface ConfigSetter {
  /** `member` writes `E->dev.<member> = V`; `call` is `<call>(&E->dev, …)` */
  member?: string;
  call?: string;
  /** helper called instead: `helper(E, V)` / `helper(E, …rest)` */
  helper: string;
  /** C prototype parameters after the object, for the header patch */
  params: string;
  /** what the phase-one helper body does with the embedded device (for the header patch) */
  phaseOneBody: string;
  doc: string;
}

/**
 * A member of the device read through a getter of its own instead of the accessor: it stays
 * valid when the core owns the device (before registration, the value the setter recorded).
 */
export interface ConfigGetter {
  /** the struct device member read: `E->dev.<member>` */
  member: string;
  /** helper called instead: `helper(E)` */
  helper: string;
  /** C return type, for the header patch */
  returns: string;
  /** what the phase-one helper body returns from the embedded device (for the header patch) */
  phaseOneBody: string;
  doc: string;
}

export interface TransformDefinition {
  /** module name, e.g. 'i2c-adapter-dev' */
  id: string;
  /** subsystem name used on the command line and in subjects */
  subsystem: string;
  title: string;
  /** the embedding struct tags; aliases (spi_master) included */
  structs: string[];
  /** the canonical tag, used in generated code */
  struct: string;
  /** the embedded member and its type */
  member: string;
  memberType: string;
  /** header that defines the struct and receives the helpers */
  header: string;
  /** accessor returning the struct device pointer: i2c_adapter_dev() */
  accessor: string;
  /** struct device -> object conversion: to_i2c_adapter() */
  converter: string;
  /** other names of the converter (aliases), also recognised as conversion sites */
  converterAliases: string[];
  /** metavariable name for the object in generated code and docs */
  objectName: string;
  /**
   * When phase two creates the device: 'registration' (I2C: the driver allocates the adapter,
   * the core can only allocate the device when it is registered, so configuration before that
   * goes through setters and reads before it need a human) or 'allocation' (SPI: the core
   * allocates the controller, and can allocate its device at the same time).
   */
  deviceCreatedAt: 'registration' | 'allocation';
  /** configuration written before registration: dedicated setters */
  setters: ConfigSetter[];
  /** members read through a getter that works before registration too */
  getters?: ConfigGetter[];
  /**
   * members of struct device that are configuration when written before registration, even
   * when there is no setter (the device exists before registration in this subsystem).
   */
  configMembers: string[];
  /** calls that register / unregister the object (first argument is the object) */
  registration: string[];
  unregistration: string[];
  /** functions returning a pointer to the object allocated by the core */
  coreAllocators: string[];
  /** globs of the subsystem core's files, whose sites are converted in their own patches */
  coreFiles: string[];
  rules: RewriteRule[];
}

/** Fill a template's placeholders. */
export function fillTemplate(template: string, vars: TemplateVars & Record<string, string | undefined>): string {
  return template.replace(/\$(REST|[A-Z])\b/g, (m, name: string) => vars[name] ?? m);
}

/** The rules every transform of this shape has; only names differ. */
export function standardRules(t: Pick<TransformDefinition, 'accessor' | 'converter' | 'struct' | 'member'
  | 'setters' | 'getters'>): RewriteRule[] {
  const rules: RewriteRule[] = [
    { id: 'address-of', kind: 'address-of', pattern: `&E->${t.member}`, replacement: `${t.accessor}($E)` },
    { id: 'member', kind: 'member', pattern: `E->${t.member}.F`, replacement: `${t.accessor}($E)->$F` },
    {
      id: 'container-of', kind: 'container-of', pattern: `container_of(D, struct ${t.struct}, ${t.member})`,
      replacement: `${t.converter}($D)`,
    },
  ];
  for (const s of t.setters) {
    if (s.member) {
      rules.push({
        id: `set-${s.member}`, kind: 'config-assign', match: s.member,
        pattern: `E->${t.member}.${s.member} = V`, replacement: `${s.helper}($E, $V)`,
      });
    } else if (s.call) {
      rules.push({
        id: `set-${s.call}`, kind: 'config-call', match: s.call,
        pattern: `${s.call}(&E->${t.member}$REST)`, replacement: `${s.helper}($E$REST)`,
      });
    }
  }
  for (const g of t.getters ?? []) {
    rules.push({
      id: `get-${g.member}`, kind: 'member-get', match: g.member,
      pattern: `E->${t.member}.${g.member}`, replacement: `${g.helper}($E)`,
    });
  }
  return rules;
}

/** Names of a transform's own helpers (their bodies are not sites to rewrite). */
export function helperNames(t: TransformDefinition): string[] {
  return [t.accessor, t.converter, ...t.converterAliases, ...t.setters.map((s) => s.helper),
    ...(t.getters ?? []).map((g) => g.helper)];
}
