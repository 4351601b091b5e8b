import type { Customer } from '../../../canonical/index.js';
import type { NsBody } from '../records.js';
import { NETSUITE } from './refs.js';

/** The customer record for a Customer (NetSuite REST API Browser: customer). */
export function customerRecord(customer: Customer): NsBody {
  const bill = customer.billTo;
  return {
    companyName: customer.name,
    isPerson: customer.type === 'consumer',
    ...(customer.customerNumber ? { entityId: customer.customerNumber } : {}),
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.phone ? { phone: customer.phone } : {}),
    ...(customer.creditLimit ? { creditLimit: Number(customer.creditLimit.amount) } : {}),
    ...(customer.notes ? { comments: customer.notes } : {}),
    ...(bill
      ? {
          defaultAddress: [bill.line1, bill.line2, [bill.city, bill.region, bill.postalCode].filter(Boolean).join(' '), bill.country]
            .filter(Boolean)
            .join('\n'),
        }
      : {}),
    ...recordExt(customer.ext),
  };
}

/** Fields kept under `ext.netsuite.fields` are sent as they are (custom fields `custentity_…`, `subsidiary`). */
export function recordExt(ext: Record<string, unknown>): NsBody {
  const kept = ext[NETSUITE];
  if (kept === null || typeof kept !== 'object' || !('fields' in kept)) return {};
  const fields = kept.fields;
  return fields !== null && typeof fields === 'object' && !Array.isArray(fields) ? { ...fields } : {};
}
