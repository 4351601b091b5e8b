import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SshdServer, startSshd } from '../../../test/support/sshd.js';
import { ItemV1 } from '../../canonical/index.js';
import { openFilesTestStore } from '../sdk/files/testing/store.js';
import { SftpTransport, type Store } from '../sdk/index.js';
import { BatchErrors, type BatchProgress, renderProgress, runBatchLoad } from './index.js';
import { KvBatchHandler } from './testing/kv.handler.js';

let db: Awaited<ReturnType<typeof openFilesTestStore>>;
let dir: string;

beforeEach(async () => {
  db = await openFilesTestStore();
  dir = mkdtempSync(join(tmpdir(), 'cd-batch-'));
});

afterEach(async () => {
  await db.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Data row n (0-based) sits on line n + 2. */
const BAD_ROWS = new Map<number, { line: string; field: string | null }>([
  [17, { line: 'SKU-00017,Widget 17,EA,4006381333932,12.50,EUR', field: 'gtin' }],
  [2_500, { line: 'SKU-02500,Widget 2500,EA,,"12,50",EUR', field: 'list_price' }],
  [4_999, { line: 'SKU-04999,,EA,,1.00,EUR', field: 'name' }],
  [7_321, { line: 'SKU-07321,Widget 7321,each box,,1.00,EUR', field: 'base_uom' }],
  [9_998, { line: 'SKU-09998,Widget 9998,EA,,1.00', field: null }],
]);

function itemFile(rows: number): string {
  const lines = ['SKU,Name,Base UoM,GTIN,List Price,Currency'];
  for (let n = 0; n < rows; n++) {
    lines.push(BAD_ROWS.get(n)?.line ?? `SKU-${String(n).padStart(5, '0')},"Widget ${n}, blue",ea,,${(n % 97) + 0.25},EUR`);
  }
  const file = join(dir, 'items.csv');
  writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  return file;
}

async function applied(store: Store, namespace: string): Promise<{ count: number; maxVersion: number }> {
  const rows = await store.db.selectFrom('kv').select(['version']).where('namespace', '=', namespace).execute();
  return { count: rows.length, maxVersion: Math.max(0, ...rows.map((r) => r.version)) };
}

describe('runBatchLoad', () => {
  it('applies 9,995 of 10,000 item rows and reports the 5 bad ones by line and field', async () => {
    const file = itemFile(10_000);
    const progress: BatchProgress[] = [];
    const summary = await runBatchLoad({
      store: db.store,
      type: 'item',
      file,
      handler: new KvBatchHandler(),
      onProgress: (p) => progress.push(p),
    });

    expect(summary.rowsOk).toBe(9_995);
    expect(summary.rowsFailed).toBe(5);
    expect(summary.errors.map((e) => [e.line, e.field])).toEqual([...BAD_ROWS.entries()].map(([n, bad]) => [n + 2, bad.field]));
    expect(summary.errors[0]?.message).toBe('GTIN check digit is wrong');
    expect(summary.errors[4]?.message).toBe('expected 6 fields, found 5');
    expect(summary.byError['gtin: GTIN check digit is wrong']).toBe(1);
    expect(await applied(db.store, 'batch:item')).toEqual({ count: 9_995, maxVersion: 1 });

    expect(progress).toHaveLength(20);
    const last = progress[progress.length - 1];
    expect(last?.bytesRead).toBe(statSync(file).size);
    expect(last && renderProgress(last)).toBe(' 100% 10,000 rows, 5 errors');
    expect(renderProgress({ ...progress[0]!, rowsFailed: 1 })).toMatch(/^ {3}\d% 500 rows, 1 error$/);
  });

  it('maps rows to valid canonical items, keeping unknown columns under ext', async () => {
    const file = join(dir, 'few.csv');
    writeFileSync(file, '\uFEFFsku,name,base_uom,status,Shelf Zone\nA-1,"Bolt, M8",pcs,active,Z3\n');
    await runBatchLoad({ store: db.store, type: 'item', file, handler: new KvBatchHandler(), system: 'erp' });
    const row = await db.store.db.selectFrom('kv').select('value').where('namespace', '=', 'batch:item').executeTakeFirstOrThrow();
    const item = ItemV1.parse(JSON.parse(row.value).record.item);
    expect(item).toMatchObject({ sku: 'A-1', name: 'Bolt, M8', baseUom: 'PCS', refs: { erp: 'A-1' }, ext: { erp: { shelf_zone: 'Z3' } } });
  });

  it('resumes after a crash at the 7th chunk and applies every good row exactly once', async () => {
    const file = itemFile(10_000);
    await expect(runBatchLoad({ store: db.store, type: 'item', file, handler: new KvBatchHandler(7) })).rejects.toThrow(
      'simulated crash in chunk 7',
    );
    // Chunks 1-6 (rows 0..2999, two of them bad) are committed; chunk 7 rolled back with the crash.
    expect(await applied(db.store, 'batch:item')).toEqual({ count: 2_998, maxVersion: 1 });

    const store = await db.reopen();
    const handler = new KvBatchHandler();
    const summary = await runBatchLoad({ store, type: 'item', file, handler });
    expect(summary.resumed).toBe(true);
    expect(handler.chunks).toBe(14);
    expect([summary.rowsOk, summary.rowsFailed]).toEqual([9_995, 5]);
    expect(summary.errors.map((e) => e.line)).toEqual([...BAD_ROWS.keys()].map((n) => n + 2));
    expect(await applied(store, 'batch:item')).toEqual({ count: 9_995, maxVersion: 1 });

    const again = new KvBatchHandler();
    const rerun = await runBatchLoad({ store, type: 'item', file, handler: again });
    expect(rerun.alreadyDone).toBe(true);
    expect(again.chunks).toBe(0);
  });

  it('refuses a file without a required column before applying anything', async () => {
    const file = join(dir, 'prices.csv');
    writeFileSync(file, 'price_list,sku,unit_price,currency\nRETAIL,A-1,1.00,USD\n');
    const err = await runBatchLoad({ store: db.store, type: 'price', file, handler: new KvBatchHandler() }).catch((e: unknown) => e);
    expect(BatchErrors.header.is(err)).toBe(true);
    expect(String(err)).toContain('missing column(s) uom');
    expect(await applied(db.store, 'batch:price')).toEqual({ count: 0, maxVersion: 0 });
  });
});

describe('runBatchLoad over SFTP', () => {
  let sshd: SshdServer;
  let sftp: SftpTransport;

  beforeAll(async () => {
    sshd = await startSshd();
    sftp = new SftpTransport({
      id: 'sftp:erp',
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
      hostFingerprint: sshd.hostFingerprint,
    });
  });

  afterAll(async () => {
    await sftp?.close();
    await sshd?.stop();
  });

  it('loads price and inventory files from the server', async () => {
    const remote = join(sshd.root, 'loads');
    mkdirSync(remote);
    writeFileSync(
      join(remote, 'prices.csv'),
      'price_list,sku,uom,unit_price,currency,min_quantity\nRETAIL,A-1,ea,9.99,USD,\nRETAIL,A-1,EA,8.99,USD,10\nRETAIL,A-2,EA,abc,USD,\n',
    );
    writeFileSync(join(remote, 'stock.csv'), 'sku,location,on_hand,uom,allocated\nA-1,DC-EAST,120,EA,20\nA-2,DC-EAST,-3,EA,\n');

    const prices = await runBatchLoad({
      store: db.store,
      type: 'price',
      transport: sftp,
      path: join(remote, 'prices.csv'),
      handler: new KvBatchHandler(),
    });
    expect([prices.rowsOk, prices.rowsFailed]).toEqual([2, 1]);
    expect(prices.errors[0]).toMatchObject({ line: 4, field: 'unit_price' });

    const stock = await runBatchLoad({
      store: db.store,
      type: 'inventory',
      transport: sftp,
      path: join(remote, 'stock.csv'),
      handler: new KvBatchHandler(),
    });
    expect([stock.rowsOk, stock.rowsFailed]).toEqual([2, 0]);
    const rows = await db.store.db.selectFrom('kv').select('value').where('namespace', '=', 'batch:inventory').execute();
    const positions = rows.map((r) => JSON.parse(r.value).record.position);
    expect(positions.map((p) => [p.item.sku, p.location.code, p.onHand.value, p.allocated?.value])).toEqual(
      expect.arrayContaining([
        ['A-1', 'DC-EAST', '120', '20'],
        ['A-2', 'DC-EAST', '-3', undefined],
      ]),
    );
  });
});
