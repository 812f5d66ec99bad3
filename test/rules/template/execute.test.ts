import { describe, expect, it } from 'vitest';
import { Labels } from '../../../model/labels.js';
import type { QueryFnResult } from '../../../rules/model.js';
import { alertTemplateData, expandText } from '../../../rules/template/execute.js';
import { GoInt, GoSlice, type GoValue } from '../../../rules/template/value.js';

/**
 * Scenarios transcribed from Prometheus's template/template_test.go (TestTemplateExpansion): the
 * same text, input and query result must give the same output or the same error message.
 */
interface Scenario {
  text: string;
  output?: string;
  input?: GoValue;
  queryResult?: QueryFnResult;
  errorMsg?: string;
}

const metric = (instance: string, v: number) => ({ metric: Labels.from({ __name__: 'metric', instance }), v });
const floats = (...v: number[]) => new GoSlice(v, '[]float64');
const strings = (...v: string[]) => new GoSlice(v, '[]string');
const ints = (kind: 'int' | 'int64' | 'uint64', ...v: number[]) => new GoSlice(v.map((x) => new GoInt(x, kind)), `[]${kind}`);
const MaxInt64 = 9223372036854775807;
const MinInt64 = -9223372036854775808;
const MaxUint64 = 18446744073709551615;

const scenarios: Scenario[] = [
  { text: 'plain text', output: 'plain text' },
  { text: '{{ 1 }}', output: '1' },
  { text: '{{ "<b>" }}', output: '<b>' },
  { text: '{{define "x"}}{{.arg0}} {{.arg1}}{{end}}{{template "x" (args 1 "2")}}', output: '1 2' },
  { text: '{{ query "1.5" | first | value }}', output: '1.5', queryResult: [{ metric: Labels.EMPTY, v: 1.5 }] },
  { text: `{{ query "metric{instance='a'}" | first | value }}`, queryResult: [metric('a', 11)], output: '11' },
  { text: `{{ query "metric{instance='a'}" | first | label "instance" }}`, queryResult: [metric('a', 11)], output: 'a' },
  {
    text: `{{ query "metric{__value__='a'}" | first | strvalue }}`,
    queryResult: [{ metric: Labels.from({ __name__: 'metric', __value__: 'a' }), v: 11 }],
    output: 'a',
  },
  { text: `{{ query "metric{instance='a'}" | first | label "foo" }}`, queryResult: [metric('a', 11)], output: '' },
  { text: '{{ $x := query "metric" | first }}{{ $x.Labels.foo }}', queryResult: [metric('a', 11)], output: '' },
  {
    text: '{{ range query "metric" | sortByLabel "instance" }}{{.Labels.instance}}:{{.Value}}: {{end}}',
    queryResult: [metric('b', 21), metric('a', 11)],
    output: 'a:11: b:21: ',
  },
  { text: '{{ "foo.example.com" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "foo.example.com:12345" | stripPort }}', output: 'foo.example.com' },
  { text: '{{ "192.0.2.1" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripPort }}', output: '192.0.2.1' },
  { text: '{{ "2001:0DB8::1" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripPort }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripPort }}', output: '[2001:0DB8::1]::12345' },
  { text: '{{ .Foo }}', output: '<no value>' },
  {
    text: '{{ query "missing" | first }}',
    queryResult: [],
    errorMsg: 'error executing template test: template: test:1:21: executing "test" at <first>: error calling first: first() called on vector with no elements',
  },
  {
    text: '{{ (query "missing").banana }}',
    queryResult: [],
    errorMsg: 'error executing template test: template: test:1:10: executing "test" at <"missing">: can\'t evaluate field banana in type template.queryResult',
  },
  { text: '{{ reReplaceAll "(a)b" "x$1" "ab" }}', output: 'xa' },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: floats(0.0, 1.0, 1234567.0, 0.12), output: '0:1:1.235M:120m:' },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: strings('0.0', '1.0', '1234567.0', '.12'), output: '0:1:1.235M:120m:' },
  {
    text: '{{ humanize "one" }}',
    errorMsg: 'error executing template test: template: test:1:3: executing "test" at <humanize "one">: error calling humanize: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: ints('int64', 0, -1, 1, 1234567, MaxInt64), output: '0:-1:1:1.235M:9.223E:' },
  { text: '{{ range . }}{{ humanize . }}:{{ end }}', input: ints('uint64', 0, 1, 1234567, MaxUint64), output: '0:1:1.235M:18.45E:' },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: floats(0.0, 1.0, 1048576.0, 0.12), output: '0:1:1Mi:0.12:' },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: strings('0.0', '1.0', '1048576.0', '.12'), output: '0:1:1Mi:0.12:' },
  {
    text: '{{ humanize1024 "one" }}',
    errorMsg:
      'error executing template test: template: test:1:3: executing "test" at <humanize1024 "one">: error calling humanize1024: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: ints('int64', 0, -1, 1, 1234567, MaxInt64), output: '0:-1:1:1.177Mi:8Ei:' },
  { text: '{{ range . }}{{ humanize1024 . }}:{{ end }}', input: ints('uint64', 0, 1, 1234567, MaxUint64), output: '0:1:1.177Mi:16Ei:' },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: floats(0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99),
    output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:',
  },
  { text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', input: strings('0', '1', '60', '3600', '86400'), output: '0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:' },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: floats(0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345),
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}',
    input: strings('.1', '.0001', '.12345', '60.1', '60.5', '1.2345', '12.345'),
    output: '100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:',
  },
  {
    text: '{{ humanizeDuration "one" }}',
    errorMsg:
      'error executing template test: template: test:1:3: executing "test" at <humanizeDuration "one">: error calling humanizeDuration: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  { text: '{{ range . }}{{ humanizeDuration . }}:{{ end }}', input: ints('int', 0, -1, 1, 1234567), output: '0s:-1s:1s:14d 6h 56m 7s:' },
  {
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: floats(Infinity, -Infinity, NaN),
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text: '{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}',
    input: strings('+Inf', '-Inf', 'NaN'),
    output: '+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:',
  },
  {
    text: '{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  { text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}', input: ints('int64', 0, -1, 1, 1234567, MaxInt64), output: '0%:-100%:100%:1.235e+08%:9.223e+20%:' },
  { text: '{{ range . }}{{ humanizePercentage . }}:{{ end }}', input: ints('uint64', 0, 1, 1234567, MaxUint64), output: '0%:100%:1.235e+08%:1.845e+21%:' },
  {
    text: '{{ "-0.22222" | humanizePercentage }}:{{ "0.0" | humanizePercentage }}:{{ "0.1234567" | humanizePercentage }}:{{ "1.23456" | humanizePercentage }}',
    output: '-22.22%:0%:12.35%:123.5%',
  },
  {
    text: '{{ "one" | humanizePercentage }}',
    errorMsg:
      'error executing template test: template: test:1:11: executing "test" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing "one": invalid syntax',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: ints('int64', 0, -1, 1, 1234567, 9223372036),
    output:
      '1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: ints('int64', MinInt64, MaxInt64),
    errorMsg:
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  {
    text: '{{ range . }}{{ humanizeTimestamp . }}:{{ end }}',
    input: ints('uint64', MaxUint64),
    errorMsg:
      'error executing template test: template: test:1:16: executing "test" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64',
  },
  { text: '{{ 1435065584.128 | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { text: '{{ "1435065584.128" | humanizeTimestamp }}', output: '2015-06-23 13:19:44.128 +0000 UTC' },
  { text: '{{ (1435065584.128 | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ ("1435065584.128" | toTime).Format "2006" }}', output: '2015' },
  { text: '{{ "aa bb CC" | title }}', output: 'Aa Bb CC' },
  { text: '{{ "aa bb CC" | toUpper }}', output: 'AA BB CC' },
  { text: '{{ "aA bB CC" | toLower }}', output: 'aa bb cc' },
  { text: '{{ match "a+" "aa" }} {{ match "a+" "b" }}', output: 'true false' },
  { text: '{{ graphLink "up" }}', output: '/graph?g0.expr=up&g0.tab=0' },
  { text: '{{ tableLink "up" }}', output: '/graph?g0.expr=up&g0.tab=1' },
  { text: '{{ pathPrefix }}', output: '/path/prefix' },
  { text: '{{ externalURL }}', output: 'http://testhost:9090/path/prefix' },
  { text: '{{ printf "%0.2f" (parseDuration "1h2m10ms") }}', output: '3720.01' },
  { text: '{{ "foo.example.com" | stripDomain }}', output: 'foo' },
  { text: '{{ "foo.example.com:12345" | stripDomain }}', output: 'foo:12345' },
  { text: '{{ "192.0.2.1" | stripDomain }}', output: '192.0.2.1' },
  { text: '{{ "192.0.2.1:12345" | stripDomain }}', output: '192.0.2.1:12345' },
  { text: '{{ "2001:0DB8::1" | stripDomain }}', output: '2001:0DB8::1' },
  { text: '{{ "[2001:0DB8::1]:12345" | stripDomain }}', output: '[2001:0DB8::1]:12345' },
  { text: '{{ "[2001:0DB8::1]::12345" | stripDomain }}', output: '[2001:0DB8::1]::12345' },
];

async function expand(s: Scenario): Promise<string> {
  const result = s.queryResult ?? [];
  return expandText(s.text, 'test', {
    data: s.input ?? null,
    queryFn: async () => result,
    timestampMs: 0,
    externalURL: 'http://testhost:9090/path/prefix',
  });
}

describe("templates expand as Prometheus's template_test.go says", () => {
  for (const s of scenarios) {
    it(s.text, async () => {
      if (s.errorMsg !== undefined) await expect(expand(s)).rejects.toThrow(s.errorMsg);
      else expect(await expand(s)).toBe(s.output);
    });
  }
});

describe('Go semantics in alert templates', () => {
  const alert = (text: string, value = 0.5, labels: Record<string, string> = { job: 'api', instance: 'a:9090' }) =>
    expandText('{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}' + text, '__alert_X', {
      data: alertTemplateData({ labels, externalLabels: { cluster: 'eu1' }, externalURL: 'http://vigil:9470', value }),
      timestampMs: 1_700_000_000_000,
      externalURL: 'http://vigil:9470',
    });

  it('prints $value with %v of a float64: shortest digits, exponent from 1e21 and at 1e6', async () => {
    expect(await alert('{{ $value }}', 0.1 + 0.2)).toBe('0.30000000000000004');
    expect(await alert('{{ $value }}', 1e6)).toBe('1e+06');
    expect(await alert('{{ $value }}', 123456)).toBe('123456');
    expect(await alert('{{ $value }}', 1e-5)).toBe('1e-05');
  });

  it('reads $labels, $externalLabels and $externalURL; a missing label is empty', async () => {
    expect(await alert('{{ $labels.job }}/{{ $labels.nope }}/{{ $externalLabels.cluster }}/{{ $externalURL }}')).toBe('api//eu1/http://vigil:9470');
    expect(await alert('{{ .Labels.instance | stripPort }}')).toBe('a');
  });

  it('printf follows Go verbs, including its complaints', async () => {
    expect(await alert('{{ printf "%.2f" $value }}', 0.125)).toBe('0.12');
    expect(await alert('{{ printf "%d|%s|%v|%q" 3 "x" 1.5 "a\\"b" }}')).toBe('3|x|1.5|"a\\"b"');
    expect(await alert('{{ printf "%d" $value }}')).toBe('%!d(float64=0.5)');
    expect(await alert('{{ printf "%s %s" "a" }}')).toBe('a %!s(MISSING)');
    expect(await alert('{{ printf "%5.1f|%-3d|%05d" 2.25 7 42 }}')).toBe('  2.2|7  |00042');
  });

  it('if/else, with, range with else, and comparison functions', async () => {
    expect(await alert('{{ if gt $value 0.4 }}high{{ else }}low{{ end }}')).toBe('high');
    expect(await alert('{{ if and (eq $labels.job "api") (not (eq $labels.instance "b")) }}yes{{ end }}')).toBe('yes');
    expect(await alert('{{ with $labels.nope }}x{{ else }}none{{ end }}')).toBe('none');
    expect(await alert('{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}')).toBe('instance=a:9090;job=api;');
    expect(await alert('{{ len $labels }} {{ index $labels "job" }} {{ or "" "fallback" }}')).toBe('2 api fallback');
    expect(await alert('{{ if lt 1 2 }}int{{ end }}{{ if ge "b" "a" }}str{{ end }}')).toBe('intstr');
  });

  it('comparing a float with an int constant is an error, as in Go', async () => {
    await expect(alert('{{ if gt $value 1 }}x{{ end }}')).rejects.toThrow(
      'error executing template __alert_X: template: __alert_X:1:118: executing "__alert_X" at <gt $value 1>: error calling gt: incompatible types for comparison',
    );
  });

  it('humanize family on $value', async () => {
    expect(await alert('{{ humanize $value }} {{ humanizePercentage $value }} {{ humanizeDuration 3725 }} {{ humanize1024 2048 }}', 1234.5)).toBe(
      '1.234k 1.234e+05% 1h 2m 5s 2ki',
    );
  });

  it('toDuration, now, urlUnescape, safeHtml and reReplaceAll with named groups', async () => {
    expect(await alert('{{ 90 | toDuration }} {{ (1.5 | toDuration).Seconds }}')).toBe('1m30s 1.5');
    expect(await alert('{{ now }}')).toBe('1.7e+09');
    expect(await alert('{{ "a%20b+c" | urlUnescape }}')).toBe('a b c');
    expect(await alert('{{ "<b>" | safeHtml }}')).toBe('<b>');
    expect(await alert('{{ reReplaceAll "(?P<host>[^:]+):.*" "${host}!" $labels.instance }}')).toBe('a!');
  });

  it('a parse error reads as Prometheus reports it', async () => {
    await expect(expandText('{{', 'test', { data: null, timestampMs: 0, externalURL: '' })).rejects.toThrow('error parsing template test: template: test:1: unclosed action');
  });
});
