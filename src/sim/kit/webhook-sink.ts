import { createServer, type IncomingHttpHeaders } from 'node:http';

export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  readonly status: number;
}

export interface WebhookSink {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Answers the next `times` deliveries with `status` (e.g. 500 to make the sender retry). */
  failNext(status: number, times?: number): void;
  /** Resolves once `count` deliveries arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** A receiving endpoint for tests and the demo: records every delivery with its exact bytes. */
export function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedWebhook[] = [];
  const failures: number[] = [];
  let notify: () => void = () => {};

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = failures.shift() ?? 200;
      received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'fail');
      notify();
    });
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = address !== null && typeof address === 'object' ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        received,
        failNext(status, times = 1) {
          for (let i = 0; i < times; i++) failures.push(status);
        },
        waitFor(count, timeoutMs = 5_000) {
          return new Promise((done, fail) => {
            const check = () => {
              if (received.length >= count) {
                clearTimeout(timer);
                notify = () => {};
                done(received.slice());
              }
            };
            const timer = setTimeout(() => {
              notify = () => {};
              fail(new Error(`expected ${count} webhooks, got ${received.length}`));
            }, timeoutMs);
            notify = check;
            check();
          });
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
