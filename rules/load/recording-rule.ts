import type { RecordingRule } from '../model.js';
import { checkExpr } from './expr.js';
import type { KindDecoder } from './kinds.js';
import { decodeGroupRef, openDocument, VIGIL_API_VERSION } from './metadata.js';
import { checkRecordName, decodeLabels, sourceOf } from './rulecheck.js';

/** RECORDING_RULE_SPEC_KEYS are the fields of a RecordingRule's spec (the JSON Schema lists the same). */
export const RECORDING_RULE_SPEC_KEYS = ['record', 'expr', 'group', 'interval', 'labels'];

/**
 * recordingRuleKind reads `apiVersion: vigil/v1, kind: RecordingRule`: one Prometheus recording
 * rule. metadata is optional (a name for people); metadata.labels and spec.labels both label the
 * recorded series (spec wins).
 */
export const recordingRuleKind: KindDecoder = {
  apiVersion: VIGIL_API_VERSION,
  kind: 'RecordingRule',
  matches: (doc) => doc.apiVersion === VIGIL_API_VERSION && doc.kind === 'RecordingRule',
  decode(root, ctx) {
    const opened = openDocument(root, false);
    if (opened === undefined) return undefined;
    const spec = opened.spec.object(RECORDING_RULE_SPEC_KEYS);
    if (spec === undefined) return undefined;
    spec.require('record', 'expr');
    const recordField = spec.get('record');
    const record = recordField.string();
    const recordOk = record !== undefined && checkRecordName(recordField, record);
    const exprField = spec.get('expr');
    const expr = exprField.string();
    if (expr === '') exprField.expected('a PromQL expression');
    else if (expr !== undefined) checkExpr(exprField, ctx, { counterWarning: true });
    const labels = decodeLabels(spec.get('labels')) ?? {};
    const ref = decodeGroupRef(spec, root);
    if (!recordOk || expr === undefined) return undefined;
    const rule: RecordingRule = { kind: 'recording', record, expr, labels: { ...opened.metadata.labels, ...labels }, source: sourceOf(root) };
    return { rules: [{ rule, ...ref }] };
  },
};
