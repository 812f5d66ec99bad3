import type { NflogEntry } from '../state/nflog.js';

/**
 * needsUpdate is Alertmanager's dedup decision (DedupStage.needsUpdate) for one integration: is
 * this flush, with these firing and resolved fingerprints, worth a notification given what was
 * last delivered? (reference G5)
 *  - nothing delivered yet: only if something is firing;
 *  - an alert fires that was not firing in the last notification: yes;
 *  - nothing fires now: yes if something was firing last time ("all resolved", sent even without
 *    send_resolved so the log forgets the firing set), else no;
 *  - with send_resolved, an alert resolved that the last notification did not show resolved: yes;
 *  - otherwise only once the last notification is older than repeat_interval, which makes the
 *    effective repeat interval a multiple of group_interval.
 */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: ReadonlySet<string>,
  resolved: ReadonlySet<string>,
  sendResolved: boolean,
  repeatIntervalMs: number,
  now: number,
): boolean {
  if (entry === undefined) return firing.size > 0;
  if (!isSubset(firing, entry.firing)) return true;
  if (firing.size === 0) return entry.firing.size > 0;
  if (sendResolved && !isSubset(resolved, entry.resolved)) return true;
  return entry.timestamp < now - repeatIntervalMs;
}

function isSubset(subset: ReadonlySet<string>, set: ReadonlySet<string>): boolean {
  for (const k of subset) if (!set.has(k)) return false;
  return true;
}
