import type { AlertingRule } from '../model.js';
import { checkExpr } from './expr.js';
import type { KindDecoder } from './kinds.js';
import { decodeGroupRef, openDocument, VIGIL_API_VERSION } from './metadata.js';
import { decodeAnnotations, decodeLabels, sourceOf } from './rulecheck.js';

/** ALERT_RULE_SPEC_KEYS are the fields of an AlertRule's spec (the JSON Schema lists the same). */
export const ALERT_RULE_SPEC_KEYS = ['group', 'interval', 'expr', 'for', 'keepFiringFor', 'labels', 'annotations', 'runbook'];

/**
 * alertRuleKind reads `apiVersion: vigil/v1, kind: AlertRule`: one Prometheus alerting rule named
 * by metadata.name. metadata.labels and spec.labels both become the alert's labels (spec wins);
 * spec.runbook becomes the `runbook_url` annotation.
 */
export const alertRuleKind: KindDecoder = {
  apiVersion: VIGIL_API_VERSION,
  kind: 'AlertRule',
  matches: (doc) => doc.apiVersion === VIGIL_API_VERSION && doc.kind === 'AlertRule',
  decode(root, ctx) {
    const opened = openDocument(root, true);
    if (opened === undefined) return undefined;
    const spec = opened.spec.object(ALERT_RULE_SPEC_KEYS);
    if (spec === undefined) return undefined;
    spec.require('expr');
    const alert = opened.metadata.name;
    const exprField = spec.get('expr');
    const expr = exprField.string();
    if (expr === '') exprField.expected('a PromQL expression');
    else if (expr !== undefined) checkExpr(exprField, ctx, { counterWarning: true });
    const forMs = spec.get('for').duration() ?? 0;
    const keepFiringForMs = spec.get('keepFiringFor').duration() ?? 0;
    const templates = alert === undefined ? undefined : { alertName: alert, ctx };
    const labels = decodeLabels(spec.get('labels'), templates) ?? {};
    const annotations = decodeAnnotations(spec.get('annotations'), templates) ?? {};
    const runbookField = spec.get('runbook');
    const runbook = runbookField.string();
    if (runbook !== undefined) {
      if (runbook === '') runbookField.expected('a URL');
      else if ('runbook_url' in annotations) runbookField.fail('runbook and annotations.runbook_url are both set; keep one');
      else annotations['runbook_url'] = runbook;
    }
    const ref = decodeGroupRef(spec, root);
    if (alert === undefined || expr === undefined) return undefined;
    const rule: AlertingRule = {
      kind: 'alerting',
      alert,
      expr,
      forMs,
      keepFiringForMs,
      labels: { ...opened.metadata.labels, ...labels },
      annotations,
      source: sourceOf(root),
    };
    return { rules: [{ rule, ...ref }] };
  },
};
