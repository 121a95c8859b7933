// A scan worker: matches its share of files with its own header index and parser.
import { parentPort, workerData, isMainThread } from 'node:worker_threads';
import { TRANSFORMS } from '../transforms/index.js';
import { HeaderIndex, treeReader, unpackLocations, type PackedLocations } from './types/header-index.js';
import { scanText } from './match/sites.js';
import type { RelevantWords } from './match/prefilter.js';
import type { Embedding, FileDiagnostic, Site } from './model.js';

export interface WorkerRequest {
  tree: string;
  transformIds: string[];
  files: string[];
  rawParse?: boolean;
  /** the shared headers' symbol locations, computed once by the caller */
  symbols?: PackedLocations;
  /** every header of the tree, relative paths */
  headers: string[];
  /** the relevant words of the run (prefilter), as arrays */
  words: { types: string[]; funcs: string[]; members: string[]; arrayMembers: string[] };
}

export interface WorkerReply {
  sites: Site[];
  embeddings: Embedding[];
  diagnostics: FileDiagnostic[];
  bytes: number;
  parsedFiles: number;
  filesWithErrors: number;
}

/** Files bigger than this are generated tables, not drivers: skipped with a diagnostic. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

export function scanFiles(req: WorkerRequest, progress?: (n: number) => void): WorkerReply {
  const read = treeReader(req.tree);
  const headers = new HeaderIndex(req.tree, read);
  headers.allHeaders = req.headers;
  if (req.symbols) headers.setSymbols(unpackLocations(req.symbols));
  const transforms = TRANSFORMS.filter((t) => req.transformIds.includes(t.id));
  const reply: WorkerReply = { sites: [], embeddings: [], diagnostics: [], bytes: 0, parsedFiles: 0, filesWithErrors: 0 };
  const words: RelevantWords = {
    types: new Set(req.words.types), funcs: new Set(req.words.funcs),
    members: new Set(req.words.members), arrayMembers: new Set(req.words.arrayMembers),
  };
  let pending = 0;
  for (const file of req.files) {
    const text = read(file);
    if (text === undefined) {
      reply.diagnostics.push({ file, message: 'cannot read file' });
      continue;
    }
    if (text.length > MAX_FILE_BYTES) {
      reply.diagnostics.push({ file, message: `skipped: ${text.length} bytes (generated file?)` });
      continue;
    }
    try {
      const r = scanText(file, text, headers, transforms, req.rawParse ? undefined : words, req.rawParse);
      reply.sites.push(...r.sites);
      reply.embeddings.push(...r.embeddings);
      reply.bytes += text.length;
      reply.parsedFiles++;
      if (r.hasErrors) reply.filesWithErrors++;
    } catch (e) {
      reply.diagnostics.push({ file, message: `internal error: ${(e as Error).message.split('\n')[0]}` });
    }
    if (progress && ++pending >= 25) {
      progress(pending);
      pending = 0;
    }
  }
  if (progress && pending) progress(pending);
  return reply;
}

if (!isMainThread && parentPort && workerData) {
  const port = parentPort;
  port.postMessage(scanFiles(workerData as WorkerRequest, (n) => port.postMessage({ progress: n })));
}
