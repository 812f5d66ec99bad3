import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../promql/engine.js';
import { countsLine, type FileResult, formatHuman, parseScript, runScript } from '../../../promql/promqltest/index.js';

/**
 * Prometheus 3's own PromQL test scripts (../shared/promqltest, copied from Prometheus 3.14) run
 * through vigil's engine with the same checks as Prometheus's runner. Every block that is not
 * skipped must pass. Skips are bounded per file: a block is skipped only because it uses native
 * histograms, experimental syntax the engine does not parse, or something the engine reports as
 * unsupported; a change that skips more than the bound below is a regression.
 */
const DIR = '../shared/promqltest';

/** MAX_SKIPPED bounds each file's skipped blocks (native-histogram data and experimental syntax). */
const MAX_SKIPPED: Record<string, number> = {
  'aggregators.test': 35,
  'functions.test': 122,
  'histograms.test': 92,
  'literals.test': 0,
  'name_label_dropping.test': 0,
  'operators.test': 72,
  'range_queries.test': 2,
  'selectors.test': 0,
};

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.test'))
  .sort();
const results: FileResult[] = [];

describe('Prometheus promqltest scripts', () => {
  afterAll(() => {
    // Per-file counts, for whoever reads the test output.
    console.info(results.map((r) => `${r.file}: ${countsLine(r)}`).join('\n'));
  });

  it('covers every script in the directory with a skip bound', () => {
    expect(files).toEqual(Object.keys(MAX_SKIPPED).sort());
  });

  for (const file of files) {
    it(file, async () => {
      const source = readFileSync(`${DIR}/${file}`, 'utf8');
      const evals = parseScript(source).commands.filter((c) => c.kind === 'eval').length;
      const result = await runScript(source, { engine: new Engine(), file });
      results.push(result);
      const failures = result.failed === 0 ? '' : formatHuman([{ ...result, blocks: result.blocks.filter((b) => b.status === 'failed') }]);
      expect(failures).toBe('');
      expect(result.passed + result.skipped).toBe(evals);
      expect(result.skipped).toBeLessThanOrEqual(MAX_SKIPPED[file] ?? 0);
    });
  }
});
