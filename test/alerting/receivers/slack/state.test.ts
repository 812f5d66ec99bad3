import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../../alerting/fingerprint.js';
import type { Notification } from '../../../../alerting/notify/types.js';
import { decodeState, encodeState } from '../../../../alerting/receivers/slack/state.js';
import type { Alert } from '../../../../alerting/types.js';
import { Labels } from '../../../../model/labels.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0);

const alert = (i: number, endsAt = T0 + 3600_000): Alert => ({
  labels: Labels.from({ alertname: 'A', i: String(i) }),
  annotations: Labels.EMPTY,
  startsAt: T0,
  endsAt,
  generatorURL: '',
  updatedAt: T0,
  timeout: false,
});

const notification = (alerts: Alert[]): Notification => ({
  receiver: 'r',
  groupKey: 'k',
  groupLabels: Labels.EMPTY,
  alerts,
  now: T0 + 60_000,
  externalURL: '',
  state: {},
});

describe('slack state', () => {
  it('is empty until a message exists', () => {
    expect(decodeState({})).toBeUndefined();
    expect(decodeState({ channel: 'C1' })).toBeUndefined();
    expect(decodeState({ channel: '', ts: '1.2' })).toBeUndefined();
  });

  it('keeps the channel id, the ts and the firing alerts (not the resolved ones)', () => {
    const n = notification([alert(1), alert(2), alert(3, T0)]);
    const state = encodeState('C0001', '1714564800.000001', n);
    const expected = [fingerprint(alert(1).labels), fingerprint(alert(2).labels)].sort();
    expect(state).toEqual({ channel: 'C0001', ts: '1714564800.000001', firing_count: '2', firing: expected.join(',') });
    expect(decodeState(state)).toEqual({ channel: 'C0001', ts: '1714564800.000001', firing: expected, firingCount: 2 });
    expect(decodeState(encodeState('C', '1.1', notification([])))).toEqual({ channel: 'C', ts: '1.1', firing: [], firingCount: 0 });
  });

  it('keeps only the count for very large groups', () => {
    const state = encodeState('C', '1.1', notification(Array.from({ length: 101 }, (_, i) => alert(i))));
    expect(state).toEqual({ channel: 'C', ts: '1.1', firing_count: '101' });
    expect(decodeState(state)).toEqual({ channel: 'C', ts: '1.1', firing: undefined, firingCount: 101 });
  });
});
