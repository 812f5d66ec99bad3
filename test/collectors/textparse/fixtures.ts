import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared exporter bodies, read by path from the repository's sibling shared/ folder. */
export const FIXTURE_DIR = fileURLToPath(new URL('../../../../shared/fixtures/metrics/', import.meta.url));

export const FIXTURES: readonly string[] = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.prom'))
  .sort();

/** The two BullMQ bodies parse only through the lenient path, with warnings. */
export const LENIENT_FIXTURES: readonly string[] = ['bullmq.prom', 'bullmq.concatenated-two-queues.prom'];

export function readFixture(name: string): string {
  return readFileSync(FIXTURE_DIR + name, 'utf8');
}

/** countSampleLines counts lines that are neither blank nor `#` lines: one sample each. */
export function countSampleLines(body: string): number {
  return body.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#')).length;
}

export const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
