import { describe, expect, it } from 'vitest';
import { needsUpdate } from '../../../alerting/notify/dedup.js';
import type { NflogEntry } from '../../../alerting/state/nflog.js';

const now = 10_000_000;
const repeat = 4 * 3600_000;
const set = (...x: string[]) => new Set(x);
const entry = (firing: string[], resolved: string[], age = 60_000): NflogEntry => ({ firing: set(...firing), resolved: set(...resolved), timestamp: now - age, state: {} });

// Each row of Alertmanager's DedupStage.needsUpdate table (reference G5).
describe('needsUpdate', () => {
  it.each([
    ['no entry, something firing: notify', undefined, ['a'], [], false, true],
    ['no entry, only resolved: no', undefined, [], ['a'], true, false],
    ['no entry, nothing: no', undefined, [], [], true, false],
    ['a new firing alert: notify', entry(['a'], []), ['a', 'b'], [], false, true],
    ['a new firing alert after all resolved: notify', entry([], ['a']), ['a'], [], false, true],
    ['nothing firing now, firing before: notify all resolved even without send_resolved', entry(['a'], []), [], ['a'], false, true],
    ['nothing firing now or before: no', entry([], ['a']), [], ['a', 'b'], true, false],
    ['send_resolved and a new resolved alert: notify', entry(['a', 'b'], []), ['a'], ['b'], true, true],
    ['without send_resolved a partial resolve: no', entry(['a', 'b'], []), ['a'], ['b'], false, false],
    ['send_resolved, resolved already sent: no', entry(['a'], ['b']), ['a'], ['b'], true, false],
    ['firing set shrank, none new: no', entry(['a', 'b'], []), ['a'], [], false, false],
  ] as const)('%s', (_name, e, firing, resolved, sendResolved, want) => {
    expect(needsUpdate(e, set(...firing), set(...resolved), sendResolved, repeat, now)).toBe(want);
  });

  it('repeats only once the last notification is older than repeat_interval', () => {
    expect(needsUpdate(entry(['a'], [], repeat), set('a'), set(), false, repeat, now)).toBe(false);
    expect(needsUpdate(entry(['a'], [], repeat + 1), set('a'), set(), false, repeat, now)).toBe(true);
  });
});
