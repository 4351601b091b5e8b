import { createHmac } from 'node:crypto';
import { type Clock, newId } from '../../kernel/index.js';
import type { OutboundWebhook } from '../kit/webhook-dispatcher.js';
import type { WebhookEndpoint } from './model.js';
import type { WmsEvent } from './store.js';

/** Hex HMAC-SHA256 over `${timestamp}.${body}` — the signed payload of X-WMS-Signature. */
export function signWmsPayload(timestamp: number, body: string, secret: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * One delivery per endpoint subscribed to the event. The event id (body `id`, header X-WMS-Event-Id)
 * is the dedupe key and stays the same across retries and duplicates; the signature is recomputed on
 * each attempt with the send time, so a receiver can reject stale replays by `t`.
 */
export function wmsWebhooksFor(event: WmsEvent, endpoints: Iterable<WebhookEndpoint>, secret: string, clock: Clock): OutboundWebhook[] {
  const eventId = `evt_${newId(clock.now())}`;
  const body = JSON.stringify({ id: eventId, type: event.type, created_at: new Date(clock.now()).toISOString(), data: event.data });
  const out: OutboundWebhook[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.events !== null && !endpoint.events.includes(event.type)) continue;
    out.push({
      id: eventId,
      topic: event.type,
      url: endpoint.url,
      body,
      headers: () => {
        const t = Math.floor(clock.now() / 1000);
        return {
          'X-WMS-Event-Id': eventId,
          'X-WMS-Event-Type': event.type,
          'X-WMS-Signature': `t=${t},v1=${signWmsPayload(t, body, secret)}`,
        };
      },
    });
  }
  return out;
}
