import { isMap, isScalar, isSeq } from 'yaml';
import type { Field } from '../../util/yamlreader.js';
import type { DecodeContext, KindDecoder } from '../load/kinds.js';
import type { AlertTier, BurnWindow, SLI, SLO, SLOWindow } from '../model.js';
import { DEFAULT_ALERT_NAME } from './alerts.js';
import {
  alertName,
  alertWindow,
  annotationMap,
  groupingLabels,
  histogramSelector,
  labelMap,
  nonNegativeDuration,
  objectivePercent,
  positiveDuration,
  seriesSelector,
  sloName,
  sourceOf,
  windowQuery,
} from './fields.js';
import { dur } from './promql.js';
import { SERVICE_LABEL, SLO_LABEL } from './series.js';
import { budgetPercentFor, defaultWindows, periodMs } from './windows.js';

/**
 * vigil's own SLO kind (`apiVersion: vigil/v1`, `kind: SLO`). Field names, with defaults:
 *
 * ```yaml
 * metadata: {name, labels}
 * spec:
 *   service: vllm                     # required
 *   description: ""
 *   objective: 99.9                   # percent, required; a value ≤ 1 is warned about
 *   window: 30d                       # any duration, or {calendar: week|month, timeZone: UTC}
 *   sli:                              # exactly one of:
 *     events: {error | good: SELECTOR, total: SELECTOR}
 *     latency: {histogram: SELECTOR, threshold: 500ms | 0.5}
 *     raw: {errorRatio: QUERY with {{.window}}}
 *   grouping: [model_name]
 *   alerting:
 *     name: SLOErrorBudgetBurn
 *     labels: {}; annotations: {}; runbook: URL
 *     page:   {windows: [{long, short, budgetPercent | burnRate}], for: 0s, labels, annotations} | false
 *     ticket: (same)
 *   noData: {policy: alert | ignore, for: 10m}
 *   lowTraffic: {minEvents: N}
 *   optimize: chained | exact
 * ```
 *
 * Page and ticket windows default to Sloth's Google windows scaled to the window (windows.ts).
 */

export const DEFAULT_WINDOW_MS = 30 * 24 * 3600_000;
export const DEFAULT_NO_DATA_FOR_MS = 10 * 60_000;

/** vigilSLOKind is the kinds-registry decoder for vigil/v1 SLO documents. */
export const vigilSLOKind: KindDecoder = {
  apiVersion: 'vigil/v1',
  kind: 'SLO',
  matches: (doc) => doc.apiVersion === 'vigil/v1' && doc.kind === 'SLO',
  decode(root, ctx) {
    const slo = decodeVigilSLO(root, ctx);
    return slo === undefined ? undefined : { slos: [slo] };
  },
};

/** decodeVigilSLO reads one vigil/v1 SLO document; problems are recorded on its fields. */
export function decodeVigilSLO(root: Field, ctx: DecodeContext): SLO | undefined {
  const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return undefined;
  const meta = o.get('metadata').required()?.object(['name', 'labels']);
  const name = meta === undefined ? undefined : sloName(meta.get('name').required() ?? meta.get('name'));
  const labels = meta?.get('labels').present ? labelMap(meta.get('labels')) : {};
  const specField = o.get('spec').required();
  const spec = specField?.object(['service', 'description', 'objective', 'window', 'sli', 'grouping', 'alerting', 'noData', 'lowTraffic', 'optimize']);
  if (spec === undefined || specField === undefined) return undefined;

  const service = sloName(spec.get('service').required() ?? spec.get('service'));
  const description = spec.get('description').string() ?? '';
  const objectiveField = spec.get('objective');
  const objective = objectivePercent(objectiveField.required() ?? objectiveField, (m) => ctx.warn(objectiveField, m));
  const window = decodeWindow(spec.get('window'));
  const sli = decodeSLI(spec.get('sli'), ctx);
  const grouping = spec.get('grouping').present ? groupingLabels(spec.get('grouping')) : [];
  const optimize = spec.get('optimize').present ? spec.get('optimize').oneOf(['chained', 'exact'] as const) : 'chained';
  const noData = decodeNoData(spec.get('noData'));
  const lowTraffic = decodeLowTraffic(spec.get('lowTraffic'));
  if (lowTraffic !== undefined && sli?.kind === 'raw') {
    spec.get('lowTraffic').fail('a low-traffic guard needs event counts; the raw SLI has none (use events or latency)');
  }
  if (optimize === 'exact' && sli?.kind === 'raw' && !/\{\{\s*\.window\s*\}\}/.test(sli.errorRatio)) {
    spec.get('optimize').fail('optimize: exact fills each window into the raw query, which has no {{.window}}');
  }
  const period = window === undefined ? DEFAULT_WINDOW_MS : periodMs(window);
  const alerting = decodeAlerting(spec.get('alerting'), period, ctx);
  if (labels !== undefined && grouping !== undefined) {
    for (const g of grouping) if (g in labels) spec.get('grouping').fail(`${JSON.stringify(g)} is both a grouping label and one of metadata.labels`);
  }

  if (
    name === undefined ||
    labels === undefined ||
    service === undefined ||
    objective === undefined ||
    window === undefined ||
    sli === undefined ||
    grouping === undefined ||
    optimize === undefined ||
    noData === undefined ||
    alerting === undefined
  ) {
    return undefined;
  }
  const slo: SLO = {
    service,
    name,
    description,
    objectivePercent: objective,
    window,
    sli,
    grouping,
    labels,
    alerting,
    noData,
    lowTraffic,
    optimize,
    source: sourceOf(root),
  };
  warnShortWindow(slo, spec.get('window').present ? spec.get('window') : specField, ctx);
  return slo;
}

/** warnShortWindow warns when the SLO period is shorter than its longest alert window. */
export function warnShortWindow(slo: SLO, at: Field, ctx: DecodeContext): void {
  const period = periodMs(slo.window);
  const longest = Math.max(0, ...[slo.alerting.page, slo.alerting.ticket].flatMap((t) => t?.windows.map((w) => w.longMs) ?? []));
  if (longest > period) {
    ctx.warn(at, `the SLO window ${dur(period)} is shorter than its longest alert window ${dur(longest)}: that alert looks back past the period the budget is for`);
  }
}

function decodeWindow(f: Field): SLOWindow | undefined {
  if (!f.present) return { kind: 'rolling', ms: DEFAULT_WINDOW_MS };
  if (!isMap(f.node)) {
    const ms = positiveDuration(f);
    return ms === undefined ? undefined : { kind: 'rolling', ms };
  }
  const o = f.object(['calendar', 'timeZone']);
  if (o === undefined) return undefined;
  const unit = o.get('calendar').required()?.oneOf(['week', 'month'] as const);
  const tzField = o.get('timeZone');
  const timeZone = tzField.present ? tzField.string() : 'UTC';
  if (timeZone !== undefined && !validTimeZone(timeZone)) tzField.expected('an IANA time zone such as UTC or Europe/Berlin');
  if (unit === undefined || timeZone === undefined || !validTimeZone(timeZone)) return undefined;
  return { kind: 'calendar', unit, timeZone };
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function decodeSLI(f: Field, ctx: DecodeContext): SLI | undefined {
  const o = f.required()?.object(['events', 'latency', 'raw']);
  if (o === undefined) return undefined;
  const given = (['events', 'latency', 'raw'] as const).filter((k) => o.has(k));
  if (given.length !== 1) {
    return f.fail(given.length === 0 ? 'expected one of events, latency or raw' : `expected one of events, latency or raw, got ${given.join(' and ')}`);
  }
  switch (given[0]!) {
    case 'events': {
      const e = o.get('events').object(['error', 'good', 'total']);
      if (e === undefined) return undefined;
      if (e.has('error') === e.has('good')) return o.get('events').fail('expected exactly one of error and good');
      const total = seriesSelector(e.get('total').required() ?? e.get('total'), ctx);
      if (e.has('error')) {
        const error = seriesSelector(e.get('error'), ctx);
        if (error !== undefined && error === total) return e.get('error').fail('the error and total selectors are the same: every event would be an error');
        return error === undefined || total === undefined ? undefined : { kind: 'events', error, total };
      }
      const good = seriesSelector(e.get('good'), ctx);
      return good === undefined || total === undefined ? undefined : { kind: 'events', good, total };
    }
    case 'latency': {
      const l = o.get('latency').object(['histogram', 'threshold']);
      if (l === undefined) return undefined;
      const histogram = histogramSelector(l.get('histogram').required() ?? l.get('histogram'), ctx);
      const threshold = decodeThreshold(l.get('threshold').required() ?? l.get('threshold'));
      return histogram === undefined || threshold === undefined ? undefined : { kind: 'latency', histogram, thresholdSeconds: threshold };
    }
    case 'raw': {
      const r = o.get('raw').object(['errorRatio']);
      if (r === undefined) return undefined;
      const errorRatio = windowQuery(r.get('errorRatio').required() ?? r.get('errorRatio'), ctx, false);
      return errorRatio === undefined ? undefined : { kind: 'raw', errorRatio };
    }
  }
}

/** decodeThreshold reads a latency threshold: a duration (`500ms`, `2s`) or a number of seconds (`0.25`). */
function decodeThreshold(f: Field): number | undefined {
  if (!f.present) return undefined;
  const v = isScalar(f.node) ? f.node.value : undefined;
  if (typeof v === 'number') {
    if (!(v > 0) || !Number.isFinite(v)) return f.expected('a threshold greater than 0 (seconds, or a duration such as 500ms)');
    return v;
  }
  const ms = positiveDuration(f);
  return ms === undefined ? undefined : ms / 1000;
}

function decodeNoData(f: Field): SLO['noData'] | undefined {
  if (!f.present) return { policy: 'alert', forMs: DEFAULT_NO_DATA_FOR_MS };
  const o = f.object(['policy', 'for']);
  if (o === undefined) return undefined;
  const policy = o.get('policy').present ? o.get('policy').oneOf(['alert', 'ignore'] as const) : 'alert';
  const forMs = o.get('for').present ? nonNegativeDuration(o.get('for')) : DEFAULT_NO_DATA_FOR_MS;
  return policy === undefined || forMs === undefined ? undefined : { policy, forMs };
}

function decodeLowTraffic(f: Field): SLO['lowTraffic'] {
  const o = f.object(['minEvents']);
  if (o === undefined) return undefined;
  const n = o.get('minEvents').required()?.number();
  if (n === undefined) return undefined;
  if (!(n > 0) || !Number.isFinite(n)) return o.get('minEvents').expected('a number of events greater than 0') as undefined;
  return { minEvents: n };
}

function decodeAlerting(f: Field, period: number, ctx: DecodeContext): SLO['alerting'] | undefined {
  const defaults = defaultWindows(period);
  const o = f.present ? f.object(['name', 'labels', 'annotations', 'runbook', 'page', 'ticket']) : undefined;
  if (f.present && o === undefined) return undefined;
  const name = o?.get('name').present ? alertName(o.get('name')) : DEFAULT_ALERT_NAME;
  const alert = { alertName: name ?? DEFAULT_ALERT_NAME, ctx };
  const labels = o?.get('labels').present ? labelMap(o.get('labels'), { reserved: ALERT_RESERVED, alert }) : {};
  const annotations = o?.get('annotations').present ? annotationMap(o.get('annotations'), alert) : {};
  const runbook = o?.get('runbook').string();
  if (runbook !== undefined && !/^https?:\/\/\S+$/.test(runbook)) o?.get('runbook').expected('an http(s) URL');
  const page = o === undefined ? tier(defaults.page) : decodeTier(o.get('page'), defaults.page, period, alert);
  const ticket = o === undefined ? tier(defaults.ticket) : decodeTier(o.get('ticket'), defaults.ticket, period, alert);
  if (name === undefined || labels === undefined || annotations === undefined || page === null || ticket === null) return undefined;
  return { name, labels, annotations, runbookUrl: runbook, page, ticket };
}

/** ALERT_RESERVED are the labels an alert gets from the compiler; `severity` may be overridden. */
const ALERT_RESERVED = [SLO_LABEL, SERVICE_LABEL, 'slo_window', 'tier', 'long_window', 'short_window', 'burn_rate'];

function tier(windows: BurnWindow[]): AlertTier {
  return { windows, forMs: 0, labels: {}, annotations: {} };
}

/** decodeTier reads `page` or `ticket`: false disables it; null means a problem was reported. */
function decodeTier(f: Field, defaults: BurnWindow[], period: number, alert: { alertName: string; ctx: DecodeContext }): AlertTier | undefined | null {
  if (!f.present) return tier(defaults);
  const v = isScalar(f.node) ? f.node.value : undefined;
  if (typeof v === 'boolean') return v ? tier(defaults) : undefined;
  if (!isMap(f.node)) return (f.expected('false, or a mapping with windows, for, labels and annotations'), null);
  const o = f.object(['windows', 'for', 'labels', 'annotations']);
  if (o === undefined) return null;
  const wf = o.get('windows');
  const windows = wf.present ? wf.list((w) => decodeBurnWindow(w, period)) : defaults;
  if (isSeq(wf.node) && wf.node.items.length === 0) wf.fail('expected at least one window (write `false` to disable the tier)');
  const forMs = o.get('for').present ? nonNegativeDuration(o.get('for')) : 0;
  const labels = o.get('labels').present ? labelMap(o.get('labels'), { reserved: ALERT_RESERVED, alert }) : {};
  const annotations = o.get('annotations').present ? annotationMap(o.get('annotations'), alert) : {};
  if (windows === undefined || forMs === undefined || labels === undefined || annotations === undefined || windows.length === 0) return null;
  return { windows, forMs, labels, annotations };
}

function decodeBurnWindow(f: Field, period: number): BurnWindow | undefined {
  const o = f.object(['long', 'short', 'budgetPercent', 'burnRate']);
  if (o === undefined) return undefined;
  const longMs = alertWindow(o.get('long').required() ?? o.get('long'));
  const shortMs = alertWindow(o.get('short').required() ?? o.get('short'));
  if (o.has('budgetPercent') === o.has('burnRate')) return f.fail('expected exactly one of budgetPercent and burnRate') as undefined;
  let budgetPercent: number | undefined;
  if (o.has('budgetPercent')) {
    const b = o.get('budgetPercent').number();
    if (b !== undefined && !(b > 0 && b <= 100)) o.get('budgetPercent').expected('a share of the budget in percent, greater than 0 and at most 100');
    else budgetPercent = b;
  } else {
    const r = o.get('burnRate').number();
    if (r !== undefined && !(r > 0)) o.get('burnRate').expected('a burn rate greater than 0, such as 14.4');
    else if (r !== undefined && longMs !== undefined) budgetPercent = budgetPercentFor(r, longMs, period);
  }
  if (longMs !== undefined && shortMs !== undefined && shortMs >= longMs) {
    return o.get('short').fail(`the short window (${dur(shortMs)}) must be shorter than the long window (${dur(longMs)})`) as undefined;
  }
  return longMs === undefined || shortMs === undefined || budgetPercent === undefined ? undefined : { longMs, shortMs, budgetPercent };
}
