import type { Labels } from '../model/labels.js';

/**
 * The shapes every part of rules/ shares: what the loader produces, what the SLO compiler emits,
 * what the evaluator runs and what `vigil compile` writes. Durations and times are integer ms.
 */

/** SourceRef points at the YAML that defined something, so later errors (a bad PromQL
 * expression, a duplicate rule) can name `file:line:column` and the field path. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** path is the field path, such as `groups[0].rules[3].expr` or `spec.sli.events.error`. */
  readonly path: string;
}

/** RecordingRule is Prometheus's recording rule. */
export interface RecordingRule {
  readonly kind: 'recording';
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly source?: SourceRef;
}

/** AlertingRule is Prometheus's alerting rule; labels and annotations may hold templates. */
export interface AlertingRule {
  readonly kind: 'alerting';
  readonly alert: string;
  readonly expr: string;
  readonly forMs: number;
  readonly keepFiringForMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly source?: SourceRef;
}

export type Rule = RecordingRule | AlertingRule;

/** RuleGroup is Prometheus's rule group: rules evaluated in order, every interval. */
export interface RuleGroup {
  readonly name: string;
  /** intervalMs: 0 means the global evaluation_interval. */
  readonly intervalMs: number;
  /** limit: the most series a rule may produce (0: no limit), as Prometheus's group `limit`. */
  readonly limit: number;
  /** queryOffsetMs: evaluate as of this long ago (Prometheus's `query_offset`). */
  readonly queryOffsetMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly rules: readonly Rule[];
  readonly source?: SourceRef;
}

/** SLOWindow is the period an SLO's objective holds over. */
export type SLOWindow =
  | { readonly kind: 'rolling'; readonly ms: number }
  | { readonly kind: 'calendar'; readonly unit: 'week' | 'month'; readonly timeZone: string };

/**
 * SLI says which events are errors. Selectors are PromQL series selectors of counters (the
 * compiler rates them); queries are full PromQL with `{{.window}}` where the range goes (Sloth's
 * style, read as is from Sloth files).
 */
export type SLI =
  | {
      readonly kind: 'events';
      /** error or good (exactly one): the bad or good events; total: all events. */
      readonly error?: string;
      readonly good?: string;
      readonly total: string;
    }
  | {
      readonly kind: 'latency';
      /** histogram is the classic histogram's base name with optional matchers, such as `http_request_duration_seconds{job="api"}`. */
      readonly histogram: string;
      /** thresholdSeconds must be one of the histogram's `le` bounds. */
      readonly thresholdSeconds: number;
    }
  | { readonly kind: 'query'; readonly errorQuery: string; readonly totalQuery: string }
  | {
      readonly kind: 'raw';
      /** errorRatio is a PromQL expression whose value is the error ratio over `{{.window}}`. */
      readonly errorRatio: string;
    };

/**
 * BurnWindow is one multi-window burn-rate condition: the alert fires when both the long and the
 * short window burn faster than `budgetPercent` of the period's budget would allow over the long
 * window (burn rate factor = budgetPercent/100 × period / longMs).
 */
export interface BurnWindow {
  readonly longMs: number;
  readonly shortMs: number;
  readonly budgetPercent: number;
}

/** AlertTier is a page or ticket alert: its windows, `for`, and extra labels and annotations. */
export interface AlertTier {
  readonly windows: readonly BurnWindow[];
  readonly forMs: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** SLO is one service level objective, whatever file format it came from. */
export interface SLO {
  readonly service: string;
  readonly name: string;
  readonly description: string;
  /** objectivePercent, such as 99.9. */
  readonly objectivePercent: number;
  readonly window: SLOWindow;
  readonly sli: SLI;
  /** grouping labels make one SLO per label combination (per model, namespace, version). */
  readonly grouping: readonly string[];
  /** labels are added to every series the SLO records and every alert it raises. */
  readonly labels: Readonly<Record<string, string>>;
  readonly alerting: {
    /** name is the alert name; default `SLOErrorBudgetBurn`. */
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
    readonly runbookUrl: string | undefined;
    readonly page: AlertTier | undefined;
    readonly ticket: AlertTier | undefined;
  };
  /** noData: what a missing SLI means. `alert` raises `<name>NoData` after `forMs` without events. */
  readonly noData: { readonly policy: 'ignore' | 'alert'; readonly forMs: number };
  /** lowTraffic: burn alerts may fire only with at least minEvents events in the long window. */
  readonly lowTraffic: { readonly minEvents: number } | undefined;
  /** optimize: chained long windows built from 5m recordings (default), or exact raw ranges. */
  readonly optimize: 'chained' | 'exact';
  readonly source?: SourceRef;
}

/**
 * RuleSet is everything loaded from rule files: plain groups (from Prometheus rule files and the
 * AlertRule / RecordingRule kinds) and SLOs, which the compiler turns into groups.
 */
export interface RuleSet {
  readonly groups: readonly RuleGroup[];
  readonly slos: readonly SLO[];
}

/**
 * Alert is what rules send to alerting, with Prometheus's notifier semantics: `endsAt` in the future
 * for an active alert (now + 4 × max(resend delay, group interval)), the resolution time once
 * resolved. Times in ms.
 */
export interface Alert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly generatorURL: string;
}

/** QueryFn evaluates an instant PromQL query at time t (ms): what rules need from an engine. */
export type QueryFn = (expr: string, t: number) => Promise<QueryFnResult>;

/** QueryFnResult is an instant vector (a scalar comes back as one sample with no labels). */
export type QueryFnResult = readonly { readonly metric: Labels; readonly v: number }[];

/** NotifyFn receives the alerts to send after each evaluation of a group. */
export type NotifyFn = (alerts: readonly Alert[]) => void | Promise<void>;
