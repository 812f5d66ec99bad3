import { isValidLabelName } from '../../model/labels.js';
import { compileAnchoredRegex, RegexError } from '../../model/regex.js';
import type { Field } from '../../util/yamlreader.js';

/** RelabelAction is one of Prometheus's relabelling actions. */
export type RelabelAction =
  | 'replace'
  | 'keep'
  | 'drop'
  | 'keepequal'
  | 'dropequal'
  | 'hashmod'
  | 'labelmap'
  | 'labeldrop'
  | 'labelkeep'
  | 'lowercase'
  | 'uppercase';

export const RELABEL_ACTIONS: readonly RelabelAction[] = [
  'replace',
  'keep',
  'drop',
  'keepequal',
  'dropequal',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
];

/** RelabelConfig is one step of `relabel_configs` or `metric_relabel_configs`, with Prometheus's defaults applied. */
export interface RelabelConfig {
  readonly sourceLabels: readonly string[];
  readonly separator: string;
  /** regex is fully anchored, as in Prometheus; `regexSource` is what the user wrote. */
  readonly regex: RegExp;
  readonly regexSource: string;
  readonly modulus: number;
  readonly targetLabel: string;
  readonly replacement: string;
  readonly action: RelabelAction;
}

const DEFAULT_REGEX = '(.*)';

/** RelabelInput is a relabel step as written in YAML, before defaults. */
export interface RelabelInput {
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
  action?: RelabelAction;
}

/** relabelConfig builds a RelabelConfig from plain fields, applying defaults and validating as Prometheus does. */
export function relabelConfig(input: RelabelInput): RelabelConfig {
  const problems: string[] = [];
  const cfg = build(input, (m) => problems.push(m));
  if (problems.length > 0 || cfg === undefined) throw new Error(problems.join('; '));
  return cfg;
}

function build(input: RelabelInput, fail: (message: string, field?: string) => void): RelabelConfig | undefined {
  const action = input.action ?? 'replace';
  const regexSource = input.regex ?? DEFAULT_REGEX;
  let regex: RegExp;
  try {
    regex = compileAnchoredRegex(regexSource);
  } catch (err) {
    if (!(err instanceof RegexError)) throw err;
    fail(err.reason, 'regex');
    return undefined;
  }
  const cfg: RelabelConfig = {
    sourceLabels: input.source_labels ?? [],
    separator: input.separator ?? ';',
    regex,
    regexSource,
    modulus: input.modulus ?? 0,
    targetLabel: input.target_label ?? '',
    replacement: input.replacement ?? '$1',
    action,
  };
  const needsTarget = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action);
  if (needsTarget && cfg.targetLabel === '') fail(`relabel configuration for ${action} action requires 'target_label' value`, 'target_label');
  if (action === 'replace' && cfg.targetLabel !== '' && !/^(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))(?:\w|\$(?:\{\w+\}|\w+))*$/.test(cfg.targetLabel)) {
    fail(`${JSON.stringify(cfg.targetLabel)} is invalid 'target_label' for replace action`, 'target_label');
  }
  if (['lowercase', 'uppercase', 'hashmod', 'keepequal', 'dropequal'].includes(action) && cfg.targetLabel !== '' && !isValidLabelName(cfg.targetLabel)) {
    fail(`${JSON.stringify(cfg.targetLabel)} is invalid 'target_label' for ${action} action`, 'target_label');
  }
  if (action === 'hashmod' && cfg.modulus === 0) fail("relabel configuration for hashmod requires non-zero modulus", 'modulus');
  if ((action === 'keepequal' || action === 'dropequal') && cfg.sourceLabels.length === 0) {
    fail(`relabel configuration for ${action} action requires 'source_labels' value`, 'source_labels');
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    const clean =
      cfg.sourceLabels.length === 0 &&
      cfg.targetLabel === '' &&
      cfg.modulus === 0 &&
      cfg.separator === ';' &&
      cfg.replacement === '$1';
    if (!clean) fail(`${action} action requires only 'regex', and no other fields`, 'action');
  }
  if (action === 'keepequal' || action === 'dropequal') {
    if (regexSource !== DEFAULT_REGEX || cfg.modulus !== 0 || cfg.separator !== ';' || cfg.replacement !== '$1') {
      fail(`${action} action requires only 'source_labels' and 'target_label', and no other fields`, 'action');
    }
  }
  for (const name of cfg.sourceLabels) {
    if (!isValidLabelName(name)) fail(`${JSON.stringify(name)} is not a valid label name`, 'source_labels');
  }
  return cfg;
}

const FIELDS = ['source_labels', 'separator', 'regex', 'modulus', 'target_label', 'replacement', 'action'] as const;

/** decodeRelabelConfigs reads a `relabel_configs` list, reporting problems at their YAML position. */
export function decodeRelabelConfigs(field: Field): RelabelConfig[] | undefined {
  return field.list((item) => {
    const o = item.object(FIELDS);
    if (o === undefined) return undefined;
    const input: RelabelInput = {};
    const sources = o.get('source_labels').list((f) => f.string());
    if (sources !== undefined) input.source_labels = sources;
    const separator = o.get('separator').string();
    if (separator !== undefined) input.separator = separator;
    const regex = o.get('regex').string();
    if (regex !== undefined) input.regex = regex;
    const modulus = o.get('modulus').int({ min: 0 });
    if (modulus !== undefined) input.modulus = modulus;
    const target = o.get('target_label').string();
    if (target !== undefined) input.target_label = target;
    const replacement = o.get('replacement').string();
    if (replacement !== undefined) input.replacement = replacement;
    const action = o.get('action').oneOf(RELABEL_ACTIONS);
    if (action !== undefined) input.action = action;
    return build(input, (message, name) => (name === undefined ? item : o.get(name).present ? o.get(name) : item).fail(message));
  });
}
