import { formatIssue } from '../../util/yamlreader.js';
import { loadRuleFiles } from '../load/loader.js';
import type { RuleGroup } from '../model.js';
import { compileSLOs } from '../slo/compile.js';

/** LoadedRules are rule groups ready to evaluate, and the loader's warnings as `file:line:column: ...` lines. */
export interface LoadedRules {
  readonly groups: readonly RuleGroup[];
  readonly warnings: readonly string[];
}

/**
 * loadRuleGroups loads rule files of any kind the loader reads (Prometheus rule groups, vigil/v1
 * kinds, Sloth, OpenSLO) and compiles their SLOs, so what `vigil test` and `vigil backtest` run is
 * what `vigil run` would: the plain groups first, in file order, then one group per SLO. It throws
 * RuleLoadError (every problem with file:line:column) or SLOCompileError.
 */
export function loadRuleGroups(paths: readonly string[]): LoadedRules {
  const r = loadRuleFiles(paths);
  return { groups: [...r.ruleSet.groups, ...compileSLOs(r.ruleSet.slos)], warnings: r.warnings.map(formatIssue) };
}
