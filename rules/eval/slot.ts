import { xxhash64 } from '../../util/xxhash.js';

/**
 * groupOffsetNs is where within its interval a group is evaluated: Prometheus hashes the label set
 * {file, name} (xxHash64 of `file\xff<file>\xffname\xff<name>\xff`) modulo the interval in
 * nanoseconds, so groups spread over the interval and each keeps its slot across restarts.
 */
export function groupOffsetNs(file: string, name: string, intervalMs: number): bigint {
  const enc = new TextEncoder();
  const parts = [enc.encode('file'), enc.encode(file), enc.encode('name'), enc.encode(name)];
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
    bytes[at++] = 0xff;
  }
  return xxhash64(bytes) % (BigInt(intervalMs) * 1_000_000n);
}

/**
 * slotAtOrBefore is Prometheus's Group.EvalTimestamp: the latest evaluation slot of the group at
 * or before `nowMs` (ms). Slots are `offset + k × interval` since the epoch.
 */
export function slotAtOrBefore(offsetNs: bigint, intervalMs: number, nowMs: number): number {
  const intervalNs = BigInt(intervalMs) * 1_000_000n;
  const adjusted = BigInt(Math.floor(nowMs)) * 1_000_000n - offsetNs;
  let rem = adjusted % intervalNs;
  if (rem < 0n) rem += intervalNs;
  const slotNs = adjusted - rem + offsetNs;
  // Sample timestamps are whole milliseconds (timestamp.FromTime truncates toward the epoch).
  const ms = slotNs / 1_000_000n;
  return Number(slotNs < 0n && slotNs % 1_000_000n !== 0n ? ms - 1n : ms);
}
