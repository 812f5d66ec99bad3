import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { NotifyError } from '../../../../alerting/notify/types.js';
import { consoleIntegration } from '../../../../alerting/receivers/console/integration.js';
import { alert, notification, T0 } from '../../notify/fixtures.js';

/** collector is a stream that keeps what is written, one entry per write. */
function collector(): { out: Writable; writes: string[] } {
  const writes: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      writes.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { out, writes };
}

const config = { position: { line: 1, column: 1 }, sendResolved: true };
const live = () => new AbortController().signal;

describe('console integration', () => {
  it('writes a group header and one line per alert, in one write', async () => {
    const { out, writes } = collector();
    const n = notification(
      [
        alert({ alertname: 'GPUXidError', gpu: '3', node: 'n1' }, { annotations: { summary: 'XID 79 on\nGPU 3' } }),
        alert({ alertname: 'GPUXidError', gpu: '5', node: 'n2' }, { annotations: { description: 'fallen off the bus' } }),
        alert({ alertname: 'GPUXidError', gpu: '7', node: 'n"3' }, { endsAt: T0 - 1000 }),
      ],
      { receiver: 'gpu-oncall' },
    );
    await expect(consoleIntegration(config, 0, { out }).notify(n, live())).resolves.toBeUndefined();
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n')).toEqual([
      '12:04:05Z [gpu-oncall] 2 firing, 1 resolved {alertname="GPUXidError"}',
      '12:04:05Z FIRING [gpu-oncall] GPUXidError{gpu="3",node="n1"} XID 79 on GPU 3',
      '12:04:05Z FIRING [gpu-oncall] GPUXidError{gpu="5",node="n2"} fallen off the bus',
      '12:04:05Z RESOLVED [gpu-oncall] GPUXidError{gpu="7",node="n\\"3"}',
      '',
    ]);
  });

  it('names an alert with no other labels by its alertname alone', async () => {
    const { out, writes } = collector();
    await consoleIntegration(config, 0, { out }).notify(notification([alert({ alertname: 'Watchdog' })], { groupLabels: {} }), live());
    expect(writes[0]).toBe('12:04:05Z [gpu-oncall] 1 firing, 0 resolved {}\n12:04:05Z FIRING [gpu-oncall] Watchdog\n');
  });

  it('turns a failed write into a permanent NotifyError', async () => {
    const out = new Writable({
      write(_chunk, _enc, cb) {
        cb(new Error('EPIPE'));
      },
    });
    out.on('error', () => {});
    const err = await consoleIntegration(config, 0, { out })
      .notify(notification([alert({ alertname: 'X' })]), live())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotifyError);
    expect([(err as NotifyError).code, (err as NotifyError).retryable]).toEqual(['write', false]);
  });

  it('does not write once the signal has aborted', async () => {
    const { out, writes } = collector();
    const controller = new AbortController();
    controller.abort();
    await expect(consoleIntegration(config, 0, { out }).notify(notification([alert({ alertname: 'X' })]), controller.signal)).rejects.toMatchObject({ code: 'aborted', retryable: true });
    expect(writes).toEqual([]);
  });

  it('reports its name, index and send_resolved', () => {
    const c = consoleIntegration({ ...config, sendResolved: false }, 2);
    expect([c.name, c.index, c.sendResolved]).toEqual(['console', 2, false]);
  });
});
