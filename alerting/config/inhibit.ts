import { isValidLabelName } from '../../model/labels.js';
import type { Field } from '../../util/yamlreader.js';
import { decodeMatchersList, matchMap } from './matcherfields.js';
import type { InhibitRuleConfig } from './types.js';

const KEYS = ['source_match', 'source_match_re', 'source_matchers', 'target_match', 'target_match_re', 'target_matchers', 'equal'];

/**
 * decodeInhibitRule reads an inhibit_rules entry. Each side merges its legacy `*_match` and
 * `*_match_re` maps with its `*_matchers`, in that order, as Alertmanager's NewInhibitRule does
 * (order does not change what matches). `equal` names must be valid label names.
 */
export function decodeInhibitRule(f: Field): InhibitRuleConfig | undefined {
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  const side = (prefix: 'source' | 'target') => [
    ...matchMap(o.get(`${prefix}_match`), '='),
    ...matchMap(o.get(`${prefix}_match_re`), '=~'),
    ...decodeMatchersList(o.get(`${prefix}_matchers`)),
  ];
  const equal =
    o.get('equal').list((item) => {
      const s = item.string();
      if (s !== undefined && !isValidLabelName(s)) return item.fail(`${JSON.stringify(s)} is not a valid label name`);
      return s;
    }) ?? [];
  return { position: f.position(), sourceMatchers: side('source'), targetMatchers: side('target'), equal };
}
