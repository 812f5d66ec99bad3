import { isValidLabelName, type Labels } from '../../model/labels.js';
import type { Matcher } from '../../model/matcher.js';
import { SilenceError } from './errors.js';

/**
 * Silence mutes every alert that all its matchers match while it is active (Alertmanager's
 * `silencepb.Silence`). Times are ms since the epoch; `updatedAt` is when it was last written.
 * A silence is never changed in place by its holder: an update makes a new object.
 */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly updatedAt: number;
}

/**
 * PostableSilence is a silence as a client asks for it: without `id` it creates one, with the id
 * of a stored silence it updates or replaces that one (see Silences.set).
 */
export interface PostableSilence {
  readonly id?: string | undefined;
  readonly matchers: readonly Matcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

export type SilenceState = 'pending' | 'active' | 'expired';

/**
 * silenceState is the state at `now` (ms): pending before startsAt, expired after endsAt, active
 * in between with both bounds inclusive, as Alertmanager's getState. So a silence expired at `now`
 * (endsAt = now) still mutes at that very instant and stops one ms later.
 */
export function silenceState(s: { readonly startsAt: number; readonly endsAt: number }, now: number): SilenceState {
  if (now < s.startsAt) return 'pending';
  if (now > s.endsAt) return 'expired';
  return 'active';
}

/** matchesAll says whether every matcher matches `labels` (an absent label is ""). */
export function matchesAll(matchers: readonly Matcher[], labels: Labels): boolean {
  for (let i = 0; i < matchers.length; i++) {
    const m = matchers[i]!;
    if (!m.matches(labels.get(m.name))) return false;
  }
  return true;
}

/** sameMatchers compares two matcher lists in order, as Alertmanager's canUpdate does (DeepEqual). */
export function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.type !== y.type || x.name !== y.name || x.value !== y.value) return false;
  }
  return true;
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * validateMatchers applies Alertmanager's rules (`silence.validateSilence`): at least one matcher,
 * classic label names, well-formed values, and not all matchers may match the empty string. As in
 * Alertmanager only `=` and `=~` count as matching "" here: a lone `a!="x"` is accepted even though
 * it selects alerts without `a`. Regexes were checked when the Matchers were built.
 */
export function validateMatchers(matchers: readonly Matcher[]): void {
  if (matchers.length === 0) throw new SilenceError('invalid', 'silence invalid: at least one matcher required');
  let allMatchEmpty = true;
  matchers.forEach((m, i) => {
    if (!isValidLabelName(m.name)) {
      throw new SilenceError('invalid', `silence invalid: invalid label matcher ${i}: invalid label name ${JSON.stringify(m.name)}`);
    }
    if (LONE_SURROGATE.test(m.value)) {
      throw new SilenceError('invalid', `silence invalid: invalid label matcher ${i}: invalid label value ${JSON.stringify(m.value)}`);
    }
    const matchesEmpty = (m.type === '=' && m.value === '') || (m.type === '=~' && m.matches(''));
    allMatchEmpty &&= matchesEmpty;
  });
  if (allMatchEmpty) throw new SilenceError('invalid', 'silence invalid: at least one matcher must not match the empty string');
}
