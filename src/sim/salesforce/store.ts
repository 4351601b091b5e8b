import type { Clock } from '../../kernel/index.js';
import type { SimResponse } from '../kit/http-sim.js';
import { sfError } from './errors.js';
import { idChecksum, isRecordId, recordId } from './ids.js';
import { describeOf, fieldName, type SObjectDescribe } from './objects.js';

export type SfRecord = Record<string, unknown> & { Id: string };
export type Outcome<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

const READ_ONLY = new Set([
  'Id',
  'CreatedDate',
  'LastModifiedDate',
  'SystemModstamp',
  'IsDeleted',
  'OrderNumber',
  'CaseNumber',
  'TotalAmount',
]);

const fail = (response: SimResponse): { ok: false; response: SimResponse } => ({ ok: false, response });

/** Salesforce timestamps: ISO 8601 with milliseconds and a `+0000` offset. */
export const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

function addTo(index: Map<string, Set<string>>, record: SfRecord, field: string): void {
  const value = record[field];
  if (value === undefined || value === null) return;
  const key = String(value);
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(record.Id);
}

/** The org's records, with the validation Salesforce applies on insert and update. */
export class SalesforceStore {
  private records = new Map<string, Map<string, SfRecord>>();
  private sequence = 1000;
  private autoNumber = 1000;
  /**
   * While an all-or-none request runs: the first-seen version of each record it touched (undefined
   * for one it created), so that a rollback costs what the request wrote, not the size of the org.
   */
  private undo: Array<{ type: string; id: string; before: SfRecord | undefined }> | undefined;
  private readonly touched = new Set<string>();
  /**
   * Lookup indexes, built on the first `findBy` of a (type, field) and kept up to date by every
   * write: field value -> record ids. Salesforce indexes external-id fields; an upsert must not scan
   * the whole object.
   */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();

  private remember(type: string, id: string, before: SfRecord | undefined): void {
    if (!this.undo || this.touched.has(`${type}/${id}`)) return;
    this.touched.add(`${type}/${id}`);
    this.undo.push({ type, id, before: before === undefined ? undefined : structuredClone(before) });
  }

  constructor(private readonly clock: Clock) {}

  private table(type: string): Map<string, SfRecord> {
    let table = this.records.get(type);
    if (!table) {
      table = new Map();
      this.records.set(type, table);
    }
    return table;
  }

  all(type: string): SfRecord[] {
    return [...this.table(type).values()];
  }

  get(type: string, id: string): SfRecord | undefined {
    return this.table(type).get(id.length === 15 ? id + idChecksum(id) : id);
  }

  findBy(type: string, field: string, value: string): SfRecord[] {
    const ids = this.index(type, field).get(value);
    if (ids === undefined || ids.size === 0) return [];
    const table = this.table(type);
    if (ids.size === 1) {
      const only = table.get(ids.values().next().value ?? '');
      return only ? [only] : [];
    }
    // Several: in the order the records were created, as a scan would list them.
    return [...table.values()].filter((r) => ids.has(r.Id));
  }

  private index(type: string, field: string): Map<string, Set<string>> {
    let byField = this.indexes.get(type);
    if (!byField) {
      byField = new Map();
      this.indexes.set(type, byField);
    }
    let index = byField.get(field);
    if (!index) {
      index = new Map();
      byField.set(field, index);
      for (const record of this.table(type).values()) addTo(index, record, field);
    }
    return index;
  }

  private indexRecord(type: string, record: SfRecord): void {
    for (const [field, index] of this.indexes.get(type) ?? []) addTo(index, record, field);
  }

  private unindexRecord(type: string, record: SfRecord): void {
    for (const [field, index] of this.indexes.get(type) ?? []) {
      const value = record[field];
      if (value !== undefined && value !== null) index.get(String(value))?.delete(record.Id);
    }
  }

  create(describe: SObjectDescribe, input: Record<string, unknown>): Outcome<SfRecord> {
    const fields = this.normalise(describe, input);
    if (!fields.ok) return fields;
    const values = { ...describe.defaults, ...fields.value };
    const missing = describe.required.filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
    if (missing.length > 0)
      return fail(sfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing));
    this.sequence += 1;
    const now = sfDateTime(this.clock.now());
    const record: SfRecord = {
      ...values,
      Id: recordId(describe.keyPrefix, this.sequence),
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      IsDeleted: false,
    };
    if (describe.name === 'Order') record.OrderNumber = String(++this.autoNumber).padStart(8, '0');
    if (describe.name === 'Case') record.CaseNumber = String(++this.autoNumber).padStart(8, '0');
    this.remember(describe.name, record.Id, undefined);
    this.table(describe.name).set(record.Id, record);
    this.indexRecord(describe.name, record);
    return { ok: true, value: record };
  }

  update(describe: SObjectDescribe, id: string, input: Record<string, unknown>): Outcome<SfRecord> {
    const existing = this.get(describe.name, id);
    if (!existing) return fail(sfError(404, 'NOT_FOUND', 'The requested resource does not exist'));
    const fields = this.normalise(describe, input);
    if (!fields.ok) return fields;
    const cleared = describe.required.filter((f) => f in fields.value && (fields.value[f] === null || fields.value[f] === ''));
    if (cleared.length > 0)
      return fail(sfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${cleared.join(', ')}]`, cleared));
    const now = sfDateTime(this.clock.now());
    this.remember(describe.name, existing.Id, existing);
    this.unindexRecord(describe.name, existing);
    Object.assign(existing, fields.value, { LastModifiedDate: now, SystemModstamp: now });
    this.indexRecord(describe.name, existing);
    return { ok: true, value: existing };
  }

  delete(type: string, id: string): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    this.remember(type, record.Id, record);
    this.unindexRecord(type, record);
    return this.table(type).delete(record.Id);
  }

  /**
   * Starts recording what the next writes change, for an all-or-none request: `restore` puts every
   * record it touched back as it was, `keep` ends the recording. One request at a time (the
   * simulator handles a request synchronously).
   */
  snapshot(): { restore: () => void; keep: () => void } {
    const undo: Array<{ type: string; id: string; before: SfRecord | undefined }> = [];
    this.undo = undo;
    this.touched.clear();
    const { sequence, autoNumber } = this;
    const keep = () => {
      if (this.undo === undo) this.undo = undefined;
      this.touched.clear();
    };
    return {
      restore: () => {
        keep();
        for (let i = undo.length - 1; i >= 0; i--) {
          const entry = undo[i];
          if (!entry) continue;
          const current = this.table(entry.type).get(entry.id);
          if (current) this.unindexRecord(entry.type, current);
          if (entry.before === undefined) this.table(entry.type).delete(entry.id);
          else {
            this.table(entry.type).set(entry.id, entry.before);
            this.indexRecord(entry.type, entry.before);
          }
        }
        this.sequence = sequence;
        this.autoNumber = autoNumber;
      },
      keep,
    };
  }

  dump(): Record<string, SfRecord[]> {
    return Object.fromEntries([...this.records].map(([type, table]) => [type, [...table.values()]]));
  }

  /** Maps body keys to declared field names and checks lookups, as Salesforce does before any write. */
  private normalise(describe: SObjectDescribe, input: Record<string, unknown>): Outcome<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes') continue;
      const name = fieldName(describe, key);
      if (name === undefined) return fail(sfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${describe.name}`));
      if (READ_ONLY.has(name)) {
        return fail(
          sfError(
            400,
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to create/update fields: ${name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [name],
          ),
        );
      }
      const target = describe.lookups[name];
      if (target !== undefined && value !== null && value !== '') {
        const targetDescribe = describeOf(target);
        const id = typeof value === 'string' ? value : '';
        if (!targetDescribe || !isRecordId(id) || !id.startsWith(targetDescribe.keyPrefix)) {
          return fail(sfError(400, 'MALFORMED_ID', `${target} ID: id value of incorrect type: ${String(value)}`, [name]));
        }
        const referenced = this.get(target, id);
        if (!referenced) return fail(sfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [name]));
        out[name] = referenced.Id;
        continue;
      }
      out[name] = value;
    }
    return { ok: true, value: out };
  }
}
