import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceExample } from '../src/canonical/examples/finance.js';
import { OutboundFileSender, SftpTransport } from '../src/connectors/sdk/files/index.js';
import { ExceptionQueue } from '../src/domains/exceptions/index.js';
import {
  AckLedger,
  type DeliveredDocuments,
  EdiInbox,
  EdiOutbound,
  EdiOutbox,
  PartnerDirectory,
  parsePartnerProfiles,
  StoreControlNumbers,
  StoreSeenInterchanges,
} from '../src/edi/index.js';
import { parseX12, readAcknowledgements } from '../src/edi/x12/index.js';
import { ManualClock } from '../src/kernel/index.js';
import { SqliteStore } from '../src/store/index.js';
import { type SshdServer, startSshd } from './support/sshd.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples/x12');

let sshd: SshdServer;
let store: SqliteStore;
let transport: SftpTransport;
const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
const delivered: DeliveredDocuments[] = [];
let dirs: { in: string; out: string; archive: string; failed: string };

function profileYaml(): string {
  return `
partners:
  - id: xyz-retail
    name: XYZ Retail
    standard: x12
    owner: edi-team
    x12:
      ours: { qualifier: '01', id: '999999999' }
      groupIds: { ours: '999999999', theirs: '4405197800' }
      theirs: { qualifier: '12', id: '4405197800' }
      version: '004010'
      delimiters: { element: '*', component: '>', segment: '~' }
    inbound:
      - type: '850'
        overrides:
          - field: lines.quantity.uom
            codes: { EA: C62 }
    outbound:
      - type: '810'
    acknowledgements: { send: true, kind: '997', expect: true, expectWithinMinutes: 60 }
    transport:
      kind: sftp
      host: ${sshd.host}
      port: ${sshd.port}
      username: ${sshd.username}
      privateKeyRef: XYZ_SFTP_KEY
      hostFingerprint: '${sshd.hostFingerprint}'
      inboundDir: ${dirs.in}
      outboundDir: ${dirs.out}
      archiveDir: ${dirs.archive}
      failedDir: ${dirs.failed}
`;
}

let directory: PartnerDirectory;
let inbox: EdiInbox;
let outbound: EdiOutbound;
let ledger: AckLedger;
let exceptions: ExceptionQueue;
let outbox: EdiOutbox;
let sender: OutboundFileSender;

beforeAll(async () => {
  sshd = await startSshd();
  dirs = { in: join(sshd.root, 'in'), out: join(sshd.root, 'out'), archive: join(sshd.root, 'archive'), failed: join(sshd.root, 'failed') };
  for (const d of Object.values(dirs)) mkdirSync(d);
  store = SqliteStore.open({ file: ':memory:' });
  await store.migrate();
  directory = new PartnerDirectory(parsePartnerProfiles(profileYaml()));
  const partner = directory.get('xyz-retail');
  transport = new SftpTransport({
    id: 'sftp:xyz-retail',
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    hostFingerprint: partner.transport?.hostFingerprint ?? '',
    connectTimeoutMs: 5000,
    operationTimeoutMs: 5000,
  });
  exceptions = new ExceptionQueue(store, { clock, ownerRules: directory.ownerRules() });
  ledger = new AckLedger(store, { exceptions, clock });
  outbox = new EdiOutbox(store, { clock });
  sender = new OutboundFileSender({ store, transport, clock });
  const controlNumbers = new StoreControlNumbers(store, { clock });
  inbox = new EdiInbox({
    store,
    partner,
    directory,
    transport,
    sender,
    controlNumbers,
    seen: new StoreSeenInterchanges(store, { clock }),
    ledger,
    outbox,
    exceptions,
    clock,
    deliver: async (docs) => {
      delivered.push(docs);
    },
  });
  outbound = new EdiOutbound({ store, directory, controlNumbers, ledger, outbox, clock });
}, 30_000);

afterAll(async () => {
  await transport?.close();
  await store?.close();
  await sshd?.stop();
});

const outFiles = () =>
  readdirSync(dirs.out)
    .filter((f) => !f.startsWith('.'))
    .sort();
const read = (f: string) => readFileSync(join(dirs.out, f), 'utf8');

describe('EDI over SFTP against OpenSSH', () => {
  it('takes an 850, acknowledges it with a 997 in the outbound dir and delivers a SalesOrder', async () => {
    writeFileSync(join(dirs.in, 'po-3438.edi'), readFileSync(join(samples, 'node-x12__850.edi')));
    const result = await inbox.pollOnce();
    expect(result.processed).toHaveLength(1);
    expect(delivered).toHaveLength(1);
    const order = delivered[0]?.objects[0];
    expect(order?.schema).toBe('salesorder.v1');
    expect(order?.data).toMatchObject({
      customerPoNumber: '08292233294',
      lines: expect.arrayContaining([expect.objectContaining({ quantity: { value: '120', uom: 'C62' } })]),
    });
    expect(readdirSync(dirs.archive).some((f) => f.endsWith('_po-3438.edi'))).toBe(true);

    const [ackFile] = outFiles();
    const ack = parseX12(read(ackFile ?? ''));
    expect(ack.interchanges[0]?.header?.elements[5]?.[0]?.[0]?.trim()).toBe('999999999');
    const { functional } = readAcknowledgements(ack);
    expect(functional[0]).toMatchObject({ kind: '997', groupControl: '1421', status: 'A' });
    expect(functional[0]?.transactions[0]).toMatchObject({ control: '000000010', accepted: true });
  });

  it('refuses the same interchange sent again with a TA1 025 and delivers nothing', async () => {
    // Same ISA13 from the same sender, different bytes (so the file itself is not a content duplicate).
    writeFileSync(join(dirs.in, 'po-3438-again.edi'), `${readFileSync(join(samples, 'node-x12__850.edi'), 'utf8')}\n`);
    const before = outFiles();
    await inbox.pollOnce();
    expect(delivered).toHaveLength(1);
    const fresh = outFiles().filter((f) => !before.includes(f));
    expect(fresh).toHaveLength(1);
    const { ta1 } = readAcknowledgements(parseX12(read(fresh[0] ?? '')));
    expect(ta1[0]).toMatchObject({ control: '000003438', status: 'R', note: '025' });
  });

  it('rejects a bad 850 naming segment and element, keeps it raw and raises an exception', async () => {
    const bad = readFileSync(join(samples, 'node-x12__850.edi'), 'utf8')
      .replace('000003438', '000003439')
      .replace('BEG*00*SA*08292233294**20101127', 'BEG*00*SA*08292233294**20101399');
    writeFileSync(join(dirs.in, 'po-bad.edi'), bad);
    const before = outFiles();
    await inbox.pollOnce();
    expect(delivered).toHaveLength(1);
    const fresh = outFiles().filter((f) => !before.includes(f));
    const { functional } = readAcknowledgements(parseX12(read(fresh[0] ?? '')));
    expect(functional[0]?.status).toBe('R');
    expect(functional[0]?.transactions[0]?.segments[0]).toMatchObject({
      tag: 'BEG',
      position: 2,
      elements: [expect.objectContaining({ position: 5 })],
    });
    const archived = readdirSync(dirs.archive).find((f) => f.endsWith('_po-bad.edi'));
    expect(readFileSync(join(dirs.archive, archived ?? ''), 'utf8')).toBe(bad);
    const open = await exceptions.list({ status: 'open', category: 'edi.inbound-rejected' });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ partner: 'xyz-retail', owner: 'edi-team' });
  });

  it('sends an 810 with the partner envelope and the next control numbers, and reconciles the 997', async () => {
    const sent = await outbound.send('xyz-retail', 'invoice.v1', [invoiceExample], { documentId: invoiceExample.id });
    const second = await outbound.send('xyz-retail', 'invoice.v1', [{ ...invoiceExample, id: 'inv-2', invoiceNumber: 'INV-2' }]);
    expect(second.interchangeControl).toBe(sent.interchangeControl + 1);
    await outbox.flush('xyz-retail', sender);
    const file = outFiles().find((f) => f === sent.path.split('/').pop());
    const doc = parseX12(read(file ?? ''));
    const isa = doc.interchanges[0]?.header;
    expect(isa?.elements[5]?.[0]?.[0]?.trim()).toBe('999999999');
    expect(isa?.elements[7]?.[0]?.[0]?.trim()).toBe('4405197800');
    expect(doc.interchanges[0]?.groups[0]?.transactions[0]?.id).toBe('810');
    expect((await ledger.list('xyz-retail')).filter((d) => d.status === 'pending')).toHaveLength(2);

    // The partner accepts the first interchange's group with a 997.
    const ack997 = [
      `ISA*00*          *00*          *12*4405197800     *01*999999999      *260302*0930*U*00401*000000777*0*P*>~`,
      `GS*FA*4405197800*999999999*20260302*0930*777*X*004010~`,
      'ST*997*0001~',
      `AK1*IN*${sent.groupControl}~`,
      'AK2*810*0001~',
      'AK5*A~',
      'AK9*A*1*1*1~',
      'SE*6*0001~',
      'GE*1*777~',
      'IEA*1*000000777~',
    ].join('\n');
    writeFileSync(join(dirs.in, '997-777.edi'), ack997);
    const before = outFiles();
    await inbox.pollOnce();
    expect(outFiles()).toEqual(before); // no acknowledgement of an acknowledgement
    const docs = await ledger.list('xyz-retail');
    expect(docs.find((d) => d.groupControl === String(sent.groupControl))?.status).toBe('accepted');
    expect(docs.find((d) => d.groupControl === String(second.groupControl))?.status).toBe('pending');

    // The second one is overdue: an exception for the partner; its late 997 closes it.
    clock.advance(61 * 60_000);
    expect(await ledger.raiseOverdue()).toBe(1);
    const overdue = await exceptions.list({ status: 'open', category: 'edi.ack-overdue' });
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({ partner: 'xyz-retail', owner: 'edi-team' });
    writeFileSync(
      join(dirs.in, '997-778.edi'),
      ack997
        .replaceAll('777', '778')
        .replace(`AK1*IN*${sent.groupControl}`, `AK1*IN*${second.groupControl}`)
        .replace('AK9*A', 'AK9*R')
        .replace('AK5*A', 'AK5*R*5'),
    );
    await inbox.pollOnce();
    expect((await ledger.list('xyz-retail')).find((d) => d.groupControl === String(second.groupControl))?.status).toBe('rejected');
    expect(await exceptions.list({ status: 'open', category: 'edi.ack-overdue' })).toHaveLength(0);
  });
});
