/**
 * The sObjects the simulator serves. Each lists the standard fields it accepts (custom `__c` fields are
 * always accepted), the fields required on create, lookups that must point at an existing record, and
 * the fields flagged External ID (upsert and SOQL filter on them).
 */
export interface SObjectDescribe {
  readonly name: string;
  readonly keyPrefix: string;
  readonly fields: readonly string[];
  readonly required: readonly string[];
  readonly lookups: Readonly<Record<string, string>>;
  readonly externalIds: readonly string[];
  readonly defaults: Readonly<Record<string, unknown>>;
}

const SYSTEM_FIELDS = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'IsDeleted', 'OwnerId'];
const ADDRESS = (prefix: string) => ['Street', 'City', 'State', 'PostalCode', 'Country'].map((f) => prefix + f);

export const SOBJECTS: Record<string, SObjectDescribe> = {
  Account: {
    name: 'Account',
    keyPrefix: '001',
    fields: [
      ...SYSTEM_FIELDS,
      'Name',
      'AccountNumber',
      'Type',
      'Industry',
      'Phone',
      'Website',
      'Description',
      'ParentId',
      ...ADDRESS('Billing'),
      ...ADDRESS('Shipping'),
    ],
    required: ['Name'],
    lookups: { ParentId: 'Account' },
    externalIds: ['External_Id__c', 'ExtId__c'],
    defaults: {},
  },
  Contact: {
    name: 'Contact',
    keyPrefix: '003',
    fields: [...SYSTEM_FIELDS, 'FirstName', 'LastName', 'Email', 'Phone', 'Title', 'AccountId', ...ADDRESS('Mailing')],
    required: ['LastName'],
    lookups: { AccountId: 'Account' },
    externalIds: ['External_Id__c', 'ExtId__c'],
    defaults: {},
  },
  Order: {
    name: 'Order',
    keyPrefix: '801',
    fields: [
      ...SYSTEM_FIELDS,
      'AccountId',
      'EffectiveDate',
      'Status',
      'OrderNumber',
      'PoNumber',
      'Description',
      'TotalAmount',
      ...ADDRESS('Shipping'),
    ],
    required: ['AccountId', 'EffectiveDate', 'Status'],
    lookups: { AccountId: 'Account' },
    externalIds: ['External_Id__c', 'ExtId__c'],
    defaults: {},
  },
  Case: {
    name: 'Case',
    keyPrefix: '500',
    fields: [...SYSTEM_FIELDS, 'Subject', 'Description', 'Status', 'Origin', 'Priority', 'AccountId', 'ContactId', 'CaseNumber'],
    required: [],
    lookups: { AccountId: 'Account', ContactId: 'Contact' },
    externalIds: ['External_Id__c', 'ExtId__c'],
    defaults: { Status: 'New', Priority: 'Medium' },
  },
};

/** Salesforce matches object and field names case-insensitively; this returns the declared spelling. */
export function describeOf(type: string): SObjectDescribe | undefined {
  const key = Object.keys(SOBJECTS).find((k) => k.toLowerCase() === type.toLowerCase());
  return key === undefined ? undefined : SOBJECTS[key];
}

export function fieldName(describe: SObjectDescribe, field: string): string | undefined {
  const lower = field.toLowerCase();
  if (lower.endsWith('__c') && /^[a-z][a-z0-9_]*__c$/.test(lower)) {
    return describe.externalIds.find((f) => f.toLowerCase() === lower) ?? field;
  }
  return describe.fields.find((f) => f.toLowerCase() === lower);
}
