import { ParseError } from './parser.js';

/**
 * ParseErrorCode names each way a body can be rejected. Codes are stable; reasons (the text after
 * `line:column:`) are for people and may be reworded.
 *
 * - invalid_start: a line starts with something that is neither a metric name, `#` nor a blank.
 * - invalid_metric_name: a metric name (in a sample, HELP, TYPE or UNIT line) is malformed.
 * - invalid_label_name: a label name is malformed.
 * - expected_equal: a label name is not followed by `=`.
 * - expected_label_value: `=` is not followed by a quoted value.
 * - unterminated_label_value: a label value has no closing quote.
 * - invalid_escape: a backslash ends a line or the input.
 * - expected_label_separator: a label value is followed by neither `,` nor `}`.
 * - duplicate_label_name: a label name appears twice in one series (including `__name__`).
 * - missing_value: a series has no value.
 * - invalid_value: the value is not a number, or is out of the float64 range.
 * - invalid_timestamp: the timestamp is not a number of the format's kind, or is out of range.
 * - trailing_text: something follows the value, the timestamp or the exemplar.
 * - invalid_metric_type: TYPE names a type the format does not have.
 * - invalid_metadata: a HELP, TYPE or UNIT line is malformed (spacing, missing text).
 * - invalid_unit: UNIT is not a suffix of the metric name (OpenMetrics).
 * - invalid_exemplar: an exemplar is malformed (OpenMetrics).
 * - invalid_comment: a `#` line that OpenMetrics does not allow.
 * - blank_line: an empty line (OpenMetrics).
 * - missing_eof: the body does not end with `# EOF` (OpenMetrics).
 * - data_after_eof: something follows `# EOF` (OpenMetrics).
 */
export type ParseErrorCode =
  | 'invalid_start'
  | 'invalid_metric_name'
  | 'invalid_label_name'
  | 'expected_equal'
  | 'expected_label_value'
  | 'unterminated_label_value'
  | 'invalid_escape'
  | 'expected_label_separator'
  | 'duplicate_label_name'
  | 'missing_value'
  | 'invalid_value'
  | 'invalid_timestamp'
  | 'trailing_text'
  | 'invalid_metric_type'
  | 'invalid_metadata'
  | 'invalid_unit'
  | 'invalid_exemplar'
  | 'invalid_comment'
  | 'blank_line'
  | 'missing_eof'
  | 'data_after_eof';

/** TextParseError is the ParseError the exposition parsers throw, with a stable code. */
export class TextParseError extends ParseError {
  constructor(
    line: number,
    column: number,
    readonly code: ParseErrorCode,
    reason: string,
  ) {
    super(line, column, reason);
  }
}
