// Path globs as the transforms and --only/--exclude use them: `*` within a path component,
// `**` across components, `?` one character; a pattern ending in `/` matches the whole subtree.
const compiled = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let hit = compiled.get(glob);
  if (!hit) compiled.set(glob, hit = compileGlob(glob));
  return hit;
}

function compileGlob(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  if (glob.endsWith('/')) re += '.*';
  return new RegExp(`^${re}$`);
}

export function matchesAny(path: string, globs: readonly string[]): boolean {
  return globs.some((g) => globToRegExp(g).test(path));
}
