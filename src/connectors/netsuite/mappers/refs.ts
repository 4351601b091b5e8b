import type { DocumentRef, ItemRef, PartyRef } from '../../../canonical/index.js';
import { ConnectorErrors } from '../../sdk/index.js';

/** The connector's key in canonical `refs` and `ext`. */
export const NETSUITE = 'netsuite';

export type NsRef = { id: string } | { externalId: string };

/**
 * A NetSuite reference (`{id}` or `{externalId}`) for a canonical one: the NetSuite internal id when known,
 * else the crossdock id, which is the external id crossdock gave the record when it created it.
 */
export function recordRef(ref: PartyRef | DocumentRef | undefined, path: string): NsRef {
  const internal = ref?.refs?.[NETSUITE];
  if (internal) return { id: internal };
  if (ref?.id) return { externalId: ref.id };
  throw ConnectorErrors.mapping(`${path}: needs refs.netsuite or the crossdock id NetSuite knows as externalId`, { path });
}

/** Items are keyed by internal id, else by external id = crossdock item id, else SKU. */
export function itemRef(item: ItemRef, path: string): NsRef {
  const internal = item.refs?.[NETSUITE];
  if (internal) return { id: internal };
  const key = item.id ?? item.sku;
  if (key) return { externalId: key };
  throw ConnectorErrors.mapping(`${path}: an item needs refs.netsuite, an id or a sku`, { path });
}

/** NetSuite numbers are JSON numbers; canonical decimals are strings (checked by their schema). */
export const num = (value: string): number => Number(value);

export const dateOf = (timestamp: string): string => timestamp.slice(0, 10);
