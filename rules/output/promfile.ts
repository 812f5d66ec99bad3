import type { RuleGroup } from '../model.js';
import { generatedHeader, groupsToYaml, toYaml } from './groups.js';

/**
 * formatRuleFile prints groups as a Prometheus rule file (`groups:`), loadable by Prometheus,
 * Thanos Ruler, Mimir's ruler, promtool and vigil. `source` names the input in the header comment.
 */
export function formatRuleFile(groups: readonly RuleGroup[], source: string): string {
  return generatedHeader(source) + toYaml({ groups: groupsToYaml(groups) });
}
