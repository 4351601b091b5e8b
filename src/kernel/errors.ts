/**
 * Errors carry a stable code (`CD_ERR_…`) and a class that decides what the runtime does with them:
 * - `retryable`: transient (network, 429, 5xx); retried with backoff and jitter, honouring retryAfterMs.
 * - `permanent`: the input is wrong; retrying cannot help; the input is kept and an exception raised.
 * - `business`: an expected outcome (credit hold, no stock); a flow branches on it, it is not a failure.
 */
export type ErrorClass = 'retryable' | 'permanent' | 'business';

export interface ErrorDetails {
  /** JSON path or dotted path of the offending field, when there is one. */
  path?: string;
  /** Milliseconds the caller should wait before retrying (from Retry-After or a quota). */
  retryAfterMs?: number;
  /** Anything else worth showing an operator; must be JSON-serialisable. */
  [key: string]: unknown;
}

export class CrossdockError extends Error {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly details: ErrorDetails;

  constructor(code: string, errorClass: ErrorClass, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CrossdockError';
    this.code = code;
    this.errorClass = errorClass;
    this.details = details;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  toJSON(): { code: string; class: ErrorClass; message: string; details: ErrorDetails } {
    return { code: this.code, class: this.errorClass, message: this.message, details: this.details };
  }
}

export interface ErrorCodeSpec {
  readonly class: ErrorClass;
  readonly title: string;
}

export type ErrorFactory = ((message: string, details?: ErrorDetails, options?: { cause?: unknown }) => CrossdockError) & {
  readonly code: string;
  readonly errorClass: ErrorClass;
  readonly title: string;
  is(err: unknown): err is CrossdockError;
};

const registry = new Map<string, ErrorCodeSpec>();

/**
 * Declares an error code once; the returned factory builds errors of that code.
 * Declaring the same code twice with a different class is a programming error.
 */
export function defineError(code: string, spec: ErrorCodeSpec): ErrorFactory {
  if (!/^CD_ERR_[A-Z0-9_]+$/.test(code)) {
    throw new Error(`error code ${code} must match CD_ERR_[A-Z0-9_]+`);
  }
  const existing = registry.get(code);
  if (existing && existing.class !== spec.class) {
    throw new Error(`error code ${code} already declared with class ${existing.class}`);
  }
  registry.set(code, spec);
  const factory = (message: string, details?: ErrorDetails, options?: { cause?: unknown }) =>
    new CrossdockError(code, spec.class, message, details ?? {}, options);
  return Object.assign(factory, {
    code,
    errorClass: spec.class,
    title: spec.title,
    is: (err: unknown): err is CrossdockError => err instanceof CrossdockError && err.code === code,
  });
}

/** Every declared error code, for docs and the problem+json type registry. */
export function listErrorCodes(): Array<{ code: string } & ErrorCodeSpec> {
  return [...registry.entries()].map(([code, spec]) => ({ code, ...spec })).sort((a, b) => a.code.localeCompare(b.code));
}

export const Errors = {
  config: defineError('CD_ERR_CONFIG', { class: 'permanent', title: 'Invalid configuration' }),
  validation: defineError('CD_ERR_VALIDATION', { class: 'permanent', title: 'Input failed validation' }),
  unknownEventType: defineError('CD_ERR_UNKNOWN_EVENT_TYPE', { class: 'permanent', title: 'Unknown event type' }),
  storeUnavailable: defineError('CD_ERR_STORE_UNAVAILABLE', { class: 'retryable', title: 'Store unavailable' }),
  storeCorrupt: defineError('CD_ERR_STORE_CORRUPT', { class: 'permanent', title: 'Store file is corrupt or not a database' }),
  storeLocked: defineError('CD_ERR_STORE_LOCKED', { class: 'retryable', title: 'Store is locked by another process' }),
  migration: defineError('CD_ERR_MIGRATION', { class: 'permanent', title: 'Migration failed' }),
  notFound: defineError('CD_ERR_NOT_FOUND', { class: 'permanent', title: 'Not found' }),
  conflict: defineError('CD_ERR_CONFLICT', { class: 'permanent', title: 'Conflict' }),
  timeout: defineError('CD_ERR_TIMEOUT', { class: 'retryable', title: 'Timed out' }),
  shuttingDown: defineError('CD_ERR_SHUTTING_DOWN', { class: 'retryable', title: 'Shutting down' }),
  internal: defineError('CD_ERR_INTERNAL', { class: 'retryable', title: 'Internal error' }),
} as const;

/**
 * The class of any thrown value. Unknown errors are retryable: a bug or an outage should not lose the
 * input, and the retry limit sends it to the dead letters where an operator sees it.
 */
export function classify(err: unknown): ErrorClass {
  return err instanceof CrossdockError ? err.errorClass : 'retryable';
}

export function errorCode(err: unknown): string {
  return err instanceof CrossdockError ? err.code : Errors.internal.code;
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
