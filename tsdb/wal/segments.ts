import * as fs from 'node:fs';
import { join } from 'node:path';

/**
 * Names in the wal/ directory: segments `00000000`, `00000001`, ... and checkpoints
 * `checkpoint.NNNNNNNN/` (covering every segment up to NNNNNNNN), written first as
 * `checkpoint.NNNNNNNN.tmp/` and renamed when complete.
 */

export interface IndexedPath {
  readonly index: number;
  readonly path: string;
}

export function segmentName(index: number): string {
  return String(index).padStart(8, '0');
}

export function checkpointName(index: number): string {
  return `checkpoint.${segmentName(index)}`;
}

const SEGMENT = /^\d{8,}$/;
const CHECKPOINT = /^checkpoint\.(\d{8,})$/;
const CHECKPOINT_TMP = /^checkpoint\.\d{8,}\.tmp$/;

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** listSegments returns the segment files of dir, by index. */
export function listSegments(dir: string): IndexedPath[] {
  return entries(dir)
    .filter((n) => SEGMENT.test(n))
    .map((n) => ({ index: Number(n), path: join(dir, n) }))
    .sort((a, b) => a.index - b.index);
}

/** listCheckpoints returns the completed checkpoint directories of dir, by index. */
export function listCheckpoints(dir: string): IndexedPath[] {
  return entries(dir)
    .flatMap((n) => {
      const m = CHECKPOINT.exec(n);
      return m === null ? [] : [{ index: Number(m[1]), path: join(dir, n) }];
    })
    .sort((a, b) => a.index - b.index);
}

/** removeTempCheckpoints deletes checkpoints that a crash left half-written. */
export function removeTempCheckpoints(dir: string): number {
  let n = 0;
  for (const name of entries(dir)) {
    if (!CHECKPOINT_TMP.test(name)) continue;
    fs.rmSync(join(dir, name), { recursive: true, force: true });
    n++;
  }
  return n;
}

/** fsyncDir makes a directory's entries (created, renamed, deleted files) durable. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
