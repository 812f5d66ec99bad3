import { dirname } from 'node:path';
import { loadRuleFiles } from '../rules/load/loader.js';
import type { RuleGroup, SLO } from '../rules/model.js';
import type { SourceIssue } from '../util/yamlreader.js';
import type { VigilConfig } from './config.js';

/** LoadedRules is what `vigil run` evaluates: every group of the config's rule files, SLOs compiled. */
export interface LoadedRules {
  readonly groups: readonly RuleGroup[];
  readonly warnings: readonly SourceIssue[];
  readonly files: readonly string[];
}

/**
 * loadConfiguredRules reads the rule files `rule_files` names (globs that match nothing are fine,
 * as in Prometheus). It throws the loader's RuleLoadError (a SourceError) listing every problem
 * with file:line:column; a caller keeps the rules it runs when that happens.
 */
export function loadConfiguredRules(config: VigilConfig, compileSLOs?: (slos: readonly SLO[]) => RuleGroup[]): LoadedRules {
  if (config.ruleFiles.length === 0) return { groups: [], warnings: [], files: [] };
  const { ruleSet, warnings, files } = loadRuleFiles(config.ruleFiles, { cwd: dirname(config.file), allowEmptyGlob: true });
  if (compileSLOs !== undefined) return { groups: [...ruleSet.groups, ...compileSLOs(ruleSet.slos)], warnings, files };
  // Without the SLO compiler the SLOs are reported, not silently dropped.
  const skipped: SourceIssue[] = ruleSet.slos.map((slo) => ({
    file: slo.source?.file ?? '',
    line: slo.source?.line ?? 1,
    column: slo.source?.column ?? 1,
    path: slo.source?.path ?? '',
    message: `SLO ${JSON.stringify(slo.name)} is not evaluated: this build has no SLO compiler`,
  }));
  return { groups: ruleSet.groups, warnings: [...warnings, ...skipped], files };
}
