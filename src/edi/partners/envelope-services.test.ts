import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore, SqliteStore, type Store } from '../../store/index.js';
import { freshPostgresStore, TEST_POSTGRES_URL } from '../../store/testing/postgres.js';
import { ControlNumberErrors, StoreControlNumbers } from './control-numbers.store.js';
import { StoreSeenInterchanges } from './seen-interchanges.store.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function sqlite(): Promise<Store> {
  const store = SqliteStore.open({ file: join(mkdtempSync(join(tmpdir(), 'cd-edi-')), 'crossdock.db') });
  await store.migrate();
  cleanups.push(() => store.close());
  return store;
}

async function postgres(): Promise<Store> {
  const { store, drop } = await freshPostgresStore();
  await store.migrate();
  cleanups.push(drop);
  return store;
}

/** SQLite is one process (the data directory is locked): two senders share its one store. */
async function twoSqlite(): Promise<[Store, Store]> {
  const store = await sqlite();
  return [store, store];
}

/** Two stores on one database, as two hub processes have: separate pools, one counter. */
async function twoPostgres(): Promise<[Store, Store]> {
  const { store, schema, drop } = await freshPostgresStore();
  await store.migrate();
  const other = new PostgresStore({ url: TEST_POSTGRES_URL, schema, poolSize: 5 });
  cleanups.push(async () => {
    await other.close();
    await drop();
  });
  return [store, other];
}

describe.each([
  ['SQLite', twoSqlite],
  ['PostgreSQL', twoPostgres],
])('control numbers from two senders on %s', (_name, open) => {
  it('commits exactly 1..n with no gap and no reuse while senders race and some roll back', async () => {
    const [a, b] = await open();
    const counters = [new StoreControlNumbers(a), new StoreControlNumbers(b)];
    const committed: number[] = [];
    const attempts = Array.from({ length: 120 }, async (_, i) => {
      const store = i % 2 === 0 ? a : b;
      const numbers = counters[i % 2] ?? counters[0];
      try {
        await store.transaction(async (tx) => {
          const n = await numbers?.next('acme', 'interchange', tx);
          // Every fifth send fails after taking its number (the upload broke): the number must come back.
          if (i % 5 === 4) throw new Error('send failed');
          if (n !== undefined) committed.push(n);
        });
      } catch (err) {
        if (!(err instanceof Error) || err.message !== 'send failed') throw err;
      }
    });
    await Promise.all(attempts);
    expect(committed).toHaveLength(96);
    expect([...committed].sort((x, y) => x - y)).toEqual(Array.from({ length: 96 }, (_, i) => i + 1));
  });
});

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('envelope services on %s', (_name, open) => {
  it('hands out control numbers without gaps or reuse under 200 concurrent allocations', async () => {
    const store = await open();
    const numbers = new StoreControlNumbers(store);
    const got = await Promise.all(Array.from({ length: 200 }, () => numbers.next('acme', 'interchange')));
    expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // Levels and partners count separately.
    expect(await numbers.next('acme', 'group')).toBe(1);
    expect(await numbers.next('other', 'interchange')).toBe(1);
    expect(await numbers.next('acme', 'interchange')).toBe(201);
  });

  it('gives a number back when the transaction that took it rolls back', async () => {
    const store = await open();
    const numbers = new StoreControlNumbers(store);
    expect(await numbers.next('acme', 'transaction')).toBe(1);
    await expect(
      store.transaction(async (tx) => {
        await numbers.next('acme', 'transaction', tx);
        throw new Error('upload failed');
      }),
    ).rejects.toThrow('upload failed');
    expect(await numbers.next('acme', 'transaction')).toBe(2);
  });

  it('refuses to wrap around when the counter is exhausted', async () => {
    const store = await open();
    const numbers = new StoreControlNumbers(store, { max: 3 });
    for (let i = 1; i <= 3; i++) expect(await numbers.next('acme', 'group')).toBe(i);
    await expect(numbers.next('acme', 'group')).rejects.toSatisfy((e) => ControlNumberErrors.exhausted.is(e));
  });

  it('detects a duplicate interchange with one atomic claim, once among concurrent receivers', async () => {
    const store = await open();
    const seen = new StoreSeenInterchanges(store);
    const claims = await Promise.all(Array.from({ length: 20 }, () => seen.claim('acme', '01:ABCCO|01:999999999|000003438')));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await seen.claim('other', '01:ABCCO|01:999999999|000003438')).toBe(true);
  });
});
