import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../cli/config.js';
import { appendBody } from '../../../collectors/scrape/append.js';
import { ScrapeCache } from '../../../collectors/scrape/cache.js';
import { Labels } from '../../../model/labels.js';
import { VirtualClock } from '../../../util/clock.js';
import { dump, openTempStore } from '../../support/store.js';
import { FIXTURES, readFixture, TEXT } from '../textparse/fixtures.js';
import { mutate } from '../textparse/mutate.js';
import { mulberry32 } from '../../support/prng.js';

// Feeds mutated exporter bodies through the scrape append path into a real store. A body that is
// rejected must leave the store exactly as it was (the transaction rolls back); a body that is
// accepted must add exactly the samples it reports.
const SEED = Number(process.env['FUZZ_SEED'] ?? 0xc0ffee);
const ROUNDS = 1500;
const FULL_COMPARE_EVERY = 40;

describe('scrape append path under fuzzed bodies', () => {
  it(`never changes the store on a rejected body (seed ${SEED}, ${ROUNDS} bodies)`, async () => {
    const rand = mulberry32(SEED);
    const clock = new VirtualClock(1_700_000_000_000);
    const store = await openTempStore(clock);
    const config = parseConfig('/tmp/vigil.yaml', 'scrape_configs: [{job_name: fuzz, sample_limit: 5000, label_limit: 40}]').scrapeConfigs[0]!;
    const ctx = { config, targetLabels: Labels.from({ job: 'fuzz', instance: 'fuzz:1' }), cache: new ScrapeCache() };
    const bases = FIXTURES.map(readFixture);
    let rejected = 0;
    let accepted = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await clock.advance(1000);
        const body = mutate(bases[Math.floor(rand() * bases.length)]!, rand);
        const before = store.db.stats(1).samples;
        const full = rejected % FULL_COMPARE_EVERY === 0 ? dump(store.db) : undefined;
        const app = store.db.appender();
        ctx.cache.begin();
        try {
          const result = appendBody(ctx, app, body, TEXT, clock.now());
          app.commit();
          ctx.cache.commit();
          accepted++;
          // Accepted: exactly the reported samples were added (plus staleness markers, at most one per vanished series).
          const added = store.db.stats(1).samples - before;
          expect(added, `round ${round}`).toBeGreaterThanOrEqual(result.added);
        } catch (err) {
          app.rollback();
          ctx.cache.abandon();
          const name = (err as Error).name;
          expect(['ParseError', 'LimitError', 'InvalidSeriesError'], `round ${round}: ${String(err)}`).toContain(name);
          rejected++;
          expect(store.db.stats(1).samples, `round ${round}`).toBe(before);
          if (full !== undefined) expect(dump(store.db), `round ${round}`).toEqual(full);
        }
      }
    } finally {
      await store.cleanup();
    }
    // The mutations must exercise both paths, or the test proves nothing.
    expect(rejected).toBeGreaterThan(ROUNDS / 10);
    expect(accepted).toBeGreaterThan(ROUNDS / 10);
  }, 120_000);
});
