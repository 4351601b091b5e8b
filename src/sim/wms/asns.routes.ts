import type { SimRequest, SimResponse } from '../kit/http-sim.js';
import { readBody } from './body.js';
import { wmsError } from './errors.js';
import { createAsnSchema, createWebhookSchema } from './model.js';
import { conflictResponse } from './orders.routes.js';
import { WmsConflict, type WmsStore } from './store.js';

/** POST /v1/asns — an expected receipt; a reference already used answers 409 with the existing id. */
export function createAsnRoute(req: SimRequest, store: WmsStore): SimResponse {
  const input = readBody(req, createAsnSchema);
  if (!input.ok) return input.response;
  try {
    const asn = store.createAsn(input.value);
    return { status: 201, headers: { location: `/v1/asns/${asn.id}` }, body: asn };
  } catch (err) {
    if (err instanceof WmsConflict) return conflictResponse(err);
    throw err;
  }
}

export function getAsnRoute(id: string, store: WmsStore): SimResponse {
  const asn = store.asns.get(id);
  return asn ? { status: 200, body: asn } : wmsError(404, 'not_found', `ASN ${id} was not found.`);
}

export function listAsnsRoute(req: SimRequest, store: WmsStore): SimResponse {
  const reference = req.query.get('reference');
  const data = [...store.asns.values()].filter((a) => reference === null || a.reference === reference);
  return { status: 200, body: { data, next_cursor: null } };
}

/** POST /v1/webhooks — registers an endpoint; the response carries the account's signing secret. */
export function createWebhookRoute(req: SimRequest, store: WmsStore, secret: string): SimResponse {
  const input = readBody(req, createWebhookSchema);
  if (!input.ok) return input.response;
  const endpoint = store.addWebhookEndpoint(input.value.url, input.value.events);
  return { status: 201, body: { ...endpoint, signing_secret: secret } };
}

export function listWebhooksRoute(store: WmsStore): SimResponse {
  return { status: 200, body: { data: [...store.webhookEndpoints.values()], next_cursor: null } };
}
