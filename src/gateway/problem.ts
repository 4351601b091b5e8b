import { CrossdockError, defineError, type ErrorClass, listErrorCodes } from '../kernel/index.js';
import type { GatewayApp } from './types.js';

/** RFC 9457 problem details, with crossdock's stable error code and the paths of bad fields. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
}

export const GatewayErrors = {
  malformed: defineError('CD_ERR_MALFORMED_REQUEST', { class: 'permanent', title: 'The request could not be read' }),
  tooLarge: defineError('CD_ERR_BODY_TOO_LARGE', { class: 'permanent', title: 'Request body too large' }),
  mediaType: defineError('CD_ERR_UNSUPPORTED_MEDIA_TYPE', { class: 'permanent', title: 'Unsupported content type' }),
  notFound: defineError('CD_ERR_ROUTE_NOT_FOUND', { class: 'permanent', title: 'No such resource' }),
  quota: defineError('CD_ERR_QUOTA_EXCEEDED', { class: 'retryable', title: 'Quota exceeded' }),
  idempotencyReused: defineError('CD_ERR_IDEMPOTENCY_KEY_REUSED', {
    class: 'permanent',
    title: 'Idempotency-Key reused with a different request',
  }),
  idempotencyInFlight: defineError('CD_ERR_IDEMPOTENCY_IN_FLIGHT', {
    class: 'retryable',
    title: 'A request with this Idempotency-Key is still being processed',
  }),
  preconditionFailed: defineError('CD_ERR_PRECONDITION_FAILED', { class: 'permanent', title: 'The resource changed (ETag mismatch)' }),
} as const;

const BY_CODE: Record<string, number> = {
  CD_ERR_VALIDATION: 422,
  CD_ERR_WORKFLOW_INPUT: 422,
  CD_ERR_CONNECTOR_MAPPING: 422,
  CD_ERR_IDEMPOTENCY_KEY_REUSED: 422,
  CD_ERR_AUTH_REQUIRED: 401,
  CD_ERR_AUTH_INVALID_CLIENT: 401,
  CD_ERR_AUTH_SCOPE: 403,
  CD_ERR_AUTH_INVALID_SCOPE: 400,
  CD_ERR_MALFORMED_REQUEST: 400,
  CD_ERR_BODY_TOO_LARGE: 413,
  CD_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  CD_ERR_ROUTE_NOT_FOUND: 404,
  CD_ERR_QUOTA_EXCEEDED: 429,
  CD_ERR_IDEMPOTENCY_IN_FLIGHT: 409,
  CD_ERR_PRECONDITION_FAILED: 412,
  CD_ERR_CONFLICT: 409,
};

export function statusFor(err: CrossdockError): number {
  const known = BY_CODE[err.code];
  if (known !== undefined) return known;
  if (err.code.endsWith('_NOT_FOUND')) return 404;
  if (err.code.endsWith('_CONFLICT')) return 409;
  const byClass: Record<ErrorClass, number> = { permanent: 400, business: 409, retryable: 503 };
  return byClass[err.errorClass];
}

export function toProblem(err: CrossdockError, instance?: string): Problem {
  const issues = err.details.issues;
  const errors = Array.isArray(issues)
    ? issues.flatMap((i: unknown) =>
        typeof i === 'object' && i !== null && 'path' in i && 'message' in i ? [{ path: String(i.path), message: String(i.message) }] : [],
      )
    : typeof err.details.path === 'string' && err.details.path !== ''
      ? [{ path: err.details.path, message: err.message }]
      : undefined;
  const title = listErrorCodes().find((c) => c.code === err.code)?.title ?? 'Error';
  return {
    type: `/problems/${err.code}`,
    title,
    status: statusFor(err),
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message: string;
  validation?: unknown;
}

/** Any thrown value as a crossdock error; framework errors for bad requests keep their 4xx meaning. */
export function asCrossdockError(err: unknown): CrossdockError {
  if (err instanceof CrossdockError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as FastifyLikeError;
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return GatewayErrors.tooLarge('the request body is larger than this endpoint accepts');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return GatewayErrors.mediaType(`${e.message}; send application/json`);
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return GatewayErrors.malformed(
      e.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, 'the body is not valid JSON'),
    );
  }
  return new CrossdockError('CD_ERR_INTERNAL', 'retryable', 'internal error');
}

/** Every error leaves the gateway as application/problem+json; nothing internal leaks. */
export function installProblemHandler(app: GatewayApp): void {
  app.setErrorHandler((err, request, reply) => {
    const e = asCrossdockError(err);
    const problem = toProblem(e, request.url);
    if (problem.status >= 500) request.log.error({ err }, 'request failed');
    if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="crossdock"');
    if (e.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(e.retryAfterMs / 1000))));
    reply.code(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const problem = toProblem(GatewayErrors.notFound(`no route ${request.method} ${request.url.split('?')[0]}`), request.url);
    reply.code(404).type('application/problem+json').send(problem);
  });
  // The `type` of every problem resolves to a description of its code.
  app.get('/problems/:code', async (request, reply) => {
    const code = (request.params as { code?: string }).code;
    const found = listErrorCodes().find((c) => c.code === code);
    if (!found)
      return reply
        .code(404)
        .type('application/problem+json')
        .send(toProblem(GatewayErrors.notFound(`no error code ${code}`)));
    return { code: found.code, title: found.title, class: found.class };
  });
}
