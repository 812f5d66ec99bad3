import { isSeq } from 'yaml';
import type { Field, ObjectReader } from '../../util/yamlreader.js';
import type { DecodeContext, KindDecoder } from '../load/kinds.js';
import type { AlertTier, SLI, SLO } from '../model.js';
import { DEFAULT_ALERT_NAME } from './alerts.js';
import { alertName, annotationMap, labelMap, objectivePercent, sloName, sourceOf, windowQuery } from './fields.js';
import { SERVICE_LABEL, SLO_LABEL } from './series.js';
import { DEFAULT_WINDOW_MS } from './vigil.js';
import { defaultWindows } from './windows.js';

/**
 * Sloth's SLO formats, read as they are (github.com/slok/sloth v0.16):
 *
 * - the `prometheus/v1` spec (`version`, `service`, `labels`, `slos`), snake_case keys;
 * - the `PrometheusServiceLevel` resource (`apiVersion: sloth.slok.dev/v1`), camelCase keys.
 *
 * With Sloth's defaults: a 30d period, the Google windows, no `for`, no no-data alert. Events
 * SLIs become the `query` SLI kind (full queries with `{{.window}}`), raw SLIs the `raw` kind.
 * SLI plugins are not supported (they are Go code run by Sloth).
 */

/** slothSpec is the kinds-registry decoder for Sloth `version: prometheus/v1` files. */
export const slothSpecKind: KindDecoder = {
  matches: (doc) => doc.apiVersion === undefined && doc.kind === undefined && doc.keys.includes('version') && doc.keys.includes('slos'),
  decode(root, ctx) {
    const slos = decodeSlothSpec(root, ctx);
    return slos === undefined ? undefined : { slos };
  },
};

/** slothResourceKind is the kinds-registry decoder for PrometheusServiceLevel resources. */
export const slothResourceKind: KindDecoder = {
  apiVersion: 'sloth.slok.dev/v1',
  kind: 'PrometheusServiceLevel',
  matches: (doc) => doc.apiVersion === 'sloth.slok.dev/v1' && doc.kind === 'PrometheusServiceLevel',
  decode(root, ctx) {
    const slos = decodeSlothResource(root, ctx);
    return slos === undefined ? undefined : { slos };
  },
};

/** The key spellings of the two formats. */
interface Keys {
  readonly errorQuery: string;
  readonly totalQuery: string;
  readonly errorRatioQuery: string;
  readonly pageAlert: string;
  readonly ticketAlert: string;
}
const SNAKE: Keys = { errorQuery: 'error_query', totalQuery: 'total_query', errorRatioQuery: 'error_ratio_query', pageAlert: 'page_alert', ticketAlert: 'ticket_alert' };
const CAMEL: Keys = { errorQuery: 'errorQuery', totalQuery: 'totalQuery', errorRatioQuery: 'errorRatioQuery', pageAlert: 'pageAlert', ticketAlert: 'ticketAlert' };

export const SLOTH_SPEC_VERSION = 'prometheus/v1';

/** decodeSlothSpec reads a Sloth `prometheus/v1` document into SLOs. */
export function decodeSlothSpec(root: Field, ctx: DecodeContext): SLO[] | undefined {
  const o = root.object(['version', 'service', 'labels', 'slos']);
  if (o === undefined) return undefined;
  const version = o.get('version').string();
  if (version !== undefined && version !== SLOTH_SPEC_VERSION) o.get('version').expected(JSON.stringify(SLOTH_SPEC_VERSION));
  return decodeService(o, SNAKE, ctx, root);
}

/** decodeSlothResource reads a Sloth PrometheusServiceLevel resource into SLOs. */
export function decodeSlothResource(root: Field, ctx: DecodeContext): SLO[] | undefined {
  const o = root.object(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  if (o === undefined) return undefined;
  // metadata is Kubernetes' own (name, namespace, labels, annotations, uid...): any mapping.
  o.get('metadata').entries();
  const spec = o.get('spec').required()?.object(['service', 'labels', 'slos']);
  if (spec === undefined) return undefined;
  return decodeService(spec, CAMEL, ctx, root);
}

function decodeService(o: ObjectReader, keys: Keys, ctx: DecodeContext, root: Field): SLO[] | undefined {
  const service = sloName(o.get('service').required() ?? o.get('service'));
  const labels = o.get('labels').present ? labelMap(o.get('labels')) : {};
  const names = new Set<string>();
  const slos = o.get('slos').required()?.list((f) => decodeSLO(f, keys, service, labels, names, ctx));
  if (service === undefined || labels === undefined || slos === undefined) return undefined;
  const list = o.get('slos').node;
  if (isSeq(list) && list.items.length === 0) return o.get('slos').fail('expected at least one SLO') as undefined;
  void root;
  return slos;
}

function decodeSLO(
  f: Field,
  keys: Keys,
  service: string | undefined,
  serviceLabels: Record<string, string> | undefined,
  names: Set<string>,
  ctx: DecodeContext,
): SLO | undefined {
  const o = f.object(['name', 'objective', 'description', 'labels', 'sli', 'alerting', 'plugins']);
  if (o === undefined) return undefined;
  if (o.has('plugins')) o.get('plugins').fail('Sloth SLO plugins are not supported by vigil');
  const name = sloName(o.get('name').required() ?? o.get('name'));
  if (name !== undefined) {
    if (names.has(name)) o.get('name').fail(`SLO ${JSON.stringify(name)} is defined twice in this service`);
    names.add(name);
  }
  const objectiveField = o.get('objective');
  const objective = objectivePercent(objectiveField.required() ?? objectiveField, (m) => ctx.warn(objectiveField, m));
  const description = o.get('description').string() ?? '';
  const labels = o.get('labels').present ? labelMap(o.get('labels')) : {};
  const sli = decodeSLI(o.get('sli'), keys, ctx);
  const alerting = decodeAlerting(o.get('alerting'), keys, ctx);
  if (
    name === undefined ||
    service === undefined ||
    serviceLabels === undefined ||
    objective === undefined ||
    labels === undefined ||
    sli === undefined ||
    alerting === undefined
  ) {
    return undefined;
  }
  return {
    service,
    name,
    description,
    objectivePercent: objective,
    window: { kind: 'rolling', ms: DEFAULT_WINDOW_MS },
    sli,
    grouping: [],
    labels: { ...serviceLabels, ...labels },
    alerting,
    noData: { policy: 'ignore', forMs: 0 },
    lowTraffic: undefined,
    optimize: 'chained',
    source: sourceOf(f),
  };
}

function decodeSLI(f: Field, keys: Keys, ctx: DecodeContext): SLI | undefined {
  const o = f.required()?.object(['events', 'raw', 'plugin']);
  if (o === undefined) return undefined;
  if (o.has('plugin')) return o.get('plugin').fail('Sloth SLI plugins are not supported by vigil; write the SLI as events or raw queries') as undefined;
  if (o.has('events') === o.has('raw')) return f.fail('expected exactly one of events and raw') as undefined;
  if (o.has('events')) {
    const e = o.get('events').object([keys.errorQuery, keys.totalQuery]);
    if (e === undefined) return undefined;
    const errorQuery = windowQuery(e.get(keys.errorQuery).required() ?? e.get(keys.errorQuery), ctx, true);
    const totalQuery = windowQuery(e.get(keys.totalQuery).required() ?? e.get(keys.totalQuery), ctx, true);
    if (errorQuery !== undefined && errorQuery.trim() === totalQuery?.trim()) {
      return e.get(keys.errorQuery).fail("both error and total queries can't be the same") as undefined;
    }
    return errorQuery === undefined || totalQuery === undefined ? undefined : { kind: 'query', errorQuery, totalQuery };
  }
  const r = o.get('raw').object([keys.errorRatioQuery]);
  if (r === undefined) return undefined;
  const errorRatio = windowQuery(r.get(keys.errorRatioQuery).required() ?? r.get(keys.errorRatioQuery), ctx, true);
  return errorRatio === undefined ? undefined : { kind: 'raw', errorRatio };
}

const ALERT_RESERVED = [SLO_LABEL, SERVICE_LABEL, 'slo_window', 'tier', 'long_window', 'short_window', 'burn_rate'];

function decodeAlerting(f: Field, keys: Keys, ctx: DecodeContext): SLO['alerting'] | undefined {
  const windows = defaultWindows(DEFAULT_WINDOW_MS);
  const o = f.present ? f.object(['name', 'labels', 'annotations', keys.pageAlert, keys.ticketAlert]) : undefined;
  if (f.present && o === undefined) return undefined;
  const name = o?.get('name').present ? alertName(o.get('name')) : DEFAULT_ALERT_NAME;
  const alert = { alertName: name ?? DEFAULT_ALERT_NAME, ctx };
  const labels = o?.get('labels').present ? labelMap(o.get('labels'), { reserved: ALERT_RESERVED, alert }) : {};
  const annotations = o?.get('annotations').present ? annotationMap(o.get('annotations'), alert) : {};
  const page = decodeAlert(o?.get(keys.pageAlert), windows.page, alert);
  const ticket = decodeAlert(o?.get(keys.ticketAlert), windows.ticket, alert);
  if (name === undefined || labels === undefined || annotations === undefined || page === null || ticket === null) return undefined;
  return { name, labels, annotations, runbookUrl: undefined, page, ticket };
}

/** decodeAlert reads `page_alert` / `ticket_alert`: undefined when disabled, null after a problem. */
function decodeAlert(f: Field | undefined, windows: AlertTier['windows'], alert: { alertName: string; ctx: DecodeContext }): AlertTier | undefined | null {
  const base: AlertTier = { windows, forMs: 0, labels: {}, annotations: {} };
  if (f === undefined || !f.present) return base;
  const o = f.object(['disable', 'labels', 'annotations']);
  if (o === undefined) return null;
  const disable = o.get('disable').bool();
  const labels = o.get('labels').present ? labelMap(o.get('labels'), { reserved: ALERT_RESERVED, alert }) : {};
  const annotations = o.get('annotations').present ? annotationMap(o.get('annotations'), alert) : {};
  if (labels === undefined || annotations === undefined) return null;
  return disable === true ? undefined : { ...base, labels, annotations };
}
