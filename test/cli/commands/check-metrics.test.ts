import { describe, expect, it } from 'vitest';
import { vigilCli } from '../../support/cli.js';

const FIXTURES = '../shared/fixtures/metrics';

describe('vigil check-metrics', () => {
  it('exits 0 on a real exporter body, printing lint warnings', async () => {
    const res = await vigilCli(['check-metrics', `${FIXTURES}/triton.prom`]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/counter metrics should have "_total" suffix/);
  });

  it('takes the lenient path on BullMQ bodies, with a warning', async () => {
    const res = await vigilCli(['check-metrics', `${FIXTURES}/bullmq.prom`]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/newline/i);
  });

  it('exits 1 with line:column: reason on a malformed body from stdin', async () => {
    const res = await vigilCli(['check-metrics', '-'], 'ok 1\nbad{x="1} 2\n');
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^2:\d+: /m);
  });

  it('reads OpenMetrics when the body ends in # EOF, and prints families as JSON', async () => {
    const res = await vigilCli(['check-metrics', '--json', '-'], '# TYPE a counter\n# HELP a Requests.\na_total 1 1.5\n# EOF\n');
    expect(res.code).toBe(0);
    const families = JSON.parse(res.stdout);
    expect(JSON.stringify(families)).toContain('"a"');
    expect(JSON.stringify(families)).toContain('counter');
  });

  it('exits 2 without a file, and 1 when the file cannot be read', async () => {
    expect((await vigilCli(['check-metrics'])).code).toBe(2);
    const missing = await vigilCli(['check-metrics', '/nonexistent.prom']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read /nonexistent.prom: ENOENT');
  });
});
