import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import {
  AdvanceShipNoticeV1,
  CaseV1,
  CreditMemoV1,
  CustomerV1,
  InventoryPositionV1,
  InvoiceV1,
  ItemV1,
  LocationV1,
  OrderAcknowledgementV1,
  PriceListV1,
  PurchaseOrderV1,
  ReceiptV1,
  ReturnAuthorizationV1,
  SalesOrderV1,
  ShipmentV1,
  SupplierV1,
} from './objects/index.js';

/** Every canonical object schema of major version 1, by schema id. */
export const canonicalSchemaMap = {
  'item.v1': ItemV1,
  'customer.v1': CustomerV1,
  'supplier.v1': SupplierV1,
  'location.v1': LocationV1,
  'pricelist.v1': PriceListV1,
  'inventoryposition.v1': InventoryPositionV1,
  'salesorder.v1': SalesOrderV1,
  'purchaseorder.v1': PurchaseOrderV1,
  'orderacknowledgement.v1': OrderAcknowledgementV1,
  'advanceshipnotice.v1': AdvanceShipNoticeV1,
  'shipment.v1': ShipmentV1,
  'receipt.v1': ReceiptV1,
  'invoice.v1': InvoiceV1,
  'returnauthorization.v1': ReturnAuthorizationV1,
  'creditmemo.v1': CreditMemoV1,
  'case.v1': CaseV1,
} as const;

export type CanonicalSchemaId = keyof typeof canonicalSchemaMap;
/** The parsed (output) type of a canonical object, e.g. `CanonicalObject<'salesorder.v1'>`. */
export type CanonicalObject<K extends CanonicalSchemaId> = z.output<(typeof canonicalSchemaMap)[K]>;
/** What a producer may hand to the parser: defaults (`refs`, `ext`, statuses, lists) may be left out. */
export type CanonicalInput<K extends CanonicalSchemaId> = z.input<(typeof canonicalSchemaMap)[K]>;

export interface CanonicalSchemaEntry {
  readonly id: CanonicalSchemaId;
  readonly schema: z.ZodType;
}

export const canonicalSchemaIds: readonly CanonicalSchemaId[] = Object.keys(canonicalSchemaMap).filter(isCanonicalSchemaId);

export const canonicalSchemas: readonly CanonicalSchemaEntry[] = canonicalSchemaIds.map((id) => ({ id, schema: canonicalSchemaMap[id] }));

export function isCanonicalSchemaId(id: string): id is CanonicalSchemaId {
  return Object.hasOwn(canonicalSchemaMap, id);
}

export const ENVELOPE_SCHEMA_ID = 'envelope.v1';

/** The `$id` of a schema document; the envelope's `dataschema` uses the same URN scheme. */
export function schemaUri(id: string): string {
  return `urn:crossdock:schema:${id}`;
}

export type JsonSchemaDocument = Record<string, unknown>;

/**
 * JSON Schema (draft 2020-12) of what `schema` accepts as input: defaults make a field optional, exactly
 * as `parse` treats it. Refinements (GTIN check digits, "at least one identifier") are not expressible
 * and are left out, so the JSON Schema is slightly wider than the zod schema.
 */
export function toJsonSchema(id: string, schema: z.ZodType): JsonSchemaDocument {
  const { $schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return { $schema, $id: schemaUri(id), ...rest };
}

export interface SchemaFile {
  readonly id: string;
  readonly fileName: string;
  readonly schema: JsonSchemaDocument;
}

/** The canonical objects' JSON Schemas plus the event envelope's, one document each. */
export function jsonSchemaFiles(): SchemaFile[] {
  const objects = canonicalSchemas.map(({ id, schema }) => ({ id, fileName: `${id}.schema.json`, schema: toJsonSchema(id, schema) }));
  const envelope = {
    id: ENVELOPE_SCHEMA_ID,
    fileName: `${ENVELOPE_SCHEMA_ID}.schema.json`,
    schema: toJsonSchema(ENVELOPE_SCHEMA_ID, envelopeSchema.meta({ title: 'CloudEvents 1.0 envelope (crossdock)' })),
  };
  return [...objects, envelope];
}

export function serializeSchema(schema: JsonSchemaDocument): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Writes one `<id>.schema.json` per canonical object and the envelope into `dir`; returns the paths written. */
export async function exportJsonSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const file of jsonSchemaFiles()) {
    const path = join(dir, file.fileName);
    await writeFile(path, serializeSchema(file.schema), 'utf8');
    written.push(path);
  }
  return written;
}
