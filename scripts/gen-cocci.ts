// Regenerate the committed semantic patches in cocci/ from the transform definitions:
//   npx tsc -p . && node dist/scripts/gen-cocci.js [outDir]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitAll } from '../src/cocci/emit.js';
import { TRANSFORMS } from '../transforms/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.resolve(process.argv[2] ?? path.join(root, 'cocci'));
const files = await emitAll(TRANSFORMS, outDir);
for (const f of files) console.log(path.relative(process.cwd(), f) || f);
