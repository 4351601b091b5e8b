import type { z } from 'zod';
import type { ConnectorInstance } from '../../../connectors/sdk/index.js';
import { ConnectorErrors } from '../../../connectors/sdk/index.js';

/** A connector instance of any settings and credentials (adapters only call `invoke`). */
export type AnyInstance = Pick<ConnectorInstance<unknown, unknown>, 'invoke'> & { readonly spec: { readonly id: string } };

/** Runs an operation and narrows its result with a schema (the operation's own result type). */
export async function invoke<T>(instance: AnyInstance, operation: string, input: unknown, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await instance.invoke(operation, input));
  if (result.success) return result.data;
  throw ConnectorErrors.mapping(`${instance.spec.id} ${operation} answered an unexpected result: ${result.error.issues[0]?.message}`, {
    path: result.error.issues[0]?.path.join('.') ?? '',
  });
}

/** A not-found answer (the record does not exist: nothing to undo). */
export function isNotFound(err: unknown): boolean {
  return ConnectorErrors.notFound.is(err);
}
