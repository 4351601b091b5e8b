import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { salesOrderExample } from '../src/canonical/examples/orders.js';
import { type Envelope, makeEvent } from '../src/canonical/index.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createConsoleModule } from '../src/cli/runtime/modules/console.module.js';
import { createObservabilityModule } from '../src/cli/runtime/modules/observability.module.js';
import type { HubModule } from '../src/cli/runtime/modules.js';
import { DeadLetterList, Exception, ExceptionList } from '../src/console/schemas.js';
import { Errors, loadConfig, silentLogger } from '../src/kernel/index.js';
import { ARTIFACTS, ensureConsoleBuilt, launchBrowser } from './support/browser.js';

/**
 * The operations console in real Chromium against a real embedded hub: log in, the dashboard's
 * charts, find an order by its channel id and read its timeline, resolve an exception with a
 * reason, replay a dead letter, and a viewer who may look but not act. Screenshots go to
 * test-artifacts/console/; with CROSSDOCK_UPDATE_SCREENSHOTS=1 the dashboard's also to docs/images/dashboard.png.
 */
const shots = join(ARTIFACTS, 'console');
let dir: string;
let hub: Hub;
let browser: Browser;
let erpDown = true;
let operatorToken: string;
/** The operator's page, logged in by the first test and reused by the next three. */
let op: Page;

type Order = Omit<typeof salesOrderExample, 'refs'> & { refs: Record<string, string>; channelOrderId?: string };
function salesOrder(n: number, channel: string, customer: string, extra: Partial<Order> = {}): Order {
  return {
    ...salesOrderExample,
    id: `so-${n}`,
    orderNumber: `SO-${n}`,
    channelOrderId: `#${n}`,
    channel,
    customer: { id: `cust-${customer}`, number: customer },
    refs: { netsuite: `NS-${n}` },
    ...extra,
  };
}

/** An ERP sync that refuses order so-1002 while the ERP is down: its event is dead-lettered. */
const erpSync: HubModule = {
  name: 'test-erp-sync',
  async start(ctx) {
    ctx.eventlog.subscribe({
      group: 'erp-sync',
      topic: 'orders',
      types: ['crossdock.order.accepted.v1'],
      handler: async (event) => {
        if (erpDown && event.subject === 'order/so-1002')
          throw Errors.validation('ERP refused the order: customer C10045 is blocked', { path: 'customer' });
      },
    });
  },
};

function event(type: string, data: Order): Envelope {
  return makeEvent({
    type,
    source: 'crossdock://connector/shopify/eu',
    data,
    partitionkey: `order/${data.id}`,
    subject: `order/${data.id}`,
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** An /ops answer, read with the schema the console itself checks it against. */
async function opsGet<T>(path: string, schema: { parse(value: unknown): T }): Promise<T> {
  const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${operatorToken}` } });
  return schema.parse(await res.json());
}

async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto(hub.url);
  await page.getByLabel('user name').fill(username);
  await page.getByLabel('password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('dashboard-ready').waitFor();
}

beforeAll(async () => {
  const [consoleDir, launched] = await Promise.all([ensureConsoleBuilt(), launchBrowser()]);
  browser = launched;
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'cd-console-browser-'));
  const config = loadConfig({
    env: {},
    overrides: {
      dataDir: dir,
      port: 0,
      log: { level: 'silent' },
      eventlog: { pollIntervalMs: 20 },
      observability: {
        tickMs: 50,
        timelines: { topics: ['orders', 'shipments'] },
        sla: [{ id: 'accept-fast', kind: 'order', from: 'received', to: 'accepted', within: '300ms', resolveWithin: '1h' }],
        exceptions: { ownerRules: [{ categoryPrefix: 'sla.order', channel: 'web', owner: 'web-team' }] },
      },
    },
  });
  hub = await startHub(config, {
    logger: silentLogger(),
    modules: [createObservabilityModule(), erpSync, createConsoleModule({ dir: consoleDir })],
  });
  await hub.identity.createUser('olga', 'operator-pass-1', 'operator');
  await hub.identity.createUser('victor', 'viewer-pass-1', 'viewer');
  const login = await fetch(`${hub.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'olga', password: 'operator-pass-1' }),
  });
  operatorToken = ((await login.json()) as { access_token: string }).access_token;

  // Orders on three channels for four customers; so-1003 and so-1004 are never accepted (SLA breach),
  // so-1002's acceptance is refused by the ERP (dead letter).
  const channels = ['web', 'shopify', 'edi', 'web', 'amazon'];
  const customers = ['C10045', 'C20001', 'C30077', 'C40410'];
  const received: Envelope[] = [];
  const accepted: Envelope[] = [];
  for (let n = 1001; n <= 1016; n++) {
    const o = salesOrder(n, channels[n % channels.length] ?? 'web', customers[n % customers.length] ?? 'C10045');
    received.push(event('crossdock.order.received.v1', o));
    if (n !== 1003 && n !== 1004) accepted.push(event('crossdock.order.accepted.v1', o));
  }
  await hub.eventlog.publish('orders', received);
  await hub.eventlog.publish('orders', accepted);
  await until('dead letter and SLA breaches', async () => {
    const dl = await opsGet('/ops/dead-letters', DeadLetterList);
    const sla = await opsGet('/ops/exceptions?categoryPrefix=sla.&status=open', ExceptionList);
    return dl.items.length === 1 && sla.items.length === 2;
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('operations console in Chromium', () => {
  it('refuses a wrong password, then logs in and shows the dashboard with its charts', async () => {
    op = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const page = op;
    await page.goto(hub.url);
    await page.getByLabel('user name').fill('olga');
    await page.getByLabel('password').fill('wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();

    await page.getByLabel('password').fill('operator-pass-1');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('dashboard-ready').waitFor();
    expect(await page.locator('nav.top .role').textContent()).toBe('operator');
    const tiles = await page.locator('.tile').allTextContents();
    expect(tiles.find((t) => t.endsWith('SLA breaches'))).toMatch(/^2/);
    expect(tiles.find((t) => t.endsWith('failed (dead-lettered)'))).toMatch(/^1/);
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(8);
    await expect.poll(() => page.getByRole('img', { name: 'Throughput by channel' }).locator('text').allTextContents()).toContain('web');
    await page.screenshot({ path: join(shots, 'dashboard.png'), fullPage: false });
    // The README's screenshot is refreshed on request only, so a test run leaves the tree clean.
    if (process.env.CROSSDOCK_UPDATE_SCREENSHOTS === '1') {
      copyFileSync(join(shots, 'dashboard.png'), resolve(import.meta.dirname, '../docs/images/dashboard.png'));
    }
  });

  it('finds an order by its channel id and reads its timeline', async () => {
    const page = op;
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByLabel('business key').fill('#1001');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.getByRole('link', { name: 'SO-1001' });
    await hit.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr td').nth(3).textContent()).toBe('channel-order-id');
    await hit.click();
    const timeline = page.getByRole('list', { name: 'timeline' });
    await timeline.waitFor();
    const steps = await timeline.locator('li .milestone').allTextContents();
    expect(steps).toEqual(['received', 'accepted']);
    expect(await timeline.locator('li .system').allTextContents()).toEqual(['shopify', 'shopify']);
    expect(await page.locator('.chip').allTextContents()).toContain('channel-order-id: #1001');
    await page.screenshot({ path: join(shots, 'timeline.png') });
  });

  it('resolves an SLA exception with a reason; the queue records who and why', async () => {
    const open = await opsGet('/ops/exceptions?categoryPrefix=sla.&status=open&subject=order/so-1003', ExceptionList);
    const id = open.items[0]?.id;
    const page = op;
    await page.getByRole('link', { name: 'Exceptions' }).click();
    await page.locator(`a[href="#/exceptions?id=${id}"]`).click();
    const detail = page.getByRole('complementary', { name: 'exception detail' });
    await detail.getByLabel('reason').fill('customer confirmed by phone');
    await detail.getByRole('button', { name: 'Resolve' }).click();
    await detail.getByText('resolve done').waitFor();
    await detail.locator('.badge', { hasText: 'resolved' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'exception-resolved.png') });
    const after = await opsGet(`/ops/exceptions/${id}`, Exception);
    expect(after).toMatchObject({ status: 'resolved', resolution: 'customer confirmed by phone', resolvedBy: 'olga' });
  });

  it('replays a dead letter; the event is handled and its exception closes', async () => {
    const dead = (await opsGet('/ops/dead-letters', DeadLetterList)).items[0];
    expect(dead?.envelope.subject).toBe('order/so-1002');
    erpDown = false;
    const page = op;
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const row = page.locator(`tr[data-dead-letter="${dead?.id}"]`);
    expect(await row.textContent()).toContain('ERP refused the order');
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByText('replayed 1 dead letter(s)').waitFor();
    await page.screenshot({ path: join(shots, 'dead-letter-replayed.png') });
    expect((await opsGet('/ops/dead-letters', DeadLetterList)).items).toEqual([]);
    await until('dead-letter exception closes', async () => {
      const e = await opsGet('/ops/exceptions?category=eventlog.dead-letter', ExceptionList);
      return e.items.length === 1 && e.items[0]?.status === 'resolved';
    });
  });

  it('a viewer reads the queue but is offered no action', async () => {
    const open = await opsGet('/ops/exceptions?categoryPrefix=sla.&status=open&subject=order/so-1004', ExceptionList);
    const id = open.items[0]?.id;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, 'victor', 'viewer-pass-1');
    expect(await page.locator('nav.top .role').textContent()).toBe('viewer');
    await page.goto(`${hub.url}/#/exceptions?id=${id}`);
    const detail = page.getByRole('complementary', { name: 'exception detail' });
    await detail.getByText('Your role can read exceptions but not act on them.').waitFor();
    expect(await detail.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: `select ${id}` }).count()).toBe(0);
    await page.screenshot({ path: join(shots, 'viewer-exception.png') });
    expect((await opsGet(`/ops/exceptions/${id}`, Exception)).status).toBe('open');
    await page.close();
  });
});
