import { dirname } from 'node:path';
import { loadRuleFiles } from '../rules/load/loader.js';
import type { RuleGroup } from '../rules/model.js';
import { compileSLOs } from '../rules/slo/compile.js';
import { SLOCompileError } from '../rules/slo/errors.js';
import { type SourceIssue, SourceError } from '../util/yamlreader.js';
import type { VigilConfig } from './config.js';

/** LoadedRules is what `vigil run` evaluates: every group of the config's rule files, SLOs compiled. */
export interface LoadedRules {
  readonly groups: readonly RuleGroup[];
  readonly warnings: readonly SourceIssue[];
  readonly files: readonly string[];
}

/**
 * loadConfiguredRules reads the rule files `rule_files` names (globs that match nothing are fine,
 * as in Prometheus) and compiles their SLOs into groups, after the plain groups. It throws a
 * SourceError listing every problem with file:line:column (the loader's RuleLoadError, or an SLO
 * the compiler refuses); a caller keeps the rules it runs when that happens.
 */
export function loadConfiguredRules(config: VigilConfig): LoadedRules {
  if (config.ruleFiles.length === 0) return { groups: [], warnings: [], files: [] };
  const { ruleSet, warnings, files } = loadRuleFiles(config.ruleFiles, { cwd: dirname(config.file), allowEmptyGlob: true });
  let compiled: RuleGroup[];
  try {
    compiled = compileSLOs(ruleSet.slos);
  } catch (err) {
    if (!(err instanceof SLOCompileError)) throw err;
    // The compiler's message names the SLOs' own files and lines; the issue points at rule_files.
    throw new SourceError([{ file: config.file, line: 1, column: 1, path: 'rule_files', message: err.message }]);
  }
  return { groups: [...ruleSet.groups, ...compiled], warnings, files };
}
