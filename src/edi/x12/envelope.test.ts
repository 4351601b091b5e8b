import { describe, expect, it } from 'vitest';
import { formatControlNumber, InMemoryControlNumberAllocator } from './control-numbers.js';
import { parseX12 } from './document.js';
import { checkDuplicateInterchange, InMemorySeenInterchanges } from './duplicates.js';
import { allIssues, validateX12Document } from './envelope.js';
import { issueToError } from './issues.js';

const ISA = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240115*1200*U*00401*000000101*0*P*>';
function build(over: Partial<Record<'gs' | 'se' | 'ge' | 'iea' | 'isa', string>> = {}): string {
  return [
    over.isa ?? ISA,
    over.gs ?? 'GS*PO*SENDER*RECEIVER*20240115*1200*7*X*004010',
    'ST*850*0001',
    'BEG*00*SA*PO-1**20240115',
    'PO1*1*2*EA*3.5**UP*012345678905',
    over.se ?? 'SE*4*0001',
    over.ge ?? 'GE*1*7',
    over.iea ?? 'IEA*1*000000101',
  ]
    .map((s) => `${s}~`)
    .join('\n');
}
const errorsOf = (text: string) => allIssues(validateX12Document(parseX12(text))).filter((i) => i.severity === 'error');

describe('X12 envelope validation', () => {
  it('passes a well-formed interchange', () => {
    expect(errorsOf(build())).toEqual([]);
  });

  it('reports SE01 and SE02 mismatches naming the transaction set and the 997 code', () => {
    const [count, control] = errorsOf(build({ se: 'SE*9*0002' }));
    expect(count).toMatchObject({
      code: 'CD_ERR_X12_COUNT_MISMATCH',
      ackCode: '4',
      segmentTag: 'SE',
      segmentPosition: 4,
      elementPosition: 1,
      value: '9',
    });
    expect(count?.message).toBe('SE01 says "9" segments, the transaction set has 4 (ST to SE)');
    expect(control).toMatchObject({
      code: 'CD_ERR_X12_CONTROL_MISMATCH',
      ackCode: '3',
      transactionControl: '0001',
      groupControl: '7',
      interchangeControl: '000000101',
    });
  });

  it('reports GE and IEA counts and control numbers', () => {
    const issues = errorsOf(build({ ge: 'GE*2*8', iea: 'IEA*3*000000999' }));
    expect(issues.map((i) => [i.code, i.segmentTag, i.elementPosition, i.ackCode])).toEqual([
      ['CD_ERR_X12_COUNT_MISMATCH', 'IEA', 1, '021'],
      ['CD_ERR_X12_CONTROL_MISMATCH', 'IEA', 2, '001'],
      ['CD_ERR_X12_COUNT_MISMATCH', 'GE', 1, '5'],
      ['CD_ERR_X12_CONTROL_MISMATCH', 'GE', 2, '4'],
    ]);
  });

  it('checks ISA widths and codes and GS date and time', () => {
    const isa = ISA.replace('SENDER         ', 'SENDER-ID-TOO-LONG').replace('240115', '241315').replace('*P*', '*Q*');
    const issues = errorsOf(build({ isa, gs: 'GS*PO*SENDER*RECEIVER*2024011*2561*7*X*004010' }));
    expect(issues.map((i) => `${i.segmentTag}${String(i.elementPosition).padStart(2, '0')}:${i.ackCode}`)).toEqual([
      'ISA06:006',
      'ISA09:014',
      'ISA15:020',
      'GS04:024',
      'GS05:024',
    ]);
    const collapsed = allIssues(validateX12Document(parseX12(build({ isa: ISA.replace('SENDER         ', 'SENDER') }))));
    expect(collapsed.map((i) => [i.severity, i.code])).toEqual([['warning', 'CD_WARN_X12_ISA_PADDING']]);
  });

  it('reports missing trailers and segments out of place', () => {
    const cut = build().split('\n').slice(0, 4).join('\n');
    expect(errorsOf(cut).map((i) => [i.segmentTag, i.ackCode])).toEqual([
      ['IEA', '023'],
      ['GE', '3'],
      ['SE', '2'],
    ]);
    const stray = build().replace('ST*850*0001~', 'REF*ZZ*1~\nST*850*0001~');
    expect(errorsOf(stray)[0]).toMatchObject({ code: 'CD_ERR_X12_ENVELOPE_STRUCTURE', segmentTag: 'REF', line: 3 });
  });

  it('turns an issue into a permanent CrossdockError naming where', () => {
    const [issue] = errorsOf(build({ se: 'SE*9*0001' }));
    const err = issueToError(issue ?? { code: '', severity: 'error', level: 'transaction', message: '' });
    expect(err.code).toBe('CD_ERR_X12_COUNT_MISMATCH');
    expect(err.errorClass).toBe('permanent');
    expect(err.message).toBe(
      'SE01 says "9" segments, the transaction set has 4 (ST to SE) (ISA13 000000101, GS06 7, ST02 0001, segment SE #4, element SE01, line 6)',
    );
  });

  it('detects a duplicate interchange through the store', async () => {
    const store = new InMemorySeenInterchanges();
    const ix = validateX12Document(parseX12(build())).interchanges[0];
    if (!ix) throw new Error('no interchange');
    expect(await checkDuplicateInterchange(store, ix)).toBeNull();
    expect(await checkDuplicateInterchange(store, ix)).toMatchObject({
      code: 'CD_ERR_X12_DUPLICATE_INTERCHANGE',
      ackCode: '025',
      interchangeControl: '000000101',
    });
    expect(await checkDuplicateInterchange(store, { ...ix, receiverId: 'OTHER' })).toBeNull();
  });
});

describe('control number allocation', () => {
  it('hands out consecutive numbers per partner and kind, never reusing one', async () => {
    const alloc = new InMemoryControlNumberAllocator();
    const got = await Promise.all([
      alloc.next('ZZ:A', 'interchange'),
      alloc.next('ZZ:A', 'interchange'),
      alloc.next('ZZ:B', 'interchange'),
      alloc.next('ZZ:A', 'group'),
    ]);
    expect(got).toEqual([1, 2, 1, 1]);
    expect(formatControlNumber(42, 'interchange')).toBe('000000042');
    expect(formatControlNumber(42, 'transaction')).toBe('0042');
    const full = new InMemoryControlNumberAllocator(999_999_999);
    await full.next('p', 'transaction');
    await expect(full.next('p', 'transaction')).rejects.toMatchObject({ code: 'CD_ERR_X12_CONTROL_NUMBER' });
  });
});
