import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A loopback fake of Slack's Web API (chat.postMessage, chat.update, auth.test) that speaks the
 * real wire format, so tests drive the real `@slack/web-api` client against it
 * (/work/shared/reference/alerting.md §3):
 *
 * - `POST /api/<method>`, `application/x-www-form-urlencoded` (as the client sends; JSON bodies
 *   are accepted too); `blocks`, `attachments` and `metadata` are JSON strings inside the form.
 * - The token comes from `Authorization: Bearer` (or a `token` form field): none gives
 *   `not_authed`, a wrong one `invalid_auth`.
 * - Every reply is HTTP 200 with `{ok: true, ...}` or `{ok: false, error}`, except the scripted
 *   faults: HTTP 429 with `Retry-After` and `{ok:false, error:"ratelimited"}`, any other status,
 *   a connection reset, or no answer at all.
 * - Channels are looked up by name (`#alerts` or `alerts`) or id (`C...`); chat.update takes ids
 *   only, as Slack does, so a caller must keep the id from chat.postMessage's reply.
 * - Message content is checked against Slack's limits (SLACK_LIMITS); oversize or malformed
 *   content gets the error code Slack gives (`invalid_blocks` with `errors`, `msg_too_long`,
 *   `msg_blocks_too_long`, `too_many_attachments`, `no_text`).
 *
 * Choices where Slack's behaviour is not documented: a `thread_ts` that names no message gives
 * `thread_not_found`; the cumulative block size is measured as the length of the blocks' JSON
 * (Slack rejects at about 13k characters of text plus container overhead, bolt-js#2509), which
 * is at least as strict as Slack's own count; chat.update replaces the fields it is given and
 * keeps the others.
 */

/** The Web API methods the fake implements. */
export type SlackMethod = 'chat.postMessage' | 'chat.update' | 'auth.test';

/**
 * Fault is one scripted failure of a request:
 * - `{status: 429, retryAfter: 3}`: HTTP 429, `Retry-After: 3` (omit retryAfter to send none),
 *   body `{ok:false, error:"ratelimited"}`;
 * - `{status: 503}` (any non-200 status, optional plain `body`);
 * - `{error: 'channel_not_found'}`: HTTP 200 `{ok:false, error}` plus `fields`;
 * - `{reset: true}`: the connection is destroyed without an answer (a network error);
 * - `{hang: true}`: no answer until the client gives up or the fake closes (timeouts, aborts).
 * A faulted request never reaches the channel: nothing is posted or edited.
 */
export type Fault =
  | { readonly status: number; readonly retryAfter?: number; readonly body?: string }
  | { readonly error: string; readonly fields?: Readonly<Record<string, unknown>> }
  | { readonly reset: true }
  | { readonly hang: true };

/** FaultRule decides per request whether it fails; undefined lets it through. */
export type FaultRule = (req: SlackRequest) => Fault | undefined;

/** SlackLimits are the content limits the fake enforces (characters; Slack's values by default). */
export interface SlackLimits {
  readonly blocks: number;
  readonly headerText: number;
  readonly sectionText: number;
  readonly sectionFields: number;
  readonly sectionFieldText: number;
  readonly contextElements: number;
  readonly actionsElements: number;
  readonly buttonText: number;
  readonly buttonURL: number;
  readonly markdownText: number;
  readonly blockId: number;
  /** blocksJSON: the longest `JSON.stringify(blocks)` accepted before `msg_blocks_too_long`. */
  readonly blocksJSON: number;
  readonly text: number;
  readonly attachments: number;
}

export const SLACK_LIMITS: SlackLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonURL: 3000,
  markdownText: 12000,
  blockId: 255,
  blocksJSON: 13000,
  text: 40000,
  attachments: 100,
};

export interface SlackFakeOptions {
  /** token: the bot token the fake accepts (default `xoxb-0000-vigil-test`). */
  readonly token?: string;
  /** channels: names of the channels that exist, without `#` (default `['alerts']`). */
  readonly channels?: readonly string[];
  /** now: the clock that stamps message ts and requests, in ms (default Date.now). */
  readonly now?: () => number;
  readonly limits?: Partial<SlackLimits>;
}

/** SlackRequest is one request as the fake received it and what it answered. */
export interface SlackRequest {
  readonly method: string;
  /** at: the fake's clock when the request arrived (ms). */
  readonly at: number;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** form: the body's fields as sent (JSON values still strings). */
  readonly form: Readonly<Record<string, string>>;
  /** args: the fields with `blocks`, `attachments` and `metadata` parsed when they are JSON. */
  readonly args: Readonly<Record<string, unknown>>;
  /** status and response: what the fake answered (status 0 and undefined for reset and hang). */
  status: number;
  response: unknown;
}

/** MessageVersion is a message's content as posted or as one chat.update left it. */
export interface MessageVersion {
  readonly text: string | undefined;
  readonly blocks: readonly Record<string, unknown>[] | undefined;
  readonly attachments: readonly Record<string, unknown>[] | undefined;
}

/**
 * FakeMessage is a message in a channel: its current content, every version (`versions[0]` as
 * posted, one more per chat.update) and, for a top-level message, its thread replies in order.
 */
export interface FakeMessage extends MessageVersion {
  readonly channel: string;
  readonly ts: string;
  readonly threadTs: string | undefined;
  readonly replyBroadcast: boolean;
  readonly username: string | undefined;
  readonly iconEmoji: string | undefined;
  readonly iconURL: string | undefined;
  readonly versions: readonly MessageVersion[];
  readonly replies: readonly FakeMessage[];
}

export interface SlackFake {
  /** url: the Web API base for WebClient's slackApiUrl, `http://127.0.0.1:PORT/api/`. */
  readonly url: string;
  /** token: the token currently accepted. */
  readonly token: string;
  /** requests: every request received, in order (live). */
  readonly requests: readonly SlackRequest[];
  /** requestsTo: the requests to one method. */
  requestsTo(method: SlackMethod): readonly SlackRequest[];
  /** messages: the channel's top-level messages in post order; `channel` is a name or an id. */
  messages(channel: string): readonly FakeMessage[];
  /** channelId: the id of an existing channel (throws for an unknown one). */
  channelId(name: string): string;
  /** addChannel creates a channel; `archived` gives is_archived, `member: false` not_in_channel. */
  addChannel(name: string, opts?: { archived?: boolean; member?: boolean }): string;
  /** deleteMessage removes a message as a user would, so chat.update gets message_not_found. */
  deleteMessage(channel: string, ts: string): void;
  /** setToken rotates the accepted token: the old one gets invalid_auth from now on. */
  setToken(token: string): void;
  /** fail queues one-shot faults for a method, consumed in order by its next requests. */
  fail(method: SlackMethod | '*', ...faults: Fault[]): void;
  /**
   * failWhen adds a rule asked on every request to `method` after the queued faults, e.g.
   * `() => clock.now() < until ? {status: 503} : undefined`; returns a function removing it.
   */
  failWhen(method: SlackMethod | '*', rule: FaultRule): () => void;
  close(): Promise<void>;
}

interface Channel {
  readonly id: string;
  readonly name: string;
  archived: boolean;
  member: boolean;
  readonly messages: MutableMessage[];
}

interface MutableMessage extends FakeMessage {
  text: string | undefined;
  blocks: readonly Record<string, unknown>[] | undefined;
  attachments: readonly Record<string, unknown>[] | undefined;
  versions: MessageVersion[];
  replies: MutableMessage[];
}

type Reply = { status: number; headers?: Record<string, string>; body: unknown } | 'reset' | 'hang';

const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];
const TEAM = { url: 'https://vigil-test.slack.com/', team: 'vigil-test', user: 'vigil', team_id: 'T0VIGIL001', user_id: 'U0VIGIL001', bot_id: 'B0VIGIL001' };

/** startSlackFake starts the fake on 127.0.0.1 on a free port. */
export async function startSlackFake(opts: SlackFakeOptions = {}): Promise<SlackFake> {
  const now = opts.now ?? Date.now;
  const limits: SlackLimits = { ...SLACK_LIMITS, ...opts.limits };
  let token = opts.token ?? 'xoxb-0000-vigil-test';
  const requests: SlackRequest[] = [];
  const channels = new Map<string, Channel>();
  const queued = new Map<string, Fault[]>();
  const rules: { method: string; rule: FaultRule }[] = [];
  const sockets = new Set<Socket>();
  let lastTs = { secs: 0, seq: 0 };

  const addChannel = (name: string, o: { archived?: boolean; member?: boolean } = {}): string => {
    const bare = name.replace(/^#/, '');
    const existing = channels.get(bare);
    if (existing !== undefined) return existing.id;
    const id = `C0${String(channels.size + 1).padStart(8, '0')}`;
    channels.set(bare, { id, name: bare, archived: o.archived ?? false, member: o.member ?? true, messages: [] });
    return id;
  };
  for (const name of opts.channels ?? ['alerts']) addChannel(name);

  const findChannel = (ref: string, idOnly: boolean): Channel | undefined => {
    for (const c of channels.values()) if (c.id === ref) return c;
    return idOnly ? undefined : channels.get(ref.replace(/^#/, ''));
  };

  // ts values are "<unix seconds>.<6 digits>", strictly increasing even within one second.
  const nextTs = (): string => {
    const secs = Math.max(Math.floor(now() / 1000), lastTs.secs);
    lastTs = secs === lastTs.secs ? { secs, seq: lastTs.seq + 1 } : { secs, seq: 1 };
    return `${secs}.${String(lastTs.seq).padStart(6, '0')}`;
  };

  const faultFor = (req: SlackRequest): Fault | undefined => {
    for (const key of [req.method, '*']) {
      const q = queued.get(key);
      if (q !== undefined && q.length > 0) return q.shift();
    }
    for (const r of rules) {
      if (r.method !== req.method && r.method !== '*') continue;
      const f = r.rule(req);
      if (f !== undefined) return f;
    }
    return undefined;
  };

  const handle = (req: SlackRequest): Reply => {
    const fault = faultFor(req);
    if (fault !== undefined) return faultReply(fault);
    const given = req.authorization?.match(/^Bearer (.+)$/)?.[1] ?? req.form['token'];
    if (given === undefined || given === '') return ok200({ ok: false, error: 'not_authed' });
    if (given !== token) return ok200({ ok: false, error: 'invalid_auth' });
    switch (req.method) {
      case 'auth.test':
        return ok200({ ok: true, ...TEAM });
      case 'chat.postMessage':
        return ok200(postMessage(req.args));
      case 'chat.update':
        return ok200(update(req.args));
      default:
        return ok200({ ok: false, error: 'unknown_method', req_method: req.method });
    }
  };

  const writable = (ref: unknown, idOnly: boolean): Channel | { ok: false; error: string } => {
    if (typeof ref !== 'string' || ref === '') return { ok: false, error: 'channel_not_found' };
    const ch = findChannel(ref, idOnly);
    if (ch === undefined) return { ok: false, error: 'channel_not_found' };
    if (ch.archived) return { ok: false, error: 'is_archived' };
    if (!ch.member) return { ok: false, error: 'not_in_channel' };
    return ch;
  };

  const postMessage = (args: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const ch = writable(args['channel'], false);
    if ('ok' in ch) return ch;
    const content = checkContent(args, limits);
    if ('error' in content) return { ok: false, ...content };
    if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
      return { ok: false, error: 'no_text' };
    }
    let parent: MutableMessage | undefined;
    const threadTs = args['thread_ts'];
    if (threadTs !== undefined && threadTs !== '') {
      const found = findMessage(ch, String(threadTs));
      if (found === undefined) return { ok: false, error: 'thread_not_found' };
      parent = found.parent ?? found.message;
    }
    const ts = nextTs();
    const msg: MutableMessage = {
      channel: ch.id,
      ts,
      threadTs: parent?.ts,
      replyBroadcast: args['reply_broadcast'] === 'true' || args['reply_broadcast'] === true,
      username: optString(args['username']),
      iconEmoji: optString(args['icon_emoji']),
      iconURL: optString(args['icon_url']),
      ...content,
      versions: [content],
      replies: [],
    };
    if (parent === undefined) ch.messages.push(msg);
    else parent.replies.push(msg);
    return { ok: true, channel: ch.id, ts, message: wireMessage(msg) };
  };

  const update = (args: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const ch = writable(args['channel'], true);
    if ('ok' in ch) return ch;
    const found = typeof args['ts'] === 'string' ? findMessage(ch, args['ts']) : undefined;
    if (found === undefined) return { ok: false, error: 'message_not_found' };
    const content = checkContent(args, limits);
    if ('error' in content) return { ok: false, ...content };
    const m = found.message;
    const next: MessageVersion = {
      text: content.text ?? m.text,
      blocks: content.blocks ?? m.blocks,
      attachments: content.attachments ?? m.attachments,
    };
    if (next.text === undefined && next.blocks === undefined && next.attachments === undefined) return { ok: false, error: 'no_text' };
    Object.assign(m, next);
    m.versions.push(next);
    return { ok: true, channel: ch.id, ts: m.ts, text: m.text ?? '', message: wireMessage(m) };
  };

  const server = createServer((req, res) => {
    void receive(req).then((body) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*$/, '');
      const form = parseBody(body, req.headers['content-type']);
      const record: SlackRequest = {
        method,
        at: now(),
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        form,
        args: parseArgs(form),
        status: 0,
        response: undefined,
      };
      requests.push(record);
      const reply = req.method === 'POST' && req.url?.startsWith('/api/') ? handle(record) : { status: 404, body: 'not found' };
      respond(res, record, reply);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const channelOrThrow = (ref: string): Channel => {
    const ch = findChannel(ref, false);
    if (ch === undefined) throw new Error(`slack fake: no channel ${ref}`);
    return ch;
  };

  return {
    url: `http://127.0.0.1:${port}/api/`,
    get token() {
      return token;
    },
    requests,
    requestsTo: (method) => requests.filter((r) => r.method === method),
    messages: (channel) => channelOrThrow(channel).messages,
    channelId: (name) => channelOrThrow(name).id,
    addChannel,
    deleteMessage(channel, ts) {
      const ch = channelOrThrow(channel);
      const found = findMessage(ch, ts);
      if (found === undefined) throw new Error(`slack fake: no message ${ts} in ${channel}`);
      const list = found.parent?.replies ?? ch.messages;
      list.splice(list.indexOf(found.message), 1);
    },
    setToken(t) {
      token = t;
    },
    fail(method, ...faults) {
      queued.set(method, [...(queued.get(method) ?? []), ...faults]);
    },
    failWhen(method, rule) {
      const entry = { method, rule };
      rules.push(entry);
      return () => {
        const i = rules.indexOf(entry);
        if (i >= 0) rules.splice(i, 1);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function ok200(body: Record<string, unknown>): Reply {
  return { status: 200, body };
}

function faultReply(f: Fault): Reply {
  if ('reset' in f) return 'reset';
  if ('hang' in f) return 'hang';
  if ('error' in f) return ok200({ ok: false, error: f.error, ...f.fields });
  if (f.status === 429) {
    return { status: 429, headers: f.retryAfter === undefined ? {} : { 'Retry-After': String(f.retryAfter) }, body: { ok: false, error: 'ratelimited' } };
  }
  return { status: f.status, body: f.body ?? `fake ${f.status}` };
}

function respond(res: ServerResponse, record: SlackRequest, reply: Reply): void {
  if (reply === 'hang') return;
  if (reply === 'reset') {
    res.socket?.destroy();
    return;
  }
  record.status = reply.status;
  record.response = reply.body;
  const isJSON = typeof reply.body !== 'string';
  res.writeHead(reply.status, {
    'Content-Type': isJSON ? 'application/json; charset=utf-8' : 'text/plain',
    ...reply.headers,
  });
  res.end(isJSON ? JSON.stringify(reply.body) : reply.body);
}

function receive(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseBody(body: string, contentType: string | undefined): Record<string, string> {
  if (contentType?.startsWith('application/json') === true) {
    try {
      const obj = JSON.parse(body) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function parseArgs(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const args: Record<string, unknown> = { ...form };
  for (const k of JSON_FIELDS) {
    const v = form[k];
    if (v === undefined) continue;
    try {
      args[k] = JSON.parse(v);
    } catch {
      // left as the string: the content check answers invalid_blocks_format / invalid_attachments
    }
  }
  return args;
}

function optString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function findMessage(ch: Channel, ts: string): { message: MutableMessage; parent: MutableMessage | undefined } | undefined {
  for (const m of ch.messages) {
    if (m.ts === ts) return { message: m, parent: undefined };
    const reply = m.replies.find((r) => r.ts === ts);
    if (reply !== undefined) return { message: reply, parent: m };
  }
  return undefined;
}

function wireMessage(m: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    subtype: 'bot_message',
    text: m.text ?? '',
    ts: m.ts,
    bot_id: TEAM.bot_id,
    ...(m.blocks === undefined ? {} : { blocks: m.blocks }),
    ...(m.attachments === undefined ? {} : { attachments: m.attachments }),
    ...(m.threadTs === undefined ? {} : { thread_ts: m.threadTs }),
    ...(m.username === undefined ? {} : { username: m.username }),
  };
}

type ContentError = { error: string; errors?: string[] };

/**
 * checkMessage is the fake's content check without HTTP: the Slack error code (and schema
 * errors) chat.postMessage would answer for this text and these blocks, or undefined when Slack
 * would take them. Builders test against it.
 */
export function checkMessage(msg: { text?: string; blocks?: readonly unknown[] }, limits: SlackLimits = SLACK_LIMITS): ContentError | undefined {
  const result = checkContent({ text: msg.text, blocks: msg.blocks }, limits);
  if ('error' in result) return result;
  if (result.text === undefined && result.blocks === undefined) return { error: 'no_text' };
  return undefined;
}

/** checkContent validates a message's text, blocks and attachments as Slack does. */
function checkContent(args: Readonly<Record<string, unknown>>, limits: SlackLimits): MessageVersion | ContentError {
  const text = typeof args['text'] === 'string' && args['text'] !== '' ? args['text'] : undefined;
  if (text !== undefined && text.length > limits.text) return { error: 'msg_too_long' };
  let blocks: Record<string, unknown>[] | undefined;
  if (args['blocks'] !== undefined) {
    if (!Array.isArray(args['blocks'])) return { error: 'invalid_blocks_format' };
    blocks = args['blocks'] as Record<string, unknown>[];
    const errors = checkBlocks(blocks, limits);
    if (errors.length > 0) return { error: 'invalid_blocks', errors };
    if (JSON.stringify(blocks).length > limits.blocksJSON) return { error: 'msg_blocks_too_long' };
    if (blocks.length === 0) blocks = undefined;
  }
  let attachments: Record<string, unknown>[] | undefined;
  if (args['attachments'] !== undefined) {
    if (!Array.isArray(args['attachments'])) return { error: 'invalid_attachments' };
    if (args['attachments'].length > limits.attachments) return { error: 'too_many_attachments' };
    attachments = args['attachments'] as Record<string, unknown>[];
  }
  return { text, blocks, attachments };
}

/** checkBlocks returns Slack-style schema errors (`<what> [json-pointer:/blocks/i/...]`). */
function checkBlocks(blocks: readonly unknown[], limits: SlackLimits): string[] {
  const errors: string[] = [];
  const fail = (what: string, pointer: string) => errors.push(`${what} [json-pointer:/blocks${pointer}]`);
  if (blocks.length > limits.blocks) fail(`must be less than ${limits.blocks + 1} items`, '');
  const ids = new Set<string>();
  blocks.forEach((raw, i) => {
    const at = `/${i}`;
    if (typeof raw !== 'object' || raw === null) return fail('must be an object', at);
    const b = raw as Record<string, unknown>;
    const id = b['block_id'];
    if (id !== undefined) {
      if (typeof id !== 'string' || id.length > limits.blockId) fail(`must be a string of at most ${limits.blockId} characters`, `${at}/block_id`);
      else if (ids.has(id)) fail('must be unique', `${at}/block_id`);
      else ids.add(id);
    }
    switch (b['type']) {
      case 'header':
        checkText(b['text'], limits.headerText, `${at}/text`, fail, true);
        break;
      case 'section':
        if (b['text'] === undefined && b['fields'] === undefined) fail('must provide text or fields', at);
        if (b['text'] !== undefined) checkText(b['text'], limits.sectionText, `${at}/text`, fail, false);
        if (b['fields'] !== undefined) {
          const fields = b['fields'];
          if (!Array.isArray(fields) || fields.length === 0 || fields.length > limits.sectionFields) {
            fail(`must be a list of 1 to ${limits.sectionFields} items`, `${at}/fields`);
          } else fields.forEach((f, j) => checkText(f, limits.sectionFieldText, `${at}/fields/${j}`, fail, false));
        }
        break;
      case 'context': {
        const els = b['elements'];
        if (!Array.isArray(els) || els.length === 0 || els.length > limits.contextElements) {
          fail(`must be a list of 1 to ${limits.contextElements} items`, `${at}/elements`);
        } else {
          els.forEach((e, j) => {
            if ((e as Record<string, unknown> | null)?.['type'] !== 'image') checkText(e, limits.sectionText, `${at}/elements/${j}`, fail, false);
          });
        }
        break;
      }
      case 'actions': {
        const els = b['elements'];
        if (!Array.isArray(els) || els.length === 0 || els.length > limits.actionsElements) {
          fail(`must be a list of 1 to ${limits.actionsElements} items`, `${at}/elements`);
        } else {
          els.forEach((e, j) => {
            const el = e as Record<string, unknown>;
            if (el['type'] !== 'button') return;
            checkText(el['text'], limits.buttonText, `${at}/elements/${j}/text`, fail, true);
            const url = el['url'];
            if (url !== undefined && (typeof url !== 'string' || url.length > limits.buttonURL)) {
              fail(`must be at most ${limits.buttonURL} characters`, `${at}/elements/${j}/url`);
            }
          });
        }
        break;
      }
      case 'markdown':
        if (typeof b['text'] !== 'string' || b['text'].length === 0 || b['text'].length > limits.markdownText) {
          fail(`must be 1 to ${limits.markdownText} characters`, `${at}/text`);
        }
        break;
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'video':
      case 'file':
      case 'input':
        break;
      default:
        fail('unsupported type', `${at}/type`);
    }
    return undefined;
  });
  return errors;
}

function checkText(raw: unknown, max: number, at: string, fail: (what: string, pointer: string) => void, plainOnly: boolean): void {
  const t = raw as Record<string, unknown> | null | undefined;
  if (typeof t !== 'object' || t === null) return fail('must be a text object', at);
  const type = t['type'];
  if (type !== 'plain_text' && (plainOnly || type !== 'mrkdwn')) return fail(`must be ${plainOnly ? 'plain_text' : 'plain_text or mrkdwn'}`, `${at}/type`);
  const text = t['text'];
  if (typeof text !== 'string' || text.length === 0) return fail('must be more than 0 characters', `${at}/text`);
  if (text.length > max) return fail(`must be less than ${max + 1} characters`, `${at}/text`);
}
