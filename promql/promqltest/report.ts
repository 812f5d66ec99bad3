import type { BlockResult, FileResult, SkipCategory } from './runner.js';

/** Totals sums block outcomes over files. */
export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

export function totals(files: readonly FileResult[]): Totals {
  const t: Totals = { passed: 0, failed: 0, skipped: 0 };
  for (const f of files) {
    t.passed += f.passed;
    t.failed += f.failed;
    t.skipped += f.skipped;
  }
  return t;
}

/** countsLine renders `N passed, M failed, K skipped`. */
export function countsLine(t: Totals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}

/** skipSummary counts skipped blocks per category. */
export function skipSummary(files: readonly FileResult[]): Map<SkipCategory, number> {
  const out = new Map<SkipCategory, number>();
  for (const f of files) for (const b of f.blocks) if (b.status === 'skipped' && b.skipCategory !== undefined) out.set(b.skipCategory, (out.get(b.skipCategory) ?? 0) + 1);
  return out;
}

/** MAX_LINES caps the expected/got listings of one failure. */
const MAX_LINES = 12;

function listing(label: string, lines: readonly string[]): string {
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`... (${lines.length - MAX_LINES} more)`);
  const pad = ' '.repeat(label.length);
  return shown.map((l, i) => `  ${i === 0 ? label : pad}${l}`).join('\n');
}

/** formatBlock renders one failed (or, verbosely, any) block with its file:line. */
export function formatBlock(file: string, b: BlockResult): string {
  const head = `${b.status.toUpperCase()} ${file}:${b.line}: ${b.command}`;
  if (b.status === 'passed') return head;
  if (b.status === 'skipped') return `${head}\n  skipped (${b.skipCategory}): ${b.reason ?? ''}`;
  const parts = [head];
  if (b.ran !== undefined) parts.push(`  in:       ${b.ran}`);
  parts.push(`  problem:  ${b.reason ?? ''}`);
  if (b.expected !== undefined && b.expected.length > 0) parts.push(listing('expected: ', b.expected));
  if (b.got !== undefined && b.got.length > 0) parts.push(listing('got:      ', b.got));
  return parts.join('\n');
}

/**
 * formatHuman renders a run for a terminal: every failed block (every block with `verbose`), one
 * counts line per file, skip reasons by category, and the final `N passed, M failed, K skipped`.
 */
export function formatHuman(files: readonly FileResult[], verbose = false): string {
  const out: string[] = [];
  for (const f of files) {
    for (const b of f.blocks) if (verbose || b.status === 'failed') out.push(formatBlock(f.file, b), '');
  }
  for (const f of files) out.push(`${f.file}: ${countsLine(f)}`);
  const skips = skipSummary(files);
  if (skips.size > 0) out.push(`skipped: ${[...skips].map(([c, n]) => `${n} ${c}`).join(', ')}`);
  out.push(countsLine(totals(files)));
  return out.join('\n') + '\n';
}

/** JsonReport is the machine-readable form of a run (`--json`). */
export interface JsonReport {
  readonly totals: Totals;
  readonly skipped: Record<string, number>;
  readonly files: readonly {
    readonly file: string;
    readonly passed: number;
    readonly failed: number;
    readonly skipped: number;
    readonly failures: readonly BlockResult[];
    readonly skips: readonly { readonly line: number; readonly query?: string; readonly category?: SkipCategory; readonly reason?: string }[];
  }[];
}

export function jsonReport(files: readonly FileResult[]): JsonReport {
  return {
    totals: totals(files),
    skipped: Object.fromEntries(skipSummary(files)),
    files: files.map((f) => ({
      file: f.file,
      passed: f.passed,
      failed: f.failed,
      skipped: f.skipped,
      failures: f.blocks.filter((b) => b.status === 'failed'),
      skips: f.blocks
        .filter((b) => b.status === 'skipped')
        .map((b) => ({
          line: b.line,
          ...(b.query !== undefined ? { query: b.query } : {}),
          ...(b.skipCategory !== undefined ? { category: b.skipCategory } : {}),
          ...(b.reason !== undefined ? { reason: b.reason } : {}),
        })),
    })),
  };
}
