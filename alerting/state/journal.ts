import { closeSync, openSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, writevSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The alert journal's record format. A journal is an append-only text file of records, each a
 * header line and the batch's body:
 *
 *     <received at, ms> <kind> <resolve timeout, ms> <body length, UTF-16 code units>\n<body>\n
 *
 * kind 'v2' is an Alertmanager v2 POST body, kept as it came; 'alerts' is vigil's own encoding of
 * alerts received in process. The length counts the body as a JavaScript string; the file is
 * read back whole as UTF-8, and bodies are well-formed text (decoded from the request, or written
 * by JSON.stringify), so the lengths read back are the lengths written.
 * A crash can tear the last record: reading stops at the first record that is incomplete or
 * malformed, and says how much of the text was whole so the tail can be cut before appending.
 *
 * JournalFiles keeps one journal per snapshot generation: as files (fileJournal), or in memory
 * for an in-memory database (memoryJournal).
 */

export type JournalKind = 'v2' | 'alerts';

export interface JournalRecord {
  readonly at: number;
  readonly kind: JournalKind;
  readonly resolveTimeoutMs: number;
  readonly body: string;
}

/** encodeJournalRecord is one record as appended: journalRecordHeader(r), the body, a line break. */
export function encodeJournalRecord(r: JournalRecord): string {
  return journalRecordHeader(r) + r.body + '\n';
}

/** journalRecordHeader is the line that precedes a record's body. */
export function journalRecordHeader(r: JournalRecord): string {
  return `${r.at} ${r.kind} ${r.resolveTimeoutMs} ${r.body.length}\n`;
}

const HEADER = /(-?\d+) (v2|alerts) (\d+) (\d+)\n/y;

/**
 * decodeJournal reads the records of a journal's text. `whole` is the length of the prefix made of
 * complete records: what follows it (a torn record) was never acknowledged as written.
 */
export function decodeJournal(text: string): { records: JournalRecord[]; whole: number } {
  const records: JournalRecord[] = [];
  let at = 0;
  while (at < text.length) {
    HEADER.lastIndex = at;
    const m = HEADER.exec(text);
    if (m === null) break;
    const start = HEADER.lastIndex;
    const end = start + Number(m[4]);
    if (end >= text.length || text.charCodeAt(end) !== 0x0a) break;
    records.push({ at: Number(m[1]), kind: m[2] as JournalKind, resolveTimeoutMs: Number(m[3]), body: text.slice(start, end) });
    at = end + 1;
  }
  return { records, whole: at };
}

/** JournalFiles holds the journal of each snapshot generation (only the current one matters). */
export interface JournalFiles {
  append(generation: number, record: JournalRecord): void;
  /** read returns the generation's complete records, and cuts a torn tail so appends follow whole records. */
  read(generation: number): JournalRecord[];
  /** reset starts the generation's journal empty and drops the journals of older ones. */
  reset(generation: number): void;
  /** close lets go of the open file (at shutdown); a later append opens it again. */
  close(): void;
}

const JOURNAL_FILE = /^alert-journal\.(\d+)$/;
const NEWLINE = Buffer.from('\n');

/** fileJournal keeps journals as `alert-journal.<generation>` files in `dir`. */
export function fileJournal(dir: string): JournalFiles {
  const path = (generation: number) => join(dir, `alert-journal.${generation}`);
  /** checked: the generation whose file's tail is known to be whole (read, or written only by us). */
  let checked: number | undefined;
  /** open: the file appends go to. */
  let open: { generation: number; fd: number } | undefined;
  const close = () => {
    if (open !== undefined) closeSync(open.fd);
    open = undefined;
  };
  const read = (generation: number): JournalRecord[] => {
    let text: string;
    try {
      text = readFileSync(path(generation), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      text = '';
    }
    const { records, whole } = decodeJournal(text);
    if (whole < text.length) truncateSync(path(generation), Buffer.byteLength(text.slice(0, whole)));
    checked = generation;
    return records;
  };
  return {
    append: (generation, record) => {
      if (open?.generation !== generation) {
        close();
        if (checked !== generation) read(generation);
        open = { generation, fd: openSync(path(generation), 'a') };
      }
      // The body goes to the file as its own buffer: no copy of it is made in the JavaScript heap.
      writeAll(open.fd, [Buffer.from(journalRecordHeader(record)), Buffer.from(record.body), NEWLINE]);
    },
    read,
    reset: (generation) => {
      close();
      writeFileSync(path(generation), '');
      checked = generation;
      for (const name of readdirSync(dir)) {
        const m = JOURNAL_FILE.exec(name);
        if (m !== null && Number(m[1]) !== generation) rmSync(join(dir, name), { force: true });
      }
    },
    close,
  };
}

/** writeAll writes the buffers in order, however many writes that takes. */
function writeAll(fd: number, buffers: Buffer[]): void {
  let rest = buffers;
  while (rest.length > 0) {
    let n = writevSync(fd, rest);
    const next: Buffer[] = [];
    for (const b of rest) {
      if (n >= b.length) n -= b.length;
      else {
        next.push(n === 0 ? b : b.subarray(n));
        n = 0;
      }
    }
    rest = next;
  }
}

/** memoryJournal keeps the journal in memory, for an in-memory database. */
export function memoryJournal(): JournalFiles {
  let current = { generation: 0, text: '' };
  return {
    append: (generation, record) => {
      if (current.generation !== generation) current = { generation, text: '' };
      current.text += encodeJournalRecord(record);
    },
    read: (generation) => (current.generation === generation ? decodeJournal(current.text).records : []),
    reset: (generation) => {
      current = { generation, text: '' };
    },
    close: () => {},
  };
}
