import type { Labels } from '../../model/labels.js';

/**
 * Muter says whether notifications for an alert are held back: silences and inhibition are both
 * Muters, so one mute stage serves them (Alertmanager's `types.Muter`, `notify/mute.go`).
 *
 * Contract:
 * - `labels` are the alert's labels; an absent label and a label with value "" are the same.
 * - `now` is the flush time in ms since the epoch. mutes MUST decide from `now` alone, never from
 *   a clock of its own, so a flush sees one instant and tests run on virtual time. It MAY be called
 *   with any `now`, not only increasing ones.
 * - mutes MUST NOT throw and MUST NOT change what later calls return (no marking as a side effect).
 * - It is called once per alert per flush, so it MUST be cheap: no I/O, and work that grows with
 *   the number of silences or rules, not with the number of alerts held.
 */
export interface Muter {
  mutes(labels: Labels, now: number): boolean;
}
