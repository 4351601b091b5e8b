import { request } from 'undici';
import { defineError } from '../../../kernel/index.js';

export const HttpErrors = {
  unavailable: defineError('CD_ERR_FLOW_HTTP_UNAVAILABLE', {
    class: 'retryable',
    title: 'The system could not be reached or is overloaded',
  }),
  refused: defineError('CD_ERR_FLOW_HTTP_REFUSED', { class: 'permanent', title: 'The system refused the request' }),
} as const;

/** Retry-After in whole seconds (the form these APIs send). */
function parseRetryAfterMs(value: string): number | undefined {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export interface JsonReply {
  status: number;
  body: unknown;
}

/**
 * One JSON call for the flows' small adapters: network errors, 429 and 5xx are retryable (the
 * workflow engine retries the step), other 4xx are permanent unless `accept` lists the status.
 */
export async function callJson(
  url: string,
  options: {
    method: string;
    body?: unknown;
    /** Sent as application/x-www-form-urlencoded instead of a JSON body (OAuth token endpoints). */
    form?: Record<string, string>;
    headers?: Record<string, string>;
    accept?: readonly number[];
    timeoutMs?: number;
  },
): Promise<JsonReply> {
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, {
      method: options.method as 'GET',
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.form !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(options.headers ?? {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.form !== undefined ? { body: new URLSearchParams(options.form).toString() } : {}),
      headersTimeout: options.timeoutMs ?? 10_000,
      bodyTimeout: options.timeoutMs ?? 10_000,
    });
  } catch (err) {
    throw HttpErrors.unavailable(`${options.method} ${url}: ${err instanceof Error ? err.message : String(err)}`, { url });
  }
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the error message
  }
  if (options.accept?.includes(res.statusCode)) return { status: res.statusCode, body };
  if (res.statusCode === 429 || res.statusCode >= 500) {
    const retryAfter = res.headers['retry-after'];
    const retryAfterMs = typeof retryAfter === 'string' ? parseRetryAfterMs(retryAfter) : undefined;
    throw HttpErrors.unavailable(`${options.method} ${url} answered ${res.statusCode}`, {
      url,
      status: res.statusCode,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (res.statusCode >= 400) {
    throw HttpErrors.refused(
      `${options.method} ${url} answered ${res.statusCode}: ${typeof body === 'string' ? body : JSON.stringify(body)}`,
      {
        url,
        status: res.statusCode,
        vendorBody: body,
      },
    );
  }
  return { status: res.statusCode, body };
}
