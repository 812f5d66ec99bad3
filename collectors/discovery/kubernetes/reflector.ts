import type { Clock } from '../../../util/clock.js';
import type { Logger } from '../../../util/log.js';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { isGone, KubernetesDiscoveryError } from './errors.js';
import type { Pod } from './pod.js';
import type { PodApi, PodWatch, PodWatchEvent } from './podapi.js';

/**
 * PodHandler receives what a reflector learns. Calls arrive in order, never concurrently;
 * `replace` carries a complete list (the first one, and each relist after a 410 or an error), the
 * others one watch event each.
 */
export interface PodHandler {
  replace(pods: readonly Pod[]): void;
  upsert(pod: Pod): void;
  remove(pod: Pod): void;
}

export interface ReflectorOptions {
  /** connect makes the API client; it may fail (an unreadable kubeconfig) and is retried with backoff. */
  readonly connect: () => Promise<PodApi>;
  readonly handler: PodHandler;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly backoff?: BackoffOptions;
  /** random in [0, 1) for backoff jitter and watch timeouts; tests pass a constant. */
  readonly random?: () => number;
}

/** MIN_WATCH_TIMEOUT_S is client-go's: each watch asks the server to end it after 5 to 10 minutes, spreading reconnects. */
const MIN_WATCH_TIMEOUT_S = 300;

/** SHORT_WATCH_MS: a watch that ends sooner with no event is a failure, not a timeout (client-go's "very short watch"). */
const SHORT_WATCH_MS = 1000;

class Stopped extends Error {}

/**
 * PodReflector keeps a handler in step with the pods of one scope by Kubernetes's list-then-watch
 * protocol, as client-go's reflector does:
 *
 * 1. list (paged, consistent), hand the whole list to `replace`, remember its resourceVersion;
 * 2. watch from that version with bookmarks: ADDED and MODIFIED upsert, DELETED removes, and
 *    every event including BOOKMARK advances the version;
 * 3. when the server ends the watch (its timeout), watch again from the last version, no relist;
 * 4. on 410 Gone (the version was compacted away, as an ERROR event or a status), relist at
 *    once (a second 410 in a row waits out a backoff first);
 * 5. on any other failure (network, 5xx, 401, a watch that dies at once), wait a backoff
 *    (800 ms doubling to 30 s, jittered) and relist. What the handler holds stays meanwhile,
 *    so an API server outage does not drop targets; the relist after it reconciles.
 *
 * Backoff is reset by a healthy watch (one that delivered an event or lasted a second). Every wait
 * is on the injected Clock.
 */
export class PodReflector {
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private resourceVersion = '';
  private stopped = false;
  private readonly stopSignal = new AbortController();
  private readonly stopping: Promise<never>;
  private watch: PodWatch | undefined;
  private loop: Promise<void> | undefined;
  private api: PodApi | undefined;

  constructor(private readonly opts: ReflectorOptions) {
    this.random = opts.random ?? Math.random;
    this.backoff = new Backoff(opts.backoff ?? DEFAULT_BACKOFF, this.random);
    this.stopping = new Promise<never>((_, reject) => this.stopSignal.signal.addEventListener('abort', () => reject(new Stopped())));
    this.stopping.catch(() => {});
  }

  /** lastResourceVersion is the version the next watch starts from ("" before the first list). */
  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** stop ends the watch and any wait; it resolves when the loop has returned, without waiting for a request in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal.abort();
    this.watch?.stop();
    await this.loop;
  }

  private async run(): Promise<void> {
    let relist = true;
    let goneInARow = 0;
    let failing = false;
    while (!this.stopped) {
      try {
        this.api ??= await this.untilStopped(this.opts.connect());
        if (relist) {
          const list = await this.untilStopped(this.api.list());
          this.opts.handler.replace(list.pods);
          this.resourceVersion = list.resourceVersion;
          relist = false;
          if (failing) this.opts.logger.info('kubernetes discovery recovered', { pods: list.pods.length });
          failing = false;
        }
        await this.watchOnce(this.api);
        this.backoff.reset();
        goneInARow = 0;
      } catch (err) {
        if (this.stopped || err instanceof Stopped) return;
        relist = true;
        if (isGone(err)) {
          this.resourceVersion = '';
          this.opts.logger.info('resource version too old; relisting', { err: (err as Error).message });
          if (++goneInARow === 1) continue;
        } else {
          goneInARow = 0;
          failing = true;
          this.opts.logger.warn('kubernetes discovery failed; retrying', { err: (err as Error).message, code: (err as KubernetesDiscoveryError).code });
        }
        try {
          await this.opts.clock.sleep(this.backoff.next(), this.stopSignal.signal);
        } catch {
          return;
        }
      }
    }
  }

  /** watchOnce runs one watch to its end; it returns when the watch was healthy (events, or a normal timeout) and throws otherwise. */
  private async watchOnce(api: PodApi): Promise<void> {
    const started = this.opts.clock.now();
    let events = 0;
    const timeoutSeconds = Math.floor(MIN_WATCH_TIMEOUT_S * (1 + this.random()));
    const w = api.watch(this.resourceVersion, timeoutSeconds, (e) => {
      if (this.stopped) return;
      events++;
      this.apply(e);
    });
    this.watch = w;
    try {
      await w.done;
    } finally {
      this.watch = undefined;
    }
    if (this.stopped) throw new Stopped();
    if (events === 0 && this.opts.clock.now() - started < SHORT_WATCH_MS) {
      throw new KubernetesDiscoveryError('watch', 'very short watch: the stream ended at once without an event');
    }
  }

  private apply(e: PodWatchEvent): void {
    const rv = e.pod.metadata?.resourceVersion;
    if (e.type === 'ADDED' || e.type === 'MODIFIED') this.opts.handler.upsert(e.pod);
    else if (e.type === 'DELETED') this.opts.handler.remove(e.pod);
    if (rv !== undefined && rv !== '') this.resourceVersion = rv;
  }

  /** untilStopped lets stop() return without waiting for a request the server may never answer. */
  private untilStopped<T>(p: Promise<T>): Promise<T> {
    // A request abandoned by stop() may still fail later; that failure is nobody's business.
    p.catch(() => {});
    return Promise.race([p, this.stopping]);
  }
}
