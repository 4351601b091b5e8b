import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acknowledge, buildFunctionalAck, buildTa1 } from './ack.js';
import { parseFunctionalAck, readAcknowledgements } from './ack-parse.js';
import { InMemoryControlNumberAllocator } from './control-numbers.js';
import { parseX12 } from './document.js';
import { serializeX12 } from './serialize.js';
import { parseAndValidateX12 } from './validate.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');
const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*1200*U*00401*000000101*0*P*>';
const good = ['ST*850*0001', 'BEG*00*SA*PO1**20240115', 'PO1*1*2*EA*3.5', 'SE*4*0001'];
const bad = ['ST*850*0002', 'BEG*00*SA*PO2**2024-01-15', 'ZZZ*1', 'PO1*1*2X*EA', 'SE*9*0002'];
const text = [ISA, 'GS*PO*SENDER*RECEIVER*20240115*1200*7*X*004010', ...good, ...bad, 'GE*2*7', 'IEA*1*000000101']
  .map((s) => `${s}~`)
  .join('\n');
const D = { element: '*', repetition: '', component: ':', segment: '~' };

describe('acknowledgements', () => {
  it('builds a 997 naming the failing segment, element, codes and bad value', () => {
    const { result } = parseAndValidateX12(text);
    const group = result.interchanges[0]?.groups[0];
    if (!group) throw new Error('no group');
    const ack = serializeX12(buildFunctionalAck(group, { kind: '997', control: '0001' }), { delimiters: D, lineEnding: '\n' });
    expect(ack).toBe(
      [
        'ST*997*0001~',
        'AK1*PO*7~',
        'AK2*850*0001~',
        'AK5*A~',
        'AK2*850*0002~',
        'AK3*BEG*2**8~',
        'AK4*5*373*8*2024-01-15~',
        'AK3*ZZZ*3**1~',
        'AK3*PO1*4*PO1*8~',
        'AK4*2*330*6*2X~',
        'AK5*R*4*5~',
        'AK9*P*2*2*1~',
        'SE*13*0001~',
        '',
      ].join('\n'),
    );
  });

  it('builds a 999 with IK3/IK4/IK5 and AK1 version', () => {
    const { result } = parseAndValidateX12(text);
    const group = result.interchanges[0]?.groups[0];
    if (!group) throw new Error('no group');
    const segs = buildFunctionalAck(group, { kind: '999', control: '0009', includeAccepted: false });
    const out = serializeX12(segs, { delimiters: D });
    expect(out).toContain('ST*999*0009*005010X231A1~AK1*PO*7*004010~AK2*850*0002~IK3*BEG*2**8~IK4*5*373*8*2024-01-15~');
    expect(out).toContain('IK5*R*4*5~AK9*P*2*2*1~');
  });

  it('builds a TA1 from interchange errors and an accepted one otherwise', () => {
    const broken = parseAndValidateX12(text.replace('IEA*1*000000101', 'IEA*1*000000999')).result.interchanges[0];
    if (!broken) throw new Error('no interchange');
    expect(serializeX12([buildTa1(broken)], { delimiters: D })).toBe('TA1*000000101*240115*1200*R*001~');
    const fine = parseAndValidateX12(text).result.interchanges[0];
    if (!fine) throw new Error('no interchange');
    expect(serializeX12([buildTa1(fine)], { delimiters: D })).toBe('TA1*000000101*240115*1200*A*000~');
  });

  it('wraps acknowledgements in an envelope back to the sender, with allocated control numbers, that parses back', async () => {
    const { result } = parseAndValidateX12(text);
    const allocator = new InMemoryControlNumberAllocator(500);
    const [ix] = await acknowledge(result, { kind: '997', now: new Date('2024-02-03T04:05:00Z'), allocator });
    const out = serializeX12(ix ?? [], { delimiters: D, lineEnding: '\n' });
    expect(out.split('\n')[0]).toBe(
      'ISA*00*          *00*          *ZZ*RECEIVER       *ZZ*SENDER         *240203*0405*U*00401*000000500*0*P*:~',
    );
    expect(out).toContain('GS*FA*RECEIVER*SENDER*20240203*0405*500*X*004010~');
    const back = parseAndValidateX12(out);
    expect(back.result.interchanges[0]?.groups[0]?.transactions[0]?.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const parsed = readAcknowledgements(back.document).functional[0];
    expect(parsed).toMatchObject({ kind: '997', functionalId: 'PO', groupControl: '7', status: 'P', received: 2, accepted: 1 });
    expect(parsed?.transactions.map((t) => [t.control, t.accepted, t.codes])).toEqual([
      ['0001', true, []],
      ['0002', false, ['4', '5']],
    ]);
    expect(parsed?.transactions[1]?.segments[0]).toEqual({
      tag: 'BEG',
      position: 2,
      code: '8',
      elements: [{ position: 5, dataElementRef: 373, code: '8', value: '2024-01-15' }],
    });
  });

  it('reads public 997 and 999 samples', () => {
    const rejected = parseX12(readFileSync(`${samples}/x12/x12-types__test_997__test_997_2.edi`));
    const tx = rejected.interchanges[0]?.groups[0]?.transactions[0];
    if (!tx) throw new Error('no transaction');
    const ack = parseFunctionalAck(tx);
    expect(ack.status).toBe('R');
    expect(ack.transactions.map((t) => [t.status, t.codes])).toEqual([
      ['A', []],
      ['R', ['4']],
    ]);
    const staedi = readAcknowledgements(parseX12(readFileSync(`${samples}/x12/staedi__simple997.edi`))).functional[0];
    expect(staedi?.transactions[0]?.segments[0]?.elements[0]).toMatchObject({ position: 8, code: '7' });
    const ta1 = readAcknowledgements(parseX12(readFileSync(`${samples}/edge_cases/staedi__x12_interchange_ack.txt`))).ta1;
    expect(ta1).toEqual([{ control: '000000050', date: '200229', time: '1200', status: 'A', note: '000' }]);
  });

  it('rejects a 997 that cannot be read with CD_ERR_X12_ACK_INVALID', () => {
    const tx = parseX12('ST*997*0001~AK2*850*0001~SE*3*0001~').interchanges[0]?.groups[0]?.transactions[0];
    if (!tx) throw new Error('no transaction');
    expect(() => parseFunctionalAck(tx)).toThrowError(expect.objectContaining({ code: 'CD_ERR_X12_ACK_INVALID' }));
  });
});
