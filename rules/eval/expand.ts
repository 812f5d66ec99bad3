import type { AlertTemplateData, EvalContext } from './context.js';

/**
 * ALERT_TEMPLATE_DEFS is what Prometheus puts before every alert label and annotation template, so
 * `$labels`, `$externalLabels`, `$externalURL` and `$value` exist. It is part of the template text,
 * so error positions count it, exactly as in Prometheus's messages.
 */
export const ALERT_TEMPLATE_DEFS = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/**
 * expandAlertText expands one label or annotation value of alerting rule `alertName` for one
 * result sample. A template that fails gives `<error expanding template: ...>`, as in Prometheus,
 * and a warning in the log; it never fails the rule.
 */
export async function expandAlertText(text: string, alertName: string, data: AlertTemplateData, ts: number, ctx: EvalContext): Promise<string> {
  // Text without an action expands to itself; skipping the engine keeps plain labels cheap.
  if (!text.includes('{{')) return text;
  try {
    return await ctx.expand(ALERT_TEMPLATE_DEFS + text, {
      name: `__alert_${alertName}`,
      data,
      timestampMs: ts,
      queryFn: ctx.queryFn,
      externalURL: ctx.externalURL,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.warn('expanding alert template failed', { alertname: alertName, err: message, labels: data.labels, value: data.value });
    return `<error expanding template: ${message}>`;
  }
}
