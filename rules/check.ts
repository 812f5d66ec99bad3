import type { SourceIssue } from '../util/yamlreader.js';
import type { SelectorRef } from './load/kinds.js';
import { checkRuleFiles, type LoadOptions } from './load/loader.js';
import type { RuleSet, SourceRef } from './model.js';

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
 * colons, level:metric:operations) that no loaded file records (`knownRecordings` adds names
 * recorded elsewhere, such as the rules SLOs compile to); and duplicate rules, as promtool's
 * default `duplicate-rules` lint finds them: two rules of one file with the same name and labels.
 */
export function checkRules(paths: readonly string[], opts: LoadOptions & { readonly knownRecordings?: Iterable<string> } = {}): CheckResult {
  const r = checkRuleFiles(paths, opts);
  const recorded = new Set<string>(opts.knownRecordings ?? []);
  for (const g of r.ruleSet.groups) for (const rule of g.rules) if (rule.kind === 'recording') recorded.add(rule.record);
  const extra = [...unrecordedSelectors(r.selectors, recorded), ...duplicateRules(r.ruleSet)];
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

function duplicateRules(ruleSet: RuleSet): SourceIssue[] {
  const out: SourceIssue[] = [];
  const seen = new Map<string, SourceRef>();
  for (const g of ruleSet.groups) {
    for (const rule of g.rules) {
      if (rule.source === undefined) continue;
      const name = rule.kind === 'recording' ? rule.record : rule.alert;
      const labels = Object.entries(rule.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const key = JSON.stringify([rule.source.file, name, labels]);
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, rule.source);
        continue;
      }
      const { file, line, column, path } = rule.source;
      out.push({
        file,
        line,
        column,
        path,
        message: `duplicate rule: ${JSON.stringify(name)} with the same labels is also defined at line ${first.line}; duplicates might cause inconsistency while recording expressions`,
      });
    }
  }
  return out;
}
