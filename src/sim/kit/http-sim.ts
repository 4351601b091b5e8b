import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Fault, FaultPlan } from './faults.js';

/** A request as a simulator sees it: the raw body is kept so signatures and parsers see exact bytes. */
export interface SimRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is already a string. */
  body?: unknown;
}

export type SimHandler = (req: SimRequest) => Promise<SimResponse> | SimResponse;

export interface HttpSimOptions {
  host?: string;
  port?: number;
  faults: FaultPlan;
  /** Handles the vendor API; every request here goes through the fault plan first. */
  handle: SimHandler;
  /** Handles the control API under `controlPrefix`; faults never apply there, so a test can always disarm them. */
  control: SimHandler;
  /** The vendor's answer for an armed status fault. */
  faultResponse: (fault: Extract<Fault, { kind: 'status' }>) => SimResponse;
  controlPrefix?: string;
  /** Largest accepted request body; vendors cap theirs too. */
  maxBodyBytes?: number;
}

export interface HttpSim {
  readonly url: string;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, out: SimResponse): void {
  const body = out.body === undefined ? '' : typeof out.body === 'string' ? out.body : JSON.stringify(out.body);
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  if (out.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(out.status, headers);
  res.end(body);
}

/**
 * A node:http server with the behaviour every simulator shares: raw body capture, the control prefix,
 * latency, armed status faults, dropped connections, and writes that commit but are never answered.
 */
export function startHttpSim(options: HttpSimOptions): Promise<HttpSim> {
  const { faults, handle, control, faultResponse, controlPrefix = '/_sim/', maxBodyBytes = 5 * 1024 * 1024 } = options;
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        send(res, { status: 413, body: { errors: 'Request entity too large' } });
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://sim.local');
      const simReq: SimRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks),
      };
      void dispatch(simReq, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: String(err) } });
      });
    });
  });

  async function dispatch(req: SimRequest, res: ServerResponse): Promise<void> {
    if (req.path.startsWith(controlPrefix)) {
      send(res, await control(req));
      return;
    }
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const fault = faults.take(req.method, req.path);
    if (fault?.kind === 'drop') {
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const out = faultResponse(fault);
      if (fault.retryAfterSeconds !== undefined) out.headers = { ...(out.headers ?? {}), 'retry-after': String(fault.retryAfterSeconds) };
      send(res, out);
      return;
    }
    const out = await handle(req);
    // timeout-after-commit: the handler ran (the write is applied); the answer is never sent.
    if (fault?.kind === 'timeout-after-commit') return;
    send(res, out);
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('simulator did not bind a TCP port'));
        return;
      }
      resolve({
        url: `http://${address.address}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Reads a JSON body; undefined when it is not JSON (the caller answers with its vendor's error). */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
