import { userInfo } from 'node:os';
import { AlertmanagerMatcher, parseMatcher } from '../../alerting/config/matchers.js';
import { formatTime, type GettableSilenceJSON, matcherJSON, type MatcherJSON, parseTime } from '../../alerting/silence/openapi.js';
import type { Matcher } from '../../model/matcher.js';
import { DurationError, parseDuration } from '../../util/duration.js';
import { readSecret } from '../../util/secret.js';
import { type Command, type CommandGroup, EXIT_FAILURE, EXIT_OK, stringFlag, UsageError } from '../command.js';
import { DEFAULT_LISTEN_ADDRESS } from '../config.js';

/** DEFAULT_URL is vigil's own API at its default listen address. */
const DEFAULT_URL = `http://${DEFAULT_LISTEN_ADDRESS}`;
const TOKEN_ENV = 'VIGIL_TOKEN';

const CONNECTION_FLAGS = `  --alertmanager.url URL  vigil's address (default ${DEFAULT_URL}); an Alertmanager's works too
  --token-file FILE       send the bearer token in FILE (default: the VIGIL_TOKEN variable, if set)
  --timeout D             give up on an answer after D (default 30s)`;

const CONNECTION_OPTIONS = {
  'alertmanager.url': { type: 'string', default: DEFAULT_URL },
  'token-file': { type: 'string' },
  timeout: { type: 'string', default: '30s' },
} as const;

const EXIT_CODES = `Exit codes: 0 done, 1 the API refused or could not be reached, 2 bad command line.`;

/** Api is where and how the commands talk to vigil's Alertmanager API v2. */
interface Api {
  readonly base: URL;
  readonly token: string | undefined;
  readonly timeoutMs: number;
}

function api(values: Record<string, unknown>): Api {
  const raw = stringFlag(values, 'alertmanager.url') ?? DEFAULT_URL;
  let base: URL;
  try {
    base = new URL(raw.endsWith('/') ? raw : raw + '/');
  } catch {
    throw new UsageError(`--alertmanager.url: ${JSON.stringify(raw)} is not a URL such as ${DEFAULT_URL}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UsageError(`--alertmanager.url: ${JSON.stringify(raw)} is not an http(s) URL`);
  const timeoutMs = duration(values, 'timeout');
  if (timeoutMs <= 0) throw new UsageError('--timeout must be greater than 0');
  const file = stringFlag(values, 'token-file');
  const env = process.env[TOKEN_ENV]?.trim();
  const token = file !== undefined ? readSecret({ file }) : env === undefined || env === '' ? undefined : env;
  return { base, token, timeoutMs };
}

function duration(values: Record<string, unknown>, name: string): number {
  const text = stringFlag(values, name)!;
  try {
    return parseDuration(text);
  } catch (err) {
    if (err instanceof DurationError) throw new UsageError(`--${name}: ${err.message}`);
    throw err;
  }
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

/** call sends one request; it throws a readable Error when the API cannot be reached. */
async function call(a: Api, method: string, path: string, body?: unknown): Promise<Answer> {
  const url = new URL(path, a.base);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (a.token !== undefined) headers['Authorization'] = `Bearer ${a.token}`;
  try {
    const res = await fetch(url, {
      method,
      headers,
      signal: AbortSignal.timeout(a.timeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') throw new Error(`${method} ${url.origin}${url.pathname}: no answer within ${a.timeoutMs / 1000}s`);
    throw new Error(`${method} ${url.origin}${url.pathname}: cannot reach the API: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
}

/** refused describes a non-2xx answer: the status and Alertmanager's message (a JSON string or {message}). */
function refused(method: string, path: string, answer: Answer): Error {
  let why = answer.text.trim();
  try {
    const v: unknown = JSON.parse(why);
    if (typeof v === 'string') why = v;
    else if (v !== null && typeof v === 'object' && typeof (v as { message?: unknown }).message === 'string') why = (v as { message: string }).message;
  } catch {
    // not JSON: keep the text
  }
  if (answer.status === 401) why = `${why || 'unauthorized'} (give a token with --token-file or ${TOKEN_ENV})`;
  return new Error(`${method} ${path}: ${answer.status}${why === '' ? '' : `: ${why}`}`);
}

/**
 * matchersFromArgs reads amtool's matcher arguments: each is `name=value`, `name!=value`,
 * `name=~re` or `name!~re` (quotes optional), and a first argument without an operator is the
 * alertname.
 */
function matchersFromArgs(args: readonly string[]): Matcher[] {
  return args.map((arg, i) => {
    try {
      if (i === 0 && !/[=!]/.test(arg)) return new AlertmanagerMatcher('=', 'alertname', arg);
      return parseMatcher(arg);
    } catch (err) {
      throw new UsageError(`matcher ${JSON.stringify(arg)}: ${(err as Error).message}`);
    }
  });
}

function timeFlag(values: Record<string, unknown>, name: string): number | undefined {
  const text = stringFlag(values, name);
  if (text === undefined) return undefined;
  const t = parseTime(text);
  if (t === undefined) throw new UsageError(`--${name}: ${JSON.stringify(text)} is not an RFC 3339 time such as 2024-05-01T12:00:00Z`);
  return t;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'vigil';
  }
}

const addCommand: Command = {
  name: 'add',
  summary: 'add a silence and print its id',
  usage: `Usage: vigil silence add --comment C [--author A] [--duration D | --end T] [--start T] MATCHER...

Adds a silence to a running vigil through its Alertmanager API v2 (POST /api/v2/silences), as
'amtool silence add' does, and prints the new silence's id. Alerts that every MATCHER matches are
not notified while the silence is active.

A MATCHER is name=value, name!=value, name=~regex or name!~regex (Alertmanager's syntax; quote
the value when it holds spaces or commas: 'job="a b"'). A first MATCHER without an operator is
the alertname: 'vigil silence add DiskFull host=db1'. At least one matcher must not match the
empty string, so a silence cannot mute every alert by accident.

Times are RFC 3339 (2024-05-01T12:00:00Z); durations are Prometheus durations (90m, 2h, 1d).

${EXIT_CODES}

Flags:
  -c, --comment C         why the alerts are silenced (required)
  -a, --author A          who silences them (default: the current user)
  -d, --duration D        how long the silence lasts (default 1h)
      --start T           when it starts (default now)
      --end T             when it ends (instead of --duration)
${CONNECTION_FLAGS}
  -h, --help              show this help
`,
  options: {
    comment: { type: 'string', short: 'c' },
    author: { type: 'string', short: 'a' },
    duration: { type: 'string', short: 'd', default: '1h' },
    start: { type: 'string' },
    end: { type: 'string' },
    ...CONNECTION_OPTIONS,
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('no matchers specified');
    const matchers = matchersFromArgs(positionals);
    const comment = stringFlag(values, 'comment');
    if (comment === undefined || comment.trim() === '') throw new UsageError('--comment is required: say why the alerts are silenced');
    const startsAt = timeFlag(values, 'start') ?? Date.now();
    let endsAt = timeFlag(values, 'end');
    if (endsAt === undefined) {
      const d = duration(values, 'duration');
      if (d <= 0) throw new UsageError('silence duration must be greater than 0');
      endsAt = startsAt + d;
    }
    if (endsAt <= startsAt) throw new UsageError('silence cannot start after it ends');
    const a = api(values);
    const body = {
      matchers: matchers.map(matcherJSON),
      startsAt: formatTime(startsAt),
      endsAt: formatTime(endsAt),
      createdBy: stringFlag(values, 'author') ?? currentUser(),
      comment,
    };
    const answer = await call(a, 'POST', 'api/v2/silences', body);
    if (answer.status !== 200) throw refused('POST', '/api/v2/silences', answer);
    const id = (JSON.parse(answer.text) as { silenceID?: unknown }).silenceID;
    if (typeof id !== 'string') throw new Error(`POST /api/v2/silences: the answer has no silenceID: ${answer.text}`);
    io.stdout(id + '\n');
    return EXIT_OK;
  },
};

const lsCommand: Command = {
  name: 'ls',
  summary: 'list silences (active and pending, or expired)',
  usage: `Usage: vigil silence ls [--expired] [--json | --quiet] [MATCHER...]

Lists the silences of a running vigil (GET /api/v2/silences), as 'amtool silence query' does: the
active and pending ones, or with --expired the expired ones, as a table of ID, Matchers, Ends At,
Created By and Comment. Active silences come first, the soonest to end at the top.

Each MATCHER keeps only the silences that have that exact matcher (same name, operator and
value), as Alertmanager's filter does: 'vigil silence ls alertname=DiskFull'.

${EXIT_CODES}

Flags:
      --expired           list expired silences instead
      --json              print the API's JSON (one array)
  -q, --quiet             print only the ids, one a line
${CONNECTION_FLAGS}
  -h, --help              show this help
`,
  options: {
    expired: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', short: 'q', default: false },
    ...CONNECTION_OPTIONS,
  },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    for (const p of positionals) {
      try {
        parseMatcher(p);
      } catch (err) {
        throw new UsageError(`matcher ${JSON.stringify(p)}: ${(err as Error).message}`);
      }
    }
    const a = api(values);
    const query = positionals.map((p) => `filter=${encodeURIComponent(p)}`).join('&');
    const path = 'api/v2/silences' + (query === '' ? '' : '?' + query);
    const answer = await call(a, 'GET', path);
    if (answer.status !== 200) throw refused('GET', '/api/v2/silences', answer);
    const all = decodeList(answer.text);
    const expired = values['expired'] === true;
    const list = all.filter((s) => (s.status.state === 'expired') === expired);
    if (values['json'] === true) io.stdout(JSON.stringify(list) + '\n');
    else if (values['quiet'] === true) io.stdout(list.map((s) => s.id + '\n').join(''));
    else io.stdout(silenceTable(list));
    return EXIT_OK;
  },
};

const expireCommand: Command = {
  name: 'expire',
  summary: 'expire silences by id',
  usage: `Usage: vigil silence expire ID...

Expires each silence ID on a running vigil now (DELETE /api/v2/silence/ID), as 'amtool silence
expire' does: an active silence ends now, a pending one never starts. Expiring an expired silence
does nothing. Every ID is tried; a failed one is reported and the exit code is 1.
For example: vigil silence expire $(vigil silence ls -q alertname=DiskFull)

${EXIT_CODES}

Flags:
${CONNECTION_FLAGS}
  -h, --help              show this help
`,
  options: { ...CONNECTION_OPTIONS },
  allowPositionals: true,
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('no silence IDs specified');
    const a = api(values);
    let failed = 0;
    for (const id of positionals) {
      const path = `api/v2/silence/${encodeURIComponent(id)}`;
      const answer = await call(a, 'DELETE', path);
      if (answer.status === 200) continue;
      failed++;
      const why = answer.status === 404 ? new Error(`DELETE /${path}: 404: no silence has this id`) : refused('DELETE', '/' + path, answer);
      io.stderr(`vigil silence expire: ${why.message}\n`);
    }
    return failed === 0 ? EXIT_OK : EXIT_FAILURE;
  },
};

/** silenceCommands is `vigil silence`: amtool's silence commands against vigil's API. */
export const silenceCommands: CommandGroup = {
  name: 'silence',
  summary: "add, list and expire silences on a running vigil (amtool's silence commands)",
  commands: [addCommand, lsCommand, expireCommand],
};

function decodeList(text: string): GettableSilenceJSON[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('GET /api/v2/silences: the answer is not JSON');
  }
  const ok = (s: unknown): s is GettableSilenceJSON => {
    const o = s as Partial<GettableSilenceJSON> | null;
    return (
      o !== null &&
      typeof o === 'object' &&
      typeof o.id === 'string' &&
      typeof o.status?.state === 'string' &&
      typeof o.endsAt === 'string' &&
      Array.isArray(o.matchers) &&
      o.matchers.every((m) => m !== null && typeof m === 'object' && typeof m.name === 'string' && typeof m.value === 'string')
    );
  };
  if (!Array.isArray(v) || !v.every(ok)) throw new Error('GET /api/v2/silences: the answer is not a list of silences');
  return v;
}

/**
 * silenceTable renders amtool's silence table: soonest end first (amtool sorts the table so, while
 * -q and -o json keep the API's order), times in UTC in amtool's default date format.
 */
export function silenceTable(list: readonly GettableSilenceJSON[]): string {
  const rows = [['ID', 'Matchers', 'Ends At', 'Created By', 'Comment']];
  const byEnd = [...list].sort((a, b) => Date.parse(a.endsAt) - Date.parse(b.endsAt));
  for (const s of byEnd) {
    rows.push([s.id, s.matchers.map(matcherText).join(' '), amtoolTime(s.endsAt), s.createdBy ?? '', (s.comment ?? '').replace(/\s*\n\s*/g, ' ')]);
  }
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** matcherText prints a matcher as amtool does: name, operator, the value quoted with \\, " and newline escaped. */
function matcherText(m: MatcherJSON): string {
  const op = (m.isEqual ?? true) ? (m.isRegex ? '=~' : '=') : m.isRegex ? '!~' : '!=';
  return `${m.name}${op}"${m.value.replace(/[\\\n"]/g, (c) => (c === '\n' ? '\\n' : '\\' + c))}"`;
}

function amtoolTime(text: string): string {
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

