// The header patch: the helpers drivers are converted to, generated from the transform
// definition and placed next to the related inline helpers of the subsystem header. Skipped
// for the helpers that already exist.
import type { TransformDefinition } from '../transform.js';
import { breakLong } from './wrap.js';

export interface HeaderHelper {
  name: string;
  code: string;
}

function kdoc(name: string, summary: string, params: [string, string][], body: string[], ret?: string): string {
  const lines = ['/**', ` * ${name}() - ${summary}`];
  for (const [p, d] of params) lines.push(` * @${p}: ${d}`);
  if (body.length) {
    lines.push(' *');
    for (const b of body) lines.push(b ? ` * ${b}` : ' *');
  }
  if (ret) lines.push(' *', ` * Return: ${ret}`);
  lines.push(' */');
  return lines.join('\n');
}

/** The helpers of a transform, as C text, in the order they go into the header. */
export function headerHelpers(t: TransformDefinition): HeaderHelper[] {
  const obj = t.objectName;
  const helpers: HeaderHelper[] = [];
  // a static inline helper; the transforms write its phase-one body with their usual object names
  const inline = (signature: string, body: string) =>
    `${breakLong(signature).join('\n')}\n{\n\t${body.replace(/\badap\b|\bmtd\b|\bctlr\b/g, obj)}\n}`;
  helpers.push({
    name: t.accessor,
    code: `${kdoc(t.accessor, `get the struct device of a struct ${t.struct}`, [[obj, `the struct ${t.struct}`]], [
      `Drivers must not reach into @${obj}->${t.member} directly: the device is meant to be`,
      `allocated and owned by the core, independently of the memory that holds @${obj}.`,
      'This macro keeps the constness of its argument.',
    ], `the struct device of @${obj}.`)}\n#define ${t.accessor}(${obj}) (&(${obj})->${t.member})`,
  });
  helpers.push({
    name: t.converter,
    code: `#define ${t.converter}(d) container_of(d, struct ${t.struct}, ${t.member})`,
  });
  for (const s of t.setters) {
    const param = /(\w+)\s*$/.exec(s.params)?.[1];
    const params: [string, string][] = [[obj, `the struct ${t.struct}, not registered yet`]];
    if (param) params.push([param, 'the value to set']);
    helpers.push({
      name: s.helper,
      code: `${kdoc(s.helper, s.doc, params, [
        `Configuration of the device of @${obj} must be set with this helper before @${obj}`,
        'is registered: once the core allocates the device at registration, it applies it then.',
      ])}\n${inline(`static inline void ${s.helper}(struct ${t.struct} *${obj}${s.params ? `, ${s.params}` : ''})`, s.phaseOneBody)}`,
    });
  }
  for (const g of t.getters ?? []) {
    helpers.push({
      name: g.helper,
      code: `${kdoc(g.helper, g.doc, [[obj, `the struct ${t.struct}`]], [
        `Drivers read the ${g.member} with this helper rather than through the device of`,
        `@${obj}: it also works before @${obj} is registered, when the core allocates`,
        'the device only at registration.',
      ], `the ${g.member} of @${obj}.`)}\n${inline(`static inline ${g.returns}${g.returns.endsWith('*') ? '' : ' '}${g.helper}(const struct ${t.struct} *${obj})`, g.phaseOneBody)}`,
    });
  }
  return helpers;
}

function defines(text: string, name: string): boolean {
  return new RegExp(`(#\\s*define\\s+${name}\\b|\\b${name}\\s*\\([^;{]*\\)\\s*\\{)`).test(text);
}

/**
 * Insert the missing helpers into the header text, after the converter's definition when it
 * exists (to_i2c_adapter), else before the first inline helper that takes the object.
 * Returns undefined when nothing is missing.
 */
export function addHelpers(text: string, t: TransformDefinition): { text: string; added: string[] } | undefined {
  const missing = headerHelpers(t).filter((h) => !defines(text, h.name));
  if (missing.length === 0) return undefined;
  const block = missing.map((h) => h.code).join('\n\n');
  const conv = new RegExp(`^#\\s*define\\s+${t.converter}\\b.*$`, 'm').exec(text);
  if (conv) {
    const at = conv.index + conv[0].length + 1;
    return { text: `${text.slice(0, at)}\n${block}\n${text.slice(at)}`, added: missing.map((h) => h.name) };
  }
  const anchor = new RegExp(`^static inline [^\\n(]*\\(\\s*(const\\s+)?struct\\s+${t.struct}\\s*\\*`, 'm').exec(text)
    ?? new RegExp(`^struct\\s+${t.struct}\\s*\\{`, 'm').exec(text);
  if (!anchor) throw new Error(`${t.header}: found no place for the ${t.accessor}() helpers (no struct ${t.struct})`);
  // before the anchor's own kernel-doc comment, if it has one
  let at = anchor.index;
  const before = text.slice(0, at);
  const doc = /\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n$/.exec(before);
  if (doc) at = doc.index;
  if (new RegExp(`^struct\\s+${t.struct}\\s*\\{`).test(anchor[0])) {
    // after the struct definition instead
    const end = text.indexOf('\n};', anchor.index);
    if (end < 0) throw new Error(`${t.header}: cannot find the end of struct ${t.struct}`);
    at = end + 4;
    return { text: `${text.slice(0, at)}\n${block}\n${text.slice(at)}`, added: missing.map((h) => h.name) };
  }
  return { text: `${text.slice(0, at)}${block}\n\n${text.slice(at)}`, added: missing.map((h) => h.name) };
}
