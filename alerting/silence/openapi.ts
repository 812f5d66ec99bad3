import type { Matcher, MatchType } from '../../model/matcher.js';
import { RegexError } from '../../model/regex.js';
import { AlertmanagerMatcher } from '../config/matchers.js';
import { SilenceError } from './errors.js';
import { type PostableSilence, type Silence, type SilenceState, silenceState } from './silence.js';

/**
 * The silence shapes of Alertmanager's API v2 (api/v2/openapi.yaml) as Alertmanager 0.25 writes
 * and reads them, checked against a running Alertmanager 0.25: key order as its go-swagger models
 * emit them, times as RFC 3339 in UTC with milliseconds.
 */

/** MatcherJSON is the API's `matcher`. */
export interface MatcherJSON {
  readonly isEqual: boolean;
  readonly isRegex: boolean;
  readonly name: string;
  readonly value: string;
}

/** GettableSilenceJSON is the API's `gettableSilence`. */
export interface GettableSilenceJSON {
  readonly id: string;
  readonly status: { readonly state: SilenceState };
  readonly updatedAt: string;
  readonly comment: string;
  readonly createdBy: string;
  readonly endsAt: string;
  readonly matchers: readonly MatcherJSON[];
  readonly startsAt: string;
}

/**
 * OpenAPIError is a request the API's schema layer turns down, answered as go-openapi does:
 * status 400 with code 400 for a body that does not decode (bad JSON, a wrong type, a bad time),
 * 422 with a validation code for a missing field (602) or an empty matcher list (612).
 */
export class OpenAPIError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'OpenAPIError';
  }
}

export function matcherJSON(m: Matcher): MatcherJSON {
  return { isEqual: m.type === '=' || m.type === '=~', isRegex: m.type === '=~' || m.type === '!~', name: m.name, value: m.value };
}

/** gettableSilence renders a silence with its state at `now`. */
export function gettableSilence(s: Silence, now: number): GettableSilenceJSON {
  return {
    id: s.id,
    status: { state: silenceState(s, now) },
    updatedAt: formatTime(s.updatedAt),
    comment: s.comment,
    createdBy: s.createdBy,
    endsAt: formatTime(s.endsAt),
    matchers: s.matchers.map(matcherJSON),
    startsAt: formatTime(s.startsAt),
  };
}

/** formatTime is strfmt.DateTime's form: RFC 3339 in UTC with milliseconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

const STATE_ORDER: Record<SilenceState, number> = { active: 1, pending: 2, expired: 3 };

/**
 * compareGettable orders silences as Alertmanager's SortSilences: active (soonest to end first),
 * pending (soonest to start first), expired (most recently ended first). Ties, which Alertmanager
 * leaves in no set order, go by id so output is stable.
 */
export function compareGettable(a: GettableSilenceJSON, b: GettableSilenceJSON): number {
  const sa = a.status.state;
  const sb = b.status.state;
  if (sa !== sb) return STATE_ORDER[sa] - STATE_ORDER[sb];
  const t = (x: string) => Date.parse(x);
  const byTime = sa === 'active' ? t(a.endsAt) - t(b.endsAt) : sa === 'pending' ? t(a.startsAt) - t(b.startsAt) : t(b.endsAt) - t(a.endsAt);
  return byTime !== 0 ? byTime : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// RFC 3339 and the other layouts go-openapi's strfmt.DateTime reads: 'T' or a space between date
// and time, seconds and fraction optional, no zone meaning UTC.
const TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** parseTime reads an API time; it returns undefined for text that is not one. */
export function parseTime(text: string): number | undefined {
  const m = TIME.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3))));
  if (date.getUTCDate() !== day) return undefined; // 31 February
  date.setUTCFullYear(Number(y)); // Date.UTC would read years below 100 as 19xx
  if (date.getUTCDate() !== day) return undefined; // 29 February outside a leap year
  let ms = date.getTime();
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
    ms -= (zone[0] === '-' ? -1 : 1) * offset * 60_000;
  }
  return ms;
}

/**
 * decodePostableSilence reads a POST /api/v2/silences body. It throws OpenAPIError for what
 * Alertmanager's schema layer refuses and SilenceError('invalid') for a matcher whose regex does
 * not compile. An empty startsAt means now, as in Alertmanager; `now` supplies it.
 */
export function decodePostableSilence(body: string, now: number): PostableSilence {
  if (body.trim() === '') throw new OpenAPIError(422, 602, 'silence in body is required');
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (err) {
    throw badBody((err as Error).message);
  }
  if (v === null) v = {};
  if (typeof v !== 'object' || Array.isArray(v)) throw badBody(`json: cannot unmarshal ${jsonType(v)} into a silence object`);
  const o = v as Record<string, unknown>;
  const id = optional(o, 'id', 'string', 'id') as string | undefined;
  const comment = optional(o, 'comment', 'string', 'comment') as string | undefined;
  const createdBy = optional(o, 'createdBy', 'string', 'createdBy') as string | undefined;
  const endsAt = time(o, 'endsAt', now);
  const startsAt = time(o, 'startsAt', now);
  const rawMatchers = o['matchers'];
  if (rawMatchers !== undefined && rawMatchers !== null && !Array.isArray(rawMatchers)) {
    throw badBody(`json: cannot unmarshal ${jsonType(rawMatchers)} into field matchers of type array`);
  }
  const items = (rawMatchers ?? undefined) as unknown[] | undefined;
  const specs = items?.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw badBody(`json: cannot unmarshal ${jsonType(item)} into field matchers.${i} of type object`);
    }
    const m = item as Record<string, unknown>;
    return {
      isEqual: optional(m, 'isEqual', 'boolean', `matchers.${i}.isEqual`) as boolean | undefined,
      isRegex: optional(m, 'isRegex', 'boolean', `matchers.${i}.isRegex`) as boolean | undefined,
      name: optional(m, 'name', 'string', `matchers.${i}.name`) as string | undefined,
      value: optional(m, 'value', 'string', `matchers.${i}.value`) as string | undefined,
    };
  });
  // Required fields in the order go-swagger validates them; the first failure is the answer.
  if (comment === undefined) throw required('comment');
  if (createdBy === undefined) throw required('createdBy');
  if (endsAt === undefined) throw required('endsAt');
  if (specs === undefined) throw required('matchers');
  if (specs.length === 0) throw new OpenAPIError(422, 612, 'matchers in body should have at least 1 items');
  specs.forEach((m, i) => {
    if (m.isRegex === undefined) throw required(`matchers.${i}.isRegex`);
    if (m.name === undefined) throw required(`matchers.${i}.name`);
    if (m.value === undefined) throw required(`matchers.${i}.value`);
  });
  if (startsAt === undefined) throw required('startsAt');
  const matchers = specs.map((m, i) => {
    const isEqual = m.isEqual ?? true;
    const type: MatchType = m.isRegex ? (isEqual ? '=~' : '!~') : isEqual ? '=' : '!=';
    try {
      return new AlertmanagerMatcher(type, m.name!, m.value!);
    } catch (err) {
      if (err instanceof RegexError) throw new SilenceError('invalid', `silence invalid: invalid label matcher ${i}: ${err.message}`);
      throw err;
    }
  });
  return { id: id === '' ? undefined : id, matchers, startsAt, endsAt, createdBy, comment };
}

function badBody(why: string): OpenAPIError {
  return new OpenAPIError(400, 400, `parsing silence body failed, because ${why}`);
}

function required(field: string): OpenAPIError {
  return new OpenAPIError(422, 602, `${field} in body is required`);
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** optional reads a field that is absent or null (undefined) or of the given JSON type. */
function optional(o: Record<string, unknown>, key: string, type: 'string' | 'boolean', path: string): unknown {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== type) throw badBody(`json: cannot unmarshal ${jsonType(v)} into field ${path} of type ${type === 'boolean' ? 'bool' : type}`);
  return v;
}

function time(o: Record<string, unknown>, key: string, now: number): number | undefined {
  const text = optional(o, key, 'string', key) as string | undefined;
  if (text === undefined) return undefined;
  if (text === '') return now;
  const ms = parseTime(text);
  if (ms === undefined) throw badBody(`${key}: ${JSON.stringify(text)} is not an RFC 3339 time such as 2024-05-01T12:00:00Z`);
  return ms;
}
