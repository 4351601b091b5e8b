import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startCliHub } from './support/cli.js';

/**
 * `crossdock start --demo` as a newcomer runs it (`npm start`): a real child process with its own
 * data directory. Within a minute, storefront orders must have gone through order-to-cash to an
 * invoice, visible in the simulated systems themselves, with the live summary printed.
 */
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const NsState = z.object({ records: z.record(z.string(), z.array(z.object({ externalId: z.string().nullish() }).loose())) });
const WmsState = z.object({ orders: z.array(z.object({ reference: z.string(), status: z.string() }).loose()) });
const ShopifyState = z.object({ orders: z.array(z.object({ id: z.number(), fulfillments: z.array(z.unknown()) }).loose()) });
const SfState = z.object({ records: z.record(z.string(), z.array(z.object({ Status: z.string().nullish() }).loose())) });
const OdooState = z.object({
  records: z.record(z.string(), z.array(z.object({ move_type: z.string().nullish(), state: z.string().nullish() }).loose())),
});
const SupplierOrders = z.object({ data: z.array(z.object({ poNumber: z.string(), status: z.string() }).loose()) });

async function state<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(await (await fetch(`${url}/_sim/state`)).json());
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: () => string): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossdock-demo-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('crossdock start --demo', () => {
  it('runs orders through order-to-cash to invoiced in the simulators, prints the summary, stops on SIGTERM', async () => {
    const data = tempDir();
    const started = Date.now();
    const hub = await startCliHub(['--demo', '--data', data, '--port', '0'], { env: { CROSSDOCK_DEMO_RATE: '2' } });
    cleanups.push(() => hub.child.kill('SIGKILL'));
    const out = () => hub.output().stdout;
    const systems = await until(
      async () => /systems shopify (\S+) netsuite (\S+) wms (\S+) salesforce (\S+) odoo (\S+) supplier (\S+)/.exec(out()) ?? undefined,
      5_000,
      () => `no demo systems line:\n${out()}`,
    );
    const [, shopify = '', netsuite = '', wms = '', salesforce = '', odoo = '', supplier = ''] = systems;
    expect(out()).toContain(`console ${hub.url}/`);

    // Invoices in NetSuite for Shopify orders, each order shipped by the warehouse, fulfilled in
    // Shopify and Invoiced on the Salesforce order.
    const invoiced = await until(
      async () => {
        const ns = await state(netsuite, NsState);
        const invoices = (ns.records.invoice ?? []).map((r) => r.externalId ?? '').filter((id) => id.startsWith('inv-shopify:'));
        return invoices.length >= 3 ? invoices : undefined;
      },
      60_000 - (Date.now() - started),
      () => `no three invoices within a minute of start:\n${hub.output().stdout}\n${hub.output().stderr}`,
    );
    const orderIds = invoiced.map((id) => id.slice('inv-'.length));
    const ns = await state(netsuite, NsState);
    const booked = new Set((ns.records.salesOrder ?? []).map((r) => r.externalId));
    for (const id of orderIds) expect(booked.has(id)).toBe(true);
    const warehouse = await state(wms, WmsState);
    for (const id of orderIds) expect(warehouse.orders.find((o) => o.reference === id)?.status).toBe('shipped');
    const shop = await state(shopify, ShopifyState);
    for (const id of orderIds) {
      const shopifyId = Number(/(\d+)$/.exec(id)?.[1]);
      expect(shop.orders.find((o) => o.id === shopifyId)?.fulfillments.length).toBe(1);
    }
    const crm = await state(salesforce, SfState);
    expect((crm.records.Order ?? []).filter((o) => o.Status === 'Invoiced').length).toBeGreaterThanOrEqual(3);
    // Stock was counted into the warehouse, and orders kept arriving from the storefront.
    expect(shop.orders.length).toBeGreaterThan(orderIds.length);

    // Procure-to-pay: a purchase order went to the supplier and its bill was posted in Odoo after the
    // warehouse received the goods. Return-to-credit: a return was received and credited in Odoo.
    await until(
      async () => {
        const pos = SupplierOrders.parse(await (await fetch(`${supplier}/_sim/orders`)).json()).data;
        const moves = (await state(odoo, OdooState)).records['account.move'] ?? [];
        const bills = moves.filter((m) => m.move_type === 'in_invoice' && m.state === 'posted');
        const credits = moves.filter((m) => m.move_type === 'out_refund' && m.state === 'posted');
        return pos.some((p) => p.status === 'invoiced') && bills.length > 0 && credits.length > 0 ? true : undefined;
      },
      60_000 - (Date.now() - started),
      () => `no purchase order billed and return credited within a minute of start:\n${out()}`,
    );
    const receivedReturns = (
      await state(wms, z.object({ asns: z.array(z.object({ reference: z.string(), status: z.string() })) }))
    ).asns.filter((a) => a.reference.startsWith('RMA-') && a.status === 'received');
    expect(receivedReturns.length).toBeGreaterThan(0);

    // The live summary (a plain line, stdout is not a terminal) reports what the simulators show.
    const summary = await until(
      async () => {
        const lines = [...out().matchAll(/^demo \d\d:\d\d orders received (\d+) booked (\d+) shipped (\d+) invoiced (\d+)/gm)];
        const last = lines.at(-1);
        return last && Number(last[4]) > 0 ? last : undefined;
      },
      10_000,
      () => `no summary line with an invoiced order:\n${out()}`,
    );
    expect(Number(summary[1])).toBeGreaterThanOrEqual(Number(summary[4]));
    expect(out()).toMatch(/\| POs \d+ completed \d+ \| returns \d+ completed \d+ \| exceptions \d+ \| [\d.]+ events\/s/);

    // The operator login the demo printed works, and the order rate can be changed while it runs.
    const login = /log in as (\S+), password (\S+)\)/.exec(out());
    expect(login, out()).not.toBeNull();
    const token = z.object({ access_token: z.string() }).parse(
      await (
        await fetch(`${hub.url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: login?.[1], password: login?.[2] }),
        })
      ).json(),
    ).access_token;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const bad = await fetch(`${hub.url}/v1/demo/traffic`, { method: 'PUT', headers: auth, body: JSON.stringify({ ordersPerSecond: -1 }) });
    expect(bad.status).toBe(422);
    const paused = await fetch(`${hub.url}/v1/demo/traffic`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ ordersPerSecond: 0 }),
    });
    expect(await paused.json()).toEqual({ ordersPerSecond: 0 });
    const before = (await state(shopify, ShopifyState)).orders.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await state(shopify, ShopifyState)).orders.length).toBe(before);
    const view = z
      .object({ ordersPerSecond: z.number(), traffic: z.object({ ordersPlaced: z.number(), shipped: z.number() }) })
      .parse(await (await fetch(`${hub.url}/v1/demo`, { headers: auth })).json());
    expect(view.ordersPerSecond).toBe(0);
    expect(view.traffic.ordersPlaced).toBe(before);

    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    expect(existsSync(join(data, 'hub.lock'))).toBe(false);
    // The simulators stopped with the hub.
    await expect(fetch(`${netsuite}/_sim/state`)).rejects.toThrow();
    await expect(fetch(`${supplier}/_sim/orders`)).rejects.toThrow();
  }, 90_000);

  it('runs nothing of the demo without --demo', async () => {
    const data = tempDir();
    const hub = await startCliHub(['--data', data, '--port', '0']);
    cleanups.push(() => hub.child.kill('SIGKILL'));
    expect(hub.output().stdout).not.toMatch(/systems shopify|^demo /m);
    const hook = await fetch(`${hub.url}/hooks/shopify`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(hook.status).toBe(404);
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
  }, 30_000);
});
