import type { SourceIssue } from '../util/yamlreader.js';
import type { SelectorRef } from './load/kinds.js';
import { checkRuleFiles, type LoadOptions } from './load/loader.js';
import type { RuleSet } from './model.js';

/** CheckResult is what `vigil check` reports: every error and warning, in file order. */
export interface CheckResult {
  readonly files: readonly string[];
  readonly ruleSet: RuleSet;
  readonly errors: readonly SourceIssue[];
  readonly warnings: readonly SourceIssue[];
}

/**
 * checkRules loads rule files as the loader does, keeping every error instead of throwing, and
 * adds the warnings that need all files at once: a selector of a recording-rule-style name (two
 * colons, level:metric:operations) that no loaded file records. `knownRecordings` adds names
 * recorded elsewhere (such as the rules SLOs compile to).
 */
export function checkRules(paths: readonly string[], opts: LoadOptions & { readonly knownRecordings?: Iterable<string> } = {}): CheckResult {
  const r = checkRuleFiles(paths, opts);
  const recorded = new Set<string>(opts.knownRecordings ?? []);
  for (const g of r.ruleSet.groups) for (const rule of g.rules) if (rule.kind === 'recording') recorded.add(rule.record);
  const extra = unrecordedSelectors(r.selectors, recorded);
  const order = new Map(r.files.map((f, i) => [f, i]));
  const sort = (issues: readonly SourceIssue[]): SourceIssue[] =>
    [...issues].sort((a, b) => (order.get(a.file) ?? -1) - (order.get(b.file) ?? -1) || a.line - b.line || a.column - b.column);
  return { files: r.files, ruleSet: r.ruleSet, errors: sort(r.errors), warnings: sort([...r.warnings, ...extra]) };
}

function unrecordedSelectors(selectors: readonly SelectorRef[], recorded: ReadonlySet<string>): SourceIssue[] {
  return selectors
    .filter((s) => !recorded.has(s.name))
    .map((s) => ({
      file: s.file,
      line: s.line,
      column: s.column,
      path: s.path,
      message: `${JSON.stringify(s.name)} is named like a recording rule, but no rule file checked here records it`,
    }));
}
