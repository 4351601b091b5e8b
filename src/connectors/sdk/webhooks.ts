import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Clock, classify, errorMessage, systemClock } from '../../kernel/index.js';
import type { Store, Tx } from '../../store/index.js';

export type Headers = Record<string, string | string[] | undefined>;

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Constant-time comparison of two signatures (a plain === leaks timing). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function hmacSha256(secret: string, data: Buffer | string, encoding: 'hex' | 'base64'): string {
  return createHmac('sha256', secret).update(data).digest(encoding);
}

/** How one vendor signs and identifies its webhook deliveries. */
export interface WebhookSpec {
  /** The vendor's id of a delivery (redeliveries repeat it); undefined when it sends none. */
  deliveryId(headers: Headers, rawBody: Buffer): string | undefined;
  topic(headers: Headers, rawBody: Buffer): string;
  verify(rawBody: Buffer, headers: Headers, secret: string, now: number): boolean;
}

export interface Delivery {
  deliveryId: string;
  topic: string;
  headers: Headers;
  rawBody: Buffer;
  /** The body parsed as JSON (undefined when it is not JSON). */
  body: unknown;
}

export interface WebhookOutcome {
  /** The HTTP status to answer the vendor with. */
  status: 200 | 401 | 503;
  outcome: 'accepted' | 'duplicate' | 'rejected' | 'failed';
  deliveryId: string;
  error?: string;
}

export interface WebhookReceiverOptions {
  store: Store;
  connector: string;
  instance: string;
  spec: WebhookSpec;
  secret: () => Promise<string> | string;
  /**
   * Maps and publishes the delivery inside the transaction that records it. A permanent error
   * records the delivery as failed (raw body kept for replay) and still answers 200, so the vendor
   * does not retry bad data forever; a retryable error answers 503 so the vendor delivers again.
   */
  accept(delivery: Delivery, tx: Tx): Promise<void>;
  clock?: Clock;
}

/**
 * Receives one vendor's webhooks: verifies the signature over the exact raw bytes, records every
 * delivery (rejected ones too) with its raw body, and accepts each delivery id once.
 */
export class WebhookReceiver {
  private readonly clock: Clock;
  constructor(private readonly options: WebhookReceiverOptions) {
    this.clock = options.clock ?? systemClock;
  }

  async receive(headers: Headers, rawBody: Buffer): Promise<WebhookOutcome> {
    const { spec, store, connector, instance } = this.options;
    const now = this.clock.now();
    const deliveryId = spec.deliveryId(headers, rawBody) ?? `sha256:${createHash('sha256').update(rawBody).digest('hex')}`;
    const topic = spec.topic(headers, rawBody);
    const record = (tx: Tx, status: string, error: string | null) =>
      tx.run(
        `INSERT INTO webhook_receipts
           (connector, instance, delivery_id, topic, status, error, headers, raw_body, received_at, duplicates)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (connector, instance, delivery_id) DO NOTHING`,
        [
          connector,
          instance,
          status === 'rejected' ? `rejected:${now}:${deliveryId}` : deliveryId,
          topic,
          status,
          error,
          JSON.stringify(headers),
          rawBody.toString('utf8'),
          now,
        ],
      );

    if (!spec.verify(rawBody, headers, await this.options.secret(), now)) {
      await store.transaction((tx) => record(tx, 'rejected', 'signature does not verify'));
      return { status: 401, outcome: 'rejected', deliveryId, error: 'signature does not verify' };
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      body = undefined;
    }
    try {
      return await store.transaction(async (tx) => {
        if ((await record(tx, 'accepted', null)) === 0) {
          await tx.run('UPDATE webhook_receipts SET duplicates = duplicates + 1 WHERE connector = ? AND instance = ? AND delivery_id = ?', [
            connector,
            instance,
            deliveryId,
          ]);
          return { status: 200, outcome: 'duplicate', deliveryId } as const;
        }
        await this.options.accept({ deliveryId, topic, headers, rawBody, body }, tx);
        return { status: 200, outcome: 'accepted', deliveryId } as const;
      });
    } catch (err) {
      if (classify(err) === 'retryable') return { status: 503, outcome: 'failed', deliveryId, error: errorMessage(err) };
      await store.transaction((tx) => record(tx, 'failed', errorMessage(err)));
      return { status: 200, outcome: 'failed', deliveryId, error: errorMessage(err) };
    }
  }
}
