import { request } from 'undici';
import type { FaultPlan } from './faults.js';

export interface OutboundWebhook {
  /** The vendor's delivery id; a duplicate delivery carries the same one. */
  readonly id: string;
  readonly topic: string;
  readonly url: string;
  readonly body: string;
  /** Headers for one attempt; called per attempt so a signature can carry the send time. */
  readonly headers: () => Record<string, string>;
}

export interface DeliveryAttempt {
  readonly webhookId: string;
  readonly topic: string;
  readonly url: string;
  /** 1 for the first try, 2 for the first retry, … */
  readonly attempt: number;
  readonly copy: 'original' | 'duplicate';
  readonly status?: number;
  readonly error?: string;
  readonly at: number;
}

export interface WebhookDispatcherOptions {
  faults: FaultPlan;
  /** Wait before each retry after a non-2xx answer or a network error; its length is the retry count. */
  retryDelaysMs: readonly number[];
  /** How long the receiver has to answer one attempt. */
  timeoutMs: number;
}

/**
 * Delivers outbound webhooks like a vendor does: at least once, retried on failure, first attempts
 * in creation order unless the fault plan asks for duplicates or reordering.
 */
export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = [];
  private chain: Promise<void> = Promise.resolve();
  private held: OutboundWebhook[] = [];
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  enqueue(webhook: OutboundWebhook): void {
    const { faults } = this.options;
    if (faults.reorderWebhooks) {
      this.held.push(webhook);
      if (this.held.length >= Math.max(1, faults.reorderWindow)) this.flush();
      return;
    }
    this.schedule(webhook);
  }

  /** Releases webhooks held for reordering, newest first. */
  flush(): void {
    const batch = this.held.reverse();
    this.held = [];
    for (const webhook of batch) this.schedule(webhook);
  }

  /** Number of webhooks held back by `reorderWebhooks`, waiting for their window to fill. */
  heldCount(): number {
    return this.held.length;
  }

  /** Resolves when every released webhook has been delivered or has exhausted its retries. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held = [];
    this.inFlight = 0;
    this.settle();
  }

  private schedule(webhook: OutboundWebhook): void {
    const copies: Array<'original' | 'duplicate'> = this.options.faults.duplicateWebhooks ? ['original', 'duplicate'] : ['original'];
    for (const copy of copies) {
      this.inFlight += 1;
      this.chain = this.chain.then(() => this.attempt(webhook, copy, 1));
    }
  }

  private async attempt(webhook: OutboundWebhook, copy: 'original' | 'duplicate', attempt: number): Promise<void> {
    if (this.closed) return;
    let ok = false;
    try {
      const res = await request(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...webhook.headers() },
        body: webhook.body,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await res.body.dump();
      ok = res.statusCode >= 200 && res.statusCode < 300;
      this.record(webhook, copy, attempt, { status: res.statusCode });
    } catch (err) {
      this.record(webhook, copy, attempt, { error: err instanceof Error ? err.message : String(err) });
    }
    if (this.closed) return;
    const delay = this.options.retryDelaysMs[attempt - 1];
    if (ok || delay === undefined) {
      this.done();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(webhook, copy, attempt + 1);
    }, delay);
    this.timers.add(timer);
  }

  private record(
    webhook: OutboundWebhook,
    copy: 'original' | 'duplicate',
    attempt: number,
    outcome: { status?: number; error?: string },
  ): void {
    this.attempts.push({ webhookId: webhook.id, topic: webhook.topic, url: webhook.url, attempt, copy, ...outcome, at: Date.now() });
  }

  private done(): void {
    this.inFlight -= 1;
    this.settle();
  }

  private settle(): void {
    if (this.inFlight > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
