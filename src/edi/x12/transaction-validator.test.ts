import { describe, expect, it } from 'vitest';
import { parseX12 } from './document.js';
import { allIssues, validateX12Document } from './envelope.js';
import { BUILTIN_SPECS } from './specs/index.js';
import { findTransactionSpec, specChecker } from './transaction-validator.js';

function check(id: string, body: string[], version = '004010') {
  const segs = [`ST*${id}*0001`, ...body, `SE*${body.length + 2}*0001`];
  const text = segs.map((s) => `${s}~`).join('');
  const result = validateX12Document(parseX12(text), { transactionChecker: specChecker(BUILTIN_SPECS), defaultVersion: version });
  return allIssues(result).filter((i) => i.severity === 'error');
}
const brief = (issues: ReturnType<typeof check>) =>
  issues.map((i) => `${i.segmentTag}@${i.segmentPosition}${i.elementPosition ? `.${i.elementPosition}` : ''}:${i.ackCode}`);

describe('transaction set validation', () => {
  it('accepts a minimal valid 850, 855, 856, 810, 846, 940, 945 and 997', () => {
    expect(check('850', ['BEG*00*SA*PO1**20240115', 'N1*ST*DC 12', 'PO1*1*2*EA*3.5**UP*012345678905', 'PID*F****WIDGET', 'CTT*1'])).toEqual(
      [],
    );
    expect(check('855', ['BAK*00*AC*PO1*20240115', 'PO1*1*2*EA*3.5', 'ACK*IA*2*EA', 'CTT*1'], '005010')).toEqual([]);
    expect(
      check('856', [
        'BSN*00*SH1*20240115*1200',
        'HL*1**S',
        'TD1*CTN25*1',
        'TD5*B*2*UPSN',
        'HL*2*1*O',
        'PRF*PO1',
        'HL*3*2*P',
        'MAN*GM*00000123',
        'HL*4*3*I',
        'LIN**UP*012345678905',
        'SN1**2*EA',
        'CTT*4',
      ]),
    ).toEqual([]);
    expect(check('810', ['BIG*20240115*INV1**PO1', 'IT1*1*2*EA*3.5**UP*012345678905', 'TDS*700', 'CTT*1'])).toEqual([]);
    expect(check('846', ['BIA*00*SI*R1*20240115', 'LIN**UP*012345678905', 'QTY*33*10*EA', 'CTT*1'], '005010')).toEqual([]);
    expect(check('940', ['W05*N*ORD1', 'N1*ST*STORE', 'LX*1', 'W01*5*CA*012345678905', 'W76*5'])).toEqual([]);
    expect(check('945', ['W06*F*ORD1*20240115*SH1', 'N1*ST*STORE', 'W27*M*UPSN', 'LX*1', 'W12*CC*5*5**CA', 'W03*5'])).toEqual([]);
    expect(check('997', ['AK1*PO*7', 'AK2*850*0001', 'AK5*A', 'AK9*A*1*1*1'])).toEqual([]);
  });

  it('names unknown, unexpected, missing and out-of-sequence segments with AK304 codes', () => {
    expect(
      brief(
        check('850', [
          'BEG*00*SA*PO1**20240115',
          'ZZZ*1',
          'BSN*00*X*20240115*1200',
          'PO1*1*2*EA',
          'REF*ZZ*late',
          'CTT*1',
          'BEG*00*SA*X**20240115',
        ]),
      ),
    ).toEqual(['ZZZ@3:1', 'BSN@4:2', 'BEG@8:7']);
    expect(brief(check('850', ['PO1*1*2*EA']))).toEqual(['BEG@2:3']);
    expect(check('850', ['PO1*1*2*EA'])[0]?.message).toBe('mandatory segment BEG is missing before PO1');
  });

  it('counts loop and segment repeats against their maximum', () => {
    const many = Array.from({ length: 4 }, (_, i) => `PER*IC*NAME${i}`);
    expect(brief(check('850', ['BEG*00*SA*PO1**20240115', ...many, 'PO1*1*2*EA']))).toEqual(['PER@6:5']);
  });

  it('checks elements: mandatory, type, length, code list, date, repetitions, too many elements', () => {
    const issues = check('850', ['BEG*99*SA***2024-01-15', 'PO1*1*2X*EA*3.5', 'CTT*1*2*3*EA*5*LB*7*8']);
    expect(brief(issues)).toEqual(['BEG@2.1:7', 'BEG@2.3:1', 'BEG@2.5:8', 'BEG@2:8', 'PO1@3.2:6', 'PO1@3:8', 'CTT@4.8:3', 'CTT@4:8']);
    expect(issues[0]).toMatchObject({ dataElementRef: 353, value: '99', code: 'CD_ERR_X12_ELEMENT', transactionControl: '0001' });
  });

  it('checks 856 HL levels and parents', () => {
    const issues = check('856', ['BSN*00*SH1*20240115*1200', 'HL*1**S', 'HL*2*9*O', 'HL*3*1*Z']);
    expect(brief(issues)).toEqual(['HL@4.2:7', 'HL@4:8', 'HL@5.3:7', 'HL@5:8']);
    expect(issues[0]?.loopId).toBe('HL');
  });

  it('picks the spec by GS08 version and warns for an unknown transaction set', () => {
    expect(findTransactionSpec(BUILTIN_SPECS, '856', '004010VICS')?.id).toBe('856');
    expect(findTransactionSpec(BUILTIN_SPECS, '856', '005010')?.versions).toContain('005010');
    expect(findTransactionSpec(BUILTIN_SPECS, '856', '003020')).toBeUndefined();
    const result = validateX12Document(parseX12('ST*123*0001~XX*1~SE*3*0001~'), {
      transactionChecker: specChecker(BUILTIN_SPECS),
      defaultVersion: '004010',
    });
    expect(allIssues(result).map((i) => [i.severity, i.code, i.transactionControl])).toEqual([
      ['warning', 'CD_WARN_X12_UNKNOWN_TRANSACTION', '0001'],
    ]);
  });
});
