/**
 * Bodies that must be rejected, with the exact `line:column: reason` and code. `prometheus` says
 * what Prometheus 2.42 (Debian 2.42.0+ds) does with the same body served with the same
 * Content-Type, as observed by scraping it: every case here is rejected by it too, except the few
 * marked 'accepts', where vigil is deliberately stricter (see promtext.ts).
 */
export interface MalformedCase {
  readonly name: string;
  readonly format: 'text' | 'openmetrics';
  readonly body: string;
  readonly error: string;
  readonly code: string;
  readonly prometheus: 'rejects' | 'accepts';
}

const T = 'text' as const;
const OM = 'openmetrics' as const;

export const MALFORMED: readonly MalformedCase[] = [
  // Text format: metric names.
  { name: 'name starts with a digit', format: T, body: '0foo 1\n', error: '1:1: expected a metric name or "#" at the start of a line, got "0"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'dash in metric name', format: T, body: 'foo-bar 1\n', error: '1:4: invalid character "-" in metric name "foo"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'dot in metric name', format: T, body: 'foo.bar 1\n', error: '1:4: invalid character "." in metric name "foo"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'non-ASCII letter in metric name', format: T, body: 'foö 1\n', error: '1:3: invalid character "ö" in metric name "fo"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'labels without a metric name', format: T, body: '{a="b"} 1\n', error: '1:1: expected a metric name or "#" at the start of a line, got "{"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'bad name after leading blanks', format: T, body: '  0foo 1\n', error: '1:3: expected a metric name or "#" at the start of a line, got "0"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'bad name on a later line', format: T, body: 'foo 1\n@bar 2\n', error: '2:1: expected a metric name or "#" at the start of a line, got "@"', code: 'invalid_metric_name', prometheus: 'rejects' },
  // Text format: label names.
  { name: 'label name starts with a digit', format: T, body: 'foo{0a="b"} 1\n', error: '1:5: expected a label name, got "0"', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'dash in label name', format: T, body: 'foo{a-b="c"} 1\n', error: '1:6: invalid character "-" in label name "a"', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'colon in label name', format: T, body: 'foo{a:b="c"} 1\n', error: '1:6: invalid character ":" in label name "a"', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'quoted label name', format: T, body: 'foo{"a"="b"} 1\n', error: '1:5: expected a label name, got "\\""', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'non-ASCII label name', format: T, body: 'foo{ä="b"} 1\n', error: '1:5: expected a label name, got "ä"', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'leading comma in labels', format: T, body: 'foo{,a="1"} 1\n', error: '1:5: expected a label name, got ","', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'double comma in labels', format: T, body: 'foo{a="1",,b="2"} 1\n', error: '1:11: expected a label name, got ","', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'label name without value', format: T, body: 'foo{a} 1\n', error: '1:6: expected "=" after label name "a", got "}"', code: 'expected_equal', prometheus: 'rejects' },
  // Text format: label values.
  { name: 'unquoted label value', format: T, body: 'foo{a=b} 1\n', error: '1:7: expected a quoted value for label "a", got "b"', code: 'expected_label_value', prometheus: 'rejects' },
  { name: 'empty label value position', format: T, body: 'foo{a=} 1\n', error: '1:7: expected a quoted value for label "a", got "}"', code: 'expected_label_value', prometheus: 'rejects' },
  { name: 'label value unterminated at end of line', format: T, body: 'foo{a="b} 1\n', error: '1:7: unterminated label value: no closing quote before the end of the line', code: 'unterminated_label_value', prometheus: 'rejects' },
  { name: 'label value unterminated at end of input', format: T, body: 'foo{a="b', error: '1:7: unterminated label value: no closing quote before the end of input', code: 'unterminated_label_value', prometheus: 'rejects' },
  { name: 'label value runs into the next line', format: T, body: 'foo{a="x\ny"} 1\n', error: '1:7: unterminated label value: no closing quote before the end of the line', code: 'unterminated_label_value', prometheus: 'accepts' },
  { name: 'backslash before newline in label value', format: T, body: 'foo{a="b\\\n"} 1\n', error: '1:9: invalid escape sequence: backslash at the end of a line', code: 'invalid_escape', prometheus: 'rejects' },
  { name: 'backslash at end of input in label value', format: T, body: 'foo{a="b\\', error: '1:9: invalid escape sequence: backslash at the end of input', code: 'invalid_escape', prometheus: 'rejects' },
  { name: 'escaped quote leaves value open', format: T, body: 'foo{a="b\\"} 1\n', error: '1:7: unterminated label value: no closing quote before the end of the line', code: 'unterminated_label_value', prometheus: 'rejects' },
  { name: 'semicolon between labels', format: T, body: 'foo{a="1";b="2"} 1\n', error: '1:10: expected "," or "}" after a label value, got ";"', code: 'expected_label_separator', prometheus: 'rejects' },
  { name: 'value inside braces', format: T, body: 'foo{a="b" 1\n', error: '1:11: expected "," or "}" after a label value, got "1"', code: 'expected_label_separator', prometheus: 'rejects' },
  { name: 'labels not closed at end of line', format: T, body: 'foo{a="1"\n', error: '1:10: expected "," or "}" after a label value, got end of line', code: 'expected_label_separator', prometheus: 'rejects' },
  // Text format: repeated label names.
  { name: 'repeated label name', format: T, body: 'foo{a="1",a="2"} 1\n', error: '1:11: label name "a" is not unique', code: 'duplicate_label_name', prometheus: 'rejects' },
  { name: 'repeated label name with blanks', format: T, body: 'foo{a="1", b="2", a="3"} 1\n', error: '1:19: label name "a" is not unique', code: 'duplicate_label_name', prometheus: 'rejects' },
  { name: '__name__ label beside a metric name', format: T, body: 'foo{__name__="bar"} 1\n', error: '1:5: label name "__name__" is not unique', code: 'duplicate_label_name', prometheus: 'rejects' },
  // Text format: values.
  { name: 'missing value at end of line', format: T, body: 'foo\n', error: '1:4: expected a value after the metric, got end of line', code: 'missing_value', prometheus: 'rejects' },
  { name: 'missing value at end of input', format: T, body: 'foo', error: '1:4: expected a value after the metric, got end of input', code: 'missing_value', prometheus: 'rejects' },
  { name: 'missing value after labels', format: T, body: 'foo{a="b"}\n', error: '1:11: expected a value after the metric, got end of line', code: 'missing_value', prometheus: 'rejects' },
  { name: 'missing value after labels and blank', format: T, body: 'foo{a="b"} \n', error: '1:12: expected a value after the metric, got end of line', code: 'missing_value', prometheus: 'rejects' },
  { name: 'second label set instead of a value', format: T, body: 'foo{a="b"}{c="d"} 1\n', error: '1:11: expected a value after the metric, got "{"', code: 'missing_value', prometheus: 'rejects' },
  { name: 'word as value', format: T, body: 'foo abc\n', error: '1:5: invalid sample value "abc": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'number followed by letters', format: T, body: 'foo 1abc\n', error: '1:5: invalid sample value "1abc": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'hexadecimal value', format: T, body: 'foo 0x1A\n', error: '1:5: invalid sample value "0x1A": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'digit separator in value', format: T, body: 'foo 1_000\n', error: '1:5: invalid sample value "1_000": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'value out of float64 range', format: T, body: 'foo 1e400\n', error: '1:5: sample value "1e400" is out of range', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'signed NaN', format: T, body: 'foo +nan\n', error: '1:5: invalid sample value "+nan": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'misspelt infinity', format: T, body: 'foo Infinityy\n', error: '1:5: invalid sample value "Infinityy": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'exponent without digits', format: T, body: 'foo 1e\n', error: '1:5: invalid sample value "1e": not a number', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'carriage return line ending', format: T, body: 'foo 1\r\n', error: '1:5: invalid sample value "1\\r": not a number', code: 'invalid_value', prometheus: 'rejects' },
  // Text format: timestamps and what follows.
  { name: 'fractional timestamp', format: T, body: 'foo 1 1.5\n', error: '1:7: invalid timestamp "1.5": expected an integer number of milliseconds', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'lone minus as timestamp', format: T, body: 'foo{a="b"} 1 -\n', error: '1:14: invalid timestamp "-": expected an integer number of milliseconds', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'timestamp out of range', format: T, body: 'foo 1 99999999999999999999\n', error: '1:7: timestamp "99999999999999999999" is out of range', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'word after the value', format: T, body: 'foo 1 abc\n', error: '1:7: expected a timestamp or the end of the line after the value, got "abc"', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'brace after the value', format: T, body: 'foo 1{\n', error: '1:6: expected a timestamp or the end of the line after the value, got "{"', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'extra field after the timestamp', format: T, body: 'foo 1 2 3\n', error: '1:9: unexpected "3" after the timestamp', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'exemplar in the text format', format: T, body: 'foo{a="b"} 1 2 # {x="y"} 1\n', error: '1:16: unexpected "#" after the timestamp', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'error on a later line', format: T, body: '# HELP foo ok\n# TYPE foo counter\nfoo 1\nfoo{a=} 2\n', error: '4:7: expected a quoted value for label "a", got "}"', code: 'expected_label_value', prometheus: 'rejects' },
  // Text format: HELP and TYPE.
  { name: 'unknown metric type', format: T, body: '# TYPE foo gaug\n', error: '1:12: invalid metric type "gaug"', code: 'invalid_metric_type', prometheus: 'rejects' },
  { name: 'OpenMetrics type in the text format', format: T, body: '# TYPE foo unknown\n', error: '1:12: invalid metric type "unknown"', code: 'invalid_metric_type', prometheus: 'rejects' },
  { name: 'TYPE without a type', format: T, body: '# TYPE foo\n', error: '1:11: invalid metric type ""', code: 'invalid_metric_type', prometheus: 'rejects' },
  { name: 'TYPE with a bad metric name', format: T, body: '# TYPE 0foo counter\n', error: '1:8: expected a metric name after TYPE, got "0"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'HELP without a metric name', format: T, body: '# HELP \n', error: '1:8: expected a metric name after HELP, got end of line', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'HELP with a bad metric name', format: T, body: '# HELP foo-bar help\n', error: '1:11: invalid character "-" in metric name "foo"', code: 'invalid_metric_name', prometheus: 'accepts' },
  { name: 'TYPE followed by more words', format: T, body: '# TYPE foo counter extra\n', error: '1:12: invalid metric type "counter extra"', code: 'invalid_metric_type', prometheus: 'rejects' },
  // OpenMetrics.
  { name: 'OpenMetrics without # EOF', format: OM, body: 'foo 1\n', error: '2:1: data does not end with # EOF', code: 'missing_eof', prometheus: 'rejects' },
  { name: 'OpenMetrics empty body', format: OM, body: '', error: '1:1: data does not end with # EOF', code: 'missing_eof', prometheus: 'rejects' },
  { name: 'OpenMetrics sample after # EOF', format: OM, body: 'foo 1\n# EOF\nbar 1\n', error: '3:1: unexpected data after # EOF', code: 'data_after_eof', prometheus: 'rejects' },
  { name: 'OpenMetrics blank line after # EOF', format: OM, body: 'foo 1\n# EOF\n\n', error: '3:1: unexpected data after # EOF', code: 'data_after_eof', prometheus: 'rejects' },
  { name: 'OpenMetrics text glued to # EOF', format: OM, body: 'foo 1\n# EOFx\n', error: '2:6: unexpected data after # EOF', code: 'data_after_eof', prometheus: 'rejects' },
  { name: 'OpenMetrics blank line', format: OM, body: 'foo 1\n\n# EOF\n', error: '2:1: blank lines are not allowed in OpenMetrics', code: 'blank_line', prometheus: 'rejects' },
  { name: 'OpenMetrics comment', format: OM, body: '# foo\n# EOF\n', error: '1:3: expected HELP, TYPE, UNIT or EOF after "# ", got "foo"', code: 'invalid_comment', prometheus: 'rejects' },
  { name: 'OpenMetrics # without space', format: OM, body: '#foo\n# EOF\n', error: '1:1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF"', code: 'invalid_comment', prometheus: 'rejects' },
  { name: 'OpenMetrics blank after label comma', format: OM, body: 'foo{a="b", c="d"} 1\n# EOF\n', error: '1:11: expected a label name, got " "', code: 'invalid_label_name', prometheus: 'rejects' },
  { name: 'OpenMetrics blank before closing brace', format: OM, body: 'foo{a="b" } 1\n# EOF\n', error: '1:10: expected "," or "}" after a label value, got " "', code: 'expected_label_separator', prometheus: 'rejects' },
  { name: 'OpenMetrics two spaces before value', format: OM, body: 'foo  1\n# EOF\n', error: '1:5: expected a value after the metric, got " "', code: 'missing_value', prometheus: 'rejects' },
  { name: 'OpenMetrics tab before value', format: OM, body: 'foo\t1\n# EOF\n', error: '1:4: expected " " and a value after the metric, got "\\t"', code: 'missing_value', prometheus: 'rejects' },
  { name: 'OpenMetrics dash in metric name', format: OM, body: 'foo-bar 1\n# EOF\n', error: '1:4: invalid character "-" in metric name "foo"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'OpenMetrics quoted metric name', format: OM, body: '{"foo"} 1\n# EOF\n', error: '1:1: expected a metric name or "#" at the start of a line, got "{"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'OpenMetrics unquoted label value', format: OM, body: 'foo{a=1} 1\n# EOF\n', error: '1:7: expected a quoted value for label "a", got "1"', code: 'expected_label_value', prometheus: 'rejects' },
  { name: 'OpenMetrics label value across lines', format: OM, body: 'foo{a="x\ny"} 1\n# EOF\n', error: '1:7: unterminated label value: no closing quote before the end of the line', code: 'unterminated_label_value', prometheus: 'rejects' },
  { name: 'OpenMetrics repeated label name', format: OM, body: 'foo{a="1",a="2"} 1\n# EOF\n', error: '1:11: label name "a" is not unique', code: 'duplicate_label_name', prometheus: 'rejects' },
  { name: 'OpenMetrics value out of range', format: OM, body: 'foo 1e400\n# EOF\n', error: '1:5: sample value "1e400" is out of range', code: 'invalid_value', prometheus: 'rejects' },
  { name: 'OpenMetrics missing value', format: OM, body: 'foo\n# EOF\n', error: '1:4: expected " " and a value after the metric, got end of line', code: 'missing_value', prometheus: 'rejects' },
  { name: 'OpenMetrics untyped is not a type', format: OM, body: '# TYPE foo untyped\n# EOF\n', error: '1:12: invalid metric type "untyped"', code: 'invalid_metric_type', prometheus: 'rejects' },
  { name: 'OpenMetrics TYPE with a bad name', format: OM, body: '# TYPE foo counter\n# TYPE 1foo gauge\n# EOF\n', error: '2:8: expected a metric name after TYPE, got "1"', code: 'invalid_metric_name', prometheus: 'rejects' },
  { name: 'OpenMetrics HELP without text', format: OM, body: '# HELP foo\n# EOF\n', error: '1:11: expected " " and text after the metric name in HELP', code: 'invalid_metadata', prometheus: 'rejects' },
  { name: 'OpenMetrics unit not a suffix', format: OM, body: '# UNIT foo_seconds bytes\n# EOF\n', error: '1:20: unit "bytes" not a suffix of metric "foo_seconds"', code: 'invalid_unit', prometheus: 'rejects' },
  { name: 'OpenMetrics word as timestamp', format: OM, body: '# TYPE foo counter\nfoo_total 1 abc\n# EOF\n', error: '2:13: invalid timestamp "abc": not a number', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'OpenMetrics NaN timestamp', format: OM, body: 'foo 1 NaN\n# EOF\n', error: '1:7: invalid timestamp "NaN": must be finite', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'OpenMetrics empty timestamp', format: OM, body: 'foo 1 \n# EOF\n', error: '1:7: expected a timestamp, got end of line', code: 'invalid_timestamp', prometheus: 'rejects' },
  { name: 'OpenMetrics extra field after timestamp', format: OM, body: 'foo 1 2 3\n# EOF\n', error: '1:9: expected an exemplar or the end of the line after the timestamp, got "3"', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'OpenMetrics hash without exemplar', format: OM, body: '# TYPE foo counter\nfoo_total 1 # a\n# EOF\n', error: '2:13: expected "# {" to start an exemplar, got "# a"', code: 'invalid_exemplar', prometheus: 'rejects' },
  { name: 'OpenMetrics exemplar without value', format: OM, body: '# TYPE foo counter\nfoo_total 1 # {a="b"}\n# EOF\n', error: '2:22: expected " " and a value after the exemplar labels, got end of line', code: 'invalid_exemplar', prometheus: 'rejects' },
  { name: 'OpenMetrics exemplar value not a number', format: OM, body: '# TYPE foo counter\nfoo_total 1 # {a="b"} x\n# EOF\n', error: '2:23: invalid exemplar value "x": not a number', code: 'invalid_exemplar', prometheus: 'rejects' },
  { name: 'OpenMetrics exemplar labels with blank', format: OM, body: '# TYPE foo counter\nfoo_total 1 # {a="b" } 1\n# EOF\n', error: '2:21: expected "," or "}" after a label value, got " "', code: 'expected_label_separator', prometheus: 'rejects' },
  { name: 'OpenMetrics extra field after exemplar', format: OM, body: '# TYPE foo counter\nfoo_total 1 # {a="b"} 1 2 3\n# EOF\n', error: '2:27: unexpected "3" after the exemplar', code: 'trailing_text', prometheus: 'rejects' },
  { name: 'OpenMetrics exemplar timestamp not a number', format: OM, body: '# TYPE foo counter\nfoo_total 1 # {a="b"} 1 x\n# EOF\n', error: '2:25: invalid exemplar timestamp "x": not a number', code: 'invalid_exemplar', prometheus: 'rejects' },
];
