import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../kernel/index.js';
import { startWmsSim, type WmsSim } from './index.js';
import { callWms } from './testing.js';

let sim: WmsSim;
let clock: ManualClock;
beforeEach(async () => {
  clock = new ManualClock();
  sim = await startWmsSim({ clock, rateLimit: { limit: 1000, refillPerSecond: 1000 }, snapshotTtlMs: 60_000 });
  for (const sku of ['A', 'B', 'C', 'D', 'E']) {
    sim.seedInventory(`SKU-${sku}`, 10, 'WH1');
    sim.seedInventory(`SKU-${sku}`, 5, 'WH2');
  }
});
afterEach(async () => {
  await sim.close();
});

const pageSchema = z.object({
  data: z.array(z.object({ sku: z.string(), location: z.string(), on_hand: z.number() })),
  next_cursor: z.string().nullable(),
  snapshot_id: z.string().optional(),
});
type Page = z.infer<typeof pageSchema>;

async function walk(path: string, startCursor: string | null = null): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = startCursor;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const reply = await callWms(sim.url, 'GET', `${path}${cursor ? `${sep}cursor=${cursor}` : ''}`, { apiKey: sim.apiKey });
    expect(reply.status).toBe(200);
    const page = pageSchema.parse(reply.body);
    pages.push(page);
    cursor = page.next_cursor;
  } while (cursor);
  return pages;
}

describe('WMS sim: inventory', () => {
  it('walks every position exactly once across cursor pages and filters by location', async () => {
    const pages = await walk('/v1/inventory?limit=3');
    expect(pages).toHaveLength(4);
    const rows = pages.flatMap((p) => p.data.map((r) => `${r.sku}@${r.location}`));
    expect(new Set(rows).size).toBe(10);
    const wh2 = await walk('/v1/inventory?location=WH2&limit=2');
    expect(wh2.flatMap((p) => p.data).every((r) => r.location === 'WH2' && r.on_hand === 5)).toBe(true);
  });

  it('applies adjustments once per Idempotency-Key and refuses to go below zero', async () => {
    const body = { sku: 'SKU-A', location: 'WH1', quantity: -4, reason_code: 'damaged' };
    const first = await callWms(sim.url, 'POST', '/v1/inventory/adjustments', {
      apiKey: sim.apiKey,
      body,
      headers: { 'idempotency-key': 'adj-1' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ on_hand_after: 6 });
    const replay = await callWms(sim.url, 'POST', '/v1/inventory/adjustments', {
      apiKey: sim.apiKey,
      body,
      headers: { 'idempotency-key': 'adj-1' },
    });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(sim.state.adjustments).toHaveLength(1);

    const reused = await callWms(sim.url, 'POST', '/v1/inventory/adjustments', {
      apiKey: sim.apiKey,
      body: { ...body, quantity: -1 },
      headers: { 'idempotency-key': 'adj-1' },
    });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    const tooMuch = await callWms(sim.url, 'POST', '/v1/inventory/adjustments', { apiKey: sim.apiKey, body: { ...body, quantity: -100 } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toMatchObject({ error: { code: 'insufficient_inventory' } });
  });

  it('exports a snapshot that stays frozen across pages while stock moves, and expires', async () => {
    const first = await callWms(sim.url, 'GET', '/v1/inventory/snapshot?limit=4', { apiKey: sim.apiKey });
    const page1 = pageSchema.parse(first.body);
    expect(page1.data).toHaveLength(4);
    sim.state.adjust({ sku: 'SKU-E', location: 'WH2', quantity: 100, reason_code: 'found' });
    const rest = await walk('/v1/inventory/snapshot?limit=4', page1.next_cursor);
    const all = [...page1.data, ...rest.flatMap((p) => p.data)];
    expect(all).toHaveLength(10);
    expect(all.find((r) => r.sku === 'SKU-E' && r.location === 'WH2')?.on_hand).toBe(5);
    expect(new Set(rest.map((p) => p.snapshot_id))).toEqual(new Set([page1.snapshot_id]));

    const again = await callWms(sim.url, 'GET', '/v1/inventory/snapshot?limit=4', { apiKey: sim.apiKey });
    clock.advance(61_000);
    const expired = await callWms(sim.url, 'GET', `/v1/inventory/snapshot?cursor=${pageSchema.parse(again.body).next_cursor}`, {
      apiKey: sim.apiKey,
    });
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ error: { code: 'snapshot_expired' } });
  });
});
