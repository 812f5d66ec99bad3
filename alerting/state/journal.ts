/**
 * The alert journal's record format. A journal is an append-only text file of records, each a
 * header line and the batch's body:
 *
 *     <received at, ms> <kind> <resolve timeout, ms> <body length, UTF-16 code units>\n<body>\n
 *
 * kind 'v2' is an Alertmanager v2 POST body, kept as it came; 'alerts' is vigil's own encoding of
 * alerts received in process. The length counts the body as a JavaScript string, so appending a
 * body costs no scan for its UTF-8 size; the file is read back whole as UTF-8 (bodies are
 * well-formed text: decoded from the request, or written by JSON.stringify), so lengths match.
 * A crash can tear the last record: reading stops at the first record that is incomplete or
 * malformed, and says how much of the text was whole so the tail can be cut before appending.
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
