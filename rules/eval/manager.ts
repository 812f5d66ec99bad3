import type { Meter } from '@opentelemetry/api';
import type { Appendable, Queryable } from '../../model/storage.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import { type Logger, nopLogger } from '../../util/log.js';
import type { NotifyFn, QueryFn, RuleGroup } from '../model.js';
import { nopRuleMetrics, otelRuleMetrics, type RuleMetrics } from '../telemetry.js';
import { expandTemplate } from '../template/execute.js';
import type { AlertingRuleState } from './alerting.js';
import type { TemplateExpander } from './context.js';
import { Group, type GroupEnv, groupKey } from './group.js';

/** RuleManagerOptions configure a RuleManager. Durations in ms. */
export interface RuleManagerOptions {
  /** groups to run from the start (update() replaces them later). */
  readonly groups?: readonly RuleGroup[];
  readonly queryFn: QueryFn;
  /** appendable receives recording rule results and ALERTS / ALERTS_FOR_STATE. */
  readonly appendable: Appendable;
  /** queryable is read to restore alert state from ALERTS_FOR_STATE after a start; without it nothing is restored. */
  readonly queryable?: Queryable;
  readonly notify: NotifyFn;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** meter gets the vigil_rule_* telemetry; metrics overrides it (tests, backtests). */
  readonly meter?: Meter;
  readonly metrics?: RuleMetrics;
  /** externalLabels are visible to templates as $externalLabels and added to alerts sent. */
  readonly externalLabels?: Readonly<Record<string, string>>;
  /** externalURL prefixes generatorURL, and is $externalURL in templates. */
  readonly externalURL?: string;
  /** evaluationIntervalMs is the global evaluation_interval, for groups without their own (default 1m). */
  readonly evaluationIntervalMs?: number;
  /** resendDelayMs: how often an active alert is sent again (Prometheus's --rules.alert.resend-delay, 1m). */
  readonly resendDelayMs?: number;
  /** forGracePeriodMs: the least `for` time left to an alert restored after a restart (10m). */
  readonly forGracePeriodMs?: number;
  /** outageToleranceMs: how old an ALERTS_FOR_STATE sample may be to restore from (1h). */
  readonly outageToleranceMs?: number;
  /**
   * restore: whether the first rules loaded restore their `for` state from ALERTS_FOR_STATE after
   * their second evaluation (and write no ALERTS until then), as Prometheus does after a start.
   * Default: true when a queryable is given. Backtests and rule unit tests pass false.
   */
  readonly restore?: boolean;
  /** expand replaces the Go template engine (tests). */
  readonly expand?: TemplateExpander;
  /** stopwatch measures evaluation durations in ms (default performance.now). */
  readonly stopwatch?: () => number;
}

/** UpdateSettings are the config settings a reload may change along with the groups. */
export interface UpdateSettings {
  readonly evaluationIntervalMs?: number;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly externalURL?: string;
}

export const DEFAULT_RESEND_DELAY_MS = 60_000;
export const DEFAULT_FOR_GRACE_PERIOD_MS = 10 * 60_000;
export const DEFAULT_OUTAGE_TOLERANCE_MS = 60 * 60_000;

/**
 * RuleManager runs rule groups on a Clock, as Prometheus's rules.Manager: each group on its own
 * interval and slot; update() applies a new set of groups the way Prometheus reloads (unchanged
 * groups keep running untouched; changed groups restart with their alerts carried over; removed
 * groups stop and mark their series stale two intervals later).
 *
 * For `vigil test` and `vigil backtest`: construct it without start(), then call evalGroupAt() for
 * each group at each evaluation time, in time order, and read alerts from groups().
 */
export class RuleManager {
  private readonly env: GroupEnv;
  private defaultIntervalMs: number;
  private readonly restoreFirst: boolean;
  private current = new Map<string, Group>();
  private loadedOnce = false;
  private started = false;
  private stopped = false;
  private readonly staleTimers = new Set<TimerHandle>();
  /** updating serialises update() calls: a reload waits for the one before it. */
  private updating: Promise<void> = Promise.resolve();

  constructor(opts: RuleManagerOptions) {
    this.env = {
      queryFn: opts.queryFn,
      appendable: opts.appendable,
      queryable: opts.queryable,
      notify: opts.notify,
      clock: opts.clock,
      logger: (opts.logger ?? nopLogger).with({ component: 'rules' }),
      metrics: opts.metrics ?? (opts.meter === undefined ? nopRuleMetrics : otelRuleMetrics(opts.meter)),
      externalLabels: opts.externalLabels ?? {},
      externalURL: opts.externalURL ?? '',
      expand: opts.expand ?? expandTemplate,
      resendDelayMs: opts.resendDelayMs ?? DEFAULT_RESEND_DELAY_MS,
      forGracePeriodMs: opts.forGracePeriodMs ?? DEFAULT_FOR_GRACE_PERIOD_MS,
      outageToleranceMs: opts.outageToleranceMs ?? DEFAULT_OUTAGE_TOLERANCE_MS,
      stopwatch: opts.stopwatch ?? (() => performance.now()),
    };
    this.defaultIntervalMs = opts.evaluationIntervalMs ?? 60_000;
    this.restoreFirst = opts.restore ?? opts.queryable !== undefined;
    if (opts.groups !== undefined) {
      this.current = this.build(opts.groups);
      for (const g of this.current.values()) this.register(g);
    }
  }

  /** start begins evaluating every group on the clock (groups loaded before start wait for it). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.env.logger.info('starting rule manager', { groups: this.current.size });
    for (const g of this.current.values()) g.start();
  }

  /** stop ends every group's loop, waiting for evaluations under way; pending staleness markers are dropped. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.updating;
    for (const t of this.staleTimers) this.env.clock.clearTimeout(t);
    this.staleTimers.clear();
    await Promise.all([...this.current.values()].map((g) => g.stop()));
    this.env.logger.info('rule manager stopped');
  }

  /**
   * update replaces the running groups with `groups` (a reload). Groups are identified by file and
   * name. A new global evaluation interval, external labels or external URL (a reloaded config)
   * apply from now on. It resolves once the old groups it replaced have stopped.
   */
  update(groups: readonly RuleGroup[], settings: UpdateSettings = {}): Promise<void> {
    const run = this.updating.then(() => {
      if (settings.evaluationIntervalMs !== undefined) this.defaultIntervalMs = settings.evaluationIntervalMs;
      if (settings.externalLabels !== undefined) this.env.externalLabels = settings.externalLabels;
      if (settings.externalURL !== undefined) this.env.externalURL = settings.externalURL;
      return this.apply(groups);
    });
    this.updating = run.catch(() => {});
    return run;
  }

  /**
   * build makes the groups of one load. Only the first load restores `for` state (Prometheus's
   * manager restores once, after a start; a reload carries alerts over instead).
   */
  private build(groups: readonly RuleGroup[]): Map<string, Group> {
    const shouldRestore = this.restoreFirst && !this.loadedOnce;
    this.loadedOnce = true;
    const next = new Map<string, Group>();
    for (const rg of groups) {
      const g = new Group(rg, this.defaultIntervalMs, shouldRestore, this.env);
      if (next.has(g.key)) throw new Error(`rule group ${JSON.stringify(g.name)} appears twice in ${JSON.stringify(g.file)}`);
      next.set(g.key, g);
    }
    return next;
  }

  private async apply(groups: readonly RuleGroup[]): Promise<void> {
    if (this.stopped) return;
    const next = this.build(groups);
    const old = this.current;
    const result = new Map<string, Group>();
    const starting: Promise<void>[] = [];
    for (const [key, g] of next) {
      const prev = old.get(key);
      old.delete(key);
      if (prev !== undefined && prev.equals(g)) {
        result.set(key, prev);
        continue;
      }
      result.set(key, g);
      starting.push(
        (async () => {
          if (prev !== undefined) {
            await prev.stop();
            g.copyState(prev);
          }
          this.register(g);
          if (this.started && !this.stopped) g.start();
        })(),
      );
    }
    for (const [key, g] of old) {
      starting.push(
        (async () => {
          await g.stop();
          this.env.metrics.groupRemoved(key);
          this.scheduleStaleness(g);
        })(),
      );
    }
    await Promise.all(starting);
    this.current = result;
  }

  /**
   * scheduleStaleness marks a removed group's series stale two intervals later, giving a renamed
   * rule time to write its series first (as Prometheus does), unless the manager stops before.
   */
  private scheduleStaleness(g: Group): void {
    const stoppedAt = this.env.clock.now();
    g.retire();
    const handle = this.env.clock.setTimeout(() => {
      this.staleTimers.delete(handle);
      if (!this.stopped) g.cleanupStaleSeries(stoppedAt);
    }, 2 * g.intervalMs);
    this.staleTimers.add(handle);
  }

  private register(g: Group): void {
    this.env.metrics.groupAdded(g.key, {
      intervalSeconds: g.intervalMs / 1000,
      rules: g.rules.length,
      lastDurationSeconds: () => g.evaluationSeconds,
      lastEvaluationSeconds: () => (g.lastEvaluation ?? 0) / 1000,
      lastSamples: () => g.lastSamples,
      lastRestoreDurationSeconds: () => g.lastRestoreSeconds,
    });
  }

  /** groups returns the running groups sorted by file, then name (as /api/v1/rules lists them). */
  groups(): Group[] {
    return [...this.current.values()].sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** group finds a group by key (`<file>;<name>`), or by name when only one group has it. */
  group(keyOrName: string): Group | undefined {
    const byKey = this.current.get(keyOrName);
    if (byKey !== undefined) return byKey;
    const named = [...this.current.values()].filter((g) => g.name === keyOrName);
    return named.length === 1 ? named[0] : undefined;
  }

  /** alertingRules lists every alerting rule of every group, in group order. */
  alertingRules(): AlertingRuleState[] {
    return this.groups().flatMap((g) => g.alertingRules());
  }

  /**
   * evalGroupAt evaluates one group at time `t` (ms) now, whatever the clock says, with the same
   * effects as a scheduled evaluation: samples appended, alerts updated and sent. Evaluate groups
   * in time order; it must not run while start()ed loops run the same group.
   */
  async evalGroupAt(group: string | Group, t: number): Promise<void> {
    const g = typeof group === 'string' ? this.group(group) : group;
    if (g === undefined) throw new Error(`no rule group ${JSON.stringify(group)}`);
    await g.runIteration(t);
  }

  /** restoreGroupAt restores a group's `for` state as of `now` (what a start does after two evaluations). */
  restoreGroupAt(group: string | Group, now: number): void {
    const g = typeof group === 'string' ? this.group(group) : group;
    if (g === undefined) throw new Error(`no rule group ${JSON.stringify(group)}`);
    g.restore(now);
  }
}

export { groupKey };
