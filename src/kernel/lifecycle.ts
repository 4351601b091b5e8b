import type { Logger } from './logger.js';

/**
 * Start-up and shutdown in order. Components register a stop function as they start; on SIGTERM or
 * SIGINT the hub first stops intake (gateway, triggers), then lets consumers finish or hand back
 * their batch, then closes the store: the reverse of start order.
 */
export class Lifecycle {
  private readonly stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  private stopping: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Aborted when shutdown begins; long loops watch it. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  onStop(name: string, stop: () => Promise<void> | void): void {
    this.stops.push({ name, stop });
  }

  stop(reason = 'requested'): Promise<void> {
    if (this.stopping) return this.stopping;
    this.logger.info({ reason }, 'shutting down');
    this.abort.abort();
    this.stopping = (async () => {
      for (const { name, stop } of [...this.stops].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            Promise.resolve().then(stop),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`${name} did not stop within ${this.timeoutMs} ms`)), this.timeoutMs);
            }),
          ]);
          this.logger.debug({ component: name }, 'stopped');
        } catch (err) {
          this.logger.error({ component: name, err }, 'stop failed');
        } finally {
          clearTimeout(timer);
        }
      }
      this.logger.info('stopped');
    })();
    return this.stopping;
  }

  /** Wires SIGTERM and SIGINT to stop(); a second signal exits at once. */
  handleSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    const handler = (signal: NodeJS.Signals) => {
      if (this.stopping) {
        this.logger.warn({ signal }, 'second signal, exiting now');
        exit(130);
        return;
      }
      void this.stop(signal).then(() => exit(0));
    };
    process.on('SIGTERM', handler);
    process.on('SIGINT', handler);
  }
}
