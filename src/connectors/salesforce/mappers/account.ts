import { type Customer, type CustomerInput, CustomerV1 } from '../../../canonical/index.js';
import { addressFrom, addressTo, extFields, leftovers, SALESFORCE, type SObject, str } from './fields.js';

/**
 * Account ↔ Customer (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_account.htm).
 * The external-id field carries the crossdock id; an Account without one gets `salesforce-<Id>`.
 */
export function customerFromAccount(account: SObject, externalIdField: string): Customer {
  const placed = new Set<string>(['Id', externalIdField]);
  const take = (field: string) => {
    const v = str(account[field]);
    if (v !== undefined) placed.add(field);
    return v;
  };
  const sfId = str(account.Id);
  const name = take('Name') ?? '(no name)';
  const billTo = addressFrom(account, 'Billing', placed);
  const shipping = addressFrom(account, 'Shipping', placed);
  const input: CustomerInput = {
    id: str(account[externalIdField]) ?? `salesforce-${sfId ?? 'new'}`,
    refs: sfId ? { [SALESFORCE]: sfId } : {},
    name,
    ...(take('AccountNumber') !== undefined ? { customerNumber: str(account.AccountNumber) } : {}),
    ...(take('Phone') !== undefined ? { phone: str(account.Phone) } : {}),
    ...(take('Description') !== undefined ? { notes: str(account.Description) } : {}),
    ...(billTo ? { billTo } : {}),
    shipTos: shipping ? [{ code: 'shipping', address: shipping, isDefault: true }] : [],
  };
  const rest = leftovers(account, placed);
  if (Object.keys(rest).length > 0) input.ext = { [SALESFORCE]: { fields: rest } };
  return CustomerV1.parse(input);
}

/** The Account for a Customer: mapped fields, then vendor fields kept in ext (they win: they came from Salesforce). */
export function accountFromCustomer(customer: Customer, externalIdField: string): SObject {
  const shipTo = customer.shipTos.find((s) => s.isDefault) ?? customer.shipTos[0];
  const out: SObject = {
    [externalIdField]: customer.id,
    Name: customer.name,
    ...(customer.customerNumber ? { AccountNumber: customer.customerNumber } : {}),
    ...(customer.phone ? { Phone: customer.phone } : {}),
    ...(customer.notes ? { Description: customer.notes } : {}),
    ...addressTo(customer.billTo, 'Billing'),
    ...addressTo(shipTo?.address, 'Shipping'),
    ...extFields(customer.ext),
  };
  const sfId = customer.refs[SALESFORCE];
  if (sfId) out.Id = sfId;
  return out;
}
