import { z } from 'zod';
import { defineEventType, EventCatalog, makeEvent } from '../../canonical/index.js';

/** Event types used by the event log's own tests, crash test and benchmark. */
export const testHappened = defineEventType({
  type: 'crossdock.test.happened.v1',
  description: 'A numbered event for a key, used by the event log tests.',
  schema: z.object({ key: z.string().min(1), seq: z.number().int().nonnegative(), payload: z.string().optional() }).strict(),
});

export const testOther = defineEventType({
  type: 'crossdock.test.other.v1',
  description: 'A second type, to test type filters.',
  schema: z.object({ note: z.string() }).strict(),
});

export function testCatalog(): EventCatalog {
  return new EventCatalog([testHappened, testOther]);
}

export function happened(key: string, seq: number, extra: { id?: string; payload?: string } = {}) {
  return makeEvent({
    type: testHappened.type,
    source: 'crossdock://test',
    subject: `thing/${key}`,
    partitionkey: key,
    data: { key, seq, ...(extra.payload !== undefined ? { payload: extra.payload } : {}) },
    ...(extra.id !== undefined ? { id: extra.id } : {}),
  });
}
