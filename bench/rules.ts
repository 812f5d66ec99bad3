import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineQuery } from '../cli/adapters.js';
import { Labels } from '../model/labels.js';
import { Engine } from '../promql/engine.js';
import { RuleManager } from '../rules/eval/index.js';
import type { RuleGroup, SLO } from '../rules/model.js';
import { formatRuleFile } from '../rules/output/promfile.js';
import { compileSLO } from '../rules/slo/compile.js';
import { openTSDB } from '../tsdb/index.js';
import { VirtualClock } from '../util/clock.js';
import { nopLogger } from '../util/log.js';
import { freePort, median } from './support.js';

/**
 * Rule evaluation, vigil against a real Prometheus (the Debian package) in the same run: the same
 * compiled SLO groups (100 SLOs, each grouped by a label with 20 values) over the same 100k series.
 * Prometheus's time per evaluation is its own `prometheus_rule_group_last_duration_seconds`, summed
 * over the groups; vigil's is the wall time of evaluating every group once, in process. Medians of
 * several rounds.
 */

const SLOS = 100;
const GROUPS = 20;
const PODS = 25; // x 2 codes x 20 groups = 1000 series per SLO
const POINTS = 60; // 15 minutes of 15 s samples
const STEP = 15_000;

export interface RulesBenchResult {
  slos: number;
  series: number;
  /** vigilMs, prometheusMs: time to evaluate every group once (median over rounds). */
  vigilMs: number;
  prometheusMs: number;
  ratio: number;
}

function slo(i: number): SLO {
  return {
    service: `svc${i}`,
    name: 'availability',
    description: `bench SLO ${i}`,
    objectivePercent: 99.9,
    window: { kind: 'rolling', ms: 30 * 86_400_000 },
    sli: { kind: 'events', error: `bench_requests_total{slo="s${i}",code="500"}`, total: `bench_requests_total{slo="s${i}"}` },
    grouping: ['model'],
    labels: {},
    alerting: {
      name: 'SLOErrorBudgetBurn',
      labels: {},
      annotations: {},
      runbookUrl: undefined,
      page: {
        windows: [
          { longMs: 3_600_000, shortMs: 300_000, budgetPercent: 2 },
          { longMs: 6 * 3_600_000, shortMs: 1_800_000, budgetPercent: 5 },
        ],
        forMs: 120_000,
        labels: {},
        annotations: {},
      },
      ticket: {
        windows: [
          { longMs: 86_400_000, shortMs: 2 * 3_600_000, budgetPercent: 10 },
          { longMs: 3 * 86_400_000, shortMs: 6 * 3_600_000, budgetPercent: 10 },
        ],
        forMs: 0,
        labels: {},
        annotations: {},
      },
    },
    noData: { policy: 'ignore', forMs: 0 },
    lowTraffic: undefined,
    optimize: 'chained',
  };
}

/** series calls fn for every (labels, value at point i) of the data set. */
function forEachSample(fn: (slo: number, model: number, pod: number, code: string, i: number, v: number) => void): void {
  for (let s = 0; s < SLOS; s++) {
    for (let m = 0; m < GROUPS; m++) {
      for (let p = 0; p < PODS; p++) {
        for (const code of ['200', '500']) {
          const rate = code === '200' ? 10 : 0.01 * (1 + ((s + m) % 7));
          for (let i = 0; i < POINTS; i++) fn(s, m, p, code, i, Math.floor(rate * 15 * i));
        }
      }
    }
  }
}

export async function benchRules(options: { rounds?: number; print?: boolean } = {}): Promise<RulesBenchResult> {
  const rounds = options.rounds ?? 5;
  const print = options.print ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-rules-'));
  // The data runs up to a little after now: Prometheus evaluates its rules at wall-clock time.
  const end = Math.floor(Date.now() / STEP) * STEP + 2 * 60_000;
  const start = end - (POINTS - 1) * STEP;
  const groups: RuleGroup[] = [];
  for (let i = 0; i < SLOS; i++) groups.push(compileSLO(slo(i)));
  const ruleCount = groups.reduce((n, g) => n + g.rules.length, 0);
  writeFileSync(join(dir, 'rules.yml'), formatRuleFile(groups, 'bench'));

  // Prometheus: promtool builds blocks from an OpenMetrics file written as a stream.
  const om = createWriteStream(join(dir, 'data.om'));
  let buffered = '';
  om.write('# TYPE bench_requests counter\n');
  forEachSample((s, m, p, code, i, v) => {
    buffered += `bench_requests_total{code="${code}",model="m${m}",pod="p${p}",slo="s${s}"} ${v} ${((start + i * STEP) / 1000).toFixed(3)}\n`;
    if (buffered.length > 1 << 20) {
      om.write(buffered);
      buffered = '';
    }
  });
  om.write(buffered + '# EOF\n');
  await new Promise<void>((r) => om.end(r));
  if (print) console.log(`data: ${SLOS * GROUPS * PODS * 2} series x ${POINTS} samples; ${SLOS} SLO groups, ${ruleCount} rules`);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=1h', join(dir, 'data.om'), join(dir, 'prom')], { stdio: 'pipe' });
  rmSync(join(dir, 'data.om'));
  writeFileSync(join(dir, 'prometheus.yml'), `global: {evaluation_interval: 15s}\nrule_files: [${join(dir, 'rules.yml')}]\n`);
  const port = await freePort();
  const prom = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'prom')}`, `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=10y', '--log.level=error'],
    { stdio: 'ignore' },
  );

  // vigil: the same samples appended straight into a store.
  const clock = new VirtualClock(end);
  const db = await openTSDB({ dir: join(dir, 'vigil'), retentionMs: 86_400_000, walFsyncIntervalMs: 1000, clock, logger: nopLogger });
  try {
    let app = db.appender();
    let n = 0;
    const refs = new Map<string, number>();
    forEachSample((s, m, p, code, i, v) => {
      const key = `${s}/${m}/${p}/${code}`;
      const labels = Labels.from({ __name__: 'bench_requests_total', code, model: `m${m}`, pod: `p${p}`, slo: `s${s}` });
      refs.set(key, app.append(labels, start + i * STEP, v, refs.get(key)));
      if (++n % 100_000 === 0) {
        app.commit();
        app = db.appender();
      }
    });
    app.commit();

    const manager = new RuleManager({
      groups,
      queryFn: engineQuery(new Engine(), db),
      appendable: db,
      notify: () => {},
      clock,
      logger: nopLogger,
      restore: false,
    });
    await manager.update(groups);
    const vigil: number[] = [];
    for (let r = 0; r < rounds + 1; r++) {
      const t = end - 60_000 + r * 15_000;
      const started = performance.now();
      for (const g of manager.groups()) await manager.evalGroupAt(g, t);
      if (r > 0) vigil.push(performance.now() - started); // the first round warms the JIT
    }

    // Prometheus: wait until every group has been evaluated a few times, then sum its own durations.
    const base = `http://127.0.0.1:${port}`;
    const prometheus: number[] = [];
    const deadline = Date.now() + 10 * 60_000;
    let lastSeen = '';
    while (prometheus.length < rounds && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 15_000));
      const text = await fetch(`${base}/metrics`).then((res) => res.text(), () => '');
      const durations = [...text.matchAll(/^prometheus_rule_group_last_duration_seconds\{rule_group="[^"]*"\} (\S+)$/gm)].map((m) => Number(m[1]));
      const evaluated = [...text.matchAll(/^prometheus_rule_group_iterations_total\{rule_group="[^"]*"\} (\S+)$/gm)].map((m) => Number(m[1]));
      if (durations.length < SLOS || evaluated.some((c) => c < 2)) continue;
      const snapshot = durations.join(',');
      if (snapshot === lastSeen) continue;
      lastSeen = snapshot;
      prometheus.push(durations.reduce((a, b) => a + b, 0) * 1000);
    }
    if (prometheus.length === 0) throw new Error('Prometheus did not evaluate the rule groups in time');
    await manager.stop();
    const result: RulesBenchResult = {
      slos: SLOS,
      series: SLOS * GROUPS * PODS * 2,
      vigilMs: median(vigil),
      prometheusMs: median(prometheus),
      ratio: median(vigil) / median(prometheus),
    };
    if (print) {
      console.log(`  vigil       ${result.vigilMs.toFixed(0)} ms per evaluation of all groups (median of ${vigil.length})`);
      console.log(`  prometheus  ${result.prometheusMs.toFixed(0)} ms (sum of prometheus_rule_group_last_duration_seconds, median of ${prometheus.length})`);
      console.log(`  ratio       ${result.ratio.toFixed(2)}x`);
    }
    return result;
  } finally {
    prom.kill('SIGTERM');
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchRules();
}
