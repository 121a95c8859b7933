// A small model of C types: just enough to follow pointers, arrays, members, typedefs and
// function results down to the struct an expression denotes.

export interface StructDef {
  tag?: string;
  union: boolean;
  /** member name -> type; members of anonymous struct/union members are flattened in */
  members: Map<string, CType>;
  file: string;
  line: number;
  /** byte range of the body in its file */
  span?: [number, number];
}

export type CType =
  | { k: 'struct'; tag: string; union: boolean }
  | { k: 'anon'; def: StructDef }
  | { k: 'named'; name: string }
  | { k: 'ptr'; to: CType }
  | { k: 'array'; of: CType }
  | { k: 'func'; ret: CType }
  | { k: 'prim'; name: string }
  | { k: 'unknown'; why: string };

export const UNKNOWN = (why: string): CType => ({ k: 'unknown', why });

export function ptr(to: CType): CType {
  return { k: 'ptr', to };
}

export function typeToString(t: CType): string {
  switch (t.k) {
    case 'struct': return `${t.union ? 'union' : 'struct'} ${t.tag}`;
    case 'anon': return `${t.def.union ? 'union' : 'struct'} <anonymous>`;
    case 'named': return t.name;
    case 'ptr': return `${typeToString(t.to)} *`;
    case 'array': return `${typeToString(t.of)} []`;
    case 'func': return `${typeToString(t.ret)} ()`;
    case 'prim': return t.name;
    case 'unknown': return `<unknown: ${t.why}>`;
  }
}

/** Parse a type name written as text, e.g. `struct i2c_adapter *` or `u8`. */
export function typeFromText(text: string): CType {
  const s = text.replace(/\b(const|volatile|__iomem|__rcu|restrict|__restrict)\b/g, ' ').trim();
  let stars = 0;
  let base = s;
  while (base.endsWith('*')) { stars++; base = base.slice(0, -1).trim(); }
  let t: CType;
  const m = /^(struct|union)\s+(\w+)$/.exec(base);
  if (m) t = { k: 'struct', tag: m[2], union: m[1] === 'union' };
  else if (/^\w+$/.test(base)) t = PRIMITIVES.has(base) ? { k: 'prim', name: base } : { k: 'named', name: base };
  else if (/^(unsigned|signed|long|short|int|char|\s)+$/.test(base)) t = { k: 'prim', name: base };
  else t = UNKNOWN(`type text '${text}'`);
  for (let i = 0; i < stars; i++) t = ptr(t);
  return t;
}

export const PRIMITIVES = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'bool', '_Bool', 'signed', 'unsigned',
  'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'size_t', 'ssize_t', 'uintptr_t',
  'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t',
  'dma_addr_t', 'phys_addr_t', 'resource_size_t', 'loff_t', 'irqreturn_t', 'gfp_t', 'umode_t',
  '__le16', '__le32', '__le64', '__be16', '__be32', '__be64', '__u8', '__u16', '__u32', '__u64',
  '__s8', '__s16', '__s32', '__s64', 'ktime_t', 'pid_t', 'off_t', 'fmode_t',
]);
