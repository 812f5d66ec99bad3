import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeJournalRecord, type JournalRecord } from '../../../alerting/state/journal.js';

describe('alert journal records', () => {
  const records: JournalRecord[] = [
    { at: 1_800_000_000_000, kind: 'v2', resolveTimeoutMs: 300_000, body: '[{"labels":{"alertname":"A"}}]' },
    // A body with line breaks and characters outside ASCII (its length is not its UTF-8 size).
    { at: 1_800_000_000_001, kind: 'alerts', resolveTimeoutMs: 0, body: '[\n  {"gpu": "é", "note": "😀 2\\n"}\n]' },
    { at: 1_800_000_000_002, kind: 'v2', resolveTimeoutMs: 60_000, body: '' },
  ];
  const text = records.map(encodeJournalRecord).join('');

  it('decodes what was encoded, in order, through a UTF-8 round trip', () => {
    const read = decodeJournal(Buffer.from(text, 'utf8').toString('utf8'));
    expect(read.records).toEqual(records);
    expect(read.whole).toBe(text.length);
  });

  it('stops at a torn or malformed record and says where the whole ones end', () => {
    const firstTwo = encodeJournalRecord(records[0]!) + encodeJournalRecord(records[1]!);
    for (let cut = firstTwo.length + 1; cut < text.length; cut++) {
      const read = decodeJournal(text.slice(0, cut));
      expect(read.records).toEqual(records.slice(0, 2));
      expect(read.whole).toBe(firstTwo.length);
    }
    expect(decodeJournal(firstTwo + '12 v3 0 2\n[]\n').whole).toBe(firstTwo.length);
    expect(decodeJournal(firstTwo + '12 v2 0 1\n[]\n').whole).toBe(firstTwo.length);
  });
});
