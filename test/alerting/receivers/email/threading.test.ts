import { describe, expect, it } from 'vitest';
import { newMessageId, threadId } from '../../../../alerting/receivers/email/threading.js';

describe('threading ids', () => {
  it('gives a group one stable thread id and another group another', () => {
    const a = threadId('{}:{alertname="GPUXidError"}');
    expect(a).toMatch(/^<alert-[0-9a-f]{16}@vigil>$/);
    expect(threadId('{}:{alertname="GPUXidError"}')).toBe(a);
    expect(threadId('{}:{alertname="QueueBacklog"}')).not.toBe(a);
  });

  it('gives each mail its own Message-ID', () => {
    const ids = new Set([1, 2, 3].map(() => newMessageId(1714565045000)));
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^<1714565045000\.[0-9a-f]{16}@vigil>$/);
  });
});
