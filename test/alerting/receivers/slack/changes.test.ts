import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../alerting/notify/types.js';
import { describeChange } from '../../../../alerting/receivers/slack/changes.js';
import { decodeState, encodeState } from '../../../../alerting/receivers/slack/state.js';
import type { Alert } from '../../../../alerting/types.js';
import { Labels } from '../../../../model/labels.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0);
const MIN = 60_000;

const alert = (i: number, o: { endsAt?: number; summary?: string } = {}): Alert => ({
  labels: Labels.from({ alertname: 'A', i: String(i) }),
  annotations: Labels.from(o.summary === undefined ? {} : { summary: o.summary }),
  startsAt: T0,
  endsAt: o.endsAt ?? T0 + 600 * MIN,
  generatorURL: '',
  updatedAt: T0,
  timeout: false,
});

const notification = (alerts: Alert[], now: number): Notification => ({
  receiver: 'r',
  groupKey: 'k',
  groupLabels: Labels.EMPTY,
  alerts,
  now,
  externalURL: '',
  state: {},
});

/** after is the state the integration would have kept after notifying these alerts. */
const after = (alerts: Alert[]) => decodeState(encodeState('C1', '1.1', notification(alerts, T0 + MIN)))!;

describe('describeChange', () => {
  it('says when the group resolved', () => {
    expect(describeChange(after([alert(1), alert(2)]), notification([alert(1, { endsAt: T0 + 4 * MIN }), alert(2, { endsAt: T0 + 3 * MIN })], T0 + 5 * MIN))).toBe(
      ':white_check_mark: Resolved at 12:04 UTC — all 2 alerts',
    );
    expect(describeChange(after([alert(1)]), notification([], T0 + 7 * MIN))).toBe(':white_check_mark: Resolved at 12:07 UTC');
  });

  it('says "still firing" on a repeat', () => {
    expect(describeChange(after([alert(1), alert(2), alert(3)]), notification([alert(1), alert(2), alert(3)], T0 + 240 * MIN))).toBe(
      ':repeat: Repeat: still firing, 3 alerts',
    );
  });

  it('names new alerts and counts resolved ones', () => {
    const now = notification([alert(2), alert(3, { summary: 'disk <full>' }), alert(4), alert(1, { endsAt: T0 + 2 * MIN })], T0 + 5 * MIN);
    expect(describeChange(after([alert(1), alert(2)]), now)).toBe(
      ':fire: 2 new alerts, :white_check_mark: 1 resolved — now 3 firing\n• disk &lt;full&gt;\n• {alertname="A", i="4"}',
    );
    expect(describeChange(after([alert(1), alert(2)]), notification([alert(2)], T0 + 5 * MIN))).toBe(':white_check_mark: 1 resolved — still 1 firing');
  });

  it('lists at most five new alerts', () => {
    const text = describeChange(after([]), notification(Array.from({ length: 8 }, (_, i) => alert(i)), T0 + 5 * MIN));
    expect(text.split('\n')).toHaveLength(7);
    expect(text.split('\n').at(-1)).toBe('• and 3 more');
  });

  it('tells the change from counts when only the count was kept', () => {
    const prev = after(Array.from({ length: 150 }, (_, i) => alert(i)));
    expect(describeChange(prev, notification(Array.from({ length: 152 }, (_, i) => alert(i)), T0 + 5 * MIN))).toBe(':fire: 2 new alerts — now 152 firing');
    expect(describeChange(prev, notification(Array.from({ length: 150 }, (_, i) => alert(i + 1000)), T0 + 5 * MIN))).toBe(
      ':repeat: Repeat: still firing, 150 alerts',
    );
  });
});
