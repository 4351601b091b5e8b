import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceExample } from '../src/canonical/examples/finance.js';
import { type Hub, startHub } from '../src/cli/runtime/hub.js';
import { createEdiModule } from '../src/cli/runtime/modules/edi.module.js';
import { type FileTransport, SftpTransport } from '../src/connectors/sdk/files/index.js';
import { ExceptionQueue } from '../src/domains/exceptions/index.js';
import { edifact, type PartnerProfile, x12 } from '../src/edi/index.js';
import { loadConfig, ManualClock, silentLogger } from '../src/kernel/index.js';
import { runCli } from './support/cli.js';
import { type SshdServer, startSshd } from './support/sshd.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');

let sshd: SshdServer;
let dataDir: string;
let partnersFile: string;
const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));
const dirsOf = (p: string) => ({
  in: join(sshd.root, p, 'in'),
  out: join(sshd.root, p, 'out'),
  archive: join(sshd.root, p, 'archive'),
  failed: join(sshd.root, p, 'failed'),
});

function transportYaml(p: string): string {
  const d = dirsOf(p);
  return `    transport:
      kind: sftp
      host: ${sshd.host}
      port: ${sshd.port}
      username: ${sshd.username}
      privateKeyRef: EDI_TEST_KEY
      hostFingerprint: '${sshd.hostFingerprint}'
      inboundDir: ${d.in}
      outboundDir: ${d.out}
      archiveDir: ${d.archive}
      failedDir: ${d.failed}
      pollIntervalMs: 1000
`;
}

const outFiles = (p: string) =>
  readdirSync(dirsOf(p).out)
    .filter((f) => !f.startsWith('.'))
    .sort();

/** A transport whose archive step fails: the process "dies" between commit and move. */
function failingArchive(inner: FileTransport): FileTransport {
  return {
    id: inner.id,
    list: (d) => inner.list(d),
    stat: (p) => inner.stat(p),
    read: (p, o) => inner.read(p, o),
    write: (p, d) => inner.write(p, d),
    rename: (a, b) => inner.rename(a, b),
    archive: async () => {
      throw new Error('connection lost');
    },
    remove: (p) => inner.remove(p),
    close: () => inner.close(),
  };
}

async function hubWith(options: { archiveFails?: boolean; timers?: boolean } = {}): Promise<Hub> {
  const config = loadConfig({ env: {}, overrides: { dataDir, port: 0, log: { level: 'silent' } } });
  return startHub(config, {
    logger: silentLogger(),
    modules: [
      createEdiModule({
        partners: partnersFile,
        env: { EDI_TEST_KEY: sshd.privateKey },
        timers: options.timers ?? false,
        clock,
        ...(options.archiveFails
          ? {
              transportFor: (p: PartnerProfile) =>
                failingArchive(
                  new SftpTransport({
                    id: `sftp:${p.id}`,
                    host: sshd.host,
                    port: sshd.port,
                    username: sshd.username,
                    privateKey: sshd.privateKey,
                    hostFingerprint: sshd.hostFingerprint,
                  }),
                ),
            }
          : {}),
      }),
    ],
  });
}

function edi(hub: Hub) {
  const runtime = hub.services.edi;
  if (!runtime) throw new Error('the edi module did not start');
  return runtime;
}

beforeAll(async () => {
  sshd = await startSshd();
  for (const p of ['xyz', 'eu']) for (const d of Object.values(dirsOf(p))) mkdirSync(d, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'cd-edi-hub-'));
  partnersFile = join(dataDir, 'partners.yaml');
  writeFileSync(
    partnersFile,
    `partners:
  - id: xyz-retail
    standard: x12
    owner: edi-team
    x12:
      ours: { qualifier: '01', id: '999999999' }
      theirs: { qualifier: '12', id: '4405197800' }
      version: '004010'
    inbound:
      - type: '850'
    outbound:
      - type: '810'
    acknowledgements: { send: true, kind: '997', expect: true, expectWithinMinutes: 30 }
${transportYaml('xyz')}
  - id: eu-buyer
    standard: edifact
    edifact:
      ours: { qualifier: '14', id: '<Receiver GLN>' }
      theirs: { qualifier: '14', id: '<Sender GLN>' }
      version: 'D:96A'
    defaultCurrency: EUR
    inbound:
      - type: ORDERS
    outbound:
      - type: INVOIC
    acknowledgements: { expectWithinMinutes: 30 }
${transportYaml('eu')}
`,
  );
}, 30_000);

afterAll(async () => {
  await sshd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the edi hub module', () => {
  it('stays inert when no trading partner is configured', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cd-edi-none-'));
    const config = loadConfig({ env: {}, overrides: { dataDir: empty, port: 0, log: { level: 'silent' } } });
    const hub = await startHub(config, { logger: silentLogger(), modules: [createEdiModule({ env: {}, cwd: empty })] });
    try {
      expect(hub.services.edi).toBeUndefined();
    } finally {
      await hub.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses to start on a bad profile, naming the path', async () => {
    const bad = join(dataDir, 'bad.yaml');
    writeFileSync(bad, 'partners:\n  - id: Bad Id\n    standard: x12\n');
    const empty = mkdtempSync(join(tmpdir(), 'cd-edi-bad-'));
    const config = loadConfig({ env: {}, overrides: { dataDir: empty, port: 0, log: { level: 'silent' } } });
    await expect(startHub(config, { logger: silentLogger(), modules: [createEdiModule({ partners: bad, env: {} })] })).rejects.toThrow(
      /partners\.0\.id/,
    );
    rmSync(empty, { recursive: true, force: true });
  });

  it('polls X12 and EDIFACT inboxes, publishes canonical events and sends 997 and CONTRL; never twice across a restart', async () => {
    writeFileSync(join(dirsOf('xyz').in, 'po.edi'), readFileSync(join(samples, 'x12/node-x12__850.edi')));
    writeFileSync(join(dirsOf('eu').in, 'orders.edi'), readFileSync(join(samples, 'edifact/vscode-edi-support__sample-orders.edifact')));

    // First process: the files are handled, but the move to the archive fails (as if it died there).
    let hub = await hubWith({ archiveFails: true });
    try {
      const polled = await edi(hub).pollOnce();
      expect(polled['xyz-retail']?.processed).toHaveLength(1);
      expect(polled['eu-buyer']?.processed).toHaveLength(1);
      expect(polled['xyz-retail']?.moveErrors).toHaveLength(1);
    } finally {
      await hub.stop();
    }
    expect(readdirSync(dirsOf('xyz').in)).toEqual(['po.edi']);

    // Second process on the same store: the leftovers are only archived, not handled again.
    hub = await hubWith();
    try {
      const polled = await edi(hub).pollOnce();
      expect(polled['xyz-retail']?.processed).toEqual([]);
      expect(polled['xyz-retail']?.moved).toHaveLength(1);
      expect(readdirSync(dirsOf('xyz').in)).toEqual([]);
      expect(readdirSync(dirsOf('xyz').archive).some((f) => f.endsWith('_po.edi'))).toBe(true);

      const orders = await hub.eventlog.read('orders', { limit: 10 });
      expect(orders.map((o) => o.envelope.type)).toEqual(['crossdock.order.received.v1', 'crossdock.order.received.v1']);
      const x12Order = orders.find((o) => o.envelope.source === 'crossdock://edi/xyz-retail')?.envelope;
      expect(x12Order).toMatchObject({ subject: 'order/08292233294', data: { customerPoNumber: '08292233294' } });
      const euOrder = orders.find((o) => o.envelope.source === 'crossdock://edi/eu-buyer')?.envelope;
      expect(euOrder).toMatchObject({ subject: 'order/1AA1TEST', data: { currency: 'EUR' } });

      // One 997 and one CONTRL, each sent once.
      expect(outFiles('xyz')).toHaveLength(1);
      const ack = x12.readAcknowledgements(x12.parseX12(readFileSync(join(dirsOf('xyz').out, outFiles('xyz')[0] ?? ''))));
      expect(ack.functional[0]).toMatchObject({ kind: '997', status: 'A' });
      expect(outFiles('eu')).toHaveLength(1);
      const contrl = edifact.parseEdifact(readFileSync(join(dirsOf('eu').out, outFiles('eu')[0] ?? '')));
      const report = edifact.parseContrl(contrl.interchanges[0]?.messages[0] ?? edifact.messageFromHeader(contrl.segments[0] ?? never()));
      expect(report).toMatchObject({ interchangeRef: '5', action: '7' });
    } finally {
      await hub.stop();
    }
  });

  it('sends an INVOIC, and raises an overdue exception when the CONTRL does not come back; a late CONTRL closes it', async () => {
    const hub = await hubWith();
    try {
      const runtime = edi(hub);
      const sent = await runtime.outbound.send('eu-buyer', 'invoice.v1', [{ ...invoiceExample, currency: 'EUR' }]);
      expect(await runtime.flush('eu-buyer')).toHaveLength(1);
      const written = edifact.parseEdifact(readFileSync(join(dirsOf('eu').out, sent.path.split('/').pop() ?? '')));
      expect(written.interchanges[0]).toMatchObject({ sender: { id: '<Receiver GLN>' }, recipient: { id: '<Sender GLN>' } });
      expect(written.interchanges[0]?.messages[0]?.type).toBe('INVOIC');

      clock.advance(31 * 60_000);
      expect(await runtime.checkOverdue()).toBe(1);
      const queue = new ExceptionQueue(hub.store);
      const open = await queue.list({ status: 'open', category: 'edi.ack-overdue' });
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ partner: 'eu-buyer' });

      // Their CONTRL accepting our interchange arrives late.
      const ic = String(sent.interchangeControl);
      const msg = String(sent.transactionControls[0]);
      writeFileSync(
        join(dirsOf('eu').in, 'contrl.edi'),
        `UNB+UNOA:3+<Sender GLN>:14+<Receiver GLN>:14+260302:1000+C1'UNH+1+CONTRL:D:3:UN'UCI+${ic}+<Receiver GLN>:14+<Sender GLN>:14+7'UCM+${msg}+INVOIC:D:96A:UN+7'UNT+4+1'UNZ+1+C1'`,
      );
      const before = outFiles('eu');
      await runtime.pollPartner('eu-buyer');
      expect(outFiles('eu')).toEqual(before); // no CONTRL for a CONTRL
      expect((await runtime.ledger.list('eu-buyer')).find((d) => d.interchangeControl === ic)?.status).toBe('accepted');
      expect(await queue.list({ status: 'open', category: 'edi.ack-overdue' })).toHaveLength(0);
    } finally {
      await hub.stop();
    }
  });
});

describe('the edi hub module on its timers', () => {
  it('picks up a file dropped in the inbox without being asked, and publishes its order', async () => {
    const hub = await hubWith({ timers: true });
    try {
      const sample = readFileSync(join(samples, 'x12/node-x12__850.edi'), 'utf8');
      writeFileSync(
        join(dirsOf('xyz').in, 'po-timer.edi'),
        sample.replaceAll('000003438', '000003500').replace('BEG*00*SA*08292233294', 'BEG*00*SA*TIMER-1'),
      );
      let found = false;
      for (let i = 0; i < 100 && !found; i++) {
        const orders = await hub.eventlog.read('orders', { limit: 50 });
        found = orders.some((o) => o.envelope.subject === 'order/TIMER-1');
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(true);
    } finally {
      await hub.stop();
    }
  }, 40_000);

  it("takes a partner's SFTP key from the credential vault (crossdock edi key set), and names a missing one", async () => {
    const keyFile = join(dataDir, 'xyz.key');
    writeFileSync(keyFile, sshd.privateKey, { mode: 0o600 });
    const set = runCli(['edi', 'key', 'set', 'edi-test', keyFile, '--data', dataDir]);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain('use privateKeyRef: vault:edi-test');
    rmSync(keyFile);
    const vaulted = join(dataDir, 'partners-vault.yaml');
    writeFileSync(vaulted, readFileSync(partnersFile, 'utf8').replaceAll('privateKeyRef: EDI_TEST_KEY', 'privateKeyRef: vault:edi-test'));
    const config = loadConfig({ env: {}, overrides: { dataDir, port: 0, log: { level: 'silent' } } });
    // No key in the environment: only the vault has it.
    const hub = await startHub(config, {
      logger: silentLogger(),
      modules: [createEdiModule({ partners: vaulted, env: {}, timers: true, clock })],
    });
    try {
      const sample = readFileSync(join(samples, 'x12/node-x12__850.edi'), 'utf8');
      writeFileSync(
        join(dirsOf('xyz').in, 'po-vault.edi'),
        sample.replaceAll('000003438', '000003501').replace('BEG*00*SA*08292233294', 'BEG*00*SA*VAULT-1'),
      );
      let found = false;
      for (let i = 0; i < 100 && !found; i++) {
        const orders = await hub.eventlog.read('orders', { limit: 100 });
        found = orders.some((o) => o.envelope.subject === 'order/VAULT-1');
        if (!found) await new Promise((r) => setTimeout(r, 200));
      }
      expect(found).toBe(true);
    } finally {
      await hub.stop();
    }
    const missing = join(dataDir, 'partners-missing.yaml');
    writeFileSync(missing, readFileSync(vaulted, 'utf8').replaceAll('vault:edi-test', 'vault:nowhere'));
    await expect(
      startHub(config, { logger: silentLogger(), modules: [createEdiModule({ partners: missing, env: {}, timers: false, clock })] }),
    ).rejects.toThrow(/no key vault:nowhere in the credential vault; store it with `crossdock edi key set`/);
  }, 60_000);
});

function never(): never {
  throw new Error('no segment');
}
