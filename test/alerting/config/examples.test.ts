import { describe, expect, it } from 'vitest';
import { loadAlertingConfigFile } from '../../../alerting/config/load.js';
import { buildRouteTree } from '../../../alerting/route/route.js';
import { Labels } from '../../../model/labels.js';

// examples/alerting.yaml is what `npm start` routes with: it must load cleanly and route as its comments say.
describe('examples/alerting.yaml', () => {
  const { config, warnings } = loadAlertingConfigFile('examples/alerting.yaml');
  const route = buildRouteTree(config);
  const receivers = (labels: Record<string, string>) => route.match(Labels.from(labels)).map((r) => r.opts.receiver);

  it('loads without warnings', () => {
    expect(warnings).toEqual([]);
    expect(config.receivers.map((r) => r.name)).toEqual(['console', 'slack-inference', 'email-ml-oncall']);
  });

  it('routes the Watchdog to the console and critical inference alerts to Slack and email', () => {
    expect(receivers({ alertname: 'Watchdog', severity: 'none' })).toEqual(['console']);
    expect(receivers({ alertname: 'HighLatency', team: 'ml-inference', severity: 'critical' })).toEqual(['slack-inference', 'email-ml-oncall']);
    expect(receivers({ alertname: 'TargetDown', severity: 'warning' })).toEqual(['console']);
    const training = route.match(Labels.from({ alertname: 'JobSlow', team: 'ml-training', workload: 'training' }));
    expect(training.map((r) => r.opts.muteTimeIntervals)).toEqual([['weekends']]);
  });
});
