import type { Labels } from '../../model/labels.js';
import { AppendError, type Appendable, type Queryable } from '../../model/storage.js';
import { StaleNaN } from '../../model/value.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { NotifyFn, QueryFn, Rule, RuleGroup } from '../model.js';
import type { RuleMetrics } from '../telemetry.js';
import { AlertingRuleState } from './alerting.js';
import type { EvalContext, TemplateExpander } from './context.js';
import { toNotifierAlert } from './notify.js';
import { RecordingRuleState } from './recording.js';
import { restoreForState } from './restore.js';
import { groupOffsetNs, slotAtOrBefore } from './slot.js';

export type RuleState = RecordingRuleState | AlertingRuleState;

/** GroupEnv is what every group of one manager shares: the seams, the clock and the settings. */
export interface GroupEnv {
  readonly queryFn: QueryFn;
  readonly appendable: Appendable;
  readonly queryable: Queryable | undefined;
  readonly notify: NotifyFn;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RuleMetrics;
  /** externalLabels and externalURL may change on reload (RuleManager.update). */
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  readonly expand: TemplateExpander;
  readonly resendDelayMs: number;
  readonly forGracePeriodMs: number;
  readonly outageToleranceMs: number;
  /** stopwatch measures evaluation durations in ms (performance.now by default). */
  readonly stopwatch: () => number;
}

/** groupKey names a group as Prometheus does (`rule_group` label, reload identity): `<file>;<name>`. */
export function groupKey(file: string, name: string): string {
  return `${file};${name}`;
}

/**
 * Group is one running rule group, as Prometheus's rules.Group: its rules in order, the series each
 * rule wrote last time (to mark the vanished ones stale), and its evaluation loop on the Clock.
 * Evaluations of one group never overlap.
 */
export class Group {
  readonly name: string;
  readonly file: string;
  readonly key: string;
  readonly intervalMs: number;
  readonly limit: number;
  readonly queryOffsetMs: number;
  readonly rules: readonly RuleState[];

  /** lastEvaluation: when (clock ms) the last evaluation started; evaluationSeconds: how long it took. */
  lastEvaluation: number | undefined;
  evaluationSeconds = 0;
  /** lastEvalTimestamp is the slot (ms) the last evaluation evaluated at. */
  lastEvalTimestamp: number | undefined;
  lastSamples = 0;
  lastRestoreSeconds = 0;

  private seriesInPreviousEval: Map<string, Labels>[];
  private staleSeries: Labels[] = [];
  private shouldRestore: boolean;
  private iterationsRun = 0;

  private running = false;
  private stopping = false;
  private timer: TimerHandle | undefined;
  private current: Promise<void> | undefined;
  private lastTick = 0;
  private evalTimestamp = 0;
  private readonly offsetNs: bigint;

  constructor(
    readonly source: RuleGroup,
    defaultIntervalMs: number,
    /** shouldRestore: restore `for` state from ALERTS_FOR_STATE after the second evaluation. */
    shouldRestore: boolean,
    private readonly env: GroupEnv,
  ) {
    this.name = source.name;
    this.file = source.source?.file ?? '';
    this.key = groupKey(this.file, this.name);
    this.intervalMs = source.intervalMs > 0 ? source.intervalMs : defaultIntervalMs;
    this.limit = source.limit;
    this.queryOffsetMs = source.queryOffsetMs;
    this.shouldRestore = shouldRestore;
    this.rules = source.rules.map((r) => newRuleState(r, source.labels, !shouldRestore));
    this.seriesInPreviousEval = this.rules.map(() => new Map());
    this.offsetNs = groupOffsetNs(this.file, this.name, this.intervalMs);
  }

  /** evalSlot is the group's evaluation slot at or before `nowMs` (Prometheus's Group.EvalTimestamp). */
  evalSlot(nowMs: number): number {
    return slotAtOrBefore(this.offsetNs, this.intervalMs, nowMs);
  }

  /** alertingRules lists the group's alerting rules in file order. */
  alertingRules(): AlertingRuleState[] {
    return this.rules.filter((r): r is AlertingRuleState => r instanceof AlertingRuleState);
  }

  /**
   * start begins evaluating on the clock: first at the group's next slot, then every interval. An
   * evaluation that runs past the next slot skips the slots it missed (counted as missed).
   */
  start(): void {
    if (this.running || this.stopping) return;
    this.running = true;
    const now = this.env.clock.now();
    const first = this.evalSlot(now) + this.intervalMs;
    this.evalTimestamp = first;
    this.lastTick = first;
    this.timer = this.env.clock.setTimeout(() => this.tick(false), first - now);
  }

  /** stop ends the loop and resolves once an evaluation under way has finished. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.running = false;
    if (this.timer !== undefined) this.env.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.current;
  }

  private tick(scheduled: boolean): void {
    this.timer = undefined;
    if (!this.running) return;
    if (scheduled) {
      const missed = Math.floor((this.env.clock.now() - this.evalTimestamp) / this.intervalMs) - 1;
      if (missed > 0) {
        this.env.metrics.missed(this.key, missed);
        this.env.metrics.iterations(this.key, missed);
        this.env.logger.warn('rule group evaluation ran past its slot; skipping the slots missed', {
          group: this.name,
          file: this.file,
          missed,
        });
      }
      this.evalTimestamp += (Math.max(missed, 0) + 1) * this.intervalMs;
    }
    const ts = this.evalTimestamp;
    this.current = this.runIteration(ts).then(() => {
      this.current = undefined;
      if (this.running) this.scheduleNext();
    });
  }

  /**
   * scheduleNext delivers the next tick as Go's ticker would: ticks fall every interval after the
   * first slot; one that fell during the evaluation is delivered at once, later ones are dropped.
   */
  private scheduleNext(): void {
    const now = this.env.clock.now();
    const next = this.lastTick + this.intervalMs;
    if (next <= now) {
      this.lastTick = next + Math.floor((now - next) / this.intervalMs) * this.intervalMs;
      this.timer = this.env.clock.setTimeout(() => this.tick(true), 0);
    } else {
      this.lastTick = next;
      this.timer = this.env.clock.setTimeout(() => this.tick(true), next - now);
    }
  }

  /**
   * runIteration evaluates the group at `ts` with Prometheus's bookkeeping (iteration counted,
   * durations, last evaluation), and restores `for` state after the second one when asked to.
   */
  async runIteration(ts: number): Promise<void> {
    const { clock, metrics, stopwatch } = this.env;
    metrics.iterations(this.key, 1);
    const started = clock.now();
    const t0 = stopwatch();
    await this.eval(ts);
    const seconds = (stopwatch() - t0) / 1000;
    metrics.groupEvaluated(this.key, seconds);
    if (clock.now() - started > this.intervalMs) metrics.slow(this.key);
    this.evaluationSeconds = seconds;
    this.lastEvaluation = started;
    this.lastEvalTimestamp = ts;
    this.iterationsRun++;
    // Prometheus restores after the second evaluation: by then recording rules that alerts depend
    // on have written fresh values.
    if (this.shouldRestore && this.iterationsRun >= 2) this.restore(clock.now());
  }

  /** restore moves the activeAt of alerts found in ALERTS_FOR_STATE, then lets the rules write ALERTS. */
  restore(now: number): void {
    this.shouldRestore = false;
    const t0 = this.env.stopwatch();
    restoreForState(this.alertingRules(), now, this.env);
    this.lastRestoreSeconds = (this.env.stopwatch() - t0) / 1000;
  }

  /**
   * eval evaluates every rule in order at `ts`. Each rule's output is committed before the next
   * rule runs, so later rules see it through the store (as Prometheus commits per rule). A failed
   * rule is reported on its status and in telemetry; the others still run.
   */
  async eval(ts: number): Promise<void> {
    const { metrics, logger, stopwatch, clock } = this.env;
    const ctx: EvalContext = {
      queryFn: this.env.queryFn,
      queryOffsetMs: this.queryOffsetMs,
      limit: this.limit,
      externalLabels: this.env.externalLabels,
      externalURL: this.env.externalURL,
      expand: this.env.expand,
      logger: logger.with({ group: this.name, file: this.file }),
    };
    let samplesTotal = 0;
    for (let i = 0; i < this.rules.length; i++) {
      if (this.stopping) return;
      const rule = this.rules[i]!;
      const t0 = stopwatch();
      rule.status.lastEvaluation = clock.now();
      let failed = false;
      try {
        const vector = await rule.eval(ts, ctx);
        rule.status.health = 'ok';
        rule.status.lastError = undefined;
        samplesTotal += vector.length;
        if (rule instanceof AlertingRuleState) this.sendAlerts(rule, ts);
        failed = !this.append(i, rule, vector, ts, ctx.logger);
      } catch (err) {
        failed = true;
        rule.status.health = 'err';
        rule.status.lastError = err instanceof Error ? err.message : String(err);
        ctx.logger.warn('evaluating rule failed', { rule: rule.name, index: i, err: rule.status.lastError });
        // Unlike Prometheus, which sends nothing then (so the router resolves every alert of the
        // rule once their end times pass), a rule that cannot be evaluated keeps sending the
        // alerts it last had: a store that is down must not read as "all clear" to on-call.
        if (rule instanceof AlertingRuleState) this.sendAlerts(rule, ts);
      }
      const seconds = (stopwatch() - t0) / 1000;
      rule.status.evaluationSeconds = seconds;
      metrics.ruleEvaluated(this.key, seconds, failed);
    }
    this.lastSamples = samplesTotal;
    this.cleanupStaleSeries(ts);
  }

  /**
   * append writes one rule's samples in one transaction, with staleness markers for the series it
   * wrote last time and not now. Samples the store refuses (out of order, duplicate) are dropped
   * and logged as Prometheus does. It returns false when the commit failed.
   */
  private append(i: number, rule: RuleState, vector: readonly { labels: Labels; t: number; v: number }[], ts: number, logger: Logger): boolean {
    const app = this.env.appendable.appender();
    const returned = new Map<string, Labels>();
    const refused: Record<string, number> = {};
    for (const s of vector) {
      try {
        app.append(s.labels, s.t, s.v);
        returned.set(s.labels.key, s.labels);
      } catch (err) {
        rule.status.health = 'err';
        rule.status.lastError = err instanceof Error ? err.message : String(err);
        if (err instanceof AppendError) refused[err.code] = (refused[err.code] ?? 0) + 1;
        else logger.warn('rule evaluation result discarded', { rule: rule.name, err: rule.status.lastError, series: s.labels.toString() });
      }
    }
    for (const [code, n] of Object.entries(refused)) {
      logger.warn('rule evaluation results refused by the store', { rule: rule.name, reason: code, num_dropped: n });
    }
    const staleAt = ts - this.queryOffsetMs;
    for (const [key, labels] of this.seriesInPreviousEval[i]!) {
      if (returned.has(key)) continue;
      try {
        app.append(labels, staleAt, StaleNaN);
      } catch (err) {
        // Another rule may write the same series; a refused marker is expected then.
        if (!(err instanceof AppendError)) logger.warn('adding stale sample failed', { series: labels.toString(), err: String(err) });
      }
    }
    try {
      app.commit();
    } catch (err) {
      rule.status.health = 'err';
      rule.status.lastError = err instanceof Error ? err.message : String(err);
      logger.warn('rule sample appending failed', { rule: rule.name, err: rule.status.lastError });
      return false;
    }
    this.seriesInPreviousEval[i] = returned;
    return true;
  }

  private sendAlerts(rule: AlertingRuleState, ts: number): void {
    const due = rule.takeAlertsToSend(ts, this.env.resendDelayMs, this.intervalMs);
    if (due.length === 0) return;
    const alerts = due.map((a) => toNotifierAlert(a, rule.rule.expr, this.env.externalURL, this.env.externalLabels));
    try {
      const done = this.env.notify(alerts);
      if (done !== undefined) done.catch((err: unknown) => this.env.logger.error('sending alerts failed', { alertname: rule.name, err: String(err) }));
    } catch (err) {
      this.env.logger.error('sending alerts failed', { alertname: rule.name, err: String(err) });
    }
  }

  /** cleanupStaleSeries writes staleness markers for series of rules that no longer exist. */
  cleanupStaleSeries(ts: number): void {
    if (this.staleSeries.length === 0) return;
    const app = this.env.appendable.appender();
    for (const labels of this.staleSeries) {
      try {
        app.append(labels, ts - this.queryOffsetMs, StaleNaN);
      } catch (err) {
        if (!(err instanceof AppendError)) this.env.logger.warn('adding stale sample for a removed rule failed', { series: labels.toString(), err: String(err) });
      }
    }
    try {
      app.commit();
      this.staleSeries = [];
    } catch (err) {
      this.env.logger.warn('stale sample appending for a removed rule failed', { err: String(err) });
    }
  }

  /** retire hands every series this group wrote to the stale list (the group is being removed). */
  retire(): void {
    for (const m of this.seriesInPreviousEval) for (const labels of m.values()) this.staleSeries.push(labels);
    this.seriesInPreviousEval = this.rules.map(() => new Map());
  }

  /**
   * copyState takes over the state of the group this one replaces on reload (Prometheus's
   * CopyState): rules are matched by name and labels, in order among equals; matched rules keep
   * their series (for staleness) and alerts; the series of unmatched old rules become stale.
   */
  copyState(from: Group): void {
    this.evaluationSeconds = from.evaluationSeconds;
    this.lastEvaluation = from.lastEvaluation;
    const byIdentity = new Map<string, number[]>();
    from.rules.forEach((r, i) => {
      const id = ruleIdentity(r);
      byIdentity.set(id, [...(byIdentity.get(id) ?? []), i]);
    });
    this.rules.forEach((rule, i) => {
      const id = ruleIdentity(rule);
      const indexes = byIdentity.get(id);
      if (indexes === undefined || indexes.length === 0) return;
      const fi = indexes[0]!;
      byIdentity.set(id, indexes.slice(1));
      this.seriesInPreviousEval[i] = from.seriesInPreviousEval[fi]!;
      const old = from.rules[fi]!;
      if (rule instanceof AlertingRuleState && old instanceof AlertingRuleState) rule.adoptAlerts(old);
    });
    this.staleSeries = [...from.staleSeries];
    from.rules.forEach((r, fi) => {
      if ((byIdentity.get(ruleIdentity(r)) ?? []).includes(fi)) {
        for (const labels of from.seriesInPreviousEval[fi]!.values()) this.staleSeries.push(labels);
      }
    });
  }

  /** equals says whether a reload left this group unchanged (Prometheus's Group.Equals), so it keeps running untouched. */
  equals(other: Group): boolean {
    return (
      this.name === other.name &&
      this.file === other.file &&
      this.intervalMs === other.intervalMs &&
      this.limit === other.limit &&
      this.queryOffsetMs === other.queryOffsetMs &&
      this.rules.length === other.rules.length &&
      this.rules.every((r, i) => ruleDefinition(r) === ruleDefinition(other.rules[i]!))
    );
  }
}

function newRuleState(rule: Rule, groupLabels: Readonly<Record<string, string>>, restored: boolean): RuleState {
  // Group labels apply to every rule; a rule's own labels win (Prometheus's group `labels`).
  const labels = { ...groupLabels, ...rule.labels };
  return rule.kind === 'recording' ? new RecordingRuleState(rule, labels) : new AlertingRuleState(rule, labels, restored);
}

/** ruleIdentity is Prometheus's nameAndLabels: how a reload matches a new rule to an old one. */
function ruleIdentity(r: RuleState): string {
  return r.name + JSON.stringify(sortedEntries(r.labels));
}

/** ruleDefinition is everything that makes two rules the same rule (Prometheus compares their YAML). */
function ruleDefinition(r: RuleState): string {
  const rule = r.rule;
  return JSON.stringify(
    rule.kind === 'recording'
      ? ['record', rule.record, rule.expr, sortedEntries(r.labels)]
      : ['alert', rule.alert, rule.expr, rule.forMs, rule.keepFiringForMs, sortedEntries(r.labels), sortedEntries(rule.annotations)],
  );
}

function sortedEntries(r: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(r).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
