import { z } from 'zod';
import { makeEvent } from '../../canonical/index.js';
import type { PollingTriggerSpec, PollPage } from '../sdk/index.js';
import type { OdooCredentials } from './credentials.js';
import { type OdooRecordChanged, odooRecordChangedEvent } from './events.js';
import { isoFromOdoo } from './mappers/values.js';
import type { OdooSettings } from './settings.js';
import { executeKw, type OdooContext, text } from './transport.js';

const rowSchema = z.object({ id: z.number(), write_date: z.string(), display_name: text.optional() });

/** A cursor is the last change applied: `<write_date>|<id>`; a bare datetime means "after it". */
export function parseCursor(cursor: string): { at: string; id: number } {
  const [at = '', id] = cursor.split('|');
  return { at, id: id === undefined ? Number.POSITIVE_INFINITY : Number(id) };
}

/**
 * Polls `write_date >= cursor` ordered by `write_date, id`; rows at the cursor's instant with an id at or
 * below the cursor's were applied already. Odoo stores write_date to the second, so two writes in one
 * second are told apart by id, and offset paging walks past a long run of them.
 */
export async function pollChanges(ctx: OdooContext, cursor: string): Promise<PollPage<OdooRecordChanged>> {
  const from = parseCursor(cursor);
  const { model } = ctx.settings.changes;
  const limit = ctx.settings.pageSize;
  for (let offset = 0; ; offset += limit) {
    // One row past the page tells whether more follow, so `more` is exact rather than "maybe".
    const fetched = await executeKw(
      ctx,
      {
        model,
        method: 'search_read',
        args: [[['write_date', '>=', from.at]]],
        kwargs: {
          fields: ['write_date', 'display_name'],
          order: 'write_date asc, id asc',
          offset,
          limit: limit + 1,
          context: { active_test: false },
        },
        idempotent: true,
        operation: 'changes.poll',
      },
      z.array(rowSchema),
    );
    const rows = fetched.slice(0, limit);
    const fresh = rows.filter((r) => r.write_date > from.at || (r.write_date === from.at && r.id > from.id));
    const last = fresh.at(-1);
    const full = fetched.length > limit;
    if (last || !full) {
      return {
        items: fresh.map((r) => ({
          model,
          id: String(r.id),
          writeDate: isoFromOdoo(r.write_date),
          ...(r.display_name ? { name: r.display_name } : {}),
        })),
        cursor: last ? `${last.write_date}|${last.id}` : cursor,
        more: full,
      };
    }
  }
}

export const odooChangesTrigger: PollingTriggerSpec<OdooSettings, OdooCredentials, OdooRecordChanged> = {
  kind: 'polling',
  intervalMs: 60_000,
  initialCursor: (ctx) => ctx.settings.changes.since,
  poll: pollChanges,
  map: (change, ctx) => [
    makeEvent(
      {
        type: odooRecordChangedEvent.type,
        source: `crossdock://connector/odoo/${ctx.instance}`,
        subject: `odoo/${change.model}/${change.id}`,
        partitionkey: `odoo:${change.model}:${change.id}`,
        idempotencykey: `odoo:${ctx.instance}:${change.model}:${change.id}:${change.writeDate}`,
        data: change,
      },
      ctx.clock.now(),
    ),
  ],
};
