import { describe, expect, it } from 'vitest';
import { encodeWebhookMessage, goTimeJSON, webhookMessage } from '../../../../alerting/receivers/webhook/payload.js';
import { alert, notification } from '../../notify/fixtures.js';

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
});
