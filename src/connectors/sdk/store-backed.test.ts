import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineError } from '../../kernel/index.js';
import { SqliteStore } from '../../store/index.js';
import { ConnectorErrors } from './errors.js';
import { collect, paginate } from './pagination.js';
import { PollingTrigger } from './polling.js';
import { CredentialVault, parseMasterKeys } from './vault.js';
import { hmacSha256, WebhookReceiver, type WebhookSpec } from './webhooks.js';

let store: SqliteStore;
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crossdock-sdk-'));
  store = SqliteStore.open({ file: join(dir, 'crossdock.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('credential vault', () => {
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;

  it('stores secrets encrypted and reads them back', async () => {
    const vault = new CredentialVault(store, parseMasterKeys(k1));
    await vault.put('netsuite', 'prod', { tokenSecret: 'very-secret-value' });
    const row = await store.db.selectFrom('connector_credentials').selectAll().executeTakeFirstOrThrow();
    expect(row.sealed).not.toContain('very-secret-value');
    expect(Buffer.from(row.sealed, 'base64').toString('latin1')).not.toContain('very-secret-value');
    expect(await vault.get('netsuite', 'prod')).toEqual({ tokenSecret: 'very-secret-value' });
  });

  it('detects tampering and a missing key', async () => {
    const vault = new CredentialVault(store, parseMasterKeys(k1));
    await vault.put('odoo', 'main', { password: 'p' });
    const row = await store.db.selectFrom('connector_credentials').selectAll().executeTakeFirstOrThrow();
    const bytes = Buffer.from(row.sealed, 'base64');
    bytes[14] = (bytes[14] ?? 0) ^ 1;
    await store.db
      .updateTable('connector_credentials')
      .set({ sealed: bytes.toString('base64') })
      .execute();
    await expect(vault.get('odoo', 'main')).rejects.toMatchObject({ code: 'CD_ERR_VAULT_TAMPERED' });
    await expect(new CredentialVault(store, parseMasterKeys(k2)).get('odoo', 'main')).rejects.toMatchObject({ code: 'CD_ERR_VAULT_KEY' });
    expect(() => parseMasterKeys('k3:c2hvcnQ=')).toThrow(/32 bytes/);
  });

  it('rotates: the new key seals, the old still opens, rotate() reseals, then the old key can go', async () => {
    await new CredentialVault(store, parseMasterKeys(k1)).put('shopify', 'eu', { token: 'shpat_1' });
    const both = new CredentialVault(store, parseMasterKeys(`${k2},${k1}`));
    expect(await both.get('shopify', 'eu')).toEqual({ token: 'shpat_1' });
    expect(await both.rotate()).toBe(1);
    expect(await new CredentialVault(store, parseMasterKeys(k2)).get('shopify', 'eu')).toEqual({ token: 'shpat_1' });
    expect(await both.rotate()).toBe(0);
  });
});

describe('webhook receiver', () => {
  const secret = 'whsec';
  const spec: WebhookSpec = {
    deliveryId: (h) => (typeof h['x-delivery'] === 'string' ? h['x-delivery'] : undefined),
    topic: (h) => String(h['x-topic'] ?? 'unknown'),
    verify: (raw, h, s) => h['x-signature'] === hmacSha256(s, raw, 'base64'),
  };
  const mappingError = defineError('CD_ERR_TEST_UNMAPPABLE', { class: 'permanent', title: 'test' });

  function receiver(accepted: unknown[], fail?: Error) {
    return new WebhookReceiver({
      store,
      connector: 'shop',
      instance: 'eu',
      spec,
      secret: () => secret,
      accept: async (d) => {
        if (fail) throw fail;
        accepted.push(d.body);
      },
    });
  }
  const body = Buffer.from('{"id":12345678901234567890,"name":"#1001"}');
  const signed = (id: string) => ({ 'x-delivery': id, 'x-topic': 'orders/create', 'x-signature': hmacSha256(secret, body, 'base64') });

  it('accepts a signed delivery once and counts redeliveries', async () => {
    const accepted: unknown[] = [];
    const r = receiver(accepted);
    expect(await r.receive(signed('d-1'), body)).toMatchObject({ status: 200, outcome: 'accepted' });
    expect(await r.receive(signed('d-1'), body)).toMatchObject({ status: 200, outcome: 'duplicate' });
    expect(accepted).toHaveLength(1);
    const row = await store.db.selectFrom('webhook_receipts').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'accepted', duplicates: 1, raw_body: body.toString() });
  });

  it('answers 401 to a bad signature, records it, and accepts nothing', async () => {
    const accepted: unknown[] = [];
    const out = await receiver(accepted).receive({ ...signed('d-2'), 'x-signature': 'forged' }, body);
    expect(out).toMatchObject({ status: 401, outcome: 'rejected' });
    expect(accepted).toEqual([]);
    const rows = await store.db.selectFrom('webhook_receipts').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'rejected', raw_body: body.toString() });
  });

  it('keeps an unmappable delivery raw, answers 200 so the vendor stops, and 503 for a transient failure', async () => {
    const failed = await receiver([], mappingError('line_items.0.quantity: expected a number')).receive(signed('d-3'), body);
    expect(failed).toMatchObject({ status: 200, outcome: 'failed' });
    const row = await store.db.selectFrom('webhook_receipts').selectAll().where('delivery_id', '=', 'd-3').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', raw_body: body.toString() });
    expect(row.error).toContain('line_items.0.quantity');
    const transient = await receiver([], ConnectorErrors.unavailable('store busy')).receive(signed('d-4'), body);
    expect(transient).toMatchObject({ status: 503 });
    // The vendor's redelivery is then accepted (the failed transaction recorded nothing).
    expect(await receiver([]).receive(signed('d-4'), body)).toMatchObject({ outcome: 'accepted' });
  });
});

describe('polling trigger', () => {
  it('advances its cursor with the page’s effects, and not when they fail', async () => {
    const source = Array.from({ length: 7 }, (_, i) => ({ id: i + 1 }));
    const applied: number[] = [];
    let failNext = false;
    const trigger = new PollingTrigger<{ id: number }>({
      store,
      connector: 'erp',
      instance: 'main',
      trigger: 'orders.changed',
      initialCursor: '0',
      intervalMs: 10,
      poll: async (cursor) => {
        const after = Number(cursor);
        const items = source.filter((s) => s.id > after).slice(0, 3);
        return { items, cursor: String(items.at(-1)?.id ?? after), more: items.length === 3 };
      },
      handle: async (items, tx) => {
        for (const i of items) {
          applied.push(i.id);
          await tx.db
            .insertInto('kv')
            .values({ namespace: 'poll', key: String(i.id), value: '', version: 1, updated_at: 1 })
            .execute();
        }
        if (failNext) {
          // The page's effects were written; the crash must take them and the cursor back.
          failNext = false;
          throw new Error('crash while applying');
        }
      },
    });
    expect(await trigger.pollOnce()).toEqual({ applied: 3, more: true });
    failNext = true;
    await expect(trigger.pollOnce()).rejects.toThrow('crash');
    expect(await trigger.cursor()).toBe('3');
    await trigger.pollOnce();
    await trigger.pollOnce();
    expect(await trigger.cursor()).toBe('7');
    expect(applied).toEqual([1, 2, 3, 4, 5, 6, 4, 5, 6, 7]);
    expect(await store.db.selectFrom('kv').selectAll().where('namespace', '=', 'poll').execute()).toHaveLength(7);
  });
});

describe('pagination', () => {
  it('walks every page and refuses a cursor that repeats', async () => {
    const pages: Record<string, { items: number[]; next: string | undefined }> = {
      start: { items: [1, 2], next: 'b' },
      b: { items: [3], next: 'c' },
      c: { items: [4], next: undefined },
    };
    expect(await collect(paginate(async (n) => pages[n ?? 'start']!))).toEqual([1, 2, 3, 4]);
    await expect(collect(paginate(async () => ({ items: [1], next: 'same' })))).rejects.toThrow(/repeated/);
  });
});
