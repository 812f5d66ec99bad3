import { describe, expect, it } from 'vitest';
import { OpenMetricsParser, type Parser } from '../../../collectors/textparse/index.js';

// An OpenMetrics 1.0 body in the shape Python's prometheus_client and the OpenMetrics spec examples
// use: every type, UNIT, _created, exemplars with and without timestamps, sample timestamps.
const BODY = `# TYPE acme_http_router_request_seconds summary
# UNIT acme_http_router_request_seconds seconds
# HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
# TYPE go_goroutines gauge
# HELP go_goroutines Number of goroutines that currently exist.
go_goroutines 69
# TYPE process_cpu_seconds counter
# UNIT process_cpu_seconds seconds
# HELP process_cpu_seconds Total user and system CPU time spent in seconds.
process_cpu_seconds_total 4.20072246e+06
process_cpu_seconds_created 1.6e9
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{le="0.3"} 3 # {trace_id="KOO5S4vxi0o"} 0.27 1605281325.001
vllm:e2e_request_latency_seconds_bucket{le="1"} 8 # {trace_id="oHg5SJYRHA0"} 0.9
vllm:e2e_request_latency_seconds_bucket{le="+Inf"} 9 # {} 4.5 1.6e9
vllm:e2e_request_latency_seconds_sum 11.5
vllm:e2e_request_latency_seconds_count 9
vllm:e2e_request_latency_seconds_created 1.6e+09
# TYPE queue_size gaugehistogram
queue_size_bucket{le="10"} 4
queue_size_bucket{le="+Inf"} 5
queue_size_gcount 5
queue_size_gsum 21
# TYPE build info
build_info{version="1.2.3",escaped="a\\\\b\\"c\\nd"} 1
# TYPE feature stateset
feature{feature="a"} 1 1700000000.5
feature{feature="b"} 0 -1.5
# TYPE mystery unknown
mystery NaN
mystery_x +Inf 0
# EOF
`;

interface Entry {
  kind: string;
  series?: string;
  value?: number;
  timestamp?: number | undefined;
  exemplar?: string | undefined;
  name?: string;
  text?: string;
}

function entries(p: Parser): Entry[] {
  const out: Entry[] = [];
  let kind;
  while ((kind = p.next()) !== null) {
    if (kind === 'series') {
      const e = p.exemplar();
      out.push({
        kind,
        series: p.labels().toSeriesString(),
        value: p.value(),
        timestamp: p.timestamp(),
        exemplar: e === undefined ? undefined : `${e.labels.toString()} ${e.value} ${e.timestamp ?? '-'}`,
      });
    } else if (kind === 'type') out.push({ kind, name: p.metricFamily(), text: p.type() });
    else if (kind === 'help') out.push({ kind, name: p.metricFamily(), text: p.help() });
    else if (kind === 'unit') out.push({ kind, name: p.metricFamily(), text: p.unit() });
    else out.push({ kind });
  }
  return out;
}

describe('OpenMetricsParser', () => {
  it('reads every type, UNIT, HELP, _created, exemplars and timestamps', () => {
    const p = new OpenMetricsParser(BODY);
    const all = entries(p);
    expect(p.warnings()).toEqual([]);
    expect(all.slice(0, 3)).toEqual([
      { kind: 'type', name: 'acme_http_router_request_seconds', text: 'summary' },
      { kind: 'unit', name: 'acme_http_router_request_seconds', text: 'seconds' },
      { kind: 'help', name: 'acme_http_router_request_seconds', text: "Latency though all of ACME's HTTP request router." },
    ]);
    const series = all.filter((e) => e.kind === 'series');
    expect(series).toHaveLength(21);
    const by = (s: string): Entry => series.find((e) => e.series === s)!;
    expect(by('acme_http_router_request_seconds_count{method="GET", path="/api/v1"}').value).toBe(807283);
    expect(by('acme_http_router_request_seconds_created{method="GET", path="/api/v1"}').value).toBe(1605281325);
    expect(by('process_cpu_seconds_total').value).toBe(4200722.46);
    expect(by('process_cpu_seconds_created').value).toBe(1.6e9);
    expect(by('vllm:e2e_request_latency_seconds_bucket{le="0.3"}').exemplar).toBe('{trace_id="KOO5S4vxi0o"} 0.27 1605281325001');
    expect(by('vllm:e2e_request_latency_seconds_bucket{le="1.0"}').exemplar).toBe('{trace_id="oHg5SJYRHA0"} 0.9 -');
    expect(by('vllm:e2e_request_latency_seconds_bucket{le="+Inf"}').exemplar).toBe('{} 4.5 1600000000000');
    expect(by('vllm:e2e_request_latency_seconds_sum').exemplar).toBeUndefined();
    expect(by('queue_size_gsum').value).toBe(21);
    expect(by('build_info{escaped="a\\\\b\\"c\\nd", version="1.2.3"}').value).toBe(1);
    expect(by('feature{feature="a"}').timestamp).toBe(1700000000500);
    expect(by('feature{feature="b"}').timestamp).toBe(-1500);
    expect(Number.isNaN(by('mystery').value)).toBe(true);
    expect(by('mystery_x')).toMatchObject({ value: Infinity, timestamp: 0 });
  });

  it('converts timestamps in seconds to ms exactly, truncating below the ms', () => {
    const ts = (t: string): number | undefined => {
      const p = new OpenMetricsParser(`foo 1 ${t}\n# EOF\n`);
      p.next();
      return p.timestamp();
    };
    expect(ts('1.001')).toBe(1001);
    expect(ts('1605281325.001')).toBe(1605281325001);
    expect(ts('1.6e9')).toBe(1600000000000);
    expect(ts('1.0005')).toBe(1000);
    expect(ts('-1.0005')).toBe(-1000);
    expect(ts('0.0001')).toBe(0);
    expect(ts('1700000000')).toBe(1700000000000);
  });

  it('ends at # EOF, with or without a final newline', () => {
    for (const body of ['foo 1\n# EOF\n', 'foo 1\n# EOF']) {
      const p = new OpenMetricsParser(body);
      expect(p.next()).toBe('series');
      expect(p.next()).toBeNull();
      expect(p.next()).toBeNull();
      expect(p.warnings()).toEqual([]);
    }
    expect(new OpenMetricsParser('# EOF\n').next()).toBeNull();
  });

  it('allows an empty HELP and UNIT, and a trailing comma in labels', () => {
    const all = entries(new OpenMetricsParser('# HELP foo \n# UNIT foo \nfoo{a="1",} 1\n# EOF\n'));
    expect(all).toEqual([
      { kind: 'help', name: 'foo', text: '' },
      { kind: 'unit', name: 'foo', text: '' },
      { kind: 'series', series: 'foo{a="1"}', value: 1, timestamp: undefined, exemplar: undefined },
    ]);
  });

  it('unescapes \\" in HELP, as OpenMetrics does', () => {
    const p = new OpenMetricsParser('# HELP foo say \\"hi\\" \\\\ \\n\n# EOF\n');
    p.next();
    expect(p.help()).toBe('say "hi" \\ \n');
  });

  it('reads the UNIT after a HELP whose text was not asked for', () => {
    const p = new OpenMetricsParser('# HELP foo_seconds time\n# UNIT foo_seconds seconds\nfoo_seconds 1\n# EOF\n');
    expect(p.next()).toBe('help');
    expect(p.next()).toBe('unit');
    expect(p.unit()).toBe('seconds');
  });

  it('warns about a second TYPE for one family', () => {
    const p = new OpenMetricsParser('# TYPE foo gauge\nfoo 1\n# TYPE foo gauge\nfoo 2\n# EOF\n');
    entries(p);
    expect(p.warnings()).toEqual([{ line: 3, message: 'second TYPE line for metric name "foo"' }]);
  });
});
