// One file's change as a unified diff, `a/` and `b/` prefixes as git and spatch print them.
import { createTwoFilesPatch } from 'diff';

export function fileDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 })
    .replace(/^=+\n/m, '').replace(/^(---|\+\+\+) (\S+)\t?\n/gm, '$1 $2\n');
}
