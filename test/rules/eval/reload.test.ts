import { describe, expect, it } from 'vitest';
import { dump } from '../../support/store.js';
import { alerting, fixture, group, MIN, recording } from './fixture.js';

describe('RuleManager.update (reload)', () => {
  const T0 = 1_700_000_000_000;

  it('keeps unchanged groups running untouched, restarts changed ones with their alerts, and marks removed rules stale', async () => {
    const f = fixture(T0);
    f.load({ __name__: 'errors', job: 'api' }, T0 - 5 * MIN, T0 + 60 * MIN, () => 10);
    const alert = alerting('High', 'errors > 5', { forMs: 5 * MIN });
    const m = f.manager([group('alerts', [alert]), group('records', [recording('errors_copy', 'errors'), recording('gone', 'errors * 2')])]);
    m.start();
    await f.clock.advance(3 * MIN);
    const [alertsBefore, recordsBefore] = m.groups();
    const activeAt = alertsBefore!.alertingRules()[0]!.activeAlerts()[0]!.activeAt;

    // Same groups: nothing restarts.
    await m.update([group('alerts', [alert]), group('records', [recording('errors_copy', 'errors'), recording('gone', 'errors * 2')])]);
    expect(m.groups()[0]).toBe(alertsBefore);
    expect(m.groups()[1]).toBe(recordsBefore);

    // A changed annotation restarts the group; the alert keeps its activeAt. A rule removed from
    // a changed group has its series marked stale at the next evaluation.
    await m.update([group('alerts', [{ ...alert, annotations: { summary: 'now with a summary' } }]), group('records', [recording('errors_copy', 'errors')])]);
    const [alertsAfter, recordsAfter] = m.groups();
    expect(alertsAfter).not.toBe(alertsBefore);
    expect(recordsAfter).not.toBe(recordsBefore);
    expect(alertsAfter!.alertingRules()[0]!.activeAlerts()[0]!.activeAt).toBe(activeAt);
    await f.clock.advance(3 * MIN);
    const a = alertsAfter!.alertingRules()[0]!.activeAlerts()[0]!;
    expect(a).toMatchObject({ activeAt, state: 'firing' });
    expect(a.annotations.get('summary')).toBe('now with a summary');
    const gone = Object.values(dump(f.head, 'gone'))[0]!;
    expect(gone.at(-1)![1]).toBe('stale');

    // A removed group stops, and its series go stale two intervals later.
    await m.update([group('alerts', [{ ...alert, annotations: { summary: 'now with a summary' } }])]);
    expect(m.groups().map((g) => g.name)).toEqual(['alerts']);
    const removedAt = f.clock.now();
    await f.clock.advance(2 * MIN + 1);
    const copy = Object.values(dump(f.head, 'errors_copy'))[0]!;
    expect(copy.at(-1)).toEqual([removedAt, 'stale']);
    await m.stop();
  });
});
