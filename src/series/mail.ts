// Post-processing of `git format-patch` files: per-patch To:/Cc: headers, Message-Ids that do
// not depend on the wall clock (format-patch puts time(NULL) in them), the cover letter's
// subject, blurb and date. Patches are handled as bytes: only the header block is rewritten,
// the diff keeps whatever encoding the sources have.

/** Split a mail at the blank line that ends its headers. */
function splitMail(buf: Buffer): { head: string; rest: Buffer } {
  const idx = buf.indexOf('\n\n');
  if (idx < 0) return { head: buf.toString('utf8'), rest: Buffer.alloc(0) };
  return { head: buf.subarray(0, idx).toString('utf8'), rest: buf.subarray(idx) };
}

interface HeaderLine {
  name?: string;
  text: string;
}

/** Header lines with their continuations joined to them; the mbox `From ` line has no name. */
function parseHeaders(head: string): HeaderLine[] {
  const out: HeaderLine[] = [];
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && out.length) {
      out[out.length - 1].text += `\n${line}`;
      continue;
    }
    const m = /^([A-Za-z0-9-]+):/.exec(line);
    out.push(m ? { name: m[1].toLowerCase(), text: line } : { text: line });
  }
  return out;
}

function addressList(value: string): string[] {
  // split at commas outside quotes and angle brackets
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = 0;
  for (const c of value.replace(/\n[ \t]+/g, ' ')) {
    if (c === '"') quoted = !quoted;
    else if (c === '<' && !quoted) angle++;
    else if (c === '>' && !quoted) angle = Math.max(0, angle - 1);
    if (c === ',' && !quoted && angle === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function addressKey(email: string): string {
  return (/<([^<>]+)>/.exec(email)?.[1] ?? email).trim().toLowerCase();
}

/** Unique by address (case-insensitive), first spelling kept. */
export function uniqueAddresses(list: readonly string[], except: readonly string[] = []): string[] {
  const seen = new Set(except.map(addressKey));
  const out: string[] = [];
  for (const e of list) {
    const k = addressKey(e);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  return out;
}

function folded(name: string, list: readonly string[]): string {
  return `${name}: ${list.join(',\n    ')}`;
}

export interface MailEdit {
  to?: readonly string[];
  cc?: readonly string[];
  /** replaces the timestamp format-patch puts in Message-Id, In-Reply-To and References */
  idStamp?: string;
  /** replaces the Date: header (the cover letter's is the wall clock) */
  date?: string;
}

/** Rewrite a format-patch mail's headers: merge To/Cc, fix Message-Ids and Date. */
export function editMail(buf: Buffer, e: MailEdit): Buffer {
  const { head, rest } = splitMail(buf);
  const lines = parseHeaders(head);
  const existing = (n: string): string[] => lines.filter((l) => l.name === n)
    .flatMap((l) => addressList(l.text.slice(l.text.indexOf(':') + 1)));
  const to = uniqueAddresses([...existing('to'), ...(e.to ?? [])]);
  const cc = uniqueAddresses([...existing('cc'), ...(e.cc ?? [])], to);
  const kept: string[] = [];
  for (const l of lines) {
    if (l.name === 'to' || l.name === 'cc') continue;
    let text = l.text;
    if (e.idStamp !== undefined && (l.name === 'message-id' || l.name === 'in-reply-to' || l.name === 'references')) {
      text = text.replace(/<([^<>@\s]*?)\.(\d+)\.git\.([^<>\s]+)>/g, `<$1.${e.idStamp}.git.$3>`);
    }
    if (e.date !== undefined && l.name === 'date') text = `Date: ${e.date}`;
    kept.push(text);
  }
  if (to.length) kept.push(folded('To', to));
  if (cc.length) kept.push(folded('Cc', cc));
  return Buffer.concat([Buffer.from(kept.join('\n'), 'utf8'), rest]);
}

/** A header's value (first occurrence, continuations unfolded). */
export function headerValue(buf: Buffer, name: string): string | undefined {
  const l = parseHeaders(splitMail(buf).head).find((h) => h.name === name.toLowerCase());
  return l ? l.text.slice(l.text.indexOf(':') + 1).replace(/\n[ \t]+/g, ' ').trim() : undefined;
}

/** Fill format-patch's cover letter template. */
export function fillCover(text: string, subject: string, blurb: string): string {
  return text.replace('*** SUBJECT HERE ***', () => subject).replace('*** BLURB HERE ***', () => blurb);
}
