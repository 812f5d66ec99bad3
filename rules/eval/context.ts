import type { Logger } from '../../util/log.js';
import type { QueryFn } from '../model.js';

/**
 * AlertTemplateData is what an alert's label and annotation templates see: `.Labels` (`$labels`),
 * `.ExternalLabels`, `.ExternalURL` and `.Value` (`$value`), as in Prometheus's AlertTemplateData.
 */
export interface AlertTemplateData {
  readonly labels: Readonly<Record<string, string>>;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly value: number;
}

/** ExpandRequest is one template expansion: the template's name (`__alert_<name>`), data, and what `query` needs. */
export interface ExpandRequest {
  readonly name: string;
  readonly data: AlertTemplateData;
  /** timestampMs is when `query` in the template evaluates (the rule's evaluation time). */
  readonly timestampMs: number;
  readonly queryFn: QueryFn;
  readonly externalURL: string;
}

/**
 * TemplateExpander expands one Go text/template against alert data. It resolves with the output,
 * or rejects with an Error whose message is Go's (`error executing template __alert_X: template:
 * __alert_X:1:23: executing "__alert_X" at <...>: ...`).
 */
export type TemplateExpander = (text: string, request: ExpandRequest) => Promise<string>;

/** EvalContext is what a rule needs from its group and manager to evaluate once. */
export interface EvalContext {
  readonly queryFn: QueryFn;
  /** queryOffsetMs: rules query, and write their samples, this long before the evaluation time. */
  readonly queryOffsetMs: number;
  /** limit: the most series or alerts a rule may produce; 0 is no limit. */
  readonly limit: number;
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly externalURL: string;
  readonly expand: TemplateExpander;
  readonly logger: Logger;
}
