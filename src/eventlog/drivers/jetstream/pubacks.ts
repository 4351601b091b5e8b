import { createInbox, headers, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { type CrossdockError, errorMessage } from '../../../kernel/index.js';
import { JetStreamErrors } from './errors.js';

/** One message for JetStream: `msgId` becomes `Nats-Msg-Id`, JetStream's deduplication key. */
export interface OutgoingMessage {
  subject: string;
  data: string;
  msgId: string;
}

interface Window {
  readonly seqs: number[];
  left: number;
  readonly resolve: (seqs: number[]) => void;
  readonly reject: (err: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

/** A PubAck as JetStream answers a publish (https://docs.nats.io/reference/reference-protocols/nats_api_reference#publish). */
interface PubAckBody {
  stream?: string;
  seq?: number;
  error?: { code?: number; err_code?: number; description?: string };
}

/**
 * Publishes windows of messages to JetStream and collects their PubAcks on one reply subscription.
 *
 * It does what `JetStreamClient.publish` does for each message (a publish with a reply subject and
 * a `Nats-Msg-Id` header, then the PubAck's stream sequence), without the per-message request
 * machinery: `publish` creates two Error objects (for stack traces), a timer and a promise per
 * message, which profiles showed as the relay's largest cost. Here a window shares one promise and
 * one timer; the messages go out in order on the one connection, so per-subject order is kept.
 */
export class PubAckWindows {
  private readonly prefix: string;
  private subscription: Subscription | undefined;
  private readonly windows = new Map<number, Window>();
  private nextWindow = 0;

  constructor(private readonly nc: NatsConnection) {
    this.prefix = `${createInbox()}.`;
  }

  /**
   * Publishes the messages in order; resolves with each one's stream sequence (the first copy's
   * for a duplicate) once JetStream acknowledged all of them, or rejects with the first refusal,
   * or when some acknowledgement is missing after `timeoutMs`.
   */
  publish(messages: readonly OutgoingMessage[], timeoutMs: number): Promise<number[]> {
    if (messages.length === 0) return Promise.resolve([]);
    this.subscribe();
    const id = this.nextWindow++;
    return new Promise<number[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        const window = this.windows.get(id);
        if (!window) return;
        this.windows.delete(id);
        window.reject(
          busError(`${window.left} of ${messages.length} messages not acknowledged by JetStream within ${timeoutMs} ms`, {
            missing: window.left,
          }),
        );
      }, timeoutMs);
      this.windows.set(id, { seqs: new Array<number>(messages.length).fill(0), left: messages.length, resolve, reject, timer });
      const base = `${this.prefix}${id}.`;
      try {
        messages.forEach((m, i) => {
          const h = headers();
          h.set('Nats-Msg-Id', m.msgId);
          this.nc.publish(m.subject, m.data, { reply: `${base}${i}`, headers: h });
        });
      } catch (err) {
        this.fail(id, busError(`publish to JetStream failed: ${errorMessage(err)}`, {}, err));
      }
    });
  }

  /** Drops the reply subscription; windows still open fail now instead of at their timeout. */
  close(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    for (const id of [...this.windows.keys()]) this.fail(id, busError('the relay stopped before JetStream acknowledged', {}));
  }

  private subscribe(): void {
    if (this.subscription && !this.subscription.isClosed()) return;
    this.subscription = this.nc.subscribe(`${this.prefix}*.*`, { callback: (err, msg) => (err ? this.failAll(err) : this.onReply(msg)) });
  }

  private onReply(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const dot = token.indexOf('.');
    const id = Number(token.slice(0, dot));
    const index = Number(token.slice(dot + 1));
    const window = this.windows.get(id);
    if (!window || !(index >= 0 && index < window.seqs.length)) return;
    // No JetStream behind the subject answers with a status message (503, no responders).
    if (msg.headers?.hasError) {
      this.fail(id, busError(`JetStream refused the message: ${msg.headers.status} (no stream for ${msg.subject}?)`, { index }));
      return;
    }
    let ack: PubAckBody;
    try {
      // The server's own answer: the parsing edge.
      ack = JSON.parse(msg.string()) as PubAckBody;
    } catch (err) {
      this.fail(id, busError(`unreadable PubAck: ${errorMessage(err)}`, { index }, err));
      return;
    }
    if (ack.error || typeof ack.seq !== 'number' || !ack.stream) {
      const reason = ack.error?.description ?? 'invalid PubAck';
      this.fail(id, busError(`JetStream refused the message: ${reason}`, { index, errCode: ack.error?.err_code ?? null }));
      return;
    }
    if (window.seqs[index] === 0) {
      window.seqs[index] = ack.seq;
      window.left -= 1;
    }
    if (window.left === 0) {
      this.windows.delete(id);
      clearTimeout(window.timer);
      window.resolve(window.seqs);
    }
  }

  private fail(id: number, err: unknown): void {
    const window = this.windows.get(id);
    if (!window) return;
    this.windows.delete(id);
    clearTimeout(window.timer);
    window.reject(err);
  }

  private failAll(err: unknown): void {
    this.subscription = undefined;
    for (const id of [...this.windows.keys()]) this.fail(id, busError(`PubAck subscription failed: ${errorMessage(err)}`, {}, err));
  }
}

function busError(message: string, details: Record<string, unknown>, cause?: unknown): CrossdockError {
  return JetStreamErrors.busUnavailable(message, details, cause === undefined ? {} : { cause });
}
