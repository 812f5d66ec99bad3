import { Labels, quoteLabelValue } from '../../../model/labels.js';
import type { Notification } from '../../notify/types.js';
import { isResolvedAt, type Alert } from '../../types.js';
import { context, header, section, size, SLACK_LIMITS, type Block } from './blocks.js';
import { FACT_LABELS, facts, links, severity, severityMarker, severityRank, summary, type Fact, type Links } from './facts.js';
import { utcTime } from './format.js';
import { escape, link, truncate } from './mrkdwn.js';

/**
 * SlackMessage is what chat.postMessage and chat.update send: Block Kit `blocks` and the plain
 * `text` Slack shows in notifications and where blocks cannot be rendered.
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

export interface MessageOptions {
  /** title replaces the header's text (a rendered `title` template); plain text. */
  readonly title?: string;
  /** summary replaces the group summary (a rendered `text` template); mrkdwn, used as written. */
  readonly summary?: string;
  /** note is shown right under the header: what changed since the group's last notification (mrkdwn). */
  readonly note?: string;
  /** maxAlertSections: alerts shown one section each before the rest fold into "+N more" (default 20). */
  readonly maxAlertSections?: number;
}

const DEFAULT_ALERT_SECTIONS = 20;
/** Caps on the fixed blocks, so that even JSON-escaped they fit in SLACK_LIMITS.blocksChars: 2 × (150 + 4 × 1000 + 2000) < 12k. */
const NOTE_MAX = 1000;
const FACTS_MAX = 1000;
const LINKS_MAX = 1000;
const SUMMARY_MAX = 2000;
/** ALERT_MAX caps one alert's section, so one long description cannot crowd out the others. */
const ALERT_MAX = 1000;
/** Room kept for the "+N more" context block. */
const MORE_RESERVE = 200;
const MAX_LABELS_SHOWN = 6;

/**
 * buildMessage renders one notification as Block Kit, always within Slack's limits (50 blocks,
 * 150 header characters, 3000 per section, about 12k in all, SLACK_LIMITS):
 *
 *   header   `:red_circle: [FIRING:3] GPUXidError` or `:white_check_mark: [RESOLVED] GPUXidError`
 *   section  the note (what changed), when given
 *   context  the facts every alert shares (severity, cluster, namespace, model, SLO, burn rate,
 *            budget left) and since when the group fires / when it resolved
 *   section  the group's summary (a shared `summary`, else `description`) in bold, and a shared
 *            description under it
 *   context  links: runbook, dashboard, source (when shared), and a silence of the group's labels
 *   section  one per alert when the group has several: status, what tells it apart, its own
 *            facts and links — until a budget runs out (maxAlertSections, blocks, characters)
 *   context  `+N more alerts (F firing, R resolved)` for the alerts that did not fit
 *
 * Every value that comes from an alert is escaped (mrkdwn.escape) and every cut ends in `…`.
 */
export function buildMessage(n: Notification, opts: MessageOptions = {}): SlackMessage {
  const g = groupView(n);
  const title = opts.title ?? defaultTitle(n, g.firing.length);
  const summaryText = opts.summary ?? groupSummary(g.sharedSummary, g.sharedDescription);
  const head = headBlocks(n, g, title, summaryText, opts.note);
  const blocks = n.alerts.length > 1 ? [...head, ...alertBlocks(n, g, head, opts.maxAlertSections ?? DEFAULT_ALERT_SECTIONS)] : head;
  const textParts = [opts.note, escape(title), summaryText].filter((s): s is string => s !== undefined && s !== '');
  return { text: truncate(textParts.join(' — '), SLACK_LIMITS.text), blocks };
}

/** GroupView is what a group's alerts have in common, computed once per message. */
interface GroupView {
  readonly firing: readonly Alert[];
  readonly perAlert: readonly (readonly Fact[])[];
  readonly shared: readonly Fact[];
  readonly sharedKeys: ReadonlySet<string>;
  readonly sharedSummary: string | undefined;
  readonly sharedDescription: string | undefined;
  readonly sharedLinks: Links;
  readonly commonLabels: Labels;
}

function groupView(n: Notification): GroupView {
  const alerts = n.alerts;
  const perAlert = alerts.map(facts);
  const shared = commonFacts(perAlert);
  const allLinks = alerts.map(links);
  return {
    firing: alerts.filter((a) => !isResolvedAt(a, n.now)),
    perAlert,
    shared,
    sharedKeys: new Set(shared.map((f) => f.key)),
    sharedSummary: common(alerts.map(summary)),
    sharedDescription: common(alerts.map((a) => a.annotations.get('description') || undefined)),
    sharedLinks: {
      runbook: common(allLinks.map((l) => l.runbook)),
      dashboard: common(allLinks.map((l) => l.dashboard)),
      source: common(allLinks.map((l) => l.source)),
    },
    commonLabels: commonLabelSet(alerts.map((a) => a.labels)),
  };
}

/** headBlocks are the blocks every message has: header, note, status line, summary, links. */
function headBlocks(n: Notification, g: GroupView, title: string, summaryText: string | undefined, note: string | undefined): Block[] {
  const marker = g.firing.length > 0 ? severityMarker(mostSevere(g.firing)) : ':white_check_mark:';
  const out: Block[] = [header(`${marker} ${title}`)];
  if (note !== undefined && note !== '') out.push(section(note, NOTE_MAX));

  const resolved = n.alerts.length - g.firing.length;
  const when =
    g.firing.length > 0
      ? `since ${utcTime(g.firing.reduce((t, a) => Math.min(t, a.startsAt), Infinity), n.now)}`
      : n.alerts.length > 0
        ? `resolved ${utcTime(n.alerts.reduce((t, a) => Math.max(t, Math.min(a.endsAt, n.now)), -Infinity), n.now)}`
        : '';
  const counts = resolved > 0 && g.firing.length > 0 ? `${g.firing.length} firing, ${resolved} resolved` : '';
  const status = [...g.shared.map((f) => f.mrkdwn), when, counts].filter((s) => s !== '').join('  ·  ');
  if (status !== '') out.push(context(truncate(status, FACTS_MAX)));

  if (summaryText !== undefined) out.push(section(summaryText, SUMMARY_MAX));

  const l = g.sharedLinks;
  const linkList = [
    l.runbook === undefined ? '' : link(l.runbook, 'Runbook'),
    l.dashboard === undefined ? '' : link(l.dashboard, 'Dashboard'),
    l.source === undefined ? '' : link(l.source, 'Source'),
    n.externalURL === '' ? '' : link(silenceURL(n, g.commonLabels), 'Silence'),
  ].filter((s) => s.startsWith('<'));
  if (linkList.length > 0) out.push(context(truncate(linkList.join('  ·  '), LINKS_MAX)));
  return out;
}

/**
 * alertBlocks are one section per alert, in the group's order, while the budgets allow (at most
 * maxSections, the blocks left after `head`, the characters left), then one "+N more" context.
 */
function alertBlocks(n: Notification, g: GroupView, head: readonly Block[], maxSections: number): Block[] {
  const out: Block[] = [];
  const limit = Math.min(maxSections, SLACK_LIMITS.blocks - head.length - 1);
  let chars = head.reduce((s, b) => s + size(b), 1) + MORE_RESERVE;
  for (let i = 0; i < n.alerts.length && out.length < limit; i++) {
    const block = section(alertText(n.alerts[i]!, g.perAlert[i]!, g, n.now), ALERT_MAX);
    if (chars + size(block) > SLACK_LIMITS.blocksChars) break;
    chars += size(block);
    out.push(block);
  }
  const rest = n.alerts.slice(out.length);
  if (rest.length > 0) {
    const restFiring = rest.filter((a) => !isResolvedAt(a, n.now)).length;
    const restResolved = rest.length - restFiring;
    const parts = [restFiring > 0 ? `${restFiring} firing` : '', restResolved > 0 ? `${restResolved} resolved` : ''];
    out.push(context(`+${rest.length} more ${plural(rest.length, 'alert')} (${parts.filter((p) => p !== '').join(', ')})`));
  }
  return out;
}

/** defaultTitle is Alertmanager's `[FIRING:N]` / `[RESOLVED]` followed by the group's alert names. */
function defaultTitle(n: Notification, firing: number): string {
  const status = firing > 0 ? `[FIRING:${firing}]` : '[RESOLVED]';
  const names = [...new Set(n.alerts.map((a) => a.labels.get('alertname')).filter((s) => s !== ''))];
  const what = names.length > 0 ? names.join(', ') : [...n.groupLabels].map(([, v]) => v).join(' ');
  return what === '' ? status : `${status} ${what}`;
}

function groupSummary(sharedSummary: string | undefined, sharedDescription: string | undefined): string | undefined {
  if (sharedSummary === undefined) return undefined;
  const head = `*${escape(sharedSummary)}*`;
  return sharedDescription === undefined || sharedDescription === sharedSummary ? head : `${head}\n${escape(sharedDescription)}`;
}

/**
 * alertText is one alert's section: its status marker and what names it (its own summary, else
 * its alert name, else the labels that tell it apart), its facts the group does not share, and
 * when it started or resolved with its own links.
 */
function alertText(a: Alert, own: readonly Fact[], g: GroupView, now: number): string {
  const firing = !isResolvedAt(a, now);
  const marker = firing ? severityMarker(severity(a)) : ':white_check_mark:';
  const labels = distinguishingLabels(a, g.commonLabels);
  const s = summary(a);
  const alertname = a.labels.get('alertname');
  let name: string;
  let labelsUsed = false;
  if (s !== undefined && s !== g.sharedSummary) name = escape(s);
  else if (alertname !== '' && !g.commonLabels.has('alertname')) name = escape(alertname);
  else if (labels !== '') {
    name = labels;
    labelsUsed = true;
  } else name = escape(alertname || 'alert');

  const details = [...own.filter((f) => !g.sharedKeys.has(f.key)).map((f) => f.mrkdwn), labelsUsed ? '' : labels];
  const l = links(a);
  const tail = [
    firing ? `since ${utcTime(a.startsAt, now)}` : `resolved ${utcTime(Math.min(a.endsAt, now), now)}`,
    l.runbook !== undefined && l.runbook !== g.sharedLinks.runbook ? link(l.runbook, 'Runbook') : '',
    l.dashboard !== undefined && l.dashboard !== g.sharedLinks.dashboard ? link(l.dashboard, 'Dashboard') : '',
    l.source !== undefined && l.source !== g.sharedLinks.source ? link(l.source, 'Source') : '',
  ];
  const lines = [`${marker} *${name}*`, details.filter((d) => d !== '').join('  ·  '), tail.filter((t) => t !== '').join('  ·  ')];
  return lines.filter((x) => x !== '').join('\n');
}

/** distinguishingLabels are the labels that set an alert apart in its group (not shared, not shown as facts). */
function distinguishingLabels(a: Alert, commonLabels: Labels): string {
  const own: string[] = [];
  let more = 0;
  a.labels.forEach((name, value) => {
    if (FACT_LABELS.has(name) || commonLabels.get(name) === value) return;
    if (own.length < MAX_LABELS_SHOWN) own.push(`${escape(name)}=${escape(value)}`);
    else more++;
  });
  if (more > 0) own.push(`+${more} ${plural(more, 'label')}`);
  return own.join(', ');
}

/**
 * silenceURL opens Alertmanager's (and vigil's) new-silence form prefilled with matchers for the
 * group: its group labels, or the labels all its alerts share when it has none (`group_by: []`).
 * A filter that would make the URL longer than MAX_URL is left out: the form opens empty.
 */
export function silenceURL(n: Notification, commonLabels: Labels): string {
  const labels = n.groupLabels.size > 0 ? n.groupLabels : commonLabels;
  const matchers = [...labels].map(([k, v]) => `${k}=${quoteLabelValue(v)}`);
  const base = `${n.externalURL}/#/silences/new`;
  if (matchers.length === 0) return base;
  const url = `${base}?filter=${encodeURIComponent(wellFormed(`{${matchers.join(',')}}`))}`;
  return url.length <= MAX_URL ? url : base;
}

const MAX_URL = 2000;

/** wellFormed replaces lone surrogates (possible in label values sent as JSON), which URLs cannot encode. */
function wellFormed(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function commonFacts(perAlert: readonly (readonly Fact[])[]): Fact[] {
  const [first, ...rest] = perAlert;
  if (first === undefined) return [];
  return first.filter((f) => rest.every((fs) => fs.some((g) => g.key === f.key && g.mrkdwn === f.mrkdwn)));
}

function commonLabelSet(sets: readonly Labels[]): Labels {
  const [first, ...rest] = sets;
  if (first === undefined) return Labels.EMPTY;
  return first.without(...first.names().filter((k) => !rest.every((l) => l.get(k) === first.get(k))));
}

/** common is the value every entry has, or undefined when they differ or any lacks one. */
function common(values: readonly (string | undefined)[]): string | undefined {
  const [first, ...rest] = values;
  return first !== undefined && rest.every((v) => v === first) ? first : undefined;
}

function mostSevere(alerts: readonly Alert[]): string | undefined {
  let best: string | undefined;
  for (const a of alerts) {
    const s = severity(a);
    if (best === undefined || severityRank(s) > severityRank(best)) best = s;
  }
  return best;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
