import { z } from 'zod';

/** The master-data object kinds the cross-reference keeps. */
export const ObjectKind = z.enum(['customer', 'supplier', 'item', 'location']);
export type ObjectKind = z.infer<typeof ObjectKind>;

/**
 * Who owns each object kind. The system of record's writes replace the canonical record; other
 * systems may only add cross-references (their ids) unless `acceptFrom` names them too.
 * `createIn`: the system a flow may create an unknown object in (e.g. a web customer in the ERP).
 */
export const SystemOfRecordRule = z.strictObject({
  system: z.string().min(1),
  acceptFrom: z.array(z.string().min(1)).default([]),
  createIn: z.string().min(1).optional(),
  /** May a flow create an object of this kind when it is unknown? */
  createUnknown: z.boolean().default(false),
});
export type SystemOfRecordRule = z.infer<typeof SystemOfRecordRule>;

export const SystemOfRecordRules = z.partialRecord(ObjectKind, SystemOfRecordRule);
export type SystemOfRecordRules = z.infer<typeof SystemOfRecordRules>;
export type SystemOfRecordRulesInput = z.input<typeof SystemOfRecordRules>;

/** Defaults for a distributor whose ERP owns customers, suppliers and items. */
export function defaultRules(erp: string): SystemOfRecordRules {
  return SystemOfRecordRules.parse({
    customer: { system: erp, createIn: erp, createUnknown: true },
    supplier: { system: erp },
    item: { system: erp },
    location: { system: erp },
  });
}
