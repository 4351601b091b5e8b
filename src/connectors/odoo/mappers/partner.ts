import type { Address, Customer, Supplier } from '../../../canonical/index.js';

export type OdooVals = Record<string, unknown>;

function addressVals(address: Address | undefined): OdooVals {
  if (!address) return {};
  const street = [address.line1, address.line2].filter(Boolean).join(', ');
  return {
    ...(street ? { street } : {}),
    ...(address.city ? { city: address.city } : {}),
    ...(address.postalCode ? { zip: address.postalCode } : {}),
  };
}

/** res.partner values for a Customer or Supplier; `ref` carries the crossdock id (https://www.odoo.com/documentation/17.0/developer/reference/backend/orm.html). */
export function partnerVals(party: { kind: 'customer'; customer: Customer } | { kind: 'supplier'; supplier: Supplier }): OdooVals {
  const p = party.kind === 'customer' ? party.customer : party.supplier;
  const address = party.kind === 'customer' ? party.customer.billTo : party.supplier.address;
  const vat = p.taxIds.find((t) => t.type === 'vat' || t.type === 'ein' || t.type === 'tin')?.value;
  return {
    name: p.name,
    ref: p.id,
    is_company: party.kind === 'supplier' || party.customer.type === 'business',
    ...(p.email ? { email: p.email } : {}),
    ...(p.phone ? { phone: p.phone } : {}),
    ...(vat ? { vat } : {}),
    ...addressVals(address),
    ...(party.kind === 'customer' ? { customer_rank: 1 } : { supplier_rank: 1 }),
  };
}
