import type { Alert } from '../types.js';

/**
 * mergeAlerts combines two versions of one alert (same labels) as Alertmanager's Alert.Merge: the
 * more recently updated version wins, except that the earliest start is kept, and the later of
 * two explicit end times wins (a resolved alert stays resolved at its latest resolution; a firing
 * alert keeps an end its source set rather than one vigil assumed from resolve_timeout).
 */
export function mergeAlerts(a: Alert, b: Alert, now: number): Alert {
  const [older, newer] = b.updatedAt < a.updatedAt ? [b, a] : [a, b];
  let startsAt = newer.startsAt;
  let endsAt = newer.endsAt;
  if (older.startsAt < newer.startsAt) startsAt = older.startsAt;
  if (newer.endsAt <= now) {
    if (older.endsAt <= now && older.endsAt > newer.endsAt) endsAt = older.endsAt;
  } else if (older.endsAt > newer.endsAt && !older.timeout) {
    endsAt = older.endsAt;
  }
  if (startsAt === newer.startsAt && endsAt === newer.endsAt) return newer;
  return { ...newer, startsAt, endsAt };
}

/**
 * overlaps says whether a received alert continues the stored one (Alertmanager merges only
 * then): its activity range overlaps the stored one's. Otherwise it is a new occurrence and
 * replaces the stored alert.
 */
export function overlaps(stored: Alert, received: Alert): boolean {
  return (
    (received.endsAt > stored.startsAt && received.endsAt < stored.endsAt) ||
    (received.startsAt > stored.startsAt && received.startsAt < stored.endsAt)
  );
}
