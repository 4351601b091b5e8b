import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import type { SimResponse } from '../kit/http-sim.js';
import { nsError } from './errors.js';
import { RECORD_TYPES, type RecordTypeSpec } from './records.js';

export type NsRecord = Record<string, unknown> & { id: string; externalId?: string; createdDate: string; lastModifiedDate: string };
export type Outcome<T> = { ok: true; value: T } | { ok: false; response: SimResponse };

const refSchema = z.union([z.object({ id: z.union([z.string(), z.number()]) }), z.object({ externalId: z.string() })]);
const lineSchema = z.looseObject({
  item: refSchema,
  quantity: z.number().optional(),
  rate: z.number().optional(),
});
const sublistSchema = z.object({ items: z.array(z.unknown()) });
const amountSchema = z.object({ amount: z.number() });

const READ_ONLY = new Set(['id', 'links', 'createdDate', 'lastModifiedDate', 'tranId', 'total']);

const userError = (detail: string, path?: string): { ok: false; response: SimResponse } => ({
  ok: false,
  response: nsError(400, 'USER_ERROR', `Error while accessing a resource. ${detail}`, path === undefined ? {} : { 'o:errorPath': path }),
});

/** The account's records, with the checks NetSuite applies on create and update. */
export class NetSuiteStore {
  private readonly tables = new Map<string, Map<string, NsRecord>>();
  /** External id -> internal id, per record type (external ids are unique per type, and indexed). */
  private readonly externalIds = new Map<string, Map<string, string>>();
  private sequence = 100;

  constructor(private readonly clock: Clock) {}

  private table(type: string): Map<string, NsRecord> {
    let t = this.tables.get(type);
    if (!t) {
      t = new Map();
      this.tables.set(type, t);
    }
    return t;
  }

  all(type: string): NsRecord[] {
    return [...this.table(type).values()];
  }

  get(type: string, id: string): NsRecord | undefined {
    return this.table(type).get(id);
  }

  byExternalId(type: string, externalId: string): NsRecord | undefined {
    const id = this.externalIdsOf(type).get(externalId);
    return id === undefined ? undefined : this.get(type, id);
  }

  private externalIdsOf(type: string): Map<string, string> {
    let ids = this.externalIds.get(type);
    if (!ids) {
      ids = new Map();
      this.externalIds.set(type, ids);
    }
    return ids;
  }

  /** Resolves `eid:VALUE` or an internal id. */
  find(type: string, key: string): NsRecord | undefined {
    return key.startsWith('eid:') ? this.byExternalId(type, key.slice(4)) : this.get(type, key);
  }

  create(spec: RecordTypeSpec, body: Record<string, unknown>): Outcome<NsRecord> {
    const fields = this.normalise(spec, body);
    if (!fields.ok) return fields;
    const missing = spec.required.filter((f) => fields.value[f] === undefined || fields.value[f] === null || fields.value[f] === '');
    if (missing.length > 0) return userError(`Please enter value(s) for: ${missing.join(', ')}.`, missing[0]);
    const externalId = fields.value.externalId;
    if (typeof externalId === 'string' && this.byExternalId(spec.name, externalId)) {
      return userError(`A record with the external ID ${externalId} already exists.`, 'externalId');
    }
    this.sequence += 1;
    const now = this.timestamp();
    const record: NsRecord = { ...fields.value, id: String(this.sequence), createdDate: now, lastModifiedDate: now };
    if (spec.tranIdPrefix !== undefined) {
      record.tranId = `${spec.tranIdPrefix}${this.sequence}`;
      if (record.tranDate === undefined) record.tranDate = now.slice(0, 10);
    }
    this.computeTotal(record);
    this.table(spec.name).set(record.id, record);
    if (typeof record.externalId === 'string') this.externalIdsOf(spec.name).set(record.externalId, record.id);
    return { ok: true, value: record };
  }

  update(spec: RecordTypeSpec, record: NsRecord, body: Record<string, unknown>): Outcome<NsRecord> {
    const fields = this.normalise(spec, body);
    if (!fields.ok) return fields;
    const cleared = spec.required.filter((f) => f in fields.value && (fields.value[f] === null || fields.value[f] === ''));
    if (cleared.length > 0) return userError(`Please enter value(s) for: ${cleared.join(', ')}.`, cleared[0]);
    const externalId = fields.value.externalId;
    if (typeof externalId === 'string') {
      const holder = this.byExternalId(spec.name, externalId);
      if (holder && holder.id !== record.id) return userError(`A record with the external ID ${externalId} already exists.`, 'externalId');
    }
    const before = record.externalId;
    Object.assign(record, fields.value, { lastModifiedDate: this.timestamp() });
    if (before !== record.externalId) {
      const ids = this.externalIdsOf(spec.name);
      if (typeof before === 'string') ids.delete(before);
      if (typeof record.externalId === 'string') ids.set(record.externalId, record.id);
    }
    this.computeTotal(record);
    return { ok: true, value: record };
  }

  delete(type: string, id: string): boolean {
    const record = this.get(type, id);
    if (!record) return false;
    if (typeof record.externalId === 'string') this.externalIdsOf(type).delete(record.externalId);
    return this.table(type).delete(id);
  }

  dump(): Record<string, NsRecord[]> {
    return Object.fromEntries([...this.tables].map(([type, t]) => [type, [...t.values()]]));
  }

  private timestamp(): string {
    return new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private resolveRef(type: string, value: unknown, path: string): Outcome<{ id: string }> {
    const ref = refSchema.safeParse(value);
    const target = ref.success
      ? 'id' in ref.data
        ? this.get(type, String(ref.data.id))
        : this.byExternalId(type, ref.data.externalId)
      : undefined;
    if (!target) {
      const shown = ref.success ? ('id' in ref.data ? String(ref.data.id) : ref.data.externalId) : JSON.stringify(value);
      return userError(`You have entered an Invalid Field Value ${shown} for the following field: ${path.split('.').pop() ?? path}`, path);
    }
    return { ok: true, value: { id: target.id } };
  }

  private normalise(spec: RecordTypeSpec, body: Record<string, unknown>): Outcome<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      if (READ_ONLY.has(key)) continue;
      const refType = spec.references[key];
      if (refType !== undefined && value !== null) {
        const ref = this.resolveRef(refType, value, key);
        if (!ref.ok) return ref;
        out[key] = ref.value;
        continue;
      }
      if (key === 'item' && spec.itemSublist && value !== null) {
        const sublist = sublistSchema.safeParse(value);
        if (!sublist.success) return userError('Invalid sublist value: item.items must be an array.', 'item');
        const lines: Array<Record<string, unknown>> = [];
        for (const [index, raw] of sublist.data.items.entries()) {
          const line = lineSchema.safeParse(raw);
          if (!line.success) return userError('Please enter value(s) for: Item.', `item.items[${index}].item`);
          const item = this.resolveRef('inventoryItem', line.data.item, `item.items[${index}].item`);
          if (!item.ok) return item;
          const quantity = line.data.quantity ?? 1;
          const rate = line.data.rate ?? 0;
          lines.push({ ...line.data, line: index + 1, item: item.value, quantity, rate, amount: Math.round(quantity * rate * 100) / 100 });
        }
        out.item = { items: lines };
        continue;
      }
      out[key] = value;
    }
    return { ok: true, value: out };
  }

  private computeTotal(record: NsRecord): void {
    const lines = sublistSchema.safeParse(record.item);
    if (!lines.success) return;
    const amounts = lines.data.items.map((l) => amountSchema.safeParse(l)).map((p) => (p.success ? p.data.amount : 0));
    record.total = Math.round(amounts.reduce((a, b) => a + b, 0) * 100) / 100;
  }
}

export const recordTypes = (): RecordTypeSpec[] => Object.values(RECORD_TYPES);
