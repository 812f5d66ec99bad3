import { Labels, LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import type { AlertingRule } from '../model.js';
import { type ActiveAlert, type AlertState, needsSending } from './alert.js';
import type { EvalContext } from './context.js';
import { ERR_DUPLICATE_ALERT_LABELSET, RuleEvalError } from './errors.js';
import { expandAlertText } from './expand.js';
import { newRuleStatus, type RuleSample, type RuleStatus } from './sample.js';

export const ALERTS_METRIC = 'ALERTS';
export const ALERTS_FOR_STATE_METRIC = 'ALERTS_FOR_STATE';
export const ALERT_NAME_LABEL = 'alertname';
export const ALERT_STATE_LABEL = 'alertstate';

/** RESOLVED_RETENTION_MS: a resolved alert is kept (and resent as resolved) for 15m, as in Prometheus. */
export const RESOLVED_RETENTION_MS = 15 * 60_000;

/**
 * AlertingRuleState is one alerting rule and its alerts, with Prometheus's state machine:
 * a new result label set is pending; it fires once it has held for `for`; when it stops holding a
 * pending alert is dropped and a firing one resolves (or keeps firing for `keep_firing_for`); a
 * resolved alert stays 15 minutes so its resolution can be resent.
 */
export class AlertingRuleState {
  readonly kind = 'alerting';
  readonly status: RuleStatus = newRuleStatus();
  /** active holds the alerts by the key of their labels: pending, firing and recently resolved. */
  private active = new Map<string, ActiveAlert>();

  constructor(
    readonly rule: AlertingRule,
    /** labels are the rule's labels merged over the group's labels (templates not yet expanded). */
    readonly labels: Readonly<Record<string, string>>,
    /**
     * restored: ALERTS and ALERTS_FOR_STATE are written only once the `for` state has been
     * restored after a start (Prometheus's AlertingRule.restored).
     */
    public restored: boolean,
  ) {}

  get name(): string {
    return this.rule.alert;
  }

  /**
   * eval runs the rule's query at `ts - queryOffset`, updates the alerts and returns the ALERTS
   * and ALERTS_FOR_STATE samples to append. It throws RuleEvalError and then changes nothing
   * (except a limit overrun, which drops every alert, as Prometheus does).
   */
  async eval(ts: number, ctx: EvalContext): Promise<RuleSample[]> {
    const queryTime = ts - ctx.queryOffsetMs;
    let result;
    try {
      result = await ctx.queryFn(this.rule.expr, queryTime);
    } catch (err) {
      throw new RuleEvalError('query_failed', err instanceof Error ? err.message : String(err));
    }

    const fresh = new Map<string, ActiveAlert>();
    const b = new LabelsBuilder();
    for (const s of result) {
      const data = { labels: s.metric.toRecord(), externalLabels: ctx.externalLabels, externalURL: ctx.externalURL, value: s.v };
      b.reset(s.metric).del(METRIC_NAME);
      for (const name of sortedKeys(this.labels)) b.set(name, await expandAlertText(this.labels[name]!, this.rule.alert, data, ts, ctx));
      b.set(ALERT_NAME_LABEL, this.rule.alert);
      const annotations: [string, string][] = [];
      for (const name of sortedKeys(this.rule.annotations)) {
        annotations.push([name, await expandAlertText(this.rule.annotations[name]!, this.rule.alert, data, ts, ctx)]);
      }
      const labels = b.labels();
      if (fresh.has(labels.key)) throw new RuleEvalError('duplicate_labelset', ERR_DUPLICATE_ALERT_LABELSET);
      fresh.set(labels.key, {
        state: 'pending',
        labels,
        annotations: Labels.from(annotations),
        value: s.v,
        activeAt: ts,
        firedAt: undefined,
        resolvedAt: undefined,
        lastSentAt: undefined,
        validUntil: undefined,
        keepFiringSince: undefined,
      });
    }

    for (const [key, a] of fresh) {
      const known = this.active.get(key);
      if (known !== undefined && known.state !== 'inactive') {
        known.value = a.value;
        known.annotations = a.annotations;
        continue;
      }
      this.active.set(key, a);
    }

    const out: RuleSample[] = [];
    let activeOrPending = 0;
    for (const [key, a] of this.active) {
      if (!fresh.has(key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.rule.keepFiringForMs > 0) {
          a.keepFiringSince ??= ts;
          keepFiring = ts - a.keepFiringSince < this.rule.keepFiringForMs;
        }
        if (a.state === 'pending' || (a.resolvedAt !== undefined && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) this.active.delete(key);
        if (a.state !== 'inactive' && !keepFiring) {
          a.state = 'inactive';
          a.resolvedAt = ts;
        }
        if (!keepFiring) continue;
      } else {
        a.keepFiringSince = undefined;
      }
      activeOrPending++;
      if (a.state === 'pending' && ts - a.activeAt >= this.rule.forMs) {
        a.state = 'firing';
        a.firedAt = ts;
      }
      if (this.restored) {
        out.push({ labels: this.seriesLabels(a, ALERTS_METRIC, a.state), t: queryTime, v: 1 });
        out.push({ labels: this.seriesLabels(a, ALERTS_FOR_STATE_METRIC, undefined), t: queryTime, v: Math.floor(a.activeAt / 1000) });
      }
    }

    if (ctx.limit > 0 && activeOrPending > ctx.limit) {
      this.active = new Map();
      throw new RuleEvalError('limit_exceeded', `exceeded limit of ${ctx.limit} with ${activeOrPending} alerts`);
    }
    return out;
  }

  /**
   * seriesLabels builds an ALERTS (with `alertstate`) or ALERTS_FOR_STATE series: the rule's raw
   * labels, overridden by the alert's labels, as Prometheus builds them.
   */
  private seriesLabels(a: ActiveAlert | undefined, metric: string, state: AlertState | undefined): Labels {
    const b = new LabelsBuilder(Labels.from(this.labels));
    a?.labels.forEach((n, v) => b.set(n, v));
    b.set(METRIC_NAME, metric).set(ALERT_NAME_LABEL, this.rule.alert);
    if (state !== undefined) b.set(ALERT_STATE_LABEL, state);
    return b.labels();
  }

  /** forStateSelector is the label set whose series hold this rule's `for` state (restore selects by it). */
  forStateSelector(): Labels {
    return this.seriesLabels(undefined, ALERTS_FOR_STATE_METRIC, undefined);
  }

  /**
   * takeAlertsToSend marks and returns copies of the alerts due for sending at `ts` (resolutions not
   * yet sent, and active alerts not sent for `resendDelayMs`). validUntil, the endsAt of an active
   * alert, is ts + 4 × max(group interval, resend delay): it survives two failed sends.
   */
  takeAlertsToSend(ts: number, resendDelayMs: number, intervalMs: number): ActiveAlert[] {
    const out: ActiveAlert[] = [];
    for (const a of this.active.values()) {
      if (!needsSending(a, ts, resendDelayMs)) continue;
      a.lastSentAt = ts;
      a.validUntil = ts + 4 * Math.max(intervalMs, resendDelayMs);
      out.push({ ...a });
    }
    return out;
  }

  /** state is the rule's state: the highest of its alerts' (firing > pending > inactive), `unknown` before any evaluation. */
  state(): AlertState | 'unknown' {
    if (this.status.lastEvaluation === undefined) return 'unknown';
    let s: AlertState = 'inactive';
    for (const a of this.active.values()) {
      if (a.state === 'firing') return 'firing';
      if (a.state === 'pending') s = 'pending';
    }
    return s;
  }

  /** activeAlerts returns copies of the pending and firing alerts (not the resolved ones kept for resending). */
  activeAlerts(): ActiveAlert[] {
    return [...this.active.values()].filter((a) => a.resolvedAt === undefined).map((a) => ({ ...a }));
  }

  /** currentAlerts returns copies of every alert held, resolved ones included. */
  currentAlerts(): ActiveAlert[] {
    return [...this.active.values()].map((a) => ({ ...a }));
  }

  /** forEachAlert runs `fn` on the live alerts (restore moves their activeAt). */
  forEachAlert(fn: (a: ActiveAlert) => void): void {
    for (const a of this.active.values()) fn(a);
  }

  /** adoptAlerts takes over another rule object's alerts (a reload that changed the group). */
  adoptAlerts(from: AlertingRuleState): void {
    for (const [key, a] of from.active) this.active.set(key, a);
  }
}

function sortedKeys(r: Readonly<Record<string, string>>): string[] {
  return Object.keys(r).sort();
}
