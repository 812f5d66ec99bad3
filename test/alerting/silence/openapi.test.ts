import { describe, expect, it } from 'vitest';
import { SilenceError } from '../../../alerting/silence/errors.js';
import {
  compareGettable,
  decodePostableSilence,
  gettableSilence,
  OpenAPIError,
  parseTime,
} from '../../../alerting/silence/openapi.js';
import { parseMatcher } from '../../../alerting/config/matchers.js';

const NOW = Date.UTC(2024, 4, 1, 12);

const body = (o: Record<string, unknown>) =>
  JSON.stringify({
    matchers: [{ name: 'job', value: 'api', isRegex: false }],
    startsAt: '2024-05-01T12:00:00Z',
    endsAt: '2024-05-01T13:00:00Z',
    createdBy: 'alice',
    comment: 'c',
    ...o,
  });

function refusal(text: string): OpenAPIError {
  try {
    decodePostableSilence(text, NOW);
  } catch (err) {
    if (err instanceof OpenAPIError) return err;
    throw err;
  }
  throw new Error('expected an OpenAPIError');
}

describe('decodePostableSilence', () => {
  it('reads a postable silence; isEqual defaults to true and an empty id means none', () => {
    const s = decodePostableSilence(
      body({
        id: '',
        matchers: [
          { name: 'job', value: 'api', isRegex: false },
          { name: 'env', value: 'dev', isRegex: false, isEqual: false },
          { name: 'host', value: 'db[0-9]+', isRegex: true },
          { name: 'zone', value: 'eu-.*', isRegex: true, isEqual: false },
        ],
      }),
      NOW,
    );
    expect(s.id).toBeUndefined();
    expect(s.matchers.map((m) => m.toString())).toEqual(['job="api"', 'env!="dev"', 'host=~"db[0-9]+"', 'zone!~"eu-.*"']);
    expect(s).toMatchObject({ startsAt: NOW, endsAt: NOW + 3600_000, createdBy: 'alice', comment: 'c' });
  });

  it('answers as go-openapi: 422 with code 602 for the first missing field, in schema order', () => {
    const r = (o: Record<string, unknown>) => {
      const e = refusal(body(o));
      return [e.status, e.code, e.message];
    };
    expect(r({ comment: undefined, createdBy: undefined })).toEqual([422, 602, 'comment in body is required']);
    expect(r({ createdBy: null })).toEqual([422, 602, 'createdBy in body is required']);
    expect(r({ matchers: [{ name: 'a', value: 'b' }] })).toEqual([422, 602, 'matchers.0.isRegex in body is required']);
    expect(r({ matchers: [{ isRegex: true, value: 'b' }] })).toEqual([422, 602, 'matchers.0.name in body is required']);
    expect(r({ matchers: [] })).toEqual([422, 612, 'matchers in body should have at least 1 items']);
    expect(r({ startsAt: undefined })).toEqual([422, 602, 'startsAt in body is required']);
    expect([refusal('').status, refusal('').message]).toEqual([422, 'silence in body is required']);
    expect(refusal('null').message).toBe('comment in body is required');
  });

  it('answers 400 for a body that does not decode, saying why', () => {
    expect([refusal('{bad').status, refusal('{bad').code]).toEqual([400, 400]);
    expect(refusal('[]').message).toMatch(/cannot unmarshal array/);
    expect(refusal(body({ createdBy: 5 })).message).toMatch(/cannot unmarshal number into field createdBy of type string/);
    expect(refusal(body({ matchers: [{ name: 'a', value: 'b', isRegex: 'yes' }] })).message).toMatch(/matchers\.0\.isRegex of type bool/);
    expect(refusal(body({ startsAt: 'nowish' })).message).toMatch(/startsAt: "nowish" is not an RFC 3339 time/);
  });

  it('turns a regex that does not compile into an invalid silence', () => {
    try {
      decodePostableSilence(body({ matchers: [{ name: 'a', value: '(', isRegex: true }] }), NOW);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SilenceError);
      expect((err as SilenceError).message).toMatch(/^silence invalid: invalid label matcher 0: invalid regular expression "\("/);
    }
  });

  it('reads an empty time as now, as Alertmanager does', () => {
    expect(decodePostableSilence(body({ startsAt: '' }), NOW).startsAt).toBe(NOW);
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 and the layouts strfmt.DateTime accepts', () => {
    expect(parseTime('2024-05-01T12:00:00Z')).toBe(NOW);
    expect(parseTime('2024-05-01T12:00:00.123456789Z')).toBe(NOW + 123);
    expect(parseTime('2024-05-01T14:30:00+02:30')).toBe(NOW);
    expect(parseTime('2024-05-01T09:00:00-0300')).toBe(NOW);
    expect(parseTime('2024-05-01 12:00:00')).toBe(NOW);
    expect(parseTime('2024-05-01T12:00')).toBe(NOW);
    expect(parseTime('0001-01-01T00:00:00Z')).toBe(-62135596800000);
  });

  it('refuses what is not a time', () => {
    for (const t of ['nowish', '2024-05-01t12:00:00z', '2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-05-01T24:00:00Z', '2024-05-01']) {
      expect(parseTime(t), t).toBeUndefined();
    }
    expect(parseTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });
});

describe('gettableSilence and compareGettable', () => {
  const silence = (id: string, startsAt: number, endsAt: number) => ({
    id,
    matchers: [parseMatcher('job="api"'), parseMatcher('env!~"dev|test"')],
    startsAt,
    endsAt,
    createdBy: 'alice',
    comment: 'c',
    updatedAt: NOW - 1000,
  });

  it('writes Alertmanager 0.25 JSON: key order, matcher flags, UTC times with milliseconds', () => {
    expect(JSON.stringify(gettableSilence(silence('x', NOW, NOW + 60_000), NOW))).toBe(
      '{"id":"x","status":{"state":"active"},"updatedAt":"2024-05-01T11:59:59.000Z","comment":"c","createdBy":"alice",' +
        '"endsAt":"2024-05-01T12:01:00.000Z","matchers":[{"isEqual":true,"isRegex":false,"name":"job","value":"api"},' +
        '{"isEqual":false,"isRegex":true,"name":"env","value":"dev|test"}],"startsAt":"2024-05-01T12:00:00.000Z"}',
    );
  });

  it('sorts active by soonest end, then pending by soonest start, then expired by latest end', () => {
    const list = [
      silence('expired-old', NOW - 9000, NOW - 5000),
      silence('pending-late', NOW + 9000, NOW + 20000),
      silence('active-late', NOW - 1000, NOW + 9000),
      silence('expired-new', NOW - 9000, NOW - 1000),
      silence('pending-soon', NOW + 1000, NOW + 20000),
      silence('active-soon', NOW - 1000, NOW + 1000),
    ].map((s) => gettableSilence(s, NOW));
    expect(list.sort(compareGettable).map((s) => s.id)).toEqual(['active-soon', 'active-late', 'pending-soon', 'pending-late', 'expired-new', 'expired-old']);
  });
});
