import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childScript } from './support/child-script.js';
import { chaosOrderId, startLoadNetwork } from './support/flows-chaos-network.js';

/**
 * Chaos: a hub process running order-to-cash is SIGKILLed at random points while
 * O2C_CHAOS_ORDERS (1,000 by default) orders flow concurrently, and started again on the same data
 * directory. The simulators run in this process, so they outlive every kill. In the end every order
 * is invoiced, and each ERP order, WMS release, shipment and invoice exists exactly once.
 *
 * O2C_CHAOS_KILLS (3) kills; O2C_CHAOS_SEED picks the kill points (printed, to replay a run).
 */
const ORDERS = Number(process.env.O2C_CHAOS_ORDERS ?? 1_000);
const KILLS = Number(process.env.O2C_CHAOS_KILLS ?? 3);
const SEED = Number(process.env.O2C_CHAOS_SEED ?? Date.now() % 1_000_000);

const root = resolve(import.meta.dirname, '..');
const script = resolve(import.meta.dirname, 'support/flows-chaos-hub.ts');
/** mulberry32, so a failing run can be replayed from its seed. */
function seeded(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

interface HubProcess {
  child: ChildProcess;
  exited: Promise<string>;
  output(): string;
  /** The last `progress` line: completed, failed, instances. */
  progress(): { completed: number; failed: number; instances: number };
}

function startHubProcess(command: string[], config: unknown): Promise<HubProcess> {
  const child = spawn(process.execPath, [...command, JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let progress = { completed: 0, failed: 0, instances: 0 };
  const exited = new Promise<string>((done) => child.once('exit', (code, signal) => done(signal ?? String(code))));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`hub not ready in 60 s:\n${text.slice(-4000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      for (const m of text.matchAll(/progress (\d+) (\d+) (\d+)\n/g))
        progress = { completed: Number(m[1]), failed: Number(m[2]), instances: Number(m[3]) };
      if (text.length > 100_000) text = text.slice(-50_000);
      if (text.includes('ready\n')) {
        clearTimeout(timer);
        ok({ child, exited, output: () => text, progress: () => progress });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      fail(new Error(`hub exited (${how}) before it was ready:\n${text.slice(-4000)}`));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let current: HubProcess | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => {
  current?.child.kill('SIGKILL');
  await cleanup?.();
});

describe('order-to-cash chaos', () => {
  it(`${ORDERS} concurrent orders survive ${KILLS} SIGKILLs of the hub; every document exists exactly once`, async () => {
    const random = seeded(SEED);
    let removeBundle = () => {};
    console.log(`flows-o2c-chaos: seed ${SEED}, ${ORDERS} orders, ${KILLS} kills`);
    const net = await startLoadNetwork({ netsuiteConcurrency: 200 });
    const dir = mkdtempSync(join(tmpdir(), 'cd-o2c-chaos-'));
    cleanup = async () => {
      await net.close();
      rmSync(dir, { recursive: true, force: true });
      removeBundle();
    };
    const port = await freePort();
    net.wms.subscribe(`http://127.0.0.1:${port}/hooks/wms`, ['order.shipped', 'order.exception']);
    // The warehouse ships what it was released (it keeps doing so while the hub is down).
    const shipper = setInterval(() => {
      for (const w of net.wms.state.orders.values()) if (w.status === 'released') net.wms.advance(w.id, { to: 'shipped' });
    }, 50);
    const hubProcess = await childScript(script, 'flows-chaos-hub');
    removeBundle = hubProcess.remove;
    const command = hubProcess.args;
    const config = { dataDir: dir, port, orders: ORDERS, info: net.info };
    const invoiced = () => net.netsuite.state.all('invoice').length;
    const written = () => net.netsuite.state.all('salesOrder').length + net.wms.state.orders.size + invoiced();

    try {
      current = await startHubProcess(command, config);
      for (let k = 0; k < KILLS; k++) {
        // Kill k falls at a random point of the (k+1)-th slice of the run, measured in documents
        // written (ERP orders + releases + invoices), so orders are caught in every stage.
        const target = Math.floor((3 * ORDERS * (k + random())) / (KILLS + 1));
        const extraMs = Math.floor(random() * 500);
        const waitUntil = Date.now() + 90_000;
        while (written() < target && Date.now() < waitUntil) await sleep(20);
        await sleep(extraMs);
        const before = `${net.netsuite.state.all('salesOrder').length} ERP orders, ${net.wms.state.orders.size} releases, ${invoiced()} invoices`;
        current.child.kill('SIGKILL');
        expect(await current.exited).toBe('SIGKILL');
        console.log(`flows-o2c-chaos: kill ${k + 1} at ${before}`);
        current = await startHubProcess(command, config);
      }
      const deadline = Date.now() + 120_000;
      while (current.progress().completed < ORDERS || invoiced() < ORDERS) {
        if (Date.now() > deadline)
          throw new Error(
            `not all orders finished: ${JSON.stringify(current.progress())}, ${invoiced()} invoices\n${current.output().slice(-3000)}`,
          );
        if (current.progress().failed > 0) throw new Error(`orders failed: ${JSON.stringify(current.progress())}`);
        await sleep(250);
      }
    } finally {
      clearInterval(shipper);
    }

    expect(current.progress()).toEqual({ completed: ORDERS, failed: 0, instances: ORDERS });
    const ids = Array.from({ length: ORDERS }, (_, i) => chaosOrderId(i));
    const countBy = <T>(items: Iterable<T>, key: (t: T) => unknown) => {
      const m = new Map<string, number>();
      for (const t of items) m.set(String(key(t)), (m.get(String(key(t))) ?? 0) + 1);
      return m;
    };
    const erpOrders = countBy(net.netsuite.state.all('salesOrder'), (o) => o.externalId);
    const invoices = countBy(net.netsuite.state.all('invoice'), (i) => i.externalId);
    const releases = countBy(net.wms.state.orders.values(), (o) => o.reference);
    const shipments = countBy(
      [...net.wms.state.orders.values()].flatMap((o) => o.shipments.map(() => o.reference)),
      (r) => r,
    );
    const notOnce = (m: Map<string, number>, key: (id: string) => string) => ids.filter((id) => m.get(key(id)) !== 1);
    expect(notOnce(erpOrders, (id) => id)).toEqual([]);
    expect(notOnce(invoices, (id) => `inv-${id}`)).toEqual([]);
    expect(notOnce(releases, (id) => id)).toEqual([]);
    expect(notOnce(shipments, (id) => id)).toEqual([]);
    expect(erpOrders.size).toBe(ORDERS);
    expect(invoices.size).toBe(ORDERS);
    expect(releases.size).toBe(ORDERS);

    current.child.kill('SIGTERM');
    await current.exited;
  }, 300_000);
});
