// Shared test helpers: project paths, the corpus location, temporary copies of the example tree.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TESTDATA = join(ROOT, 'testdata');
export const EXAMPLE_TREE = join(TESTDATA, 'tree');
export const CORPUS = process.env.UNEMBED_CORPUS_DIR ?? join(ROOT, '.cache', 'linux-6.12');

export function corpusReady(): boolean {
  return existsSync(join(CORPUS, '.unembed-corpus-ok'));
}

/** A scratch copy of the example tree, removed by the returned function. */
export function scratchTree(prefix = 'unembed-test-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(EXAMPLE_TREE, dir, { recursive: true });
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}
