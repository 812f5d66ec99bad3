import { describe, expect, it } from 'vitest';
import { matcherFor, type VectorMatching } from '../../promql/matching.js';
import { lbl } from './helpers.js';

const m = (on: boolean, matchingLabels: string[], card: VectorMatching['card'] = 'one-to-one', include: string[] = []) =>
  matcherFor({ card, on, matchingLabels, include });

describe('Matcher.signature', () => {
  it('ignores __name__ unless on() lists it', () => {
    const a = lbl('a{job="x", instance="1"}');
    const b = lbl('b{job="x", instance="1"}');
    const none = m(false, []);
    expect(none.signature(a)).toBe(none.signature(b));
    expect(none.signature(lbl('{job="x", instance="1"}'))).toBe(none.signature(a));
    const byName = m(true, ['__name__']);
    expect(byName.signature(a)).not.toBe(byName.signature(b));
  });

  it('compares only the on() labels, or all but the ignoring() ones', () => {
    const a = lbl('a{job="x", instance="1"}');
    const b = lbl('a{job="x", instance="2"}');
    expect(m(true, ['job']).signature(a)).toBe(m(true, ['job']).signature(b));
    expect(m(false, ['instance']).signature(a)).toBe(m(false, ['instance']).signature(b));
    expect(m(false, ['job']).signature(a)).not.toBe(m(false, ['job']).signature(b));
    // A label absent on both sides matches: on(dummy) pairs everything.
    expect(m(true, ['dummy']).signature(a)).toBe(m(true, ['dummy']).signature(lbl('{}')));
  });

  it('does not confuse label boundaries', () => {
    const s = m(false, []);
    expect(s.signature(lbl('{a="aa", b="bb"}'))).not.toBe(s.signature(lbl('{a="a", b="abb"}')));
  });

  it('is cached per VectorMatching object', () => {
    const matching: VectorMatching = { card: 'one-to-one', on: true, matchingLabels: ['x'], include: [] };
    expect(matcherFor(matching)).toBe(matcherFor(matching));
  });
});

describe('Matcher.resultMetric', () => {
  const many = lbl('node_cpu{instance="abc", job="node", mode="idle"}');
  const one = lbl('node_role{instance="abc", job="node", role="prometheus"}');

  it('drops the name, type and unit for arithmetic', () => {
    const r = m(false, []).resultMetric(lbl('x{__type__="gauge", __unit__="s", a="1"}'), lbl('y{a="1"}'), true);
    expect(r.toString()).toBe('{a="1"}');
    expect(m(false, []).resultMetric(many, many, false)).toBe(many);
  });

  it('reduces one-to-one results to on() labels or strips ignoring() labels', () => {
    expect(m(true, ['instance']).resultMetric(many, one, false).toString()).toBe('{instance="abc"}');
    expect(m(false, ['mode']).resultMetric(many, one, true).toString()).toBe('{instance="abc", job="node"}');
  });

  it('keeps the many side whole for group_left, copying included labels from the one side', () => {
    const gl = m(true, ['instance'], 'many-to-one', ['role', 'absent']);
    expect(gl.resultMetric(many, one, true).toString()).toBe('{instance="abc", job="node", mode="idle", role="prometheus"}');
    // An included label missing on the one side is removed from the result.
    const drop = m(true, ['instance'], 'many-to-one', ['mode']);
    expect(drop.resultMetric(many, one, false).toString()).toBe('{__name__="node_cpu", instance="abc", job="node"}');
  });

  it('names the match group for errors', () => {
    expect(m(true, ['job']).matchGroup(many).toString()).toBe('{job="node"}');
    expect(m(false, ['mode']).matchGroup(many).toString()).toBe('{instance="abc", job="node"}');
  });
});
