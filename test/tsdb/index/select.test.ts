import { describe, expect, it } from 'vitest';
import { type MatchType, Matcher } from '../../../model/matcher.js';
import { MemPostings } from '../../../tsdb/index/mem_postings.js';
import { postingsForMatchers } from '../../../tsdb/index/select.js';

// Series 1..6; `env` is absent from 5 and 6.
const SERIES: Record<number, Record<string, string>> = {
  1: { __name__: 'http_requests', env: 'prod', code: '200' },
  2: { __name__: 'http_requests', env: 'prod', code: '500' },
  3: { __name__: 'http_requests', env: 'dev', code: '200' },
  4: { __name__: 'http_requests', env: 'staging', code: '404' },
  5: { __name__: 'http_requests', code: '200' },
  6: { __name__: 'up' },
};

function index(): MemPostings {
  const m = new MemPostings();
  for (const [id, labels] of Object.entries(SERIES)) {
    const flat = Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flat();
    m.add(Number(id), flat);
  }
  return m;
}

const ALL = () => Uint32Array.from(Object.keys(SERIES).map(Number));

function select(...ms: [string, MatchType, string][]): number[] {
  return Array.from(postingsForMatchers(index(), ms.map(([n, t, v]) => new Matcher(t, n, v)), ALL));
}

/** bruteForce is the definition: a series matches when every matcher accepts its value ("" when absent). */
function bruteForce(...ms: [string, MatchType, string][]): number[] {
  return Object.entries(SERIES)
    .filter(([, labels]) => ms.every(([n, t, v]) => new Matcher(t, n, v).matches(labels[n] ?? '')))
    .map(([id]) => Number(id));
}

describe('postingsForMatchers', () => {
  const cases: [string, [string, MatchType, string][]][] = [
    ['equal', [['env', '=', 'prod']]],
    ['equal to nothing', [['env', '=', 'nope']]],
    ['not equal (selects series without the label)', [['env', '!=', 'prod']]],
    ['equal to empty: the label is absent', [['env', '=', '']]],
    ['not equal to empty: the label is present', [['env', '!=', '']]],
    ['regex alternation (set lookup)', [['env', '=~', 'prod|dev']]],
    ['regex with a pattern', [['env', '=~', 'p.*|st.+']]],
    ['regex that matches empty also selects series without the label', [['env', '=~', 'prod|']]],
    ['regex .* selects everything', [['env', '=~', '.*']]],
    ['regex .+ selects series with the label', [['env', '=~', '.+']]],
    ['negative regex', [['env', '!~', 'prod|dev']]],
    ['negative regex that matches nothing but empty', [['env', '!~', '.+']]],
    ['negative regex .* selects nothing', [['env', '!~', '.*']]],
    ['negative regex with empty in the set keeps only other values', [['env', '!~', 'prod|']]],
    ['several positive', [['__name__', '=', 'http_requests'], ['code', '=', '200']]],
    [
      'positive and negative',
      [
        ['__name__', '=', 'http_requests'],
        ['env', '!=', 'prod'],
        ['code', '!~', '4..'],
      ],
    ],
    ['only negatives start from all series', [['code', '!=', '200'], ['env', '!~', 'staging']]],
    ['a matcher on a label no series has', [['nope', '=', 'x']]],
    ['a negative matcher on a label no series has', [['nope', '!=', 'x']]],
    ['empty result short-circuits', [['env', '=', 'prod'], ['code', '=', '404']]],
  ];
  for (const [name, ms] of cases) {
    it(name, () => {
      expect(select(...ms)).toEqual(bruteForce(...ms));
    });
  }

  it('spot-checks the expected sets', () => {
    expect(select(['env', '!=', 'prod'])).toEqual([3, 4, 5, 6]);
    expect(select(['env', '=', ''])).toEqual([5, 6]);
    expect(select(['env', '=~', 'prod|'])).toEqual([1, 2, 5, 6]);
    expect(select(['env', '!~', '.+'])).toEqual([5, 6]);
  });

  it('returns every series for no matchers', () => {
    expect(select()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
