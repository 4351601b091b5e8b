import { z } from 'zod';
import { collect, paginate } from '../sdk/index.js';
import { executeKw, type OdooContext } from './transport.js';

/** Every record matching a domain, `pageSize` at a time by offset, in a stable order (`id`). */
export function searchReadAll<T>(
  ctx: OdooContext,
  call: { model: string; domain: unknown[]; fields: string[]; operation: string; maxPages?: number | undefined },
  row: z.ZodType<T>,
): Promise<T[]> {
  const limit = ctx.settings.pageSize;
  const pages = paginate(
    async (next) => {
      const offset = next === undefined ? 0 : Number(next);
      const rows = await executeKw(
        ctx,
        {
          model: call.model,
          method: 'search_read',
          args: [call.domain],
          kwargs: { fields: call.fields, offset, limit, order: 'id' },
          idempotent: true,
          operation: call.operation,
        },
        z.array(row),
      );
      return { items: rows, next: rows.length < limit ? undefined : String(offset + limit) };
    },
    call.maxPages !== undefined ? { maxPages: call.maxPages } : {},
  );
  return collect(pages);
}
