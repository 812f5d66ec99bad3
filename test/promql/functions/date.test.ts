import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import { DATE_FUNCTIONS } from '../../../promql/functions/date.js';
import { inst, sample } from './helpers.js';

/** at evaluates a date function on one value, as `f(vector(v))` does. */
function at(name: string, v: number): number {
  const out = inst(name, [[sample({}, v)]]);
  expect(out).toHaveLength(1);
  return out[0]!.v;
}

describe('date functions (functions.test)', () => {
  it('read the epoch when called without an argument (the engine passes vector(time()))', () => {
    expect(at('year', 0)).toBe(1970);
    expect(at('month', 0)).toBe(1);
    expect(at('day_of_month', 0)).toBe(1);
    expect(at('day_of_year', 0)).toBe(1);
    expect(at('day_of_week', 0)).toBe(4); // Thursday
    expect(at('hour', 0)).toBe(0);
    expect(at('minute', 0)).toBe(0);
  });

  it('decompose 2006-01-02T22:04:05Z', () => {
    const v = 1136239445;
    expect(at('year', v)).toBe(2006);
    expect(at('month', v)).toBe(1);
    expect(at('day_of_month', v)).toBe(2);
    expect(at('day_of_year', v)).toBe(2);
    expect(at('day_of_week', v)).toBe(1);
    expect(at('hour', v)).toBe(22);
    expect(at('minute', v)).toBe(4);
  });

  it('handle year boundaries and leap years', () => {
    expect(at('year', 1230767999)).toBe(2008);
    expect(at('year', 1230768000)).toBe(2009);
    expect(at('month', 1456790399) + at('day_of_month', 1456790399) / 100).toBe(2.29);
    expect(at('month', 1456790400) + at('day_of_month', 1456790400) / 100).toBe(3.01);
    expect(at('day_of_year', 1483191420)).toBe(366);
    expect(at('day_of_year', 1672493820)).toBe(365);
    expect(at('days_in_month', 1454284800)).toBe(29);
    expect(at('days_in_month', 1485907200)).toBe(28);
    expect(at('days_in_month', Date.UTC(2100, 1, 10) / 1000)).toBe(28);
    expect(at('days_in_month', Date.UTC(2000, 1, 10) / 1000)).toBe(29);
    expect(at('days_in_month', Date.UTC(2021, 3, 10) / 1000)).toBe(30);
  });
});

describe('date functions by hand', () => {
  it('agree with Date for a spread of times, before and after the epoch', () => {
    for (let s = -5e10; s < 5e10; s += 987654321) {
      const d = new Date(Math.trunc(s) * 1000);
      const yday = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
      expect(at('year', s)).toBe(d.getUTCFullYear());
      expect(at('month', s)).toBe(d.getUTCMonth() + 1);
      expect(at('day_of_month', s)).toBe(d.getUTCDate());
      expect(at('day_of_week', s)).toBe(d.getUTCDay());
      expect(at('day_of_year', s)).toBe(yday);
      expect(at('hour', s)).toBe(d.getUTCHours());
      expect(at('minute', s)).toBe(d.getUTCMinutes());
    }
  });

  it('truncate toward zero like Go int64(v)', () => {
    expect(at('year', -0.5)).toBe(1970);
    expect(at('minute', -0.5)).toBe(0);
    expect(at('minute', -1)).toBe(59);
    expect(at('day_of_week', -1)).toBe(3);
  });

  // Checked against Prometheus 2.42's answers (its date code is the same in 3.x): NaN, ±Inf and
  // out-of-range values become int64's minimum, which Go's calendar arithmetic wraps.
  it('match Prometheus far from the epoch and for NaN', () => {
    const cases: [number, Record<string, number>][] = [
      [1e15, { year: 31690708, month: 7, day_of_month: 5, day_of_week: 0, day_of_year: 187, hour: 1, minute: 46, days_in_month: 31 }],
      [-1e15, { year: -31686769, month: 6, day_of_month: 29, day_of_week: 0, day_of_year: 180, hour: 22, minute: 13, days_in_month: 30 }],
      [9.2e18, { year: 291536396232, month: 8, day_of_month: 31, day_of_week: 5, day_of_year: 244, hour: 11, minute: 33, days_in_month: 31 }],
      [-9.2e18, { year: -291536392293, month: 5, day_of_month: 3, day_of_week: 2, day_of_year: 123, hour: 12, minute: 26, days_in_month: 31 }],
      [-9.223372036854775e18, { year: 292277026596, month: 12, day_of_month: 4, day_of_week: 0, day_of_year: 339, hour: 15, minute: 47 }],
      [NaN, { year: 292277026596, month: 12, day_of_month: 4, day_of_week: 0, day_of_year: 339, hour: 15, minute: 30, days_in_month: 31 }],
      [Infinity, { year: 292277026596, month: 12, minute: 30 }],
      [-Infinity, { year: 292277026596, day_of_month: 4 }],
      [1e19, { year: 292277026596, hour: 15 }],
    ];
    for (const [v, fields] of cases) {
      for (const [name, expected] of Object.entries(fields)) expect(at(name, v), `${name}(${v})`).toBe(expected);
    }
  });

  it('keep labels, mark the name for removal, and cover every function', () => {
    const v = [sample({ __name__: 'x', a: 'b' }, 0), sample({ __name__: 'x', a: 'c' }, 86400 * 31)];
    for (const name of DATE_FUNCTIONS.keys()) {
      const out = inst(name, [v], { t: 42 });
      expect(out.map((s) => s.metric)).toEqual([Labels.from({ __name__: 'x', a: 'b' }), Labels.from({ __name__: 'x', a: 'c' })]);
      expect(out.every((s) => s.dropName === true && s.t === 42)).toBe(true);
    }
    expect([...DATE_FUNCTIONS.keys()].sort()).toEqual(
      ['day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute', 'month', 'year'],
    );
  });
});
