import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SshdServer, startSshd } from '../../../../test/support/sshd.js';
import { Errors } from '../../../kernel/index.js';
import type { Store } from '../../../store/index.js';
import { ConnectorErrors } from '../errors.js';
import { type FileTransport, type InboundFile, InboundFilePoller, SftpTransport, type Tx } from './index.js';
import { FaultyTransport } from './testing/faulty.transport.js';
import { openFilesTestStore } from './testing/store.js';

let sshd: SshdServer;
let sftp: SftpTransport;
let db: Awaited<ReturnType<typeof openFilesTestStore>>;
let dirs: { inbox: string; archive: string; failed: string };
let handled: string[];
let caseNo = 0;

beforeAll(async () => {
  sshd = await startSshd();
  sftp = new SftpTransport({
    id: 'sftp:partner',
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

beforeEach(async () => {
  db = await openFilesTestStore();
  caseNo += 1;
  const base = join(sshd.root, `case-${caseNo}`);
  dirs = { inbox: join(base, 'inbox'), archive: join(base, 'archive'), failed: join(base, 'failed') };
  mkdirSync(dirs.inbox, { recursive: true });
  handled = [];
});

afterEach(async () => {
  await db.cleanup();
});

/** The handler's effect: one kv row per file, written in the receipt's transaction. */
async function recordInKv(file: InboundFile, tx: Tx): Promise<void> {
  handled.push(file.name);
  if (file.content.toString().includes('BAD')) throw ConnectorErrors.mapping(`${file.name}: line 2 is not a valid order`);
  await tx.db
    .insertInto('kv')
    .values({ namespace: 'inbound', key: file.name, value: file.content.toString(), version: 1, updated_at: 0 })
    .execute();
}

function poller(store: Store, transport: FileTransport = sftp, handle = recordInKv): InboundFilePoller {
  return new InboundFilePoller({
    store,
    transport,
    dir: dirs.inbox,
    pattern: /\.csv$/,
    archiveDir: dirs.archive,
    failedDir: dirs.failed,
    handle,
  });
}

async function kvKeys(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('kv').select('key').where('namespace', '=', 'inbound').orderBy('key').execute();
  return rows.map((r) => r.key);
}

function drop(name: string, content: string, mtimeSec?: number): void {
  const path = join(dirs.inbox, name);
  writeFileSync(path, content);
  if (mtimeSec !== undefined) utimesSync(path, mtimeSec, mtimeSec);
}

describe('InboundFilePoller over SFTP', () => {
  it('processes each file once and archives it; a restarted poller processes nothing again', async () => {
    drop('a.csv', 'order A\n', 1_700_000_001);
    drop('b.csv', 'order B\n', 1_700_000_002);
    drop('c.csv', 'order C\n', 1_700_000_003);
    drop('notes.txt', 'not a csv');
    drop('.d.csv.part', 'still uploading');

    const first = await poller(db.store).pollOnce();
    expect(first.processed.map((p) => p.slice(dirs.inbox.length + 1))).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(await kvKeys(db.store)).toEqual(['a.csv', 'b.csv', 'c.csv']);
    expect(readdirSync(dirs.inbox).sort()).toEqual(['.d.csv.part', 'notes.txt']);
    const archived = readdirSync(dirs.archive).sort();
    expect(archived).toHaveLength(3);
    expect(archived.every((n) => /^[0-9A-Z]{26}_[abc]\.csv$/.test(n))).toBe(true);

    expect((await poller(db.store).pollOnce()).processed).toEqual([]);
    const restarted = poller(await db.reopen());
    expect((await restarted.pollOnce()).processed).toEqual([]);
    expect(handled).toEqual(['a.csv', 'b.csv', 'c.csv']);
    const receipts = await restarted.receipts();
    expect(receipts.map((r) => [r.status, r.moved_at !== null])).toEqual([
      ['done', true],
      ['done', true],
      ['done', true],
    ]);
  });

  it('does not process the same bytes again under another name', async () => {
    drop('orders-1.csv', 'order X\n');
    await poller(db.store).pollOnce();
    drop('orders-1-resent.csv', 'order X\n');
    const again = await poller(db.store).pollOnce();
    expect(again.duplicates).toHaveLength(1);
    expect(handled).toEqual(['orders-1.csv']);
    expect(readdirSync(dirs.archive)).toHaveLength(2);
  });

  it('moves a file whose handler fails to failed/ with the error recorded and the content intact', async () => {
    drop('good.csv', 'order G\n', 1_700_000_001);
    drop('bad.csv', 'header\nBAD line\n', 1_700_000_002);
    const result = await poller(db.store).pollOnce();
    expect(result.processed).toHaveLength(1);
    expect(result.failed).toEqual([join(dirs.inbox, 'bad.csv')]);
    expect(await kvKeys(db.store)).toEqual(['good.csv']);

    const failedFiles = readdirSync(dirs.failed);
    expect(failedFiles).toHaveLength(1);
    expect(readFileSync(join(dirs.failed, failedFiles[0] ?? ''), 'utf8')).toBe('header\nBAD line\n');
    const receipt = (await poller(db.store).receipts()).find((r) => r.path.endsWith('bad.csv'));
    expect(receipt?.status).toBe('failed');
    expect(receipt?.error).toContain('line 2 is not a valid order');
    expect(receipt?.moved_to).toBe(join(dirs.failed, failedFiles[0] ?? ''));
    expect(readdirSync(dirs.inbox)).toEqual([]);
  });

  it('leaves a file after a retryable failure and takes it at the next poll', async () => {
    drop('later.csv', 'order L\n');
    let calls = 0;
    const flaky = async (file: InboundFile, tx: Tx) => {
      calls += 1;
      if (calls === 1) throw Errors.storeUnavailable('the ERP is down');
      await recordInKv(file, tx);
    };
    const first = await poller(db.store, sftp, flaky).pollOnce();
    expect(first.retrying).toHaveLength(1);
    expect(readdirSync(dirs.inbox)).toEqual(['later.csv']);
    const second = await poller(db.store, sftp, flaky).pollOnce();
    expect(second.processed).toHaveLength(1);
    expect(await kvKeys(db.store)).toEqual(['later.csv']);
  });

  it('after a crash between commit and archive, only the move is repeated', async () => {
    drop('x.csv', 'order X\n', 1_700_000_001);
    drop('y.csv', 'order Y\n', 1_700_000_002);
    const faulty = new FaultyTransport(sftp);
    faulty.fail('archive', ConnectorErrors.network('connection reset while moving'));

    const first = await poller(db.store, faulty).pollOnce();
    expect(first.processed).toHaveLength(2);
    expect(first.moveErrors.map((e) => e.path)).toEqual([join(dirs.inbox, 'x.csv')]);
    expect(readdirSync(dirs.inbox)).toEqual(['x.csv']);

    // The process restarts: a new poller on the reopened store sees x.csv again.
    const second = await poller(await db.reopen(), sftp).pollOnce();
    expect(second.processed).toEqual([]);
    expect(second.moved).toEqual([join(dirs.inbox, 'x.csv')]);
    expect(readdirSync(dirs.inbox)).toEqual([]);
    expect(handled).toEqual(['x.csv', 'y.csv']);
    expect(await kvKeys(db.store)).toEqual(['x.csv', 'y.csv']);
  });
});
