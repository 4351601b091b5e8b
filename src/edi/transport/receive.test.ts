import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import {
  InMemoryControlNumberAllocator as EdifactAllocator,
  InMemoryInterchangeRegistry,
  parseContrl,
  parseEdifact,
} from '../edifact/index.js';
import { PartnerDirectory } from '../partners/directory.js';
import { parsePartnerProfiles } from '../partners/load.js';
import { InMemoryControlNumberAllocator, InMemorySeenInterchanges, parseX12, readAcknowledgements } from '../x12/index.js';
import { receiveEdifact } from './receive-edifact.js';
import { receiveX12 } from './receive-x12.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');
const x12Sample = readFileSync(resolve(samples, 'x12/node-x12__850.edi'), 'utf8');
const ordersSample = readFileSync(resolve(samples, 'edifact/vscode-edi-support__sample-orders.edifact'), 'utf8');

const directory = new PartnerDirectory(
  parsePartnerProfiles(`
partners:
  - id: xyz
    standard: x12
    x12: { ours: { qualifier: '01', id: '999999999' }, theirs: { qualifier: '12', id: '4405197800' }, version: '004010' }
    inbound: [ { type: '850' } ]
  - id: eu
    standard: edifact
    edifact: { ours: { qualifier: '14', id: '<Receiver GLN>' }, theirs: { qualifier: '14', id: '<Sender GLN>' }, version: 'D:96A' }
    inbound: [ { type: ORDERS } ]
`),
);
const clock = new ManualClock(Date.parse('2026-03-02T09:00:00Z'));

const x12 = (text: string) =>
  receiveX12(text, {
    partner: directory.get('xyz'),
    directory,
    seen: new InMemorySeenInterchanges(),
    allocator: new InMemoryControlNumberAllocator(),
    now: new Date(clock.now()),
  });

const edifact = (text: string, seen = new InMemoryInterchangeRegistry()) =>
  receiveEdifact(text, { partner: directory.get('eu'), directory, seen, allocator: new EdifactAllocator(), clock });

describe('receiving X12 from a partner', () => {
  it('delivers an 850 from the partner addressed to us', async () => {
    const r = await x12(x12Sample);
    expect(r.translations).toHaveLength(1);
    expect(r.rejected).toEqual([]);
  });

  it("refuses an interchange from someone else in the partner's inbox with a TA1 006, delivering nothing", async () => {
    const r = await x12(x12Sample.replace('*12*4405197800     *', '*12*INTRUDER       *'));
    expect(r.translations).toEqual([]);
    expect(r.rejected[0]?.errors[0]).toMatchObject({ segmentTag: 'ISA', elementPosition: 6, ackCode: '006' });
    const ta1 = r.acks.flatMap((a) => readAcknowledgements(parseX12(a.text)).ta1);
    expect(ta1[0]).toMatchObject({ status: 'R', note: '006' });
  });
});

describe('receiving EDIFACT from a partner', () => {
  it('delivers an ORDERS and answers with a CONTRL accepting it; the same interchange again is refused with code 26', async () => {
    const seen = new InMemoryInterchangeRegistry();
    const first = await edifact(ordersSample, seen);
    expect(first.translations).toHaveLength(1);
    const contrl = parseContrl(parseEdifact(first.acks[0]?.text ?? '').interchanges[0]?.messages[0] ?? expect.unreachable());
    expect(contrl).toMatchObject({ interchangeRef: '5', action: '7' });

    const again = await edifact(ordersSample, seen);
    expect(again.translations).toEqual([]);
    expect(again.duplicates).toEqual(['5']);
    const refused = parseContrl(parseEdifact(again.acks[0]?.text ?? '').interchanges[0]?.messages[0] ?? expect.unreachable());
    expect(refused).toMatchObject({ action: '4', error: { code: '26' } });
  });

  it('rejects a message naming its segment and element in the CONTRL (UCM 4, UCS, UCD)', async () => {
    const bad = ordersSample.replace("QTY+21:5'", "QTY+21:FIVE'");
    const r = await edifact(bad);
    expect(r.translations).toEqual([]);
    expect(r.rejected).toHaveLength(1);
    const report = parseContrl(parseEdifact(r.acks[0]?.text ?? '').interchanges[0]?.messages[0] ?? expect.unreachable());
    expect(report.messages[0]).toMatchObject({ messageRef: '1', action: '4' });
    // QTY is segment 17 of the message (UNH = 1); C186 is its element 1, 6060 the quantity its component 2.
    expect(report.messages[0]?.segmentErrors[0]).toMatchObject({ position: 17 });
    expect(report.messages[0]?.segmentErrors[0]?.elements[0]).toMatchObject({ elementPosition: 1, componentPosition: 2 });
  });

  it('refuses an interchange not addressed to us with code 7', async () => {
    const r = await edifact(ordersSample.replace('<Receiver GLN>', 'SOMEONE ELSE'));
    expect(r.translations).toEqual([]);
    const report = parseContrl(parseEdifact(r.acks[0]?.text ?? '').interchanges[0]?.messages[0] ?? expect.unreachable());
    expect(report).toMatchObject({ action: '4', error: { code: '7' } });
  });
});
