// The promqltest script runner's public surface.
export { parseScript, isFail, isOrdered, ScriptSyntaxError } from './script.js';
export type { Script, Command, LoadCommand, ClearCommand, EvalCommand, Expectation, ExpectKind, ExpectedSeries, LoadSeries } from './script.js';
export { parseSeriesDesc, SeriesSyntaxError } from './series.js';
export type { SeriesDesc } from './series.js';
export { Sequence, POINT_FLOAT, POINT_OMITTED, POINT_STALE, POINT_HISTOGRAM } from './sequence.js';
export type { PointKind } from './sequence.js';
export { almostEqual, parseGoNumber, EPSILON } from './number.js';
export { compareResult } from './compare.js';
export { runScript, annotationMismatch, failureMismatch } from './runner.js';
export type { QueryEngine, QueryOutcome, BlockResult, BlockStatus, FileResult, RunOptions, SkipCategory } from './runner.js';
export { analyzeQuery, atModifierVariant, usesQueryContextFunctions } from './query_syntax.js';
export type { QueryAnalysis, AtVariant } from './query_syntax.js';
export { formatHuman, jsonReport, countsLine, totals } from './report.js';
export type { JsonReport, Totals } from './report.js';
export { TestStorage } from './storage.js';
