import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SshdServer, startSshd } from '../../../../test/support/sshd.js';
import { ManualClock } from '../../../kernel/index.js';
import { ConnectorErrors } from '../errors.js';
import { OutboundFileSender, SftpTransport } from './index.js';
import { FaultyTransport } from './testing/faulty.transport.js';
import { openFilesTestStore } from './testing/store.js';

let sshd: SshdServer;
let sftp: SftpTransport;
let db: Awaited<ReturnType<typeof openFilesTestStore>>;
let outbox: string;
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
  outbox = join(sshd.root, `out-${caseNo}`);
  mkdirSync(outbox);
});

afterEach(async () => {
  await db.cleanup();
});

describe('OutboundFileSender over SFTP', () => {
  it('uploads a document once; sending the same document id again uploads nothing', async () => {
    const sender = new OutboundFileSender({ store: db.store, transport: sftp });
    const path = join(outbox, 'INV-1001.x12');
    const first = await sender.send({ documentId: 'inv-1001', path, content: 'ISA*00*...~' });
    expect(first.outcome).toBe('sent');
    expect(readFileSync(path, 'utf8')).toBe('ISA*00*...~');

    // The partner picks the file up; a retry of the same document must not put it back.
    rmSync(path);
    const again = await new OutboundFileSender({ store: await db.reopen(), transport: sftp }).send({
      documentId: 'inv-1001',
      path,
      content: 'ISA*00*...~',
    });
    expect(again.outcome).toBe('already-sent');
    expect(readdirSync(outbox)).toEqual([]);
  });

  it('finishes a send interrupted before the rename without uploading twice', async () => {
    const faulty = new FaultyTransport(sftp);
    faulty.fail('rename', ConnectorErrors.network('connection lost'));
    const path = join(outbox, 'PO-1.csv');
    await expect(
      new OutboundFileSender({ store: db.store, transport: faulty }).send({ documentId: 'po-1', path, content: 'a,b\n' }),
    ).rejects.toThrow('connection lost');
    expect(readdirSync(outbox).filter((n) => !n.startsWith('.'))).toEqual([]);

    const sender = new OutboundFileSender({ store: db.store, transport: faulty });
    expect((await sender.send({ documentId: 'po-1', path, content: 'a,b\n' })).outcome).toBe('sent');
    expect(readdirSync(outbox)).toEqual(['PO-1.csv']);
    expect(faulty.calls.filter((c) => c === 'write')).toHaveLength(1);
  });

  it('treats a send whose rename happened before a crash as sent, even once the partner took the file', async () => {
    const faulty = new FaultyTransport(sftp);
    faulty.fail('rename', ConnectorErrors.network('reply lost'), { after: true });
    const path = join(outbox, 'ASN-7.xml');
    const sender = new OutboundFileSender({ store: db.store, transport: faulty });
    await expect(sender.send({ documentId: 'asn-7', path, content: '<asn/>' })).rejects.toThrow('reply lost');
    rmSync(path);

    expect((await sender.send({ documentId: 'asn-7', path, content: '<asn/>' })).outcome).toBe('sent');
    expect(readdirSync(outbox)).toEqual([]);
    expect((await sender.get('asn-7'))?.status).toBe('sent');
  });

  it('tracks acknowledgements and lists documents still waiting for one', async () => {
    const clock = new ManualClock();
    const sender = new OutboundFileSender({ store: db.store, transport: sftp, clock });
    await sender.send({ documentId: 'doc-a', path: join(outbox, 'a.txt'), content: 'a' });
    await sender.send({ documentId: 'doc-b', path: join(outbox, 'b.txt'), content: 'b' });
    clock.advance(60_000);
    await sender.acknowledge('doc-a', 'accepted', '997 AK9*A');
    expect((await sender.awaitingAck(clock.now())).map((s) => s.document_id)).toEqual(['doc-b']);
    expect((await sender.get('doc-a'))?.ack_detail).toBe('997 AK9*A');
    await expect(sender.acknowledge('doc-unknown', 'rejected')).rejects.toThrow(/no document doc-unknown/);
  });
});
