import { describe, expect, it } from 'vitest';
import { erlangNumber, goFixed, goFloat, goInt, pythonFloat, pythonRepr } from '../../../../collectors/simulate/exporters/format.js';

describe('exporter number formats', () => {
  it("pythonRepr is Python's repr() of a float", () => {
    // Expected values are Python 3's repr() of the same floats.
    expect([0, 1, 12, 0.1, 0.0001, 0.00001, 1.5e-7, 123.456, 1e15, 1e16, 2.5e16, -3.25].map(pythonRepr)).toEqual([
      '0.0',
      '1.0',
      '12.0',
      '0.1',
      '0.0001',
      '1e-05',
      '1.5e-07',
      '123.456',
      '1000000000000000.0',
      '1e+16',
      '2.5e+16',
      '-3.25',
    ]);
  });

  it("pythonFloat is prometheus_client's floatToGoString, as in the vLLM fixture", () => {
    // Values as /work/shared/fixtures/metrics/vllm.prom prints them.
    expect(pythonFloat(3119259)).toBe('3.119259e+06');
    expect(pythonFloat(792671)).toBe('792671.0');
    expect(pythonFloat(10686860.082561)).toBe('1.0686860082561e+07');
    expect(pythonFloat(5368709120)).toBe('5.36870912e+09');
    expect(pythonFloat(1766999904.82)).toBe('1.76699990482e+09');
    expect(pythonFloat(1767000000.123456)).toBe('1.767000000123456e+09');
    expect(pythonFloat(0.5617216778378527)).toBe('0.5617216778378527');
    expect(pythonFloat(2560)).toBe('2560.0');
    expect(pythonFloat(0.001)).toBe('0.001');
    expect(pythonFloat(Infinity)).toBe('+Inf');
    expect(pythonFloat(0)).toBe('0.0');
    expect(pythonFloat(1e6)).toBe('1e+06');
    // The client's exponent is "0" followed by the digit count, so ten digits give "e+010".
    expect(pythonFloat(12345678901)).toBe('1.2345678901e+010');
  });

  it("Go's %d and %f for dcgm-exporter, 'g' for kube-state-metrics, Erlang's forms for RabbitMQ", () => {
    expect(goInt(61.6)).toBe('62');
    expect(goFixed(571.3020481)).toBe('571.302048');
    expect(goFixed(0)).toBe('0.000000');
    expect(goFloat(1.5e9)).toBe('1.5e+09');
    expect(goFloat(8)).toBe('8');
    expect(goFloat(214748364800)).toBe('2.147483648e+11');
    expect(erlangNumber(1843)).toBe('1843');
    expect(erlangNumber(0.4133)).toBe('0.4133');
  });
});
