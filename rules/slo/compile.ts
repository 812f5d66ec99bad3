import type { RecordingRule, Rule, RuleGroup, SLO } from '../model.js';
import { burnAlert, noDataAlert } from './alerts.js';
import { SLOCompileError } from './errors.js';
import { dur, num } from './promql.js';
import { ratioRules } from './ratios.js';
import {
  CURRENT_BURN_RATE,
  ERROR_BUDGET,
  ERRORS_RATE5M,
  errorRatio,
  OBJECTIVE,
  of,
  PERIOD_BUDGET_REMAINING,
  PERIOD_BURN_RATE,
  SLO_INFO,
  seriesLabels,
  TIME_PERIOD_DAYS,
  TOTAL_RATE5M,
} from './series.js';
import { sliExprs } from './sli.js';
import { errorBudget, MIN_WINDOW_MS, periodMs, roundSignificant, tierWindows } from './windows.js';

/**
 * The SLO compiler: one SLO becomes one rule group of recording and alerting rules that runs the
 * same in vigil, Prometheus, Thanos Ruler and Mimir. The output is a pure function of the SLO:
 * group names and rule order are stable, so compiling twice gives identical bytes.
 *
 * Rule order in a group (rules in a group run in order, each seeing the ones before it at the
 * same timestamp): the 5m error and total rates, the error ratio per window ascending, the budget
 * series, the info series, the page alerts, the ticket alerts, the NoData alert.
 */

/** SLO_GROUP_INTERVAL_MS is the compiled groups' evaluation interval: the chained windows' step. */
export const SLO_GROUP_INTERVAL_MS = 60_000;

const DAY = 24 * 3600_000;

/** sloGroupName is the stable group name of an SLO: `slo:<service>:<name>`. */
export function sloGroupName(slo: Pick<SLO, 'service' | 'name'>): string {
  return `slo:${slo.service}:${slo.name}`;
}

/** compileSLO compiles one SLO into its rule group. */
export function compileSLO(slo: SLO): RuleGroup {
  checkCompilable(slo);
  const exprs = sliExprs(slo.sli, slo.grouping);
  const period = periodMs(slo.window);
  const labels = seriesLabels(slo);
  const rules: Rule[] = [];
  const rec = (record: string, expr: string, extra: Record<string, string> = {}): RecordingRule => ({
    kind: 'recording',
    record,
    expr,
    labels: { ...labels, ...extra },
  });

  if (exprs.kind === 'events') {
    rules.push(rec(ERRORS_RATE5M, exprs.errors(MIN_WINDOW_MS)), rec(TOTAL_RATE5M, exprs.total(MIN_WINDOW_MS)));
  }
  const tiers = [slo.alerting.page, slo.alerting.ticket];
  rules.push(...ratioRules(slo, exprs, tierWindows(tiers), period));

  const budget = errorBudget(slo.objectivePercent);
  rules.push(
    rec(OBJECTIVE, `vector(${num(roundSignificant(slo.objectivePercent / 100))})`),
    rec(ERROR_BUDGET, `vector(${num(budget)})`),
    rec(TIME_PERIOD_DAYS, `vector(${num(period / DAY)})`),
    rec(CURRENT_BURN_RATE, `${of(errorRatio(MIN_WINDOW_MS), slo)} / ${num(budget)}`),
    rec(PERIOD_BURN_RATE, `${of(errorRatio(period), slo)} / ${num(budget)}`),
    rec(PERIOD_BUDGET_REMAINING, `1 - ${of(PERIOD_BURN_RATE, slo)}`),
    rec(SLO_INFO, 'vector(1)', infoLabels(slo)),
  );

  for (const [name, tier] of [['page', slo.alerting.page] as const, ['ticket', slo.alerting.ticket] as const]) {
    for (const w of tier?.windows ?? []) rules.push(burnAlert(slo, exprs, name, tier!, w));
  }
  if (slo.noData.policy === 'alert') rules.push(noDataAlert(slo, exprs));

  return {
    name: sloGroupName(slo),
    intervalMs: SLO_GROUP_INTERVAL_MS,
    limit: 0,
    queryOffsetMs: 0,
    labels: {},
    rules,
    ...(slo.source === undefined ? {} : { source: slo.source }),
  };
}

/**
 * compileSLOs compiles SLOs in the order given. Two SLOs with the same service and name would
 * record the same series: that is an error naming both.
 */
export function compileSLOs(slos: readonly SLO[]): RuleGroup[] {
  const seen = new Map<string, SLO>();
  for (const slo of slos) {
    const key = sloGroupName(slo);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new SLOCompileError(
        'duplicate-slo',
        `SLO ${JSON.stringify(slo.name)} of service ${JSON.stringify(slo.service)} is defined twice${where(first)}${where(slo, ' and')}; ` +
          'both would record the same series',
      );
    }
    seen.set(key, slo);
  }
  return slos.map(compileSLO);
}

function where(slo: SLO, word = ' at'): string {
  const s = slo.source;
  return s === undefined ? '' : `${word} ${s.file}:${s.line}:${s.column}`;
}

function infoLabels(slo: SLO): Record<string, string> {
  const w = slo.window;
  const out: Record<string, string> = { objective: num(slo.objectivePercent) };
  if (w.kind === 'rolling') out['window'] = dur(w.ms);
  else {
    out['window'] = w.unit;
    out['time_zone'] = w.timeZone;
  }
  return out;
}

/**
 * checkCompilable enforces what the compiler relies on; the decoders report the same problems at
 * their file position first, so this only fires for SLOs built in code.
 */
function checkCompilable(slo: SLO): void {
  for (const tier of [slo.alerting.page, slo.alerting.ticket]) {
    for (const w of tier?.windows ?? []) {
      for (const ms of [w.longMs, w.shortMs]) {
        if (ms < MIN_WINDOW_MS || ms % 60_000 !== 0) {
          throw new SLOCompileError('bad-window', `SLO ${JSON.stringify(slo.name)}: window ${ms}ms must be a whole number of minutes, at least 5m`);
        }
      }
      if (w.shortMs >= w.longMs) throw new SLOCompileError('bad-window', `SLO ${JSON.stringify(slo.name)}: the short window must be shorter than the long one`);
    }
  }
  if (!(slo.objectivePercent > 0 && slo.objectivePercent < 100)) {
    throw new SLOCompileError('bad-objective', `SLO ${JSON.stringify(slo.name)}: objective ${slo.objectivePercent} is not between 0 and 100`);
  }
  if (slo.optimize === 'exact' && slo.sli.kind === 'raw' && !/\{\{\s*\.window\s*\}\}/.test(slo.sli.errorRatio)) {
    throw new SLOCompileError('exact-needs-window', `SLO ${JSON.stringify(slo.name)}: optimize: exact needs {{.window}} in the raw error ratio query`);
  }
}
