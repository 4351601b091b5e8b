import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanonicalEventCatalog } from '../../canonical/index.js';
import { SqlEventLog } from '../../eventlog/index.js';
import { silentLogger } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { Availability } from './availability.js';
import { availabilityEventTypes } from './events.js';
import { adjusted, movement, testConfig } from './testing/fixtures.js';

describe('availability as an event-log consumer', () => {
  const store = SqliteStore.open({ file: ':memory:' });
  let log: SqlEventLog;
  let av: Availability;

  beforeAll(async () => {
    await store.migrate();
    av = await Availability.open({ store, policies: testConfig });
    log = new SqlEventLog({
      store,
      catalog: createCanonicalEventCatalog(availabilityEventTypes),
      logger: silentLogger(),
      pollIntervalMs: 10,
    });
    await log.ensureTopic('inventory', 2);
    log.subscribe(av.subscription('inventory'));
    await log.start();
  });
  afterAll(async () => {
    await log.stop();
    await store.close();
  });

  it('applies published inventory events to the ledger and the read model, once each', async () => {
    const receipt = movement('receipt', 'EV-1', 'DAL', 12);
    await log.publish('inventory', [receipt, adjusted('EV-1', 'DAL', -2)]);
    await log.drain({ timeoutMs: 5000 });
    expect(av.position('EV-1', 'DAL')?.onHand).toBe(10);
    expect(av.get({ items: ['EV-1'], channel: 'b2b' }).items[0]?.available).toBe(10);
    // Replaying the topic hands both events to the group again: on hand stays where it was.
    await log.replay({ group: 'availability', topic: 'inventory', fromTime: 0 });
    await log.drain({ timeoutMs: 5000 });
    expect(av.position('EV-1', 'DAL')?.onHand).toBe(10);
  });

  it('dead-letters an event it cannot apply, and the rest flow', async () => {
    const bad = movement('pick', 'EV-2', 'DAL', 1);
    const negativePick = { ...bad, data: { ...(bad.data as object), quantity: { value: '-1', uom: 'EA' } } };
    await log.publish('inventory', [negativePick, movement('receipt', 'EV-3', 'RNO', 4)]);
    await log.drain({ timeoutMs: 5000 });
    const dead = await log.listDeadLetters({ group: 'availability' });
    expect(dead.map((d) => [d.eventId, d.errorCode])).toContainEqual([bad.id, 'CD_ERR_AVAILABILITY_BAD_EVENT']);
    expect(av.position('EV-3', 'RNO')?.onHand).toBe(4);
  });
});
