import { readFileSync } from 'node:fs';
import { type Field, readYaml, SourceError, type SourceIssue } from '../../util/yamlreader.js';
import type { DecodeContext } from './fields.js';
import { decodeGlobal } from './global.js';
import { decodeInhibitRule } from './inhibit.js';
import { decodeReceiver } from './receivers.js';
import { decodeRoute } from './route.js';
import { decodeNamedIntervals } from './timeintervals.js';
import type { AlertingConfig, ReceiverConfig, RouteConfig, TimeInterval } from './types.js';

const TOP_KEYS = ['global', 'route', 'inhibit_rules', 'receivers', 'templates', 'mute_time_intervals', 'time_intervals'];

/**
 * loadAlertingConfig reads an Alertmanager configuration file. Every file Alertmanager 0.25
 * accepts loads (except where a part is not supported by vigil, which is an error naming it),
 * every file it rejects is rejected, and the vigil-only keys are read too. It throws a
 * SourceError listing every problem with file:line:column, field path and reason; secrets never
 * appear in a message. Warnings (an inline secret, a setting vigil ignores) are returned.
 */
export function loadAlertingConfig(file: string, text: string): { config: AlertingConfig; warnings: SourceIssue[] } {
  const r = checkAlertingConfig(file, text);
  if (r.config === undefined) throw new SourceError(r.errors);
  return { config: r.config, warnings: r.warnings };
}

/** checkAlertingConfig is loadAlertingConfig returning the errors (and the warnings found with them). */
export function checkAlertingConfig(file: string, text: string): { config: AlertingConfig | undefined; errors: SourceIssue[]; warnings: SourceIssue[] } {
  const warnings: SourceIssue[] = [];
  try {
    const config = readYaml(file, text, (root) => decodeConfig(file, root), warnings);
    return { config, errors: [], warnings: byPosition(warnings) };
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    return { config: undefined, errors: byPosition(err.issues), warnings: byPosition(warnings) };
  }
}

/** byPosition orders issues as they appear in the file (they are found in decoding order). */
function byPosition(issues: readonly SourceIssue[]): SourceIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** loadAlertingConfigFile is loadAlertingConfig on a file read from disk. */
export function loadAlertingConfigFile(file: string): { config: AlertingConfig; warnings: SourceIssue[] } {
  return loadAlertingConfig(file, readFileSync(file, 'utf8'));
}

function decodeConfig(file: string, root: Field): AlertingConfig {
  const ctx: DecodeContext = { receiverDefs: [], receiverRefs: [], intervalRefs: [], fallbackRefs: [] };
  const empty: AlertingConfig = {
    file,
    global: decodeGlobal(root.missing('global')).config,
    route: EMPTY_ROUTE,
    receivers: [],
    inhibitRules: [],
    timeIntervals: new Map(),
    templates: [],
  };
  if (!root.present) {
    root.fail('no route provided in config');
    return empty;
  }
  const o = root.object(TOP_KEYS);
  if (o === undefined) return empty;
  const global = decodeGlobal(o.get('global'));
  const receivers = o.get('receivers').list((f) => decodeReceiver(f, global, ctx)) ?? [];
  const route = decodeRoute(o.get('route'), ctx, true);
  const inhibitRules = o.get('inhibit_rules').list(decodeInhibitRule) ?? [];
  const timeIntervals = new Map<string, readonly TimeInterval[]>();
  decodeNamedIntervals(o.get('mute_time_intervals'), 'mute_time_intervals', timeIntervals);
  decodeNamedIntervals(o.get('time_intervals'), 'time_intervals', timeIntervals);
  const templates = o.get('templates').list((f) => f.filePath()) ?? [];
  checkReferences(ctx, receivers, timeIntervals);
  return { file, global: global.config, route: route ?? EMPTY_ROUTE, receivers, inhibitRules, timeIntervals, templates };
}

/**
 * checkReferences applies Alertmanager's cross-checks (receiver names unique, every receiver and
 * time interval a route names defined) and vigil's for `fallback` (defined, and no receiver falls
 * back to itself, directly or through others).
 */
function checkReferences(ctx: DecodeContext, receivers: readonly ReceiverConfig[], intervals: ReadonlyMap<string, unknown>): void {
  const names = new Set<string>();
  for (const def of ctx.receiverDefs) {
    if (names.has(def.name)) def.field.fail(`notification config name ${JSON.stringify(def.name)} is not unique`);
    names.add(def.name);
  }
  for (const ref of ctx.receiverRefs) {
    if (!names.has(ref.name)) ref.field.fail(`undefined receiver ${JSON.stringify(ref.name)} used in route`);
  }
  for (const ref of ctx.intervalRefs) {
    if (!intervals.has(ref.name)) ref.field.fail(`undefined time interval ${JSON.stringify(ref.name)} used in route`);
  }
  const fallbackOf = new Map(receivers.filter((r) => r.fallback !== undefined).map((r) => [r.name, r.fallback!]));
  for (const ref of ctx.fallbackRefs) {
    if (!names.has(ref.name)) {
      ref.field.fail(`undefined receiver ${JSON.stringify(ref.name)} used as fallback`);
      continue;
    }
    const seen = new Set([ref.from]);
    for (let next: string | undefined = ref.name; next !== undefined; next = fallbackOf.get(next)) {
      if (seen.has(next)) {
        ref.field.fail(`fallback loop: ${[...seen, next].join(' -> ')}`);
        break;
      }
      seen.add(next);
    }
  }
}

const EMPTY_ROUTE: RouteConfig = {
  position: { line: 1, column: 1 },
  receiver: undefined,
  groupBy: undefined,
  matchers: [],
  continue: false,
  groupWait: undefined,
  groupInterval: undefined,
  repeatInterval: undefined,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  routes: [],
};
