import type { Labels } from '../../model/labels.js';

/** RuleSample is one sample a rule writes to the store: its series, time (ms) and value. */
export interface RuleSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** RuleHealth is Prometheus's rule health: `unknown` before the first evaluation, then `ok` or `err`. */
export type RuleHealth = 'unknown' | 'ok' | 'err';

/**
 * RuleStatus is what every rule keeps about its last evaluation, as /api/v1/rules reports it.
 * Times are ms; lastEvaluation is undefined before the first evaluation.
 */
export interface RuleStatus {
  health: RuleHealth;
  lastError: string | undefined;
  lastEvaluation: number | undefined;
  evaluationSeconds: number;
}

export function newRuleStatus(): RuleStatus {
  return { health: 'unknown', lastError: undefined, lastEvaluation: undefined, evaluationSeconds: 0 };
}
