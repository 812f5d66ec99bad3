import { randomBytes } from 'node:crypto';
import { xxhash64 } from '../../../util/xxhash.js';

/** MESSAGE_ID_DOMAIN is the right-hand side of the ids vigil writes; no host's name leaks into mail. */
const MESSAGE_ID_DOMAIN = 'vigil';

/**
 * threadId is the id every notification of one aggregation group refers to in `References` and
 * `In-Reply-To`: `<alert-{16 hex of xxhash64(groupKey)}@vigil>`. It is the same on every vigil
 * (and after a restart), so mail clients thread all of a group's mails together. No mail carries
 * it as its own Message-ID: that id would repeat when a group fires again, and clients drop a
 * mail whose Message-ID they have already seen.
 */
export function threadId(groupKey: string): string {
  const hash = xxhash64(new TextEncoder().encode(groupKey)).toString(16).padStart(16, '0');
  return `<alert-${hash}@${MESSAGE_ID_DOMAIN}>`;
}

/** newMessageId is a unique Message-ID, `<{flush time ms}.{16 random hex}@vigil>` (Alertmanager: `<nanos.rand@host>`). */
export function newMessageId(now: number): string {
  return `<${now}.${randomBytes(8).toString('hex')}@${MESSAGE_ID_DOMAIN}>`;
}
