import { parseRuleFile } from '../../../rules/load/loader.js';
import type { SLO } from '../../../rules/model.js';
import { formatIssue } from '../../../util/yamlreader.js';

/** LoadedText is what the rule loader made of one file's text: SLOs, and issues as `vigil check` prints them. */
export interface LoadedText {
  readonly slos: readonly SLO[];
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** loadText runs the rule loader (with the SLO kinds registered) on `text` as if read from `file`. */
export function loadText(text: string, file = 'slo.yaml'): LoadedText {
  const r = parseRuleFile(file, text);
  return { slos: r.ruleSet.slos, errors: r.errors.map(formatIssue), warnings: r.warnings.map(formatIssue) };
}

/** loadOne loads text that must hold exactly one valid SLO, and returns it. */
export function loadOne(text: string, file = 'slo.yaml'): SLO {
  const r = loadText(text, file);
  if (r.errors.length > 0) throw new Error(r.errors.join('\n'));
  if (r.slos.length !== 1) throw new Error(`expected one SLO, got ${r.slos.length}`);
  return r.slos[0]!;
}
