import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { formatDuration } from '../../util/duration.js';
import { type Field, readYamlAll, SourceError, type SourceIssue } from '../../util/yamlreader.js';
import '../kinds.js';
import type { RuleGroup, RuleSet, SLO, SourceRef } from '../model.js';
import { type ExpandOptions, expandRulePaths } from './files.js';
import { type Decoded, type DecodeContext, type DocumentHeader, findKind, type KindRule, registeredKinds, type SelectorRef } from './kinds.js';
import { closest } from '../../util/suggest.js';

/** ERR_RULE_FILES is RuleLoadError's stable code. */
export const ERR_RULE_FILES = 'rule_files_invalid';

/** LoadOptions: where relative paths start, and whether an unmatched glob is fine. */
export type LoadOptions = ExpandOptions;

/** LoadResult is what a set of rule files holds. */
export interface LoadResult {
  readonly ruleSet: RuleSet;
  /** warnings are likely mistakes that do not stop loading, sorted by file and position. */
  readonly warnings: readonly SourceIssue[];
  /** files are the rule files read, in order, after expanding directories and globs. */
  readonly files: readonly string[];
  /** selectors are the recording-rule-style names (level:metric:operations) rule expressions select. */
  readonly selectors: readonly SelectorRef[];
}

/** CheckedRuleFiles is a LoadResult with the errors kept instead of thrown. */
export interface CheckedRuleFiles extends LoadResult {
  readonly errors: readonly SourceIssue[];
}

/** RuleLoadError lists every problem in a set of rule files, and carries the warnings too. */
export class RuleLoadError extends SourceError {
  readonly code = ERR_RULE_FILES;
  constructor(
    issues: readonly SourceIssue[],
    readonly warnings: readonly SourceIssue[],
  ) {
    super(issues);
    this.name = 'RuleLoadError';
  }
}

/**
 * loadRuleFiles reads rule files (paths may be files, directories, read recursively for *.yaml and
 * *.yml, or globs as Prometheus's `rule_files` allows). Each file may hold several documents of any
 * registered kind. It throws RuleLoadError listing every problem in every file, each with
 * file:line:column and field path.
 */
export function loadRuleFiles(paths: readonly string[], opts: LoadOptions = {}): LoadResult {
  const r = checkRuleFiles(paths, opts);
  if (r.errors.length > 0) throw new RuleLoadError(r.errors, r.warnings);
  return { ruleSet: r.ruleSet, warnings: r.warnings, files: r.files, selectors: r.selectors };
}

/** checkRuleFiles is loadRuleFiles returning the errors instead of throwing them (for `vigil check`). */
export function checkRuleFiles(paths: readonly string[], opts: LoadOptions = {}): CheckedRuleFiles {
  const { files, problems } = expandRulePaths(paths, opts);
  const errors: SourceIssue[] = problems.map((p) => ({ file: p.path, line: 1, column: 1, path: '', message: p.message }));
  const warnings: SourceIssue[] = [];
  const selectors: SelectorRef[] = [];
  const groups: RuleGroup[] = [];
  const slos: SLO[] = [];
  const cwd = opts.cwd ?? process.cwd();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (err) {
      errors.push({ file, line: 1, column: 1, path: '', message: `cannot read rule file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    const r = parseRuleFile(file, text);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    selectors.push(...r.selectors);
    groups.push(...r.ruleSet.groups);
    slos.push(...r.ruleSet.slos);
  }
  return { ruleSet: { groups, slos }, errors, warnings, files, selectors };
}

/**
 * parseRuleFile reads one rule file's text as if read from `file`: every document goes to the
 * registered kind that reads it; rules that name a group are gathered into groups; group names
 * must be unique within the file.
 */
export function parseRuleFile(file: string, text: string): CheckedRuleFiles {
  const warnings: SourceIssue[] = [];
  const selectors: SelectorRef[] = [];
  const decoded: Decoded[] = [];
  let errors: SourceIssue[] = [];
  try {
    readYamlAll(
      file,
      text,
      (root, documentIndex) => {
        const ctx: DecodeContext = {
          file,
          documentIndex,
          warn: (field, message, offset) => field.warn(message, offset),
          valueOffset: (field, index) => field.valueOffset(index),
          selects: (ref) => selectors.push(ref),
        };
        const d = decodeDocument(root, ctx);
        if (d !== undefined) decoded.push(d);
        return d;
      },
      warnings,
    );
  } catch (err) {
    if (!(err instanceof SourceError)) throw err;
    errors = [...err.issues];
  }
  const { groups, issues } = gatherGroups(file, decoded);
  errors.push(...issues);
  const slos = decoded.flatMap((d) => d.slos ?? []);
  return { ruleSet: { groups, slos }, errors: byPosition(errors), warnings: byPosition(warnings), files: [file], selectors };
}

function decodeDocument(root: Field, ctx: DecodeContext): Decoded | undefined {
  const entries = root.entries();
  if (entries === undefined) return undefined;
  const fields = new Map(entries);
  const apiVersionField = fields.get('apiVersion');
  const kindField = fields.get('kind');
  const header: DocumentHeader = {
    apiVersion: apiVersionField?.string(),
    kind: kindField?.string(),
    keys: entries.map(([k]) => k),
  };
  const found = findKind(header);
  if (found !== undefined) return found.decoder.decode(root, ctx);
  reportUnknownDocument(root, header, apiVersionField, kindField);
  return undefined;
}

function reportUnknownDocument(root: Field, header: DocumentHeader, apiVersionField: Field | undefined, kindField: Field | undefined): void {
  const known = registeredKinds().flatMap((k) =>
    k.decoder.apiVersion !== undefined && k.decoder.kind !== undefined ? [{ apiVersion: k.decoder.apiVersion, kind: k.decoder.kind }] : [],
  );
  const { apiVersion, kind } = header;
  if (apiVersion === undefined && kind === undefined) {
    const hint = header.keys.map((k) => closest(k, ['groups', 'apiVersion', 'kind'])).find((s) => s !== undefined);
    root.fail(
      `not a rule file: expected "groups:" (a Prometheus rule file) or "apiVersion:" and "kind:"${hint === undefined ? '' : ` (did you mean ${JSON.stringify(hint)}?)`}`,
    );
    return;
  }
  if (apiVersion === undefined || apiVersionField === undefined) {
    root.fail('field "apiVersion" is required');
    return;
  }
  const versions = [...new Set(known.map((k) => k.apiVersion))];
  if (!versions.includes(apiVersion)) {
    apiVersionField.fail(`unknown apiVersion ${JSON.stringify(apiVersion)}${suggestOrList(apiVersion, versions)}`);
    return;
  }
  if (kind === undefined || kindField === undefined) {
    root.fail('field "kind" is required');
    return;
  }
  const kinds = known.filter((k) => k.apiVersion === apiVersion).map((k) => k.kind);
  kindField.fail(`unknown kind ${JSON.stringify(kind)} for apiVersion ${JSON.stringify(apiVersion)}${suggestOrList(kind, kinds)}`);
}

/** A file's groups in order of first appearance: whole groups as written, gathered ones at their first rule. */
function gatherGroups(file: string, decoded: readonly Decoded[]): { groups: RuleGroup[]; issues: SourceIssue[] } {
  const issues: SourceIssue[] = [];
  const fileGroup = basename(file, extname(file));
  type Slot = { group: RuleGroup } | { gathered: { name: string; intervalMs: number | undefined; intervalAt: SourceRef | undefined; rules: KindRule[] } };
  const slots: Slot[] = [];
  const gathered = new Map<string, Extract<Slot, { gathered: unknown }>['gathered']>();
  for (const d of decoded) {
    for (const g of d.groups ?? []) slots.push({ group: g });
    for (const r of d.rules ?? []) {
      const name = r.group ?? fileGroup;
      let g = gathered.get(name);
      if (g === undefined) {
        g = { name, intervalMs: undefined, intervalAt: undefined, rules: [] };
        gathered.set(name, g);
        slots.push({ gathered: g });
      }
      if (r.intervalMs !== undefined) {
        if (g.intervalMs === undefined) {
          g.intervalMs = r.intervalMs;
          g.intervalAt = r.groupSource;
        } else if (g.intervalMs !== r.intervalMs) {
          issues.push(
            issueAt(
              r.groupSource,
              `group ${JSON.stringify(name)} already has interval ${formatDuration(g.intervalMs)} (line ${g.intervalAt?.line ?? 0}), got ${formatDuration(r.intervalMs)}; the rules of a group share one interval`,
            ),
          );
        }
      }
      g.rules.push(r);
    }
  }
  const groups = slots.map((s): RuleGroup => {
    if ('group' in s) return s.group;
    const g = s.gathered;
    const first = g.rules[0]!;
    return {
      name: g.name,
      intervalMs: g.intervalMs ?? 0,
      limit: 0,
      queryOffsetMs: 0,
      labels: {},
      rules: g.rules.map((r) => r.rule),
      source: first.groupSource,
    };
  });
  const seen = new Set<string>();
  for (const g of [...groups].sort((a, b) => compareSource(a.source, b.source))) {
    if (seen.has(g.name) && g.source !== undefined) issues.push(issueAt(g.source, `groupname: "${g.name}" is repeated in the same file`));
    seen.add(g.name);
  }
  return { groups, issues };
}

function issueAt(ref: SourceRef, message: string): SourceIssue {
  return { file: ref.file, line: ref.line, column: ref.column, path: ref.path, message };
}

function compareSource(a: SourceRef | undefined, b: SourceRef | undefined): number {
  return (a?.line ?? 0) - (b?.line ?? 0) || (a?.column ?? 0) - (b?.column ?? 0);
}

/** byPosition sorts one file's issues by line and column, keeping the order of issues at one place. */
function byPosition(issues: readonly SourceIssue[]): SourceIssue[] {
  return [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
}

/** suggestOrList names the close match, or else every choice. */
function suggestOrList(value: string, choices: readonly string[]): string {
  const c = closest(value, choices);
  if (c !== undefined) return ` (did you mean ${JSON.stringify(c)}?)`;
  return `; expected one of ${choices.map((k) => JSON.stringify(k)).join(', ')}`;
}
