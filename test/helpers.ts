// Shared test helpers: project paths, the corpus location, temporary copies of the example tree.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A scratch folder holding `files` (relative path -> text), removed by the returned function. */
export function fileTree(files: Record<string, string>, prefix = 'unembed-test-'): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The subjects of the SPI switch's patches, in order (the generator's, checked by two tests). */
export const SPI_SWITCH_SUBJECTS: readonly string[] = [
  'spi: Allocate the struct device of a controller separately',
  'spi: Drop the references of controller lookups with spi_controller_put()',
  'platform/x86: x86-android-tablets: Put the SPI controller, not its device',
  'spi: Decouple the lifetime of a controller from its struct device',
  'spi: Check the controller is still there in its sysfs attributes',
  'spi: Refuse new devices on a controller being unregistered',
  'media: mgb4: Hold a reference to the SPI controller, not to its device',
];
