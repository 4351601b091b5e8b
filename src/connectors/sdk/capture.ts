/**
 * Request/response capture, for replay and for showing an operator exactly what was exchanged.
 * Secrets never reach a capture: auth headers are masked and JSON fields named like secrets are
 * replaced before the record is kept.
 */
export interface CaptureRecord {
  id: number;
  target: string;
  operation: string | undefined;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | undefined;
  status: number | undefined;
  responseHeaders: Record<string, string>;
  responseBody: string | undefined;
  error: string | undefined;
  attempt: number;
  startedAt: number;
  durationMs: number;
}

export interface CaptureSink {
  record(entry: Omit<CaptureRecord, 'id'>): void;
}

const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-shopify-access-token',
  'x-api-key',
  'api-key',
]);
const SECRET_FIELDS =
  /^(password|passwd|secret|client_secret|token|access_token|refresh_token|api_key|apikey|private_key|assertion|consumer_secret|token_secret)$/i;
const MAX_BODY = 64 * 1024;

export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  extra: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const more = new Set(extra.map((h) => h.toLowerCase()));
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = SECRET_HEADERS.has(lower) || more.has(lower) ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_FIELDS.test(k) ? '[redacted]' : redactValue(v)]));
  }
  return value;
}

/** Masks secret-looking fields of a JSON or form body; truncates very large bodies. */
export function redactBody(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  let out = body;
  try {
    out = JSON.stringify(redactValue(JSON.parse(body)));
  } catch {
    // Form-encoded bodies (OAuth token requests) carry secrets as key=value pairs.
    if (/^[\w.%-]+=[^&]*(&[\w.%-]+=[^&]*)*$/.test(body)) {
      const params = new URLSearchParams(body);
      for (const key of [...params.keys()]) if (SECRET_FIELDS.test(key)) params.set(key, '[redacted]');
      out = params.toString();
    }
  }
  return out.length > MAX_BODY ? `${out.slice(0, MAX_BODY)}…[${out.length - MAX_BODY} more bytes]` : out;
}

/** Keeps the last `size` exchanges in memory. */
export class MemoryCapture implements CaptureSink {
  private readonly entries: CaptureRecord[] = [];
  private next = 1;
  constructor(private readonly size = 1000) {}

  record(entry: Omit<CaptureRecord, 'id'>): void {
    this.entries.push({ ...entry, id: this.next++ });
    if (this.entries.length > this.size) this.entries.shift();
  }

  list(filter: { target?: string } = {}): CaptureRecord[] {
    return this.entries.filter((e) => filter.target === undefined || e.target === filter.target);
  }

  get(id: number): CaptureRecord | undefined {
    return this.entries.find((e) => e.id === id);
  }
}
