import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq } from 'yaml';
import { parseDuration } from '../../util/duration.js';
import { type Field, type ObjectReader, readYamlAll } from '../../util/yamlreader.js';
import type { DecodeContext, KindDecoder } from '../load/kinds.js';
import type { AlertTier, BurnWindow, SLI, SLO, SLOWindow } from '../model.js';
import { DEFAULT_ALERT_NAME } from './alerts.js';
import { alertWindow, nonNegativeDuration, seriesSelector, sloName, sourceOf, windowQuery } from './fields.js';
import { dur, hasWindowPlaceholder } from './promql.js';
import { warnShortWindow } from './vigil.js';
import { budgetPercentFor, MIN_WINDOW_MS, periodMs, roundSignificant } from './windows.js';

/**
 * OpenSLO, read as it is:
 *
 * - `openslo/v1`: kinds SLO, SLI, AlertPolicy, AlertCondition (and Service, DataSource,
 *   AlertNotificationTarget, accepted and ignored). An SLO's `indicatorRef`, `alertPolicies`
 *   references and an AlertPolicy's `conditionRef` are resolved against the documents of the same
 *   file. Occurrences budgeting only; Prometheus metric sources only (`spec.query` or `spec.promql`).
 *   An SLI query that is a plain series selector of a counter is rated by vigil (events SLI); a
 *   query with `{{.window}}` is used as is (Sloth's style). A burn-rate AlertCondition becomes a
 *   window pair: its lookbackWindow as the long window and 1/12 of it (at least 5m) as the short
 *   one, the SRE workbook's ratio; severity page/critical/high pages, anything else is a ticket.
 *   Without alertPolicies an SLO has no burn-rate alerts (as Sloth generates none from OpenSLO).
 * - `openslo/v1alpha` SLOs (what Sloth reads): each objective is an SLO named `<name>-<index>`,
 *   as Sloth names them.
 */

export const OPENSLO_V1 = 'openslo/v1';
export const OPENSLO_V1ALPHA = 'openslo/v1alpha';

const V1_KINDS = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'Service', 'DataSource', 'AlertNotificationTarget'];
const PAGE_SEVERITIES = ['page', 'critical', 'high', 'p1', 'urgent'];

/** openSLOv1Kind reads every openslo/v1 document; only SLOs yield anything. */
export const openSLOv1Kind: KindDecoder = {
  apiVersion: OPENSLO_V1,
  matches: (doc) => doc.apiVersion === OPENSLO_V1,
  decode(root, ctx) {
    if (!isMap(root.node)) return root.expected('a mapping') as undefined;
    const kindField = (root.entries() ?? []).find(([k]) => k === 'kind')?.[1];
    const k = kindField?.string();
    if (kindField === undefined) return root.fail('field "kind" is required') as undefined;
    if (k === undefined) return undefined;
    if (!V1_KINDS.includes(k)) return kindField.expected(`an OpenSLO v1 kind (${V1_KINDS.join(', ')})`) as undefined;
    if (k === 'SLO') {
      const slo = decodeOpenSLOv1(root, ctx, siblingsFromFile(ctx.file));
      return slo === undefined ? undefined : { slos: [slo] };
    }
    if (k === 'SLI') decodeSLIDoc(root, ctx);
    else if (k === 'AlertPolicy') decodePolicyDoc(root, new Map(), undefined);
    else if (k === 'AlertCondition') decodeConditionDoc(root);
    else {
      const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
      if (o !== undefined) metadataName(o);
      o?.get('spec').entries();
    }
    return {};
  },
};

/** openSLOv1alphaKind reads openslo/v1alpha SLOs, the OpenSLO version Sloth reads. */
export const openSLOv1alphaKind: KindDecoder = {
  apiVersion: OPENSLO_V1ALPHA,
  kind: 'SLO',
  matches: (doc) => doc.apiVersion === OPENSLO_V1ALPHA,
  decode(root, ctx) {
    const slos = decodeOpenSLOv1alpha(root, ctx);
    return slos === undefined ? undefined : { slos };
  },
};

/** Siblings are a file's openslo/v1 documents by kind and name, for resolving references. */
export type Siblings = Map<string, Field>;

/**
 * siblingsFromFile reads the file again to index its openslo/v1 documents by `kind/name`. Problems
 * in those documents are reported when the loader reads them in turn, not here.
 */
export function siblingsFromFile(file: string): Siblings {
  try {
    return siblingsFromText(file, readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
}

/** siblingsFromText indexes the openslo/v1 documents of a file's text by `kind/name`. */
export function siblingsFromText(file: string, text: string): Siblings {
  const out: Siblings = new Map();
  try {
    readYamlAll(file, text, (root) => {
      if (!isMap(root.node)) return undefined;
      const header = root.entries() ?? [];
      const get = (k: string): string | undefined => header.find(([key]) => key === k)?.[1].string();
      const name = header.find(([key]) => key === 'metadata')?.[1].entries()?.find(([key]) => key === 'name')?.[1].string();
      if (get('apiVersion') === OPENSLO_V1 && name !== undefined) out.set(`${get('kind')}/${name}`, root);
      return undefined;
    });
  } catch {
    // A broken sibling is reported by the loader at its own position.
  }
  return out;
}

function metadataName(o: ObjectReader): string | undefined {
  const meta = o.get('metadata').required()?.object(['name', 'displayName', 'namespace', 'labels', 'annotations']);
  if (meta === undefined) return undefined;
  meta.get('annotations').entries();
  return sloName(meta.get('name').required() ?? meta.get('name'));
}

/** metadataLabels reads OpenSLO labels, whose values may be strings or lists of strings. */
function metadataLabels(o: ObjectReader): Record<string, string> {
  const out: Record<string, string> = {};
  const meta = o.get('metadata');
  const labels = isMap(meta.node) ? meta.entries()?.find(([k]) => k === 'labels')?.[1] : undefined;
  for (const [k, v] of labels?.entries() ?? []) {
    if (isSeq(v.node)) out[k] = (v.list((i) => i.string()) ?? []).join(',');
    else {
      const s = v.string();
      if (s !== undefined) out[k] = s;
    }
  }
  return out;
}

/** decodeOpenSLOv1 reads an openslo/v1 SLO document. */
export function decodeOpenSLOv1(root: Field, ctx: DecodeContext, siblings: Siblings): SLO | undefined {
  const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return undefined;
  const name = metadataName(o);
  const labels = metadataLabels(o);
  const spec = o
    .get('spec')
    .required()
    ?.object(['description', 'service', 'indicator', 'indicatorRef', 'budgetingMethod', 'timeWindow', 'objectives', 'alertPolicies']);
  if (spec === undefined) return undefined;
  const service = sloName(spec.get('service').required() ?? spec.get('service'));
  const description = spec.get('description').string() ?? '';
  budgeting(spec.get('budgetingMethod'));
  const window = decodeTimeWindow(spec.get('timeWindow'));

  let sli: SLI | undefined;
  if (spec.has('indicator') === spec.has('indicatorRef')) {
    spec.field.fail('expected exactly one of indicator and indicatorRef');
  } else if (spec.has('indicator')) {
    const ind = spec.get('indicator').object(['metadata', 'spec']);
    if (ind !== undefined) sli = decodeSLISpec(ind.get('spec').required() ?? ind.get('spec'), ctx);
  } else {
    const ref = spec.get('indicatorRef').string();
    const target = ref === undefined ? undefined : siblings.get(`SLI/${ref}`);
    if (ref !== undefined && target === undefined) {
      spec.get('indicatorRef').fail(`no OpenSLO SLI named ${JSON.stringify(ref)} in this file (vigil resolves references within one file)`);
    } else if (target !== undefined) {
      sli = resolveSLI(target, spec.get('indicatorRef'), ctx);
    }
  }

  const objectivesField = spec.get('objectives');
  const objectives = objectivesField.required()?.list((f) => decodeObjective(f)) ?? [];
  const written = isSeq(objectivesField.node) ? objectivesField.node.items.length : 0;
  if (isSeq(objectivesField.node) && written !== 1) {
    objectivesField.fail(`expected exactly one objective, got ${written} (write one SLO per objective)`);
  }
  const period = window === undefined ? undefined : periodMs(window);
  const alerting = period === undefined ? undefined : decodeAlertPolicies(spec.get('alertPolicies'), period, siblings);
  const objective = objectives[0];
  if (name === undefined || service === undefined || window === undefined || sli === undefined || objective === undefined || alerting === undefined) {
    return undefined;
  }
  const slo: SLO = {
    service,
    name,
    description,
    objectivePercent: objective,
    window,
    sli,
    grouping: [],
    labels,
    alerting: alerting.alerting,
    noData: alerting.noData,
    lowTraffic: undefined,
    optimize: 'chained',
    source: sourceOf(root),
  };
  warnShortWindow(slo, spec.get('timeWindow'), ctx);
  return slo;
}

function budgeting(f: Field): void {
  const m = f.required()?.string();
  if (m !== undefined && m !== 'Occurrences') {
    f.fail(`budgetingMethod ${JSON.stringify(m)} is not supported: vigil's SLOs count good and bad events (Occurrences)`);
  }
}

/** decodeTimeWindow reads `timeWindow: [{duration, isRolling, calendar}]` (exactly one entry). */
function decodeTimeWindow(f: Field): SLOWindow | undefined {
  const list = f.required()?.list((item) => {
    const o = item.object(['duration', 'isRolling', 'calendar']);
    if (o === undefined) return undefined;
    const duration = o.get('duration').required()?.string();
    const rolling = o.get('isRolling').bool() ?? false;
    if (duration === undefined) return undefined;
    if (rolling) {
      try {
        const ms = parseDuration(duration);
        if (ms > 0) return { kind: 'rolling', ms } as SLOWindow;
      } catch {
        // reported below
      }
      return o.get('duration').expected('a rolling duration such as 28d or 4w') as undefined;
    }
    const cal = o.get('calendar').object(['startTime', 'timeZone']);
    cal?.get('startTime').string();
    const timeZone = cal?.get('timeZone').string() ?? 'UTC';
    if (duration === '1w') return { kind: 'calendar', unit: 'week', timeZone } as SLOWindow;
    if (duration === '1M') return { kind: 'calendar', unit: 'month', timeZone } as SLOWindow;
    return o.get('duration').expected('a calendar window of 1w or 1M (or isRolling: true)') as undefined;
  });
  if (list === undefined) return undefined;
  const written = isSeq(f.node) ? f.node.items.length : 0;
  if (written !== 1) return f.fail(`expected exactly one time window, got ${written}`) as undefined;
  return list[0];
}

/** decodeObjective reads one objective's target: a fraction (`target`) or `targetPercent`. */
function decodeObjective(f: Field): number | undefined {
  const o = f.object(['displayName', 'op', 'value', 'target', 'targetPercent', 'timeSliceTarget', 'timeSliceWindow', 'indicator', 'indicatorRef', 'compositeWeight']);
  if (o === undefined) return undefined;
  for (const k of ['timeSliceTarget', 'timeSliceWindow', 'indicator', 'indicatorRef', 'compositeWeight']) {
    if (o.has(k)) o.get(k).fail(`${k} is not supported (vigil reads Occurrences objectives with the SLO's own indicator)`);
  }
  if (o.has('target') === o.has('targetPercent')) return f.fail('expected exactly one of target and targetPercent') as undefined;
  if (o.has('target')) {
    const t = o.get('target').number();
    if (t === undefined) return undefined;
    if (!(t > 0 && t < 1)) return o.get('target').expected('a target between 0 and 1, such as 0.999') as undefined;
    return roundSignificant(t * 100);
  }
  const p = o.get('targetPercent').number();
  if (p === undefined) return undefined;
  if (!(p > 0 && p < 100)) return o.get('targetPercent').expected('a target in percent between 0 and 100, such as 99.9') as undefined;
  return p;
}

/** resolveSLI decodes a referenced SLI document; its own problems are reported where it is. */
function resolveSLI(target: Field, at: Field, ctx: DecodeContext): SLI | undefined {
  const spec = target.object(['apiVersion', 'kind', 'metadata', 'spec'])?.get('spec');
  const sli = spec === undefined ? undefined : decodeSLISpec(spec, ctx);
  if (sli === undefined) at.fail(`the SLI ${JSON.stringify(at.string())} it names is invalid (see its own errors)`);
  return sli;
}

function decodeSLIDoc(root: Field, ctx: DecodeContext): void {
  const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return;
  metadataName(o);
  metadataLabels(o);
  decodeSLISpec(o.get('spec').required() ?? o.get('spec'), ctx);
}

/** decodeSLISpec reads an SLI spec: a ratioMetric (good or bad over total, or raw). */
function decodeSLISpec(f: Field, ctx: DecodeContext): SLI | undefined {
  const o = f.object(['description', 'thresholdMetric', 'ratioMetric']);
  if (o === undefined) return undefined;
  if (o.has('thresholdMetric')) return o.get('thresholdMetric').fail('thresholdMetric SLIs are not supported (they need Timeslices budgeting); use a ratioMetric') as undefined;
  const r = o.get('ratioMetric').required()?.object(['counter', 'good', 'bad', 'total', 'rawType', 'raw']);
  if (r === undefined) return undefined;
  const counter = r.get('counter').bool() ?? false;
  if (r.has('raw')) {
    const rawType = r.get('rawType').required()?.oneOf(['success', 'failure'] as const);
    const q = metricQuery(r.get('raw'), false, ctx);
    if (rawType === undefined || q === undefined) return undefined;
    return { kind: 'raw', errorRatio: rawType === 'failure' ? q.text : `1 - (${q.text})` };
  }
  if (r.has('good') === r.has('bad')) return r.field.fail('expected exactly one of good, bad and raw') as undefined;
  const part = r.has('good') ? 'good' : 'bad';
  const events = metricQuery(r.get(part), counter, ctx);
  const total = metricQuery(r.get('total').required() ?? r.get('total'), counter, ctx);
  if (events === undefined || total === undefined) return undefined;
  if (events.selector && total.selector) {
    return part === 'good' ? { kind: 'events', good: events.text, total: total.text } : { kind: 'events', error: events.text, total: total.text };
  }
  if (events.selector !== total.selector) {
    return r.field.fail('the two queries must both be series selectors or both be queries with {{.window}}') as undefined;
  }
  const errorQuery = part === 'bad' ? events.text : `clamp_min((${total.text}) - (${events.text}), 0)`;
  return { kind: 'query', errorQuery, totalQuery: total.text };
}

/**
 * metricQuery reads `{metricSource: {type: Prometheus, spec: {query}}}`. A counter query may be a
 * series selector (vigil rates it); any query may use `{{.window}}`.
 */
function metricQuery(f: Field, counter: boolean, ctx: DecodeContext): { text: string; selector: boolean } | undefined {
  const ms = f.object(['metricSource'])?.get('metricSource').required()?.object(['metricSourceRef', 'type', 'spec']);
  if (ms === undefined) return undefined;
  const type = ms.get('type').string();
  if (type !== undefined && type.toLowerCase() !== 'prometheus') return ms.get('type').expected('Prometheus (vigil reads Prometheus metric sources only)') as undefined;
  const spec = ms.get('spec').required()?.object(['query', 'promql']);
  if (spec === undefined) return undefined;
  const qf = spec.has('query') ? spec.get('query') : spec.get('promql');
  const text = qf.required()?.string();
  if (text === undefined) return undefined;
  if (hasWindowPlaceholder(text)) {
    const q = windowQuery(qf, ctx, true);
    return q === undefined ? undefined : { text: q.trim(), selector: false };
  }
  if (!counter) return qf.fail('a query without {{.window}} must be a counter series selector with counter: true') as undefined;
  const q = seriesSelector(qf, ctx);
  return q === undefined ? undefined : { text: q, selector: true };
}

interface Alerting {
  readonly alerting: SLO['alerting'];
  readonly noData: SLO['noData'];
}

function decodeAlertPolicies(f: Field, period: number, siblings: Siblings): Alerting | undefined {
  const page: BurnWindow[] = [];
  const ticket: BurnWindow[] = [];
  let pageFor = 0;
  let ticketFor = 0;
  let noData = false;
  let ok = true;
  for (const item of f.list((x) => x) ?? []) {
    let policy: Field | undefined;
    if (isScalar(item.node)) {
      const ref = item.string();
      policy = ref === undefined ? undefined : siblings.get(`AlertPolicy/${ref}`);
      if (policy === undefined) item.fail(`no OpenSLO AlertPolicy named ${JSON.stringify(ref)} in this file (vigil resolves references within one file)`);
    } else if (isMap(item.node) && (item.entries() ?? []).some(([k]) => k === 'alertPolicyRef')) {
      const ref = item.object(['alertPolicyRef'])?.get('alertPolicyRef').string();
      policy = ref === undefined ? undefined : siblings.get(`AlertPolicy/${ref}`);
      if (policy === undefined) item.fail(`no OpenSLO AlertPolicy named ${JSON.stringify(ref)} in this file (vigil resolves references within one file)`);
    } else {
      policy = item;
    }
    if (policy === undefined) {
      ok = false;
      continue;
    }
    const p = decodePolicyDoc(policy, siblings, period);
    if (p === undefined) {
      if (policy !== item) item.fail(`the AlertPolicy it names is invalid (see its own errors)`);
      ok = false;
      continue;
    }
    noData ||= p.noData;
    for (const c of p.conditions) {
      if (c.page) {
        page.push(c.window);
        pageFor = Math.max(pageFor, c.forMs);
      } else {
        ticket.push(c.window);
        ticketFor = Math.max(ticketFor, c.forMs);
      }
    }
  }
  if (!ok) return undefined;
  const tier = (windows: BurnWindow[], forMs: number): AlertTier | undefined =>
    windows.length === 0 ? undefined : { windows, forMs, labels: {}, annotations: {} };
  return {
    alerting: { name: DEFAULT_ALERT_NAME, labels: {}, annotations: {}, runbookUrl: undefined, page: tier(page, pageFor), ticket: tier(ticket, ticketFor) },
    noData: { policy: noData ? 'alert' : 'ignore', forMs: 10 * 60_000 },
  };
}

interface Condition {
  readonly page: boolean;
  readonly window: BurnWindow;
  readonly forMs: number;
}

/** decodePolicyDoc reads an AlertPolicy (a document or inline); `period` undefined only validates. */
function decodePolicyDoc(
  f: Field,
  siblings: Siblings,
  period: number | undefined,
): { conditions: Condition[]; noData: boolean } | undefined {
  const o = f.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return undefined;
  if (o.has('metadata')) metadataName(o);
  const spec = o
    .get('spec')
    .required()
    ?.object(['description', 'alertWhenNoData', 'alertWhenResolved', 'alertWhenBreaching', 'conditions', 'notificationTargets']);
  if (spec === undefined) return undefined;
  const noData = spec.get('alertWhenNoData').bool() ?? false;
  spec.get('alertWhenResolved').bool();
  spec.get('alertWhenBreaching').bool();
  spec.get('notificationTargets').list((x) => x);
  const conditions: Condition[] = [];
  let ok = true;
  for (const item of spec.get('conditions').required()?.list((x) => x) ?? []) {
    let cond: Field | undefined = item;
    if (isMap(item.node) && (item.entries() ?? []).some(([k]) => k === 'conditionRef')) {
      const ref = item.object(['conditionRef'])?.get('conditionRef').string();
      cond = ref === undefined ? undefined : siblings.get(`AlertCondition/${ref}`);
      if (cond === undefined && period !== undefined) item.fail(`no OpenSLO AlertCondition named ${JSON.stringify(ref)} in this file`);
      if (cond === undefined) {
        ok = period === undefined;
        continue;
      }
    }
    const c = decodeConditionDoc(cond, period);
    if (c === undefined && cond !== item) item.fail('the AlertCondition it names is invalid (see its own errors)');
    if (c === undefined) ok = false;
    else if (c !== null) conditions.push(c);
  }
  return ok ? { conditions, noData } : undefined;
}

/** decodeConditionDoc reads an AlertCondition; null when only validating (no period). */
function decodeConditionDoc(f: Field, period?: number): Condition | undefined | null {
  const o = f.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return undefined;
  if (o.has('metadata')) metadataName(o);
  const spec = o.get('spec').required()?.object(['description', 'severity', 'condition']);
  if (spec === undefined) return undefined;
  const severity = spec.get('severity').required()?.string();
  const c = spec.get('condition').required()?.object(['kind', 'op', 'threshold', 'lookbackWindow', 'alertAfter']);
  if (c === undefined) return undefined;
  const kind = c.get('kind').required()?.string();
  if (kind !== undefined && kind !== 'burnrate') return c.get('kind').expected('"burnrate" (the only AlertCondition kind)') as undefined;
  const op = c.get('op').string();
  if (op !== undefined && op !== 'gt' && op !== 'gte') c.get('op').expected('gt or gte (a burn rate above the threshold)');
  const threshold = c.get('threshold').required()?.number();
  if (threshold !== undefined && !(threshold > 0)) c.get('threshold').expected('a burn rate greater than 0');
  const longMs = alertWindow(c.get('lookbackWindow').required() ?? c.get('lookbackWindow'));
  const forMs = c.get('alertAfter').present ? nonNegativeDuration(c.get('alertAfter')) : 0;
  if (severity === undefined || threshold === undefined || !(threshold > 0) || longMs === undefined || forMs === undefined) return undefined;
  if (period === undefined) return null;
  const shortMs = Math.max(MIN_WINDOW_MS, Math.round(longMs / 12 / 60_000) * 60_000);
  if (shortMs >= longMs) return c.get('lookbackWindow').expected(`a window longer than ${dur(MIN_WINDOW_MS)} (the short window is 1/12 of it, at least 5m)`) as undefined;
  return {
    page: PAGE_SEVERITIES.includes(severity.toLowerCase()),
    window: { longMs, shortMs, budgetPercent: budgetPercentFor(threshold, longMs, period) },
    forMs,
  };
}

/** decodeOpenSLOv1alpha reads an openslo/v1alpha SLO (Sloth's OpenSLO input) into one SLO per objective. */
export function decodeOpenSLOv1alpha(root: Field, ctx: DecodeContext): SLO[] | undefined {
  const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
  if (o === undefined) return undefined;
  const kind = o.get('kind').required()?.string();
  if (kind !== undefined && kind !== 'SLO') return o.get('kind').expected('"SLO"') as undefined;
  const name = metadataName(o);
  const spec = o.get('spec').required()?.object(['service', 'description', 'budgetingMethod', 'objectives', 'timeWindows', 'indicator']);
  if (spec === undefined) return undefined;
  const service = sloName(spec.get('service').required() ?? spec.get('service'));
  const description = spec.get('description').string() ?? '';
  budgeting(spec.get('budgetingMethod'));
  const windows = spec.get('timeWindows').required()?.list((item) => {
    const w = item.object(['count', 'unit', 'isRolling', 'calendar']);
    if (w === undefined) return undefined;
    const count = w.get('count').required()?.int({ min: 1 });
    const unit = w.get('unit').required()?.oneOf(['Second', 'Minute', 'Hour', 'Day', 'Week'] as const);
    if (count === undefined || unit === undefined) return undefined;
    const size = { Second: 1000, Minute: 60_000, Hour: 3600_000, Day: 86_400_000, Week: 7 * 86_400_000 }[unit];
    return { kind: 'rolling', ms: count * size } as SLOWindow;
  });
  const windowsNode = spec.get('timeWindows').node;
  if (isSeq(windowsNode) && windowsNode.items.length !== 1) spec.get('timeWindows').fail(`expected exactly one time window, got ${windowsNode.items.length}`);
  const objectives =
    spec
      .get('objectives')
      .required()
      ?.list((item) => {
        const ob = item.object(['displayName', 'op', 'value', 'target', 'ratioMetrics']);
        if (ob === undefined) return undefined;
        const t = ob.get('target').required()?.number();
        if (t !== undefined && !(t > 0 && t < 1)) return ob.get('target').expected('a target between 0 and 1, such as 0.999') as undefined;
        const rm = ob.get('ratioMetrics').required()?.object(['counter', 'good', 'bad', 'total', 'incremental']);
        if (rm === undefined || t === undefined) return undefined;
        const part = rm.has('bad') ? 'bad' : 'good';
        const q = (f: Field): string | undefined => f.required()?.object(['source', 'queryType', 'query', 'metadata'])?.get('query').required()?.string();
        const events = q(rm.get(part));
        const total = q(rm.get('total'));
        const eventsField = rm.get(part).object(['source', 'queryType', 'query', 'metadata'])?.get('query');
        const totalField = rm.get('total').object(['source', 'queryType', 'query', 'metadata'])?.get('query');
        if (events === undefined || total === undefined || eventsField === undefined || totalField === undefined) return undefined;
        if (windowQuery(eventsField, ctx, true) === undefined || windowQuery(totalField, ctx, true) === undefined) return undefined;
        const errorQuery = part === 'bad' ? events.trim() : `clamp_min((${total.trim()}) - (${events.trim()}), 0)`;
        return { objective: roundSignificant(t * 100), sli: { kind: 'query', errorQuery, totalQuery: total.trim() } as SLI };
      }) ?? [];
  const window = windows?.[0];
  if (name === undefined || service === undefined || window === undefined || objectives.length === 0) return undefined;
  return objectives.map((ob, i) => ({
    service,
    name: `${name}-${i}`,
    description,
    objectivePercent: ob.objective,
    window,
    sli: ob.sli,
    grouping: [],
    labels: {},
    alerting: { name: DEFAULT_ALERT_NAME, labels: {}, annotations: {}, runbookUrl: undefined, page: undefined, ticket: undefined },
    noData: { policy: 'ignore', forMs: 0 },
    lowTraffic: undefined,
    optimize: 'chained',
    source: sourceOf(root),
  }));
}
