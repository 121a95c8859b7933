// The paths and sizes git's index holds, read from .git/index itself: what
// `git ls-files --debug` prints, without a child process and its 9 MB of text to parse (a
// quarter of a second of the main thread on 6.12, before any scan work can start). Only the
// plain layouts are read (Documentation/gitformat-index.txt): versions 2 to 4, SHA-1, one file.
// A split or sparse index, another hash, a worktree's .git file or GIT_DIR / GIT_INDEX_FILE in
// the environment answer undefined, and the caller asks git instead.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SHA1_BYTES = 20;
/** ctime, mtime (seconds and nanoseconds each), dev, ino, mode, uid, gid, size: 32 bits each */
const STAT_BYTES = 40;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const NON_ASCII = /[\x80-\xff]/;
/** bytes kept ahead of an entry's start: more than any entry but one with a name this long */
const AHEAD = 1 << 16;

/**
 * The file read through one buffer, refilled as the reader moves on: a 9 MB buffer, or a string
 * of it, costs more in fresh pages than all the parsing (page faults are dear on a VM).
 */
class Window {
  buf = Buffer.allocUnsafe(1 << 20);
  /** file offset of buf[0], and how many bytes of buf hold data */
  at = 0;
  len = 0;
  eof = false;

  constructor(private readonly fd: number) {}

  /** Make file bytes [pos, pos + n) readable where possible; returns the buffer offset of pos. */
  need(pos: number, n: number): number {
    if (pos + n > this.at + this.len && !this.eof) {
      const keep = pos - this.at;
      this.buf.copy(this.buf, 0, keep, this.len);
      this.len -= keep;
      this.at = pos;
      if (n > this.buf.length) {
        const bigger = Buffer.allocUnsafe(n * 2);
        this.buf.copy(bigger, 0, 0, this.len);
        this.buf = bigger;
      }
      while (this.len < this.buf.length) {
        const got = readSync(this.fd, this.buf, this.len, this.buf.length - this.len, this.at + this.len);
        if (got === 0) {
          this.eof = true;
          break;
        }
        this.len += got;
      }
    }
    return pos - this.at;
  }

  /** The file offset of the first NUL at or after `pos`, or -1. */
  nul(pos: number): number {
    for (let n = AHEAD; ; n *= 2) {
      const b = this.need(pos, n);
      const i = this.buf.indexOf(0, b);
      if (i >= 0 && i < this.len) return this.at + i;
      if (this.eof) return -1;
    }
  }
}

/** Paths in index order (sorted by bytes, each once), and each one's size as the index has it. */
export interface IndexedFiles {
  paths: string[];
  sizes: number[];
}

/**
 * The index's paths that end with one of `suffixes` (ASCII), and their sizes; undefined when
 * the index is not one this reader knows.
 */
export function readGitIndex(tree: string, suffixes: readonly string[]): IndexedFiles | undefined {
  if (process.env.GIT_DIR || process.env.GIT_INDEX_FILE) return undefined;
  const git = join(tree, '.git');
  let fd: number;
  let total: number;
  try {
    if (!statSync(git).isDirectory()) return undefined;
    if (/objectformat/i.test(readFileSync(join(git, 'config'), 'latin1'))) return undefined;
    fd = openSync(join(git, 'index'), 'r');
    total = statSync(join(git, 'index')).size;
  } catch {
    return undefined;
  }
  try {
    return entries(new Window(fd), total - SHA1_BYTES, suffixes);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function entries(w: Window, end: number, suffixes: readonly string[]): IndexedFiles | undefined {
  let b = w.need(0, 12);
  if (end < 12 || w.buf.toString('latin1', b, b + 4) !== 'DIRC') return undefined;
  const version = w.buf.readUInt32BE(b + 4);
  if (version < 2 || version > 4) return undefined;
  const count = w.buf.readUInt32BE(b + 8);
  const out: string[] = [];
  const sizes: number[] = [];
  const ends = suffixes.map((x) => [...x].map((c) => c.charCodeAt(0)));
  let pos = 12;
  /** version 4: the previous name, which the next one starts with a part of */
  let previous = '';
  for (let i = 0; i < count; i++) {
    if (pos + STAT_BYTES + SHA1_BYTES + 2 > end) return undefined;
    const start = pos;
    b = w.need(pos, AHEAD);
    const buf = w.buf;
    if ((buf.readUInt32BE(b + 24) & S_IFMT) === S_IFDIR) return undefined; // a sparse index's folder entry
    const size = buf.readUInt32BE(b + 36);
    const extended = buf[b + STAT_BYTES + SHA1_BYTES] & 0x40;
    pos += STAT_BYTES + SHA1_BYTES + 2 + (extended ? 2 : 0); // extended flags: version 3 and up
    let name: string;
    if (version === 4) {
      // prefix compression: how many bytes of the previous name to drop, then the rest
      // (git's offset varint: 7 bits a byte, most significant first, each continuation adds one)
      let c = buf[pos - w.at];
      pos++;
      let drop = c & 0x7f;
      while (c & 0x80) {
        c = buf[pos - w.at];
        pos++;
        drop = (drop + 1) * 128 + (c & 0x7f);
      }
      const nul = w.nul(pos);
      if (nul < 0 || drop > previous.length) return undefined;
      // latin1: one character a byte, so that the next name's drop counts bytes
      name = previous.slice(0, previous.length - drop) + w.buf.toString('latin1', pos - w.at, nul - w.at);
      previous = name;
      pos = nul + 1;
    } else {
      const nul = w.nul(pos);
      if (nul < 0) return undefined;
      name = w.buf.toString('latin1', pos - w.at, nul - w.at);
      // padded with 1 to 8 NULs to a multiple of 8 bytes from the entry's start
      pos = start + ((nul - start + 8) & ~7);
    }
    if (pos > end) return undefined;
    if (!ends.some((e) => endsWith(name, e))) continue;
    const path = NON_ASCII.test(name) ? Buffer.from(name, 'latin1').toString('utf8') : name;
    // an unmerged path comes once per stage
    if (out.length && out[out.length - 1] === path) continue;
    out.push(path);
    sizes.push(size);
  }
  // a split index keeps most entries in another file; a sparse one has folders
  while (pos + 8 <= end) {
    b = w.need(pos, 8);
    const sig = w.buf.toString('latin1', b, b + 4);
    if (sig === 'link' || sig === 'sdir') return undefined;
    pos += 8 + w.buf.readUInt32BE(b + 4);
  }
  return { paths: out, sizes };
}

function endsWith(name: string, codes: readonly number[]): boolean {
  const n = name.length - codes.length;
  if (n < 0) return false;
  for (let i = 0; i < codes.length; i++) if (name.charCodeAt(n + i) !== codes[i]) return false;
  return true;
}
