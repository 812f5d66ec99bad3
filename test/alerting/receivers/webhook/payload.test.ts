import { describe, expect, it } from 'vitest';
import { encodeWebhookMessage, goTimeJSON, webhookBody, webhookMessage } from '../../../../alerting/receivers/webhook/payload.js';
import { alert, notification, T0, xidAlerts } from '../../notify/fixtures.js';

describe('webhook payload', () => {
  it('writes times as Go marshals time.Time: only the fraction digits needed', () => {
    expect(goTimeJSON('2024-05-01T12:00:00.000Z')).toBe('2024-05-01T12:00:00Z');
    expect(goTimeJSON('2024-05-01T12:00:00.500Z')).toBe('2024-05-01T12:00:00.5Z');
    expect(goTimeJSON('2024-05-01T12:00:00.123Z')).toBe('2024-05-01T12:00:00.123Z');
    expect(goTimeJSON('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00Z');
  });

  it('does not truncate with max_alerts 0 or when the alerts fit', () => {
    const alerts = [alert({ alertname: 'X', i: '1' }), alert({ alertname: 'X', i: '2' })];
    expect(webhookMessage(notification(alerts), 0).truncatedAlerts).toBe(0);
    expect(webhookMessage(notification(alerts), 2).alerts).toHaveLength(2);
    expect(webhookMessage(notification(alerts), 1)).toMatchObject({ truncatedAlerts: 1, alerts: [{ labels: { i: '1' } }] });
  });

  it('encodes as Go’s json.Encoder: HTML characters escaped, a final newline', () => {
    const body = encodeWebhookMessage(webhookMessage(notification([alert({ alertname: 'X', q: 'a<b>&\u2028' })]), 0));
    expect(body).toContain('"q":"a\\u003cb\\u003e\\u0026\\u2028"');
    expect(body.endsWith('\n')).toBe(true);
    expect(JSON.parse(body).alerts[0].labels.q).toBe('a<b>&\u2028');
  });

  it('webhookBody writes the same bytes as encoding the message object, for every shape of group', () => {
    const shared = alert({ alertname: 'Q', queue: 'q1' }, { annotations: { summary: 's' } });
    const cases = {
      'firing, shared common labels': notification(xidAlerts()),
      'one resolved, one firing, different start times': notification([
        alert({ alertname: 'X', i: '1' }, { endsAt: T0 - 1, startsAt: T0 - 3_600_500 }),
        alert({ alertname: 'X', i: '2' }, { annotations: { summary: 'two' }, startsAt: T0 - 1_000 }),
      ]),
      'all resolved': notification([alert({ alertname: 'X' }, { endsAt: T0 })], { groupLabels: { alertname: 'X' } }),
      'HTML, U+2028 and non-ASCII in every string': notification(
        [alert({ alertname: 'X', q: 'a<b>&\u2028 ü 🚀' }, { annotations: { d: '"quoted" \\ <i>' }, generatorURL: 'http://p/graph?a=1&b=<2>' })],
        { receiver: 'r&d', externalURL: 'http://x/?a=1&b=2', groupKey: '{}:{q="<x>"}', groupLabels: {} },
      ),
      'the same label set object in two alerts': notification([shared, shared]),
      'label names that differ between alerts': notification([
        alert({ alertname: 'X', b: '1', c: '2', d: '3' }, { annotations: { summary: 's', z: 'z' } }),
        alert({ alertname: 'X', a: '0', c: '2', d: '4' }, { annotations: { summary: 's' } }),
        alert({ alertname: 'X', c: '2' }, { annotations: { summary: 's', y: 'y' } }),
      ]),
      'no alerts': notification([]),
    };
    for (const [name, n] of Object.entries(cases)) {
      for (const maxAlerts of [0, 1, 5]) {
        expect(webhookBody(n, maxAlerts), `${name}, max_alerts ${maxAlerts}`).toBe(encodeWebhookMessage(webhookMessage(n, maxAlerts)));
      }
    }
    // A second encoding (label JSON now cached) is the same again.
    const n = notification(xidAlerts());
    expect(webhookBody(n, 0)).toBe(webhookBody(n, 0));
    expect(JSON.parse(webhookBody(n, 1))).toMatchObject({ version: '4', truncatedAlerts: 1, status: 'firing' });
  });
});
