import { describe, expect, it } from 'vitest';
import type { Labels } from '../../../model/labels.js';
import { PromTextParser, type EntryKind, type Parser } from '../../../collectors/textparse/index.js';
import { FIXTURES, LENIENT_FIXTURES, countSampleLines, readFixture } from './fixtures.js';
import { mulberry32 } from '../../support/prng.js';

interface Seen {
  kind: EntryKind;
  key?: string;
  labels?: Labels;
  value?: number;
  timestamp?: number | undefined;
  name?: string;
  text?: string;
}

function entries(p: Parser): Seen[] {
  const out: Seen[] = [];
  let kind;
  while ((kind = p.next()) !== null) {
    switch (kind) {
      case 'series':
        out.push({ kind, key: p.seriesKey(), labels: p.labels(), value: p.value(), timestamp: p.timestamp() });
        break;
      case 'help':
        out.push({ kind, name: p.metricFamily(), text: p.help() });
        break;
      case 'type':
        out.push({ kind, name: p.metricFamily(), text: p.type() });
        break;
      case 'unit':
        out.push({ kind, name: p.metricFamily(), text: p.unit() });
        break;
      case 'comment':
        out.push({ kind, text: p.comment() });
        break;
    }
  }
  return out;
}

function samples(body: string): Seen[] {
  return entries(new PromTextParser(body)).filter((e) => e.kind === 'series');
}

function only(body: string): Seen {
  const all = samples(body);
  expect(all).toHaveLength(1);
  return all[0]!;
}

function find(all: Seen[], series: string): Seen {
  const hit = all.find((s) => s.labels!.toSeriesString() === series);
  if (hit === undefined) throw new Error(`no sample ${series}`);
  return hit;
}

describe('PromTextParser on the exporter fixtures', () => {
  it.each(FIXTURES)('%s parses, one sample per sample line', (fixture) => {
    const body = readFixture(fixture);
    const p = new PromTextParser(body);
    const all = entries(p);
    expect(all.filter((e) => e.kind === 'series')).toHaveLength(countSampleLines(body));
    if (LENIENT_FIXTURES.includes(fixture)) expect(p.warnings().length).toBeGreaterThan(0);
    else expect(p.warnings()).toEqual([]);
  });

  it('reads DCGM labels in camel and upper case, and the driver version label', () => {
    const all = samples(readFixture('dcgm-exporter.gpu-node-a.prom'));
    const first = all[0]!;
    expect(first.labels!.metricName).toBe('DCGM_FI_DEV_SM_CLOCK');
    expect(first.labels!.get('Hostname')).toBe('gpu-node-a');
    expect(first.labels!.get('modelName')).toBe('NVIDIA H100 80GB HBM3');
    expect(first.labels!.get('UUID')).toBe('GPU-a3b1799d-1c80-0667-bdd6-3eb146685257');
    expect(first.labels!.get('DCGM_FI_DRIVER_VERSION')).toBe('550.90.07');
    expect(first.value).toBe(1980);
    expect(first.timestamp).toBeUndefined();
    expect(first.key).toBe(
      'DCGM_FI_DEV_SM_CLOCK{gpu="0",UUID="GPU-a3b1799d-1c80-0667-bdd6-3eb146685257",pci_bus_id="00000000:18:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-a",DCGM_FI_DRIVER_VERSION="550.90.07",container="vllm",namespace="llm-serving",pod="vllm-llama-3-1-70b-6d9f7c8b5-x2k4p"}',
    );
    const energy = all.filter((s) => s.labels!.metricName === 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION');
    expect(energy).toHaveLength(8);
    expect(energy[0]!.labels!.get("gpu")).toBe("0");
    expect(energy[0]!.value).toBe(398912225902);
  });

  it('reads DCGM node b, where idle GPUs have no pod labels and GPU 3 reports XID 79', () => {
    const all = samples(readFixture('dcgm-exporter.gpu-node-b.prom'));
    const xid = all.filter((s) => s.labels!.metricName === 'DCGM_FI_DEV_XID_ERRORS');
    expect(xid.find((s) => s.labels!.get('gpu') === '3')!.value).toBe(79);
    const idle = xid.find((s) => s.labels!.get('gpu') === '7')!;
    expect(idle.labels!.has('pod')).toBe(false);
    expect(idle.labels!.has('namespace')).toBe(false);
  });

  it("reads Go's %g floats (kafka_exporter)", () => {
    const all = samples(readFixture('kafka-exporter.prom'));
    const offset = find(all, 'kafka_consumergroup_current_offset{consumergroup="llm-router", partition="0", topic="inference-requests"}');
    expect(offset.value).toBe(8601838);
    expect(find(all, 'kafka_consumergroup_current_offset{consumergroup="llm-router", partition="1", topic="inference-requests"}').value).toBe(25543452);
  });

  it("reads Python's floats, `:` names and _created series (vLLM)", () => {
    const all = samples(readFixture('vllm.prom'));
    expect(find(all, 'process_resident_memory_bytes').value).toBe(5368709120);
    expect(find(all, 'process_start_time_seconds').value).toBe(1766999904.82);
    expect(find(all, 'vllm:num_requests_running{engine="0", model_name="meta-llama/Llama-3.1-70B-Instruct"}').value).toBe(50);
    expect(find(all, 'vllm:kv_cache_usage_perc{engine="0", model_name="meta-llama/Llama-3.1-70B-Instruct"}').value).toBe(0.5617216778378527);
    expect(find(all, 'vllm:prefix_cache_queries_total{engine="0", model_name="meta-llama/Llama-3.1-70B-Instruct"}').value).toBe(3119259);
    expect(find(all, 'http_requests_created{handler="/health", method="GET", status="2xx"}').value).toBe(1766999997.023456);
  });

  it("reads TGI's 1024-bucket histogram, normalising le as Prometheus 3 does", () => {
    const all = samples(readFixture('tgi.prom'));
    const buckets = all.filter((s) => s.labels!.metricName === 'tgi_batch_next_size_bucket');
    expect(buckets).toHaveLength(1025);
    expect(buckets[0]!.labels!.get('le')).toBe('1.0');
    expect(buckets[0]!.key).toBe('tgi_batch_next_size_bucket{le="1"}');
    expect(buckets[0]!.value).toBe(81);
    expect(buckets[1023]!.labels!.get('le')).toBe('1024.0');
    expect(buckets[1024]!.labels!.get('le')).toBe('+Inf');
    expect(buckets[1024]!.value).toBe(2997);
  });

  it('reads RabbitMQ, whose TYPE comes before HELP', () => {
    const all = entries(new PromTextParser(readFixture('rabbitmq.per-object.prom')));
    expect(all[0]).toEqual({ kind: 'type', name: 'rabbitmq_build_info', text: 'gauge' });
    expect(all[1]).toEqual({ kind: 'help', name: 'rabbitmq_build_info', text: 'RabbitMQ & Erlang/OTP version info' });
    expect(find(all.filter((e) => e.kind === 'series'), 'rabbitmq_queue_messages_ready{queue="inference.requests", vhost="/"}').value).toBe(1843);
  });

  it('reads BullMQ\'s ", " separators and warns about the missing final newline', () => {
    const p = new PromTextParser(readFixture('bullmq.prom'));
    const all = entries(p).filter((e) => e.kind === 'series');
    expect(all).toHaveLength(9);
    expect(all[0]!.labels!.toRecord()).toEqual({ __name__: 'bullmq_job_count', queue: 'llm-batch-inference', state: 'active', env: 'prod' });
    expect(all[8]!.value).toBe(97);
    expect(p.warnings()).toEqual([{ line: 15, message: 'no newline at the end of the input (promtool rejects this: "unexpected end of input stream")' }]);
  });

  it('warns about the repeated HELP and TYPE of concatenated BullMQ outputs', () => {
    const p = new PromTextParser(readFixture('bullmq.concatenated-two-queues.prom'));
    entries(p);
    expect(p.warnings().map((w) => `${w.line}: ${w.message}`)).toEqual([
      '16: second HELP line for metric name "bullmq_job_count"',
      '17: second TYPE line for metric name "bullmq_job_count"',
      '25: second HELP line for metric name "bullmq_job_completed_total"',
      '26: second TYPE line for metric name "bullmq_job_completed_total"',
      '28: second HELP line for metric name "bullmq_job_failed_total"',
      '29: second TYPE line for metric name "bullmq_job_failed_total"',
      '30: no newline at the end of the input (promtool rejects this: "unexpected end of input stream")',
    ]);
  });
});

describe('PromTextParser quirks', () => {
  it('accepts blanks around =, after commas, before braces, and a trailing comma', () => {
    const s = only('foo {a = "1" , b="2",} 3\n');
    expect(s.labels!.toRecord()).toEqual({ __name__: 'foo', a: '1', b: '2' });
    expect(s.key).toBe('foo {a = "1" , b="2",}');
    expect(s.value).toBe(3);
  });

  it('accepts a value glued to the closing brace, leading blanks and tabs', () => {
    expect(only('foo{a="1"}2\n').value).toBe(2);
    expect(only('  \tfoo\t7\t123\n')).toMatchObject({ value: 7, timestamp: 123 });
  });

  it('accepts labels without a comma between them, with a warning', () => {
    const p = new PromTextParser('foo{a="1" b="2"} 1\n');
    expect(p.next()).toBe('series');
    expect(p.labels().toRecord()).toEqual({ __name__: 'foo', a: '1', b: '2' });
    expect(p.warnings()).toEqual([{ line: 1, message: 'label "b"... is not separated from the previous label by a comma' }]);
  });

  it('skips blank lines and reports other # lines as comments', () => {
    const all = entries(new PromTextParser('\n\n# a comment\n   \n#no space\n# HELPER text\nfoo 1\n\n'));
    expect(all.map((e) => e.kind)).toEqual(['comment', 'comment', 'comment', 'series']);
    expect(all[0]!.text).toBe('a comment');
    expect(all[1]!.text).toBe('no space');
    expect(all[2]!.text).toBe('HELPER text');
  });

  it('unescapes label values and HELP text', () => {
    const p = new PromTextParser('# HELP foo a \\\\ b\\nc "d"\nfoo{a="x\\\\y\\"z\\nw"} 1\n');
    expect(p.next()).toBe('help');
    expect(p.help()).toBe('a \\ b\nc "d"');
    expect(p.next()).toBe('series');
    expect(p.labels().get('a')).toBe('x\\y"z\nw');
    expect(p.warnings()).toEqual([]);
  });

  it('keeps unknown escape sequences as written, with a warning (expfmt rejects them)', () => {
    const p = new PromTextParser('# HELP foo tab\\there \\"q\\"\nfoo{a="x\\ty"} 1\n');
    p.next();
    expect(p.help()).toBe('tab\\there \\"q\\"');
    p.next();
    expect(p.labels().get('a')).toBe('x\\ty');
    expect(p.warnings().map((w) => w.message)).toEqual([
      'invalid escape sequence "\\\\t" kept as written',
      'invalid escape sequence "\\\\\\"" kept as written',
      'invalid escape sequence "\\\\\\"" kept as written',
      'invalid escape sequence "\\\\t" kept as written',
    ]);
  });

  it('keeps a backslash ending HELP text, with a warning, as Prometheus does', () => {
    const p = new PromTextParser('# HELP foo ends \\\nfoo 1\n');
    expect(p.next()).toBe('help');
    expect(p.help()).toBe('ends \\');
    expect(p.next()).toBe('series');
    expect(p.warnings()).toEqual([{ line: 1, message: 'backslash at the end of HELP text kept as written' }]);
  });

  it('warns about a second HELP or TYPE wherever it comes: next to the first, or after other families', () => {
    const body = [
      '# HELP a x', '# TYPE a gauge', '# HELP a y', // 3: right after the pair
      '# TYPE b counter', '# TYPE b counter', // 5: the same line twice
      '# HELP ab z', '# TYPE abc gauge', '# HELP a w', // 8: a family three families back
      '# TYPE a_b gauge', '# TYPE a gauge', '# HELP b v', // 10, and b's first HELP
      '# HELP b v', '', // 12
    ].join('\n');
    const p = new PromTextParser(body);
    const all = entries(p);
    expect(all.map((e) => `${e.kind} ${e.name} ${e.text}`)).toEqual([
      'help a x', 'type a gauge', 'help a y', 'type b counter', 'type b counter', 'help ab z',
      'type abc gauge', 'help a w', 'type a_b gauge', 'type a gauge', 'help b v', 'help b v',
    ]);
    expect(p.warnings().map((w) => `${w.line}: ${w.message}`)).toEqual([
      '3: second HELP line for metric name "a"',
      '5: second TYPE line for metric name "b"',
      '8: second HELP line for metric name "a"',
      '10: second TYPE line for metric name "a"',
      '12: second HELP line for metric name "b"',
    ]);
  });

  it('reads a family name that only starts like the one before, and HELP text asked for late or twice', () => {
    const p = new PromTextParser('# HELP foo_bar one\n# TYPE foo_bar_total counter\n# HELP foo two \\n\n# TYPE foo: gauge\n');
    expect(p.next()).toBe('help');
    expect(p.metricFamily()).toBe('foo_bar');
    expect(p.next()).toBe('type');
    expect(p.metricFamily()).toBe('foo_bar_total');
    expect(p.help()).toBe('one');
    expect(p.next()).toBe('help');
    expect(p.metricFamily()).toBe('foo');
    expect(p.help()).toBe('two \n');
    expect(p.help()).toBe('two \n');
    expect(p.next()).toBe('type');
    expect(p.metricFamily()).toBe('foo:');
    expect(p.next()).toBeNull();
  });

  it('keeps at most 100 warnings, then says how many more there were', () => {
    const body = Array.from({ length: 150 }, (_, i) => `foo{a="\\t${i}"} 1`).join('\n') + '\n';
    const p = new PromTextParser(body);
    expect(entries(p)).toHaveLength(150);
    expect(p.warnings()).toHaveLength(101);
    expect(p.warnings()[100]).toEqual({ line: 151, message: '50 more warnings not shown' });
  });

  it('drops labels with empty values, as if absent', () => {
    const s = only('foo{a="",b="1",pod=""} 1\n');
    expect(s.labels!.toRecord()).toEqual({ __name__: 'foo', b: '1' });
  });

  it('sorts labels by name, with __name__ in byte order', () => {
    const s = only('foo{zeta="1",UUID="2",alpha="3",_x="4"} 1\n');
    expect(s.labels!.names()).toEqual(['UUID', '__name__', '_x', 'alpha', 'zeta']);
  });

  it('takes UTF-8 label values', () => {
    expect(only('foo{model="Llama-3 🦙 ünïcödé"} 1\n').labels!.get('model')).toBe('Llama-3 🦙 ünïcödé');
  });

  it('reads timestamps, negative ones too', () => {
    expect(only('foo 1 1700000000123\n').timestamp).toBe(1700000000123);
    expect(only('foo 1 -5\n').timestamp).toBe(-5);
    expect(only('foo 1 0\n').timestamp).toBe(0);
    expect(only('foo 1\n').timestamp).toBeUndefined();
  });

  it("reads every float spelling Go's ParseFloat and Prometheus accept", () => {
    const cases: [string, number][] = [
      ['1', 1],
      ['-1', -1],
      ['+1', 1],
      ['1.0', 1],
      ['1.', 1],
      ['.5', 0.5],
      ['-.5e-3', -0.0005],
      ['1.7e+09', 1.7e9],
      ['8.601838e+06', 8601838],
      ['1E3', 1000],
      ['007', 7],
      ['-0', -0],
      ['NaN', NaN],
      ['nan', NaN],
      ['NAN', NaN],
      ['+Inf', Infinity],
      ['-Inf', -Infinity],
      ['Inf', Infinity],
      ['+inf', Infinity],
      ['inf', Infinity],
      ['INF', Infinity],
      ['Infinity', Infinity],
      ['-infinity', -Infinity],
      ['1e-400', 0],
      ['9223372036854775794', 9223372036854775794],
      ['1.7976931348623157e308', Number.MAX_VALUE],
    ];
    for (const [text, value] of cases) expect(Object.is(only(`foo ${text}\n`).value, value), text).toBe(true);
  });

  it('reads a metric with 1000+ buckets and long label values', () => {
    const lines: string[] = ['# TYPE big histogram'];
    for (let i = 1; i <= 1500; i++) lines.push(`big_bucket{le="${i}",model="${'m'.repeat(300)}"} ${i}`);
    lines.push('big_bucket{le="+Inf"} 1500', 'big_sum 1', 'big_count 1500');
    expect(samples(lines.join('\n') + '\n')).toHaveLength(1503);
  });

  it('accepts a series with many labels and still finds a repeated one', () => {
    const labels = Array.from({ length: 100 }, (_, i) => `l${i}="${i}"`).join(',');
    expect(only(`foo{${labels}} 1\n`).labels!.size).toBe(101);
    expect(() => samples(`foo{${labels},l57="x"} 1\n`)).toThrow('label name "l57" is not unique');
  });

  it('finds every repeated label name and no others, over 3000 random label sets', () => {
    const rand = mulberry32(4242);
    const alphabet = 'abcAB_z9';
    for (let i = 0; i < 3000; i++) {
      const names: string[] = [];
      const count = 1 + Math.floor(rand() * 40);
      for (let k = 0; k < count; k++) {
        let name = alphabet[Math.floor(rand() * 6)]!;
        const extra = Math.floor(rand() * 3);
        for (let j = 0; j < extra; j++) name += alphabet[Math.floor(rand() * alphabet.length)]!;
        names.push(name);
      }
      const body = `foo{${names.map((n, k) => `${n}="${k}"`).join(',')}} 1\n`;
      const repeated = new Set(names).size !== names.length;
      if (repeated) expect(() => samples(body), body).toThrow('is not unique');
      else expect(samples(body), body).toHaveLength(1);
    }
  });

  it('reports entries of every kind with their text', () => {
    const all = entries(new PromTextParser('# HELP foo The foo.\n# TYPE foo counter\n# TYPE bar untyped\nfoo 1\n'));
    expect(all.slice(0, 3)).toEqual([
      { kind: 'help', name: 'foo', text: 'The foo.' },
      { kind: 'type', name: 'foo', text: 'counter' },
      { kind: 'type', name: 'bar', text: 'unknown' },
    ]);
  });

  it('accepts HELP with no text and keeps all but the first separator blank', () => {
    const all = entries(new PromTextParser('# HELP foo\n# HELP bar  two\n'));
    expect(all).toEqual([
      { kind: 'help', name: 'foo', text: '' },
      { kind: 'help', name: 'bar', text: ' two' },
    ]);
  });

  it('gives an empty body no entries and no warnings', () => {
    const p = new PromTextParser('');
    expect(p.next()).toBeNull();
    expect(p.next()).toBeNull();
    expect(p.warnings()).toEqual([]);
  });
});
