import { describe, expect, it } from 'vitest';
import { C, defineMessageSpec, G, M, MessageSpecRegistry, parseEdifact, S, validateMessage, validateMessageAuto } from './index.js';

const msgOf = (body: string) => parseEdifact(`UNB+UNOA:3+S+R+1:1+1'${body}UNZ+1+1'`).interchanges[0]!.messages[0]!;
const brief = (issues: ReturnType<typeof validateMessage>) =>
  issues.map(
    (i) =>
      `${i.severity[0]}${i.syntaxError} ${i.location.tag}@${i.location.segmentPosition}/${i.location.elementPosition ?? ''}:${i.location.componentPosition ?? ''}`,
  );

const TINY = defineMessageSpec({
  type: 'ORDERS',
  version: 'D',
  release: '96A',
  structure: [
    M('UNH'),
    M('BGM'),
    C('DTM', 2),
    G('SG2', 'C', 2, [M('NAD'), C('RFF')]),
    G('SG25', 'M', 5, [M('LIN'), C('QTY', 2)]),
    M('UNS'),
    M('UNT'),
  ],
  segments: {
    BGM: S.seg('BGM', 'Beginning of message', S.comp('C002', false, [S.c('1001', 'an..3')]), S.c('1004', 'an..35'), S.c('1225', 'an..3')),
    NAD: S.seg('NAD', 'Name and address', S.m('3035', 'an..3', ['BY', 'SU'])),
    QTY: S.seg('QTY', 'Quantity', S.comp('C186', true, [S.m('6063', 'an..3'), S.m('6060', 'n..15'), S.c('6411', 'an..3')])),
    UNS: S.seg('UNS', 'Section control', S.m('0081', 'a1')),
  },
});

describe('message validation', () => {
  it('accepts a message that fits the spec', () => {
    expect(
      validateMessage(msgOf("UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'NAD+BY'RFF+ON:1'NAD+SU'LIN+1'QTY+21:5'UNS+S'UNT+9+1'"), TINY),
    ).toEqual([]);
  });

  it('reports missing, unexpected and over-repeated segments and groups with their positions', () => {
    const msg = msgOf("UNH+1+ORDERS:D:96A:UN'DTM+1'DTM+2'DTM+3'NAD+BY'NAD+SU'NAD+BY'FOO+1'UNS+S'UNT+10+1'");
    expect(brief(validateMessage(msg, TINY))).toEqual(['e13 DTM@2/:', 'e35 DTM@4/:', 'e36 NAD@7/:', 'e15 FOO@8/:', 'e13 UNS@9/:']);
    const missing = validateMessage(msg, TINY)[0]!;
    expect(missing.message).toContain('mandatory segment BGM is missing before DTM');
  });

  it('checks elements: too many, missing mandatory, formats, lengths and code lists', () => {
    const msg = msgOf("UNH+1+ORDERS:D:96A:UN'BGM+220:X+PO1+9+EXTRA'NAD+XX'LIN+1'QTY+21:1,5.0'QTY+:7'UNS+SS'UNT+8+1'");
    expect(brief(validateMessage(msg, TINY))).toEqual([
      'e16 BGM@2/4:',
      'e16 BGM@2/1:2',
      'w14 NAD@3/1:',
      'e19 QTY@5/1:2',
      'e13 QTY@6/1:1',
      'e39 UNS@7/1:',
    ]);
    expect(brief(validateMessage(msg, TINY, { codeLists: 'error' }))).toContain('e14 NAD@3/1:');
    expect(brief(validateMessage(msg, TINY, { codeLists: 'off' }))).not.toContain('w14 NAD@3/1:');
  });

  it('honours the decimal mark and n..N digit counting', () => {
    const ok = msgOf("UNH+1+ORDERS:D:96A:UN'BGM+220'LIN+1'QTY+21:-123456789012345,5'UNS+S'UNT+6+1'");
    expect(brief(validateMessage(ok, TINY, { decimalMark: ',' }))).toEqual(['e39 QTY@4/1:2']);
  });
});

describe('bundled specs and registry', () => {
  const registry = new MessageSpecRegistry();

  it('has D96A and D01B ORDERS, ORDRSP, DESADV, INVOIC, INVRPT and CONTRL for syntax 3 and 4', () => {
    for (const type of ['ORDERS', 'ORDRSP', 'DESADV', 'INVOIC', 'INVRPT']) {
      for (const release of ['96A', '01B']) expect(registry.find(type, 'D', release)?.exact).toBe(true);
    }
    expect(registry.find('CONTRL', 'D', '3')?.exact).toBe(true);
    expect(registry.find('CONTRL', '4', '1')?.exact).toBe(true);
  });

  it('stands in the nearest earlier directory, else the earliest later one, and says so', () => {
    expect(registry.find('INVOIC', 'D', '97B', true)?.spec.release).toBe('96A');
    expect(registry.find('INVOIC', 'D', '07A', true)?.spec.release).toBe('01B');
    expect(registry.find('INVOIC', 'D', '93A', true)?.spec.release).toBe('96A');
    expect(registry.find('INVOIC', 'D', '97B')).toBeUndefined();
    const { issues } = validateMessageAuto(msgOf("UNH+1+INVOIC:D:97B:UN'BGM+380'DTM+137:20200101:102'UNS+S'MOA+86:1'UNT+6+1'"), registry);
    expect(issues.map((i) => i.code)).toEqual(['CD_WARN_EDIFACT_SPEC_STAND_IN']);
  });

  it('an unknown message type is a "no agreement" error, not a silent pass', () => {
    const { issues } = validateMessageAuto(msgOf("UNH+1+IFTMIN:D:96A:UN'UNT+2+1'"), registry);
    expect(issues.map((i) => [i.code, i.syntaxError])).toEqual([['CD_ERR_EDIFACT_UNKNOWN_MESSAGE', '17']]);
  });

  it('D96A ORDERS spec accepts an EANCOM order and D01B INVOIC flags a non-numeric amount', () => {
    const order = msgOf(
      "UNH+1+ORDERS:D:96A:UN:EAN008'BGM+220+PO1+9'DTM+137:20140407:102'RFF+CR:X'NAD+BY+5450534000024::9'NAD+IV+5450534007139::9++Test:Name2+Street+City++EC2A 2FA+GB'RFF+VA:GB1'CUX+2:EUR:9'LIN+1++9783898307529:EN'PIA+5+3899408268X-39:SA'QTY+21:5'PRI+AAA:27.5'UNS+S'CNT+2:1'UNT+15+1'",
    );
    expect(validateMessageAuto(order, registry).issues).toEqual([]);
    const invoice = msgOf(
      "UNH+1+INVOIC:D:01B:UN'BGM+380+1+9'DTM+137:20020101:102'LIN+1++4000862141404:SRV'MOA+201:TEST'UNS+S'MOA+86:1'UNT+8+1'",
    );
    expect(brief(validateMessageAuto(invoice, registry).issues)).toEqual(['e37 MOA@5/1:2']);
  });
});
