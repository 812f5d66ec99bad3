import { benchParse } from './ingest/parse.js';
import { benchScrape } from './ingest/scrape.js';
import { benchStore } from './ingest/store.js';
import { BATCHES, benchAlerting, LONG_RUNNING_FROM } from './alerting.js';
import { NODE_FLAGS } from '../cli/node-flags.js';
import { benchFailureModes } from './failure-modes.js';
import { benchQuery } from './query.js';
import { benchRules } from './rules.js';

/**
 * `npm run bench -- SUITE [--json]`. Each suite prints its figures next to a peer measured in the
 * same run, then a summary against the targets. Medians, never a single run.
 */
const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  async ingest() {
    console.log('== parse: vigil vs parse-prometheus-text-format, same bytes ==');
    const parse = await benchParse({ print: true });
    console.log('\n== scrape path: parse + append + commit, 100k-series target ==');
    const scrape = await benchScrape({ print: true });
    console.log('\n== store: 100k series, 2 hours of 15 s samples, virtual time ==');
    const store = await benchStore({ print: true });
    const minHinted = Math.min(...parse.map((p) => p.hintedRatio));
    const minFull = Math.min(...parse.map((p) => p.ratio));
    const minCold = Math.min(...parse.map((p) => p.labelsRatio));
    const checks: [string, boolean, string][] = [
      ['parse >= 10x parse-prometheus-text-format, as scrapes parse (hinted)', minHinted >= 10, `${minHinted.toFixed(1)}x (lowest fixture)`],
      ['parse >= 10x parse-prometheus-text-format, every line lexed', minFull >= 10, `${minFull.toFixed(1)}x; with labels() ${minCold.toFixed(1)}x`],
      ['parse + append >= 1M samples/s on one core', scrape.samplesPerSecond >= 1e6, `${(scrape.samplesPerSecond / 1e6).toFixed(2)} M/s`],
      ['<= 2 bytes per sample in chunks', store.bytesPerSample <= 2, `${store.bytesPerSample.toFixed(3)} B`],
      [
        '<= 2 KiB resident per series at 100k series',
        store.residentPerSeriesHeapExternal <= 2048,
        `${(store.residentPerSeriesHeapExternal / 1024).toFixed(2)} KiB (Prometheus 2.42: ~4.2 KiB)`,
      ],
    ];
    console.log('\n== targets ==');
    for (const [what, ok, figure] of checks) console.log(`  ${ok ? 'met ' : 'MISS'}  ${what}: ${figure}`);
    return { parse, scrape, store, targetsMet: checks.every(([, ok]) => ok) };
  },
};

SUITES['query'] = async () => {
  console.log('== query: vigil vs Prometheus (Debian package, HTTP API) on the same data ==');
  const results = await benchQuery({ print: true });
  const worst = Math.max(...results.map((r) => r.ratio));
  const faster = results.filter((r) => r.ratio < 1).length;
  console.log('\n== targets ==');
  console.log(`  ${worst <= 1.5 ? 'met ' : 'MISS'}  within 1.5x of Prometheus on every query: worst ${worst.toFixed(2)}x`);
  console.log(`  ${faster * 2 >= results.length ? 'met ' : 'MISS'}  faster on at least half: ${faster} of ${results.length}`);
  return { results };
};

SUITES['rules'] = async () => {
  console.log('== rules: 100 SLOs x 20 label groups over 100k series, vigil vs Prometheus (Debian package) ==');
  const result = await benchRules({ print: true });
  console.log('\n== targets ==');
  console.log(`  ${result.ratio <= 1 ? 'met ' : 'MISS'}  vigil no slower than Prometheus: ${result.ratio.toFixed(2)}x`);
  return { result };
};

SUITES['alerting'] = async () => {
  console.log('== alerting: 10,000 alerts in 500 groups, vigil vs Alertmanager 0.25 (Debian), one webhook sink ==');
  console.log(`  vigil and the floor run with ${NODE_FLAGS.join(' ')}, as vigil's launchers start it (cli/node-flags.ts)`);
  const r = await benchAlerting({ print: true });
  console.log('\n== targets ==');
  console.log(`  ${r.vigil.notifications === r.alertmanager.notifications && r.vigil.alertsDelivered === r.alertmanager.alertsDelivered ? 'met ' : 'MISS'}  the same notifications: vigil ${r.vigil.notifications} (${r.vigil.alertsDelivered} alerts), Alertmanager ${r.alertmanager.notifications} (${r.alertmanager.alertsDelivered} alerts)`);
  console.log(`  ${r.longRunningCpuRatio <= 0.5 ? 'met ' : 'MISS'}  CPU per alert <= half of Alertmanager's, long-running process (batches ${LONG_RUNNING_FROM}-${BATCHES}): ${r.longRunningCpuRatio.toFixed(2)}x`);
  console.log(`  ${r.cpuRatio <= 0.5 ? 'met ' : 'MISS'}  the same in a fresh process (first batch): ${r.cpuRatio.toFixed(2)}x, of which V8's one-time warm-up is ${r.warmUpCpuSeconds.toFixed(2)} CPU s`);
  console.log(`  ${r.warmCpuRatio <= 0.5 ? 'met ' : 'MISS'}  the same in the second batch: ${r.warmCpuRatio.toFixed(2)}x`);
  console.log(`  ${r.memoryRatio <= 1 ? 'met ' : 'MISS'}  peak memory per active alert <= Alertmanager's: ${r.memoryRatio.toFixed(2)}x`);
  console.log(`  time until every group delivered: ${r.timeRatio.toFixed(2)}x Alertmanager's (both wait group_wait 1 s)`);
  console.log(`  for scale: a Node.js process doing the same I/O and nothing else (floor) uses ${r.floorCpuRatio.toFixed(2)}x Alertmanager's CPU`);
  console.log(`  ${r.vigil.burst.notifications} notifications due at once (Alertmanager: ${r.alertmanager.burst.notifications}) cleared in ${r.burstClearedMs.vigil.toFixed(0)} ms, ${r.burstRatio.toFixed(2)}x Alertmanager's ${r.burstClearedMs.alertmanager.toFixed(0)} ms`);
  return { ...r };
};

SUITES['failure-modes'] = async () => {
  console.log('== failure modes: each scenario replayed through the source packs and the default pack, on a virtual clock ==');
  const r = await benchFailureModes({ print: true });
  const held = r.rows.filter((row) => row.problems.length === 0).length;
  const stray = r.scenarios.reduce((n, s) => n + s.unexpected.length + s.onHealthyComponents.length, 0);
  const errors = r.scenarios.reduce((n, s) => n + s.ruleErrors.length, r.steady.ruleErrors.length);
  console.log('\n== targets ==');
  console.log(`  ${held === r.rows.length ? 'met ' : 'MISS'}  every expected alert fires on its component within its promise and resolves as it should: ${held} of ${r.rows.length}`);
  console.log(`  ${stray === 0 ? 'met ' : 'MISS'}  nothing fires that is neither expected nor an allowed consequence, nothing on a healthy component: ${stray} stray alerts`);
  console.log(`  ${errors === 0 ? 'met ' : 'MISS'}  every rule evaluates without an error: ${errors} failing rules`);
  console.log(`  ${r.steady.alertsFired === 0 ? 'met ' : 'MISS'}  the steady scenario fires nothing in ${Math.round(r.steady.simulatedSeconds / 86_400)} days: ${r.steady.alertsFired} alerts fired`);
  return { ...r };
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const names = args.filter((a) => !a.startsWith('--'));
if (names.length === 0 || names.some((n) => SUITES[n] === undefined)) {
  console.error(`usage: npm run bench -- SUITE [--json]\nsuites: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const results: Record<string, unknown> = {};
for (const name of names) results[name] = await SUITES[name]!();
if (json) console.log(JSON.stringify(results, null, 2));
