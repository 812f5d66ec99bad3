import { LabelsBuilder, METRIC_NAME } from '../../model/labels.js';
import type { RecordingRule } from '../model.js';
import type { EvalContext } from './context.js';
import { ERR_DUPLICATE_RULE_LABELSET, RuleEvalError } from './errors.js';
import { newRuleStatus, type RuleSample, type RuleStatus } from './sample.js';

/**
 * RecordingRuleState evaluates one recording rule, as Prometheus's RecordingRule: the query's
 * result, renamed to `record` and with the rule's labels set (overriding the query's), becomes
 * the samples to store at the query time.
 */
export class RecordingRuleState {
  readonly kind = 'recording';
  readonly status: RuleStatus = newRuleStatus();

  constructor(
    readonly rule: RecordingRule,
    /** labels are the rule's labels merged over the group's labels. */
    readonly labels: Readonly<Record<string, string>>,
  ) {}

  get name(): string {
    return this.rule.record;
  }

  /** eval queries at `ts - queryOffset` and returns the samples to append; it throws RuleEvalError. */
  async eval(ts: number, ctx: EvalContext): Promise<RuleSample[]> {
    const t = ts - ctx.queryOffsetMs;
    let result;
    try {
      result = await ctx.queryFn(this.rule.expr, t);
    } catch (err) {
      throw new RuleEvalError('query_failed', err instanceof Error ? err.message : String(err));
    }
    const out: RuleSample[] = [];
    const seen = new Set<string>();
    const b = new LabelsBuilder();
    for (const s of result) {
      b.reset(s.metric).set(METRIC_NAME, this.rule.record);
      for (const name in this.labels) b.set(name, this.labels[name]!);
      const labels = b.labels();
      if (seen.has(labels.key)) throw new RuleEvalError('duplicate_labelset', ERR_DUPLICATE_RULE_LABELSET);
      seen.add(labels.key);
      out.push({ labels, t, v: s.v });
    }
    if (ctx.limit > 0 && out.length > ctx.limit) {
      throw new RuleEvalError('limit_exceeded', `exceeded limit of ${ctx.limit} with ${out.length} series`);
    }
    return out;
  }
}
