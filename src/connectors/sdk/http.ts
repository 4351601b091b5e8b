import { Agent, type Dispatcher, errors as undiciErrors } from 'undici';
import { backoffMs, type Clock, CrossdockError, type Logger, sleep, systemClock } from '../../kernel/index.js';
import type { CircuitBreaker } from './breaker.js';
import type { BudgetFeedback, RateBudget } from './budget.js';
import { type CaptureSink, redactBody, redactHeaders } from './capture.js';
import { ConnectorErrors } from './errors.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path relative to the base URL (`/admin/api/2025-01/graphql.json`) or an absolute URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings and Buffers as they are. */
  body?: unknown;
  /** Budget units this call spends (1 for REST; the estimated query cost for GraphQL). */
  cost?: number;
  /**
   * Safe to send again after a timeout: GET, PUT, DELETE always are; a POST or PATCH only when the
   * system dedupes it (an idempotency key, an upsert by external id). A timed-out write that is not
   * idempotent is NOT retried here: it may have committed; `idempotentCreate` looks before it retries.
   */
  idempotent?: boolean;
  timeoutMs?: number;
  /** Names the operation in captures and logs (`orders.create`). */
  operation?: string;
  signal?: AbortSignal;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
  attempts: number;
}

/** Applies credentials to a request; `refresh` renews them after a 401 (OAuth token expiry). */
export interface AuthApplier {
  apply(request: { method: string; url: URL; headers: Record<string, string>; body: string | undefined }): Promise<void> | void;
  refresh?(): Promise<void>;
}

/**
 * A vendor's own reading of a response: return an error to raise (e.g. GraphQL THROTTLED inside a
 * 200, NetSuite's concurrency error), or undefined to let the default status rules decide.
 */
export type ResponseClassifier = (response: HttpResponse<unknown>) => CrossdockError | undefined;

export interface HttpTransportOptions {
  /** Budget and breaker key, e.g. `shopify:store-eu`. */
  target: string;
  baseUrl: string;
  budget: RateBudget;
  breaker?: CircuitBreaker;
  auth?: AuthApplier;
  /** Backoff between attempts; `maxWaitMs`: the longest server-requested wait sat out inside one call (10 s). */
  retry?: { maxAttempts?: number; baseMs?: number; maxMs?: number; maxWaitMs?: number };
  timeoutMs?: number;
  capture?: CaptureSink;
  classify?: ResponseClassifier;
  /** Reads budget feedback from a response (cost-based throttle status, limit headers). */
  feedback?: (response: HttpResponse<unknown>) => BudgetFeedback | undefined;
  /** Extra header names to mask in captures. */
  secretHeaders?: readonly string[];
  defaultHeaders?: Record<string, string>;
  logger?: Logger;
  clock?: Clock;
  /** Connection pool; one per transport by default, with keep-alive. */
  dispatcher?: Dispatcher;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Retry-After is either seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text.length === 0) return undefined;
  if (contentType?.includes('json') || /^[[{]/.test(text.trimStart())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function excerpt(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * The HTTP transport every connector uses. Per call: circuit breaker, rate budget, auth, timeout,
 * one attempt, classification by status (or the vendor's classifier), capture; then retry with
 * exponential backoff and jitter while the error is retryable and the call is safe to repeat,
 * honouring Retry-After.
 */
export class HttpTransport {
  readonly target: string;
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly clock: Clock;
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly maxWaitMs: number;

  constructor(private readonly options: HttpTransportOptions) {
    this.target = options.target;
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 10_000, connections: 64 });
    this.clock = options.clock ?? systemClock;
    this.maxAttempts = options.retry?.maxAttempts ?? 4;
    this.baseMs = options.retry?.baseMs ?? 200;
    this.maxMs = options.retry?.maxMs ?? 10_000;
    this.maxWaitMs = options.retry?.maxWaitMs ?? 10_000;
  }

  url(path: string, query?: HttpRequest['query']): URL {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(path.replace(/^\//, ''), this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    const safeToRepeat = req.idempotent ?? (req.method === 'GET' || req.method === 'PUT' || req.method === 'DELETE');
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await this.once<T>(req, attempt);
        return response;
      } catch (err) {
        if (!(err instanceof CrossdockError)) throw err;
        if (ConnectorErrors.auth.is(err) && this.options.auth?.refresh && !refreshed) {
          // An expired token: renew once and try again; a second 401 is final.
          refreshed = true;
          await this.options.auth.refresh();
          continue;
        }
        // A 429 or an open circuit means the request was not processed: repeating it is always safe.
        const notSent =
          err.code === ConnectorErrors.rateLimited.code || err.code === ConnectorErrors.circuitOpen.code || err.details.notSent === true;
        // A wait longer than maxWaitMs (an open circuit, a long Retry-After) is not sat out inside
        // one call: the error goes back to the caller, whose own retry (a parked event, a flow step) waits.
        const tooLong = (err.retryAfterMs ?? 0) > this.maxWaitMs;
        const retry = err.errorClass === 'retryable' && attempt < this.maxAttempts && (safeToRepeat || notSent) && !tooLong;
        if (!retry) throw err;
        const wait = Math.max(err.retryAfterMs ?? 0, backoffMs(attempt, this.baseMs, this.maxMs));
        this.options.logger?.debug({ target: this.target, attempt, wait, code: err.code }, 'retrying call');
        await sleep(wait, req.signal);
        req.signal?.throwIfAborted();
      }
    }
  }

  private async once<T>(req: HttpRequest, attempt: number): Promise<HttpResponse<T>> {
    const { budget, breaker } = this.options;
    breaker?.admit();
    await budget.acquire(req.cost ?? 1, req.signal);
    const url = this.url(req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.defaultHeaders, ...req.headers };
    let body: string | Buffer | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) body = req.body;
      else {
        body = JSON.stringify(req.body);
        headers['content-type'] ??= 'application/json';
      }
    }
    const bodyText = typeof body === 'string' ? body : body?.toString('utf8');
    try {
      await this.options.auth?.apply({ method: req.method, url, headers, body: bodyText });
    } catch (err) {
      // The call never started: give its budget slot back (a concurrency budget would leak it).
      budget.release?.();
      throw err;
    }
    const started = this.clock.now();
    const timeoutMs = req.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    let status: number | undefined;
    let responseHeaders: Record<string, string> = {};
    let text: string | undefined;
    let failure: CrossdockError | undefined;
    try {
      // Straight to the dispatcher with origin and path: undici's top-level request() would parse the URL again.
      const res = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers,
        body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      status = res.statusCode;
      responseHeaders = headerRecord(res.headers);
      text = await res.body.text();
    } catch (err) {
      failure = this.transportError(err, url, timeoutMs);
    } finally {
      budget.release?.();
    }
    let response: HttpResponse<T> | undefined;
    if (!failure && status !== undefined && text !== undefined) {
      // The body's type is the caller's claim about the vendor's documented shape; connectors parse it with a schema.
      response = { status, headers: responseHeaders, body: parseBody(text, responseHeaders['content-type']) as T, text, attempts: attempt };
      const feedback = this.options.feedback?.(response);
      if (feedback) budget.observe?.(feedback);
      failure = this.options.classify?.(response) ?? this.statusError(response, url);
      if (ConnectorErrors.rateLimited.is(failure) && failure.retryAfterMs !== undefined)
        budget.observe?.({ retryAfterMs: failure.retryAfterMs });
    }
    this.options.capture?.record({
      target: this.target,
      operation: req.operation,
      method: req.method,
      url: url.toString(),
      requestHeaders: redactHeaders(headers, this.options.secretHeaders),
      requestBody: redactBody(bodyText),
      status,
      responseHeaders,
      responseBody: redactBody(text),
      error: failure ? `${failure.code}: ${failure.message}` : undefined,
      attempt,
      startedAt: started,
      durationMs: this.clock.now() - started,
    });
    if (failure || !response) {
      const err = failure ?? ConnectorErrors.network(`${this.target}: no response`);
      // Only signs of an unwell system open the circuit; a rejected request proves it is up.
      if (err.errorClass === 'retryable' && !ConnectorErrors.rateLimited.is(err)) breaker?.failure();
      else breaker?.success();
      throw err;
    }
    breaker?.success();
    return response;
  }

  private transportError(err: unknown, url: URL, timeoutMs: number): CrossdockError {
    if (err instanceof CrossdockError) return err;
    const where = `${this.target} ${url.origin}${url.pathname}`;
    if (err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
      return ConnectorErrors.timeout(`${where} did not answer within ${timeoutMs} ms`, { timeoutMs }, { cause: err });
    }
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const causeCode =
      typeof err === 'object' &&
      err !== null &&
      'cause' in err &&
      typeof err.cause === 'object' &&
      err.cause !== null &&
      'code' in err.cause
        ? String(err.cause.code)
        : '';
    if (code === 'ECONNREFUSED' || causeCode === 'ECONNREFUSED') {
      // Nothing reached the server: safe to send again whatever the method.
      return ConnectorErrors.network(`${where}: connection refused`, { notSent: true }, { cause: err });
    }
    if (NETWORK_CODES.has(code) || NETWORK_CODES.has(causeCode)) {
      return ConnectorErrors.network(`${where}: ${(err as Error).message}`, { code: code || causeCode }, { cause: err });
    }
    if (err instanceof Error && err.name === 'AbortError') throw err;
    return ConnectorErrors.network(`${where}: ${err instanceof Error ? err.message : String(err)}`, {}, { cause: err });
  }

  /** The default reading of an HTTP status; the vendor's body is kept in the error, never swallowed. */
  private statusError(res: HttpResponse<unknown>, url: URL): CrossdockError | undefined {
    if (res.status < 400) return undefined;
    const where = `${this.target} ${url.pathname}`;
    const details = { status: res.status, vendorBody: res.body };
    const said = excerpt(res.text);
    if (res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.clock.now());
      return ConnectorErrors.rateLimited(`${where} answered 429 Too Many Requests: ${said}`, {
        ...details,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (res.status === 401 || res.status === 403) return ConnectorErrors.auth(`${where} answered ${res.status}: ${said}`, details);
    if (res.status === 404) return ConnectorErrors.notFound(`${where} answered 404: ${said}`, details);
    if (res.status === 409) return ConnectorErrors.conflict(`${where} answered 409: ${said}`, details);
    if (res.status === 408) return ConnectorErrors.timeout(`${where} answered 408: ${said}`, details);
    if (res.status >= 500) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.clock.now());
      return ConnectorErrors.unavailable(`${where} answered ${res.status}: ${said}`, {
        ...details,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    return ConnectorErrors.rejected(`${where} answered ${res.status}: ${said}`, details);
  }

  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close();
  }
}
