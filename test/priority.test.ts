// A scan worker waits for its first batch at the lowest priority, and only where it can rise
// again (util/priority.ts): the nice value is read back from /proc for the thread itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { restorePriority, type LoweredThread } from '../src/util/priority.js';

const PRIORITY = new URL('../src/util/priority.js', import.meta.url).href;

interface Seen { lowered: boolean; before: number; during: number; after: number }

const NICE = `Number(readFileSync('/proc/thread-self/stat', 'latin1').split(') ')[1].split(' ')[16])`;

function worker(code: string): Worker {
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
}

/** Run the lowering and the restoring in a worker thread, reading its nice value at each step. */
function inWorker(): Promise<Seen> {
  const w = worker(`
    import { waitAtLowPriority, restorePriority } from ${JSON.stringify(PRIORITY)};
    import { parentPort } from 'node:worker_threads';
    import { readFileSync } from 'node:fs';
    const nice = () => ${NICE};
    const before = nice();
    const lowered = !!waitAtLowPriority();
    const during = nice();
    restorePriority();
    parentPort.postMessage({ lowered, before, during, after: nice() });`);
  return new Promise((resolve, reject) => {
    w.once('message', (m: Seen) => {
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

test('a waiting worker thread runs at nice 19 and gets its priority back (where it may rise again)',
  { skip: !existsSync('/proc/thread-self/stat') && 'no /proc/thread-self (not Linux)' }, async () => {
    const seen = await inWorker();
    assert.equal(seen.after, seen.before, 'back where it was');
    if (seen.lowered) assert.equal(seen.during, 19);
    else assert.equal(seen.during, seen.before, 'not lowered: left alone');
    // root may always rise again: there the worker must have been lowered
    if (process.getuid?.() === 0) assert.ok(seen.lowered, 'root: lowered');
  });

test('the main thread raises a lowered worker thread (as the scan does with the first batch)',
  { skip: (!existsSync('/proc/thread-self/stat') && 'no /proc/thread-self (not Linux)') || (process.getuid?.() !== 0 && 'not root') },
  async () => {
    // the worker lowers itself, says so, and reads its nice value again when asked
    const w = worker(`
      import { waitAtLowPriority } from ${JSON.stringify(PRIORITY)};
      import { parentPort } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      const before = ${NICE};
      parentPort.postMessage({ thread: waitAtLowPriority(), before, during: ${NICE} });
      parentPort.once('message', () => parentPort.postMessage({ after: ${NICE} }));`);
    try {
      const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
      const first = await next() as { thread?: LoweredThread; before: number; during: number };
      assert.ok(first.thread, 'lowered');
      assert.equal(first.during, 19);
      restorePriority(first.thread);
      const asked = next();
      w.postMessage('again');
      assert.equal((await asked).after, first.before);
    } finally {
      await w.terminate();
    }
  });
