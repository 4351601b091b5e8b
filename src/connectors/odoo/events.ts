import { z } from 'zod';
import { defineEventType } from '../../canonical/index.js';

/** An Odoo record changed: consumers re-read what they need. */
export const OdooRecordChangedData = z.strictObject({
  model: z.string().min(1),
  id: z.string().min(1),
  name: z.string().optional(),
  /** `write_date` as ISO 8601 UTC. */
  writeDate: z.string().min(1),
});
export type OdooRecordChanged = z.infer<typeof OdooRecordChangedData>;

export const odooRecordChangedEvent = defineEventType({
  type: 'crossdock.odoo.record.changed.v1',
  schema: OdooRecordChangedData,
  description: 'An Odoo record was created or written (write_date polling).',
});
