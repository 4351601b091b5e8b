import { z } from 'zod';
import { type InventoryPosition, InventoryPositionV1 } from '../../../canonical/index.js';
import { ConnectorErrors, defineOperation } from '../../sdk/index.js';
import type { ShopifyCredentials } from '../credentials.js';
import { SHOPIFY } from '../mappers/order.js';
import type { ShopifySettings } from '../settings.js';
import { fromGid, graphql, type ShopifyContext, throwUserErrors, toGid, userErrorSchema } from '../transport.js';

/** The ref key naming a Shopify InventoryItem on an ItemRef (refs.shopify on an item is the variant). */
export const INVENTORY_ITEM_REF = 'shopify/inventory-item';

export const inventorySetInput = z.object({
  entries: z
    .array(
      z.object({
        position: InventoryPositionV1,
        /** What the caller believes Shopify holds now (compare-and-set); required unless ignoreCompareQuantity. */
        compareQuantity: z.number().int().optional(),
      }),
    )
    .min(1)
    .max(250),
  /** `available` takes the position's reportedAvailable (what a channel may sell); `on_hand` its onHand. */
  quantityName: z.enum(['available', 'on_hand']).default('available'),
  /** One of Shopify's reasons (correction, cycle_count_available, received, …); the settings' default otherwise. */
  reason: z.string().min(1).optional(),
  referenceDocumentUri: z.string().min(1).optional(),
  ignoreCompareQuantity: z.boolean().default(false),
});

export interface InventorySetResult {
  adjustmentGroupId: string;
  changes: Array<{ name: string; delta: number; quantityAfterChange: number | null }>;
}

// inventoryItems(first: 1) { nodes { id } } = 2 + 1 × 1
const ITEM_QUERY = `query Item($q: String!) { inventoryItems(first: 1, query: $q) { nodes { id } } }`;
const itemSchema = z.object({ inventoryItems: z.object({ nodes: z.array(z.object({ id: z.string() })) }) });

const SET_MUTATION = `mutation Set($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
    userErrors { field message code }
  }
}`;
const setSchema = z.object({
  inventorySetQuantities: z.object({
    inventoryAdjustmentGroup: z
      .object({
        id: z.string(),
        changes: z.array(z.object({ name: z.string(), delta: z.number(), quantityAfterChange: z.number().nullable() })),
      })
      .nullable(),
    userErrors: z.array(userErrorSchema),
  }),
});

function wholeUnits(value: string, path: string): number {
  if (!/^-?\d+$/.test(value)) throw ConnectorErrors.mapping(`${path}: Shopify counts whole units, got ${value}`, { path });
  return Number(value);
}

async function inventoryItemId(ctx: ShopifyContext, position: InventoryPosition, path: string): Promise<string> {
  const ref = position.item.refs?.[INVENTORY_ITEM_REF];
  if (ref) return toGid('InventoryItem', ref);
  const sku = position.item.sku;
  if (!sku) throw ConnectorErrors.mapping(`${path}.item: needs a sku or refs['${INVENTORY_ITEM_REF}']`, { path: `${path}.item` });
  const found = await graphql(ctx, {
    query: ITEM_QUERY,
    variables: { q: `sku:${JSON.stringify(sku)}` },
    cost: 3,
    operation: 'inventory.resolve',
    schema: itemSchema,
  });
  const id = found.inventoryItems.nodes[0]?.id;
  if (!id) throw ConnectorErrors.notFound(`Shopify has no inventory item with SKU ${sku}`, { path: `${path}.item.sku` });
  return id;
}

/**
 * Sets absolute quantities in Shopify (`inventorySetQuantities`, 2025-01) from canonical positions.
 * Compare-and-set by default: Shopify refuses a quantity whose compareQuantity is stale
 * (COMPARE_QUANTITY_STALE), which surfaces as CD_ERR_CONNECTOR_REJECTED with Shopify's message.
 */
export const inventorySet = defineOperation<ShopifySettings, ShopifyCredentials, z.infer<typeof inventorySetInput>, InventorySetResult>({
  name: 'inventory.set',
  description: 'Sets available or on-hand quantities per item and location in Shopify, with compare-and-set.',
  input: inventorySetInput,
  async run(ctx: ShopifyContext, input) {
    const quantities = [];
    for (const [i, entry] of input.entries.entries()) {
      const path = `entries.${i}.position`;
      const { position } = entry;
      const source = input.quantityName === 'on_hand' ? position.onHand : position.reportedAvailable;
      if (!source)
        throw ConnectorErrors.mapping(`${path}.reportedAvailable: needed to set available`, { path: `${path}.reportedAvailable` });
      const location = position.location.refs?.[SHOPIFY] ?? ctx.settings.defaultLocationId;
      if (!location)
        throw ConnectorErrors.mapping(`${path}.location: no refs.shopify and no defaultLocationId`, { path: `${path}.location` });
      quantities.push({
        inventoryItemId: await inventoryItemId(ctx, position, path),
        locationId: toGid('Location', location),
        quantity: wholeUnits(source.value, `${path}.${input.quantityName === 'on_hand' ? 'onHand' : 'reportedAvailable'}.value`),
        ...(entry.compareQuantity !== undefined ? { compareQuantity: entry.compareQuantity } : {}),
      });
    }
    const answer = await graphql(ctx, {
      query: SET_MUTATION,
      variables: {
        input: {
          name: input.quantityName,
          reason: input.reason ?? ctx.settings.inventoryReason,
          ...(input.referenceDocumentUri ? { referenceDocumentUri: input.referenceDocumentUri } : {}),
          ignoreCompareQuantity: input.ignoreCompareQuantity,
          quantities,
        },
      },
      cost: 10,
      operation: 'inventory.set',
      schema: setSchema,
      // An absolute set without compare lands on the same numbers however often it is sent.
      idempotent: input.ignoreCompareQuantity,
    });
    throwUserErrors('inventorySetQuantities', answer.inventorySetQuantities.userErrors);
    const group = answer.inventorySetQuantities.inventoryAdjustmentGroup;
    if (!group) throw ConnectorErrors.rejected('Shopify inventorySetQuantities returned no adjustment group');
    return { adjustmentGroupId: fromGid(group.id), changes: group.changes };
  },
});
