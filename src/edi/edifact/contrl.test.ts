import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/index.js';
import {
  contrlOutcome,
  type EdifactIssue,
  generateContrl,
  InMemoryControlNumberAllocator,
  MessageSpecRegistry,
  parseContrl,
  parseEdifact,
  validateEnvelope,
  validateMessage,
  validateMessageAuto,
} from './index.js';

const deps = () => ({ allocator: new InMemoryControlNumberAllocator(4), clock: new ManualClock(Date.parse('2026-03-04T05:06:00Z')) });

const INVOICE = [
  "UNB+UNOA:3+SELLER:14+BUYER:14+260301:1200+IC77'",
  "UNH+M1+INVOIC:D:96A:UN'BGM+380+INV1+9'DTM+137:20260301:102'NAD+BYZZ+123::9'LIN+1++4000:EN'QTY+47:12A'UNS+S'MOA+86:100'UNT+9+M1'",
  "UNH+M2+INVOIC:D:96A:UN'BGM+380+INV2+9'DTM+137:20260301:102'UNS+S'MOA+86:5'UNT+6+M2'",
  "UNZ+2+IC77'",
].join('');

async function ackFor(text: string, syntaxVersion?: '3' | '4') {
  const doc = parseEdifact(text);
  const ic = doc.interchanges[0]!;
  const issues: EdifactIssue[] = [...validateEnvelope(doc)];
  for (const m of ic.messages)
    issues.push(...validateMessageAuto(m, new MessageSpecRegistry(), { decimalMark: ic.separators.decimal }).issues);
  return generateContrl(ic, issues, deps(), syntaxVersion ? { syntaxVersion, lineBreak: 'lf' } : { lineBreak: 'lf' });
}

describe('CONTRL generation', () => {
  it('syntax 3: rejects the bad message with UCS/UCD positions and acknowledges the good one', async () => {
    const r = await ackFor(INVOICE);
    expect(r.text).toBe(
      [
        "UNB+UNOA:3+BUYER:14+SELLER:14+260304:0506+0001'",
        "UNH+0001+CONTRL:D:3:UN'",
        "UCI+IC77+SELLER:14+BUYER:14+7'",
        "UCM+M1+INVOIC:D:96A:UN+4'",
        "UCS+4'",
        "UCD+39+1'",
        "UCS+6'",
        "UCD+37+1:2'",
        "UCM+M2+INVOIC:D:96A:UN+7'",
        "UNT+9+0001'",
        "UNZ+1+0001'",
        '',
      ].join('\n'),
    );
    expect(r.action).toBe('7');
    expect(r.rejectedMessages).toEqual(['M1']);
  });

  it('syntax 4: 8-digit date, CONTRL:4:1, and the whole interchange rejected for a UNZ error', async () => {
    const r = await ackFor(INVOICE.replace("UNZ+2+IC77'", "UNZ+3+IC77'"), '4');
    const lines = r.text.split('\n');
    expect(lines[0]).toBe("UNB+UNOA:4+BUYER:14+SELLER:14+20260304:0506+0001'");
    expect(lines[1]).toBe("UNH+0001+CONTRL:4:1:UN'");
    expect(lines[2]).toBe("UCI+IC77+SELLER:14+BUYER:14+4+29+UNZ+1'");
    expect(r.action).toBe('4');
  });

  it('reports a UNT error on the UCM itself and uses UCF for groups', async () => {
    const text =
      "UNB+UNOA:3+S+R+1:1+9'UNG+INVOIC+S+R+1:1+G1+UN+D:96A'UNH+1+INVOIC:D:96A:UN'BGM+380'DTM+137:20260101:102'UNS+S'MOA+86:1'UNT+5+1'UNE+1+G1'UNZ+1+9'";
    const r = await ackFor(text);
    expect(r.text.split('\n').slice(2, 5)).toEqual(["UCI+9+S+R+7'", "UCF+G1+S+R+7'", "UCM+1+INVOIC:D:96A:UN+4+29+UNT+1'"]);
  });

  it('receipt mode only confirms receipt', async () => {
    const doc = parseEdifact(INVOICE);
    const r = await generateContrl(doc.interchanges[0]!, [], deps(), { mode: 'receipt' });
    expect(r.text).toContain("UCI+IC77+SELLER:14+BUYER:14+8'UNT+3+0001'");
  });

  it('generated CONTRL is itself valid against the CONTRL specs, syntax 3 and 4', async () => {
    for (const v of ['3', '4'] as const) {
      const r = await ackFor(INVOICE, v);
      const back = parseEdifact(r.text);
      expect(validateEnvelope(back)).toEqual([]);
      const registry = new MessageSpecRegistry();
      const msg = back.interchanges[0]!.messages[0]!;
      const spec = registry.find('CONTRL', msg.version, msg.release)!.spec;
      expect(validateMessage(msg, spec)).toEqual([]);
    }
  });
});

describe('CONTRL parsing', () => {
  it('reads a received CONTRL into a structure for reconciliation', () => {
    const text =
      "UNB+UNOC:3+BUYER+SELLER+260304:0506+5'UNH+1+CONTRL:D:3:UN'UCI+IC77+SELLER:14+BUYER:14+7'UCM+M1+INVOIC:D:96A:UN+4'UCS+4+13'UCS+6'UCD+37+1:2'UCM+M2+INVOIC:D:96A:UN+7'UNT+8+1'UNZ+1+5'";
    const report = parseContrl(parseEdifact(text).interchanges[0]!.messages[0]!);
    expect(report).toMatchObject({ syntaxVersion: 3, interchangeRef: 'IC77', sender: 'SELLER', recipient: 'BUYER', action: '7' });
    expect(report.messages[0]).toMatchObject({
      messageRef: 'M1',
      type: 'INVOIC',
      action: '4',
      segmentErrors: [
        { position: 4, code: '13', elements: [] },
        { position: 6, code: undefined, elements: [{ code: '37', elementPosition: 1, componentPosition: 2 }] },
      ],
    });
    expect(contrlOutcome(report)).toEqual({
      interchangeAccepted: true,
      rejectedMessages: ['M1'],
      acceptedMessages: ['M2'],
      receiptOnly: false,
    });
  });

  it('an interchange-level rejection rejects every listed message; UCF groups are read', () => {
    const text =
      "UNB+UNOC:4+B+S+20260304:0506+5'UNH+1+CONTRL:4:1:UN'UCI+IC1+S+B+4+29+UNZ+1'UCF+G1+S+B+7'UCM+M1+ORDERS:D:96A:UN+7'UNT+5+1'UNZ+1+5'";
    const report = parseContrl(parseEdifact(text).interchanges[0]!.messages[0]!);
    expect(report.error).toEqual({
      code: '29',
      serviceSegment: 'UNZ',
      elementPosition: 1,
      componentPosition: undefined,
      occurrence: undefined,
    });
    expect(report.groups[0]!.messages[0]!.messageRef).toBe('M1');
    expect(contrlOutcome(report)).toMatchObject({ interchangeAccepted: false, rejectedMessages: ['M1'] });
  });

  it('rejects something that is not a CONTRL, naming the segment', () => {
    const msg = parseEdifact("UNB+UNOC:3+B+S+1:1+5'UNH+1+CONTRL:D:3:UN'UCM+M1+X:D:96A:UN+7'UNT+3+1'UNZ+1+5'").interchanges[0]!.messages[0]!;
    expect(() => parseContrl(msg)).toThrow(/must start with UCI/);
  });
});
