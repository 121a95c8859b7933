// A worker thread's scheduling priority while it waits. Before its first batch a scan worker has
// nothing on the critical path: the main thread reads the include closure, and the two cores
// are shared by it, the workers loading their modules and tables, and V8's compiler threads.
// At the lowest priority (nice 19, Linux: a thread's own) the workers take only what the main
// thread leaves. Only where the priority can be raised again (root, or CAP_SYS_NICE): otherwise
// a worker would stay low for the whole scan, slow whenever anything else runs.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** A thread lowered by waitAtLowPriority, and the priority it had. */
export interface LoweredThread {
  tid: number;
  base: number;
}

let lowered: LoweredThread | undefined;

/** This thread's id (Linux), or undefined. */
function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Lower this thread to nice 19 if it may rise again; what to restore, if it did. */
export function waitAtLowPriority(): LoweredThread | undefined {
  const tid = threadId();
  if (tid === undefined || lowered) return undefined;
  try {
    const base = getPriority(tid);
    // may it rise? (a raise beyond the current value needs the privilege)
    if (base > -20) {
      setPriority(tid, base - 1);
      setPriority(tid, base);
    }
    setPriority(tid, 19);
    lowered = { tid, base };
    return lowered;
  } catch {
    return undefined;
  }
}

/**
 * Back to the priority the thread had, once it has work on the critical path: this thread, or
 * another one lowered (the main thread raises a worker as it sends the first batch, which the
 * worker takes only once it is done with what it is doing, at nice 19 behind V8's compilers).
 */
export function restorePriority(thread: LoweredThread | undefined = lowered): void {
  if (!thread) return;
  try {
    setPriority(thread.tid, thread.base);
  } catch { /* cannot happen: checked when lowered */ }
  if (thread === lowered) lowered = undefined;
}
