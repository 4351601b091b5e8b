import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../kernel/index.js';
import type { FaultPlan } from '../../sim/kit/index.js';
import { SqliteStore, type Tx } from '../../store/index.js';
import { BudgetRegistry } from './budget.js';
import { MemoryCapture } from './capture.js';
import { type ConnectorInstance, type ConnectorSpec, createConnectorInstance } from './define.js';
import type { Headers } from './webhooks.js';
import { WebhookReceiver } from './webhooks.js';

/**
 * What every connector proves against its simulator (ARCHITECTURE §5.3). A connector's test file
 * calls `connectorContract(name, harness)`; the harness says how to drive that system.
 */
export interface ConnectorHarness<S, C> {
  spec: ConnectorSpec<S, C>;
  /** Starts the simulator; returns settings and credentials for an instance on it. */
  start(): Promise<{ settings: S; credentials: C; badCredentials: C; faults: FaultPlan; stop(): Promise<void> }>;
  /** A cheap read through an operation; `readPath` is a substring of its request path (to arm faults). */
  read(instance: ConnectorInstance<S, C>): Promise<unknown>;
  readPath: string;
  /** The most calls per second the simulator accepts before it answers 429. */
  simRatePerSecond: number;
  pagination: {
    pageSize: number;
    seed(count: number): Promise<void>;
    /** Lists everything through the connector (it must walk the pages); returns distinct record keys. */
    listKeys(instance: ConnectorInstance<S, C>): Promise<string[]>;
  };
  create: {
    /** Creates the record for `canonicalId` through the connector (idempotent create). */
    run(instance: ConnectorInstance<S, C>, canonicalId: string): Promise<{ externalId: string }>;
    /** Records in the simulator for this canonical id. */
    count(canonicalId: string): Promise<number>;
    /** A substring of the create request's path, to arm timeout-after-commit on. */
    path: string;
    method: string;
    /** Arms the timeout-after-commit itself, for creates that send several requests (a read, then the write). */
    armTimeoutAfterCommit?(faults: FaultPlan): void;
  };
  webhook?: {
    trigger: string;
    /** A signed delivery with this delivery id, as the simulator would send it. */
    delivery(deliveryId: string): { headers: Headers; body: Buffer };
  };
  /** Vendor payloads mapped to canonical and back: nothing may be lost. */
  mapping: Array<{ name: string; check(): Promise<void> | void }>;
}

export function connectorContract<S, C>(name: string, harness: ConnectorHarness<S, C>): void {
  describe(`connector contract: ${name}`, () => {
    let env: Awaited<ReturnType<ConnectorHarness<S, C>['start']>>;
    let store: SqliteStore;
    let dir: string;
    let budgets: BudgetRegistry;
    const published: unknown[] = [];
    const capture = new MemoryCapture(10_000);
    const instances: Array<ConnectorInstance<S, C>> = [];

    const make = (credentials?: C) => {
      const instance = createConnectorInstance(harness.spec, 'contract', env.settings, credentials ?? env.credentials, {
        store,
        budgets,
        capture,
        logger: silentLogger(),
        publish: async (events: unknown[], _tx: Tx) => {
          published.push(...events);
        },
      });
      instances.push(instance);
      return instance;
    };

    beforeAll(async () => {
      env = await harness.start();
      dir = mkdtempSync(join(tmpdir(), 'crossdock-contract-'));
      store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
      await store.migrate();
      budgets = new BudgetRegistry();
    });
    afterAll(async () => {
      for (const i of instances) await i.close();
      await env.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('auth: good credentials pass their test call; bad ones fail as an auth error', async () => {
      await expect(make().test()).resolves.toBeUndefined();
      await expect(make(env.badCredentials).test()).rejects.toMatchObject({ code: 'CD_ERR_CONNECTOR_AUTH', errorClass: 'permanent' });
    });

    it('pagination: listing walks every page', async () => {
      const count = Math.ceil(harness.pagination.pageSize * 2.5);
      await harness.pagination.seed(count);
      const keys = await harness.pagination.listKeys(make());
      expect(new Set(keys).size).toBeGreaterThanOrEqual(count);
    });

    it('retry classes: a 5xx read is retried; a 4xx is permanent with the vendor body; a 429 waits Retry-After', async () => {
      const instance = make();
      env.faults.arm({ kind: 'status', status: 503 }, { pathIncludes: harness.readPath });
      await expect(harness.read(instance)).resolves.toBeDefined();
      env.faults.arm({ kind: 'status', status: 400 }, { pathIncludes: harness.readPath });
      const err = await harness.read(instance).catch((e: unknown) => e);
      expect(err).toMatchObject({ errorClass: 'permanent' });
      expect(err).toHaveProperty('details.vendorBody');
      env.faults.arm({ kind: 'status', status: 429, retryAfterSeconds: 1 }, { pathIncludes: harness.readPath });
      const t0 = Date.now();
      await expect(harness.read(instance)).resolves.toBeDefined();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    });

    it('rate budget: a burst of calls never draws a 429 from the system', async () => {
      const instance = make();
      const before = capture.list().length;
      const calls = Math.ceil(harness.simRatePerSecond * 1.5);
      await Promise.all(Array.from({ length: calls }, () => harness.read(instance)));
      const statuses = capture
        .list()
        .slice(before)
        .map((c) => c.status);
      expect(statuses.filter((s) => s === 429)).toEqual([]);
    });

    it('idempotent create: a timeout after the system committed never makes a second record', async () => {
      const instance = make();
      const id = `contract-${Date.now()}`;
      if (harness.create.armTimeoutAfterCommit) harness.create.armTimeoutAfterCommit(env.faults);
      else env.faults.arm({ kind: 'timeout-after-commit' }, { method: harness.create.method, pathIncludes: harness.create.path });
      // The first call may fail with a retryable error, or recover by itself (an idempotency key
      // resent, a lookup): either way the record exists once and every later call names it.
      const first = await harness.create.run(instance, id).catch((err: unknown) => {
        expect(err).toMatchObject({ errorClass: 'retryable' });
        return undefined;
      });
      const retried = await harness.create.run(instance, id);
      if (first) expect(first.externalId).toBe(retried.externalId);
      const again = await harness.create.run(instance, id);
      expect(again.externalId).toBe(retried.externalId);
      expect(await harness.create.count(id)).toBe(1);
    });

    it('webhooks: verified once, a redelivery is a duplicate, a bad signature is refused', async () => {
      const hook = harness.webhook;
      if (!hook) return;
      const instance = make();
      const trigger = harness.spec.triggers[hook.trigger];
      expect(trigger?.kind).toBe('webhook');
      if (trigger?.kind !== 'webhook') return;
      const receiver = new WebhookReceiver({
        store,
        connector: harness.spec.id,
        instance: 'contract',
        spec: trigger.spec,
        secret: () => trigger.secret(instance.ctx.credentials),
        accept: async (delivery) => {
          published.push(...(await trigger.map(delivery, instance.ctx)));
        },
      });
      const deliveryId = `contract-${Date.now()}`;
      const { headers, body } = hook.delivery(deliveryId);
      const before = published.length;
      expect(await receiver.receive(headers, body)).toMatchObject({ status: 200, outcome: 'accepted' });
      expect(published.length).toBeGreaterThan(before);
      const after = published.length;
      expect(await receiver.receive(headers, body)).toMatchObject({ outcome: 'duplicate' });
      expect(published.length).toBe(after);
      const tampered = Buffer.concat([body, Buffer.from(' ')]);
      expect(await receiver.receive(headers, tampered)).toMatchObject({ status: 401, outcome: 'rejected' });
    });

    for (const m of harness.mapping) {
      it(`mapping: ${m.name}`, async () => {
        await m.check();
      });
    }
  });
}
