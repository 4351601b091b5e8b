import type { Envelope } from '../../canonical/index.js';
import type { Handler } from '../../eventlog/index.js';
import { type Clock, newId, systemClock } from '../../kernel/index.js';
import type { WebhookSubscriptions } from './subscriptions.js';

/** Which partner an event belongs to; undefined means no partner is told about it. */
export type EventOwner = (event: Envelope) => string | undefined;

const PARTNER_SOURCE = /^crossdock:\/\/partners?\/([^/?#]+)/;

/**
 * The default owner of an event: `data.partnerId` when the data names one, else the partner in a
 * `crossdock://partner/<id>` source (events made from a partner's own API call).
 */
export const defaultEventOwner: EventOwner = (event) => {
  const data: unknown = event.data;
  if (data !== null && typeof data === 'object' && 'partnerId' in data && typeof data.partnerId === 'string' && data.partnerId !== '') {
    return data.partnerId;
  }
  return PARTNER_SOURCE.exec(event.source)?.[1];
};

/**
 * The event-log handler of the webhook consumer group: for each event, one pending delivery per
 * matching subscription of the event's owner — the partner it names, or else the partner whose
 * event started its business transaction (same `correlationid`), remembered in `wh_owners`. The rows are written in the handler's transaction,
 * which also advances the group's offset, so each event fans out exactly once even across crashes;
 * the HTTP calls happen later, in the delivery worker, so a slow receiver never holds up the log.
 */
export function webhookFanOut(options: {
  subscriptions: WebhookSubscriptions;
  owner?: EventOwner;
  clock?: Clock;
  /** Called after the deliveries committed (wakes the local worker). */
  onQueued?: () => void;
}): Handler {
  const owner = options.owner ?? defaultEventOwner;
  const clock = options.clock ?? systemClock;
  return async (event, ctx) => {
    let partnerId = owner(event);
    if (partnerId !== undefined) {
      await ctx.tx.db
        .insertInto('wh_owners')
        .values({ correlationid: event.correlationid, partner_id: partnerId, created_at: clock.now() })
        .onConflict((oc) => oc.column('correlationid').doNothing())
        .execute();
    } else {
      // An event made by a flow (shipped, invoiced) belongs to the partner that started its transaction.
      const started = await ctx.tx.db
        .selectFrom('wh_owners')
        .select('partner_id')
        .where('correlationid', '=', event.correlationid)
        .executeTakeFirst();
      partnerId = started?.partner_id;
    }
    if (partnerId === undefined) return;
    const targets = await options.subscriptions.matching(partnerId, event.type, ctx.tx);
    if (targets.length === 0) return;
    const now = clock.now();
    const payload = JSON.stringify(event);
    for (const target of targets) {
      await ctx.tx.db
        .insertInto('wh_deliveries')
        .values({
          id: `whd_${newId(now)}`,
          subscription_id: target.id,
          partner_id: partnerId,
          event_id: event.id,
          event_type: event.type,
          dedupe_key: event.id,
          payload,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          lease_owner: null,
          lease_until: null,
          last_status: null,
          last_error: null,
          replay_of: null,
          created_at: now,
          updated_at: now,
          delivered_at: null,
        })
        .onConflict((oc) => oc.columns(['subscription_id', 'dedupe_key']).doNothing())
        .execute();
    }
    if (options.onQueued) ctx.tx.afterCommit(options.onQueued);
  };
}
