import { readFileSync, statSync } from 'node:fs';
import type { SourceIssue } from '../../util/yamlreader.js';
import { checkAlertingConfig } from './load.js';

/**
 * isAlertingConfigPath says whether `path` names, directly, a file whose top level has both
 * `route:` and `receivers:`: an Alertmanager configuration file rather than a rule file (rule
 * files have neither key). Directories and globs are left to the rule-file loader.
 */
export function isAlertingConfigPath(path: string): boolean {
  if (/[*?[]/.test(path)) return false;
  try {
    if (!statSync(path).isFile()) return false;
    return isAlertingConfigText(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

/** isAlertingConfigText looks for the two top-level keys every Alertmanager configuration has. */
export function isAlertingConfigText(text: string): boolean {
  return /^route[ \t]*:/m.test(text) && /^receivers[ \t]*:/m.test(text);
}

/** checkAlertingConfigs loads each file as loadAlertingConfig does, collecting errors instead of throwing them. */
export function checkAlertingConfigs(files: readonly string[]): { errors: SourceIssue[]; warnings: SourceIssue[] } {
  const errors: SourceIssue[] = [];
  const warnings: SourceIssue[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      errors.push({ file, line: 1, column: 1, path: '', message: `cannot read alerting config: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    const r = checkAlertingConfig(file, text);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  return { errors, warnings };
}
