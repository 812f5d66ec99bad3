import type { Field } from '../../util/yamlreader.js';
import type { Rule, RuleGroup, SLO, SourceRef } from '../model.js';

/**
 * The kinds registry: every document format a rule file may hold (Prometheus rule groups, vigil/v1
 * AlertRule, RecordingRule, SLO, Sloth, OpenSLO, later BudgetRule and RegressionRule) is one
 * KindDecoder registered under a name. The loader asks each decoder, in registration order,
 * whether it reads a document, and hands the document to the first that does. A new kind plugs in
 * by registering a decoder in rules/kinds.ts; nothing else changes.
 */

/** DocumentHeader is what a decoder sees to decide whether it reads a document. */
export interface DocumentHeader {
  /** apiVersion and kind are the top-level `apiVersion:` and `kind:` strings, when present. */
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  /** keys are the document's top-level keys in file order, such as ['groups'] for a Prometheus file. */
  readonly keys: readonly string[];
}

/** SelectorRef is a metric name selected by a rule expression, with where it is written. */
export interface SelectorRef {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
}

/**
 * DecodeContext is what the loader gives a decoder besides the document. Errors are recorded on
 * the Field being read (Field.fail, Field.expected, Field.failAt); warnings go through `warn`.
 */
export interface DecodeContext {
  /** file is the rule file's path as the user named it (it prefixes every message). */
  readonly file: string;
  /** documentIndex is the 0-based index of the document in its file. */
  readonly documentIndex: number;
  /**
   * warn records a likely mistake that does not stop loading (an objective written as a fraction,
   * a counter used without rate), at `field` or at a file offset inside it (Field.valueOffset).
   */
  warn(field: Field, message: string, offset?: number): void;
  /**
   * valueOffset maps an index into a scalar field's string value to a file offset, for errors inside
   * PromQL or templates (Field.failAt). Unlike Field.valueOffset it is exact for quoted scalars
   * with escapes too.
   */
  valueOffset(field: Field, index: number): number;
  /** selects notes a metric name a rule expression selects (for the "recorded nowhere" check). */
  selects(ref: SelectorRef): void;
}

/**
 * KindRule is one rule from a document that names its group rather than holding one (vigil/v1
 * AlertRule and RecordingRule). The loader gathers a file's KindRules into groups by name, in
 * document order; those that name no group go in a group named after the file.
 */
export interface KindRule {
  readonly rule: Rule;
  /** group is the group's name, or undefined for the file's group. */
  readonly group: string | undefined;
  /** intervalMs is the group's evaluation interval, when the document sets one. */
  readonly intervalMs: number | undefined;
  /**
   * groupSource is where the document names its group (or its root when it names none): problems
   * with the gathered group, such as two documents giving it different intervals, are reported there.
   */
  readonly groupSource: SourceRef;
}

/** Decoded is what one document yields; a decoder returns undefined when the document is broken. */
export interface Decoded {
  /** groups are complete groups (a Prometheus `groups:` file); they are never merged. */
  readonly groups?: readonly RuleGroup[];
  readonly rules?: readonly KindRule[];
  readonly slos?: readonly SLO[];
}

/** KindDecoder reads one document format. */
export interface KindDecoder {
  /**
   * matches says whether this decoder reads the document, from its apiVersion/kind or, for
   * formats without them, its top-level keys (`groups:` for Prometheus rule files).
   */
  matches(doc: DocumentHeader): boolean;
  /**
   * decode reads the document into groups, rules and/or SLOs. Every problem is reported on the
   * Field where it is (file:line:column and path come from there); unknown keys are errors. The
   * loader throws once every document of every file has been read, listing all problems.
   */
  decode(root: Field, ctx: DecodeContext): Decoded | undefined;
  /**
   * apiVersion and kind, when the decoder reads one apiVersion/kind pair, are listed in the message
   * for a document no decoder reads and feed its did-you-mean.
   */
  readonly apiVersion?: string;
  readonly kind?: string;
}

/** RegisteredKind is a decoder with the name it was registered under. */
export interface RegisteredKind {
  readonly name: string;
  readonly decoder: KindDecoder;
}

const registry: RegisteredKind[] = [];

/**
 * registerKind adds a decoder under a display name, such as `vigil/v1 AlertRule`. Registering a
 * name twice throws: two decoders for one kind is a wiring mistake, not something to resolve by order.
 */
export function registerKind(name: string, decoder: KindDecoder): void {
  if (registry.some((k) => k.name === name)) throw new Error(`rule-file kind ${JSON.stringify(name)} is registered twice`);
  registry.push({ name, decoder });
}

/** registeredKinds lists the registered decoders in registration order. */
export function registeredKinds(): readonly RegisteredKind[] {
  return registry;
}

/** findKind returns the first registered decoder that reads the document, if any. */
export function findKind(doc: DocumentHeader): RegisteredKind | undefined {
  return registry.find((k) => k.decoder.matches(doc));
}
