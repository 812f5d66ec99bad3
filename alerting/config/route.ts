import { isValidLabelName } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import type { Field } from '../../util/yamlreader.js';
import { bool, checkLabelName, type DecodeContext } from './fields.js';
import { decodeMatchersList, matchMap } from './matcherfields.js';
import { compareMatchers } from './matchers.js';
import type { RouteConfig } from './types.js';

const KEYS = [
  'receiver',
  'group_by',
  'match',
  'match_re',
  'matchers',
  'continue',
  'routes',
  'group_wait',
  'group_interval',
  'repeat_interval',
  'mute_time_intervals',
  'active_time_intervals',
];

/** GROUP_BY_ALL is `group_by: ['...']`. */
export const GROUP_BY_ALL = '...';

/**
 * decodeRoute reads a routing-tree node and its children with Alertmanager's checks: label names,
 * regular expressions, group_by (`...` alone; no duplicates), non-zero group_interval and
 * repeat_interval; for the root also a receiver, no matchers, no continue and no time intervals.
 * `match`, `match_re` and `matchers` are merged and sorted as Alertmanager's NewRoute does; a
 * match_re value becomes `^(?:re)$`, the form Alertmanager keeps (and prints in route keys).
 * Receiver and time-interval names are recorded in `ctx` for checking once all are known.
 */
export function decodeRoute(f: Field, ctx: DecodeContext, isRoot: boolean): RouteConfig | undefined {
  if (!f.present) return f.fail(isRoot ? 'no routes provided' : 'a route must be a mapping, not empty');
  const o = f.object(KEYS);
  if (o === undefined) return undefined;
  const receiverField = o.get('receiver');
  const receiver = receiverField.string();
  if (receiver !== undefined && receiver !== '') ctx.receiverRefs.push({ name: receiver, field: receiverField });

  const matchers: Matcher[] = [...matchMap(o.get('match'), '='), ...matchMap(o.get('match_re'), '=~'), ...decodeMatchersList(o.get('matchers'))];
  matchers.sort(compareMatchers);

  const groupBy = decodeGroupBy(o.get('group_by'));
  const groupWait = o.get('group_wait').duration();
  const groupInterval = o.get('group_interval').duration();
  const repeatInterval = o.get('repeat_interval').duration();
  if (groupInterval === 0) o.get('group_interval').fail('group_interval cannot be zero');
  if (repeatInterval === 0) o.get('repeat_interval').fail('repeat_interval cannot be zero');
  const cont = bool(o.get('continue')) ?? false;
  const mute = intervalNames(o.get('mute_time_intervals'), ctx);
  const active = intervalNames(o.get('active_time_intervals'), ctx);

  if (isRoot) {
    if (receiver === undefined || receiver === '') o.field.fail('root route must specify a default receiver');
    const matcherKey = ['matchers', 'match', 'match_re'].find((k) => o.has(k));
    if (matchers.length > 0 && matcherKey !== undefined) o.get(matcherKey).fail('root route must not have any matchers');
    if (cont) o.get('continue').fail('cannot have continue in root route');
    if (mute.length > 0) o.get('mute_time_intervals').fail('root route must not have any mute time intervals');
    if (active.length > 0) o.get('active_time_intervals').fail('root route must not have any active time intervals');
  }

  const routes = o.get('routes').list((child) => decodeRoute(child, ctx, false)) ?? [];
  return {
    position: f.position(),
    receiver: receiver === '' ? undefined : receiver,
    groupBy,
    matchers,
    continue: cont,
    groupWait,
    groupInterval,
    repeatInterval,
    muteTimeIntervals: mute,
    activeTimeIntervals: active,
    routes,
  };
}

/**
 * decodeGroupBy returns undefined for "inherit": an absent or empty list, as Alertmanager (which
 * inherits when no label is named); ['...'] for every label.
 */
function decodeGroupBy(f: Field): string[] | undefined {
  const names = f.list((item) => {
    const s = item.string();
    if (s === undefined || s === GROUP_BY_ALL) return s;
    return checkLabelName(item, s, `invalid label name ${JSON.stringify(s)} in group_by list`) ? s : undefined;
  });
  if (names === undefined) return undefined;
  const labels = names.filter((n) => n !== GROUP_BY_ALL);
  if (labels.length > 0 && labels.length < names.length) {
    f.fail('cannot have wildcard group_by (`...`) and other labels at the same time');
    return undefined;
  }
  const seen = new Set<string>();
  f.list((item) => {
    const l = item.string();
    if (l !== undefined && l !== GROUP_BY_ALL && isValidLabelName(l)) {
      if (seen.has(l)) item.fail(`duplicated label ${JSON.stringify(l)} in group_by`);
      seen.add(l);
    }
    return undefined;
  });
  if (labels.length === 0) return names.length > 0 ? [GROUP_BY_ALL] : undefined;
  return labels;
}

function intervalNames(f: Field, ctx: DecodeContext): string[] {
  const names: string[] = [];
  f.list((item) => {
    const s = item.string();
    if (s !== undefined) {
      names.push(s);
      ctx.intervalRefs.push({ name: s, field: item });
    }
    return undefined;
  });
  return names;
}
