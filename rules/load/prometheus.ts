import type { Field } from '../../util/yamlreader.js';
import type { AlertingRule, RecordingRule, Rule, RuleGroup } from '../model.js';
import { checkExpr } from './expr.js';
import type { DecodeContext, KindDecoder } from './kinds.js';
import { checkRecordName, decodeAnnotations, decodeLabels, promDuration, sourceOf } from './rulecheck.js';

/**
 * Prometheus rule-group files (`groups:`), validated as Prometheus's rulefmt does, with its
 * messages; and the Prometheus Operator's PrometheusRule resource, whose `spec.groups` is the same.
 * Prometheus 3 fields (group `labels`, `query_offset`) are read too, although promtool 2.42 rejects them.
 */

const GROUP_KEYS = ['name', 'interval', 'query_offset', 'limit', 'labels', 'rules'];
const RULE_KEYS = ['record', 'alert', 'expr', 'for', 'keep_firing_for', 'labels', 'annotations'];

/** prometheusRuleFile reads a Prometheus rule file: a document whose only key is `groups`. */
export const prometheusRuleFile: KindDecoder = {
  matches: (doc) => doc.apiVersion === undefined && doc.kind === undefined && doc.keys.includes('groups'),
  decode(root, ctx) {
    const o = root.object(['groups']);
    if (o === undefined) return undefined;
    return { groups: decodeGroups(o.get('groups'), ctx) };
  },
};

/** prometheusRuleResource reads a PrometheusRule (monitoring.coreos.com/v1) resource. */
export const prometheusRuleResource: KindDecoder = {
  apiVersion: 'monitoring.coreos.com/v1',
  kind: 'PrometheusRule',
  matches: (doc) => doc.apiVersion === 'monitoring.coreos.com/v1' && doc.kind === 'PrometheusRule',
  decode(root, ctx) {
    const o = root.object(['apiVersion', 'kind', 'metadata', 'spec']);
    if (o === undefined) return undefined;
    // metadata is Kubernetes' own (name, namespace, labels, annotations, uid...): any mapping.
    o.get('metadata').entries();
    const spec = o.get('spec').required()?.object(['groups']);
    if (spec === undefined) return undefined;
    return { groups: decodeGroups(spec.get('groups'), ctx) };
  },
};

/** decodeGroups reads a `groups:` list. Duplicate names within a file are reported by the loader. */
export function decodeGroups(f: Field, ctx: DecodeContext): RuleGroup[] {
  return f.list((g) => decodeGroup(g, ctx)) ?? [];
}

function decodeGroup(f: Field, ctx: DecodeContext): RuleGroup | undefined {
  const o = f.object(GROUP_KEYS);
  if (o === undefined) return undefined;
  const name = o.get('name').string() ?? '';
  if (name === '') f.fail('Groupname must not be empty');
  const interval = promDuration(o.get('interval'));
  const queryOffset = promDuration(o.get('query_offset'));
  const limit = o.get('limit').int({ min: 0 });
  const labels = decodeLabels(o.get('labels'));
  const rules = o.get('rules').list((r) => decodeRule(r, ctx)) ?? [];
  return {
    name,
    intervalMs: interval ?? 0,
    limit: limit ?? 0,
    queryOffsetMs: queryOffset ?? 0,
    labels: labels ?? {},
    rules,
    source: sourceOf(f),
  };
}

function decodeRule(f: Field, ctx: DecodeContext): Rule | undefined {
  const o = f.object(RULE_KEYS);
  if (o === undefined) return undefined;
  const record = o.get('record').string() ?? '';
  const alert = o.get('alert').string() ?? '';
  if (record !== '' && alert !== '') f.fail("only one of 'record' and 'alert' must be set");
  if (record === '' && alert === '') f.fail("one of 'record' or 'alert' must be set");
  const exprField = o.get('expr');
  const exprText = exprField.present ? exprField.string() : '';
  if (!exprField.present) f.fail("field 'expr' must be set in rule");
  else if (exprText === '') exprField.fail("field 'expr' must be set in rule");
  else if (exprText !== undefined) checkExpr(exprField, ctx, { counterWarning: true });
  const expr = exprText ?? '';
  const forMs = promDuration(o.get('for')) ?? 0;
  const keepFiringForMs = promDuration(o.get('keep_firing_for')) ?? 0;
  const source = sourceOf(f);

  if (record !== '' && alert === '') {
    const annotations = decodeAnnotations(o.get('annotations'));
    if (annotations !== undefined && Object.keys(annotations).length > 0) {
      o.get('annotations').fail("invalid field 'annotations' in recording rule");
    }
    if (forMs !== 0) o.get('for').fail("invalid field 'for' in recording rule");
    if (keepFiringForMs !== 0) o.get('keep_firing_for').fail("invalid field 'keep_firing_for' in recording rule");
    checkRecordName(o.get('record'), record);
    const labels = decodeLabels(o.get('labels')) ?? {};
    const rule: RecordingRule = { kind: 'recording', record, expr, labels, source };
    return rule;
  }
  const templates = alert === '' ? undefined : { alertName: alert, ctx };
  const labels = decodeLabels(o.get('labels'), templates) ?? {};
  const annotations = decodeAnnotations(o.get('annotations'), templates) ?? {};
  const rule: AlertingRule = { kind: 'alerting', alert, expr, forMs, keepFiringForMs, labels, annotations, source };
  return rule;
}
