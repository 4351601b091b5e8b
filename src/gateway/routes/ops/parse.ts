import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { Errors } from '../../../kernel/index.js';
import type { Principal } from '../../auth/identity.js';
import { asCrossdockError, toProblem } from '../../problem.js';
import type { GatewayApp } from '../../types.js';

function pathOf(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Parses input with a schema; a bad field answers 422 problem+json naming its path. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: pathOf(i.path), message: i.message }));
  const first = issues[0];
  throw Errors.validation(`${what}: ${first?.path || '(root)'}: ${first?.message ?? 'invalid'}`, { path: first?.path ?? '', issues });
}

/** Who is acting, for exception histories: the console user's name. */
export function actorOf(principal: Principal | undefined): string {
  if (!principal) return 'unknown';
  return principal.kind === 'user' ? principal.username : `partner:${principal.partnerId}`;
}

/** Registers routes in their own scope answering errors as RFC 9457 problems. */
/** The encapsulated Fastify scope ops routes register in. */
export type OpsScope = FastifyInstance;

export function opsScope(app: GatewayApp, register: (scope: OpsScope) => void): void {
  app.register(async (scope) => {
    scope.setErrorHandler((err, request, reply) => {
      const problem = toProblem(asCrossdockError(err), request.url);
      if (problem.status >= 500) request.log.error({ err }, 'ops request failed');
      reply.code(problem.status).type('application/problem+json').send(problem);
    });
    register(scope);
  });
}
