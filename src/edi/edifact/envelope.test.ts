import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import {
  assertEnvelope,
  EnvelopeValidator,
  InMemoryControlNumberAllocator,
  InMemoryInterchangeRegistry,
  parseEdifact,
  registerInterchange,
  validateEnvelope,
} from './index.js';

const issuesOf = (text: string) =>
  validateEnvelope(parseEdifact(text)).map((i) => [i.syntaxError, i.location.tag, i.location.elementPosition]);

describe('envelope validation', () => {
  it('passes a consistent interchange with and without groups', () => {
    expect(issuesOf("UNB+UNOA:3+S+R+1:1+9'UNH+1+ORDERS:D:96A:UN'BGM+220'UNT+3+1'UNH+2+ORDERS:D:96A:UN'UNT+2+2'UNZ+2+9'")).toEqual([]);
    expect(issuesOf("UNB+UNOA:3+S+R+1:1+9'UNG+ORDERS+S+R+1:1+G1+UN+D:96A'UNH+1+ORDERS:D:96A:UN'UNT+2+1'UNE+1+G1'UNZ+1+9'")).toEqual([]);
  });

  it('checks UNT01 against the real count including UNH and UNT, and UNT02 against UNH01', () => {
    const issues = validateEnvelope(
      parseEdifact("UNB+UNOA:3+S+R+1:1+9'UNH+A1+ORDERS:D:96A:UN'BGM+220'DTM+137:20200101:102'UNT+3+A2'UNZ+1+9'"),
    );
    expect(issues.map((i) => i.message.split(' at ')[0])).toEqual([
      'UNT declares "3" segments but message A1 has 4 (UNH to UNT)',
      'UNT message reference "A2" does not match UNH "A1"',
    ]);
    expect(issues[0]!.location).toMatchObject({
      tag: 'UNT',
      elementPosition: 1,
      segmentPosition: 4,
      messageRef: 'A1',
      interchangeRef: '9',
    });
  });

  it('checks UNZ against UNB and counts groups when groups are used', () => {
    expect(
      issuesOf(
        "UNB+UNOA:3+S+R+1:1+9'UNG+ORDERS+S+R+1:1+G1+UN+D:96A'UNH+1+ORDERS:D:96A:UN'UNT+2+1'UNH+2+ORDERS:D:96A:UN'UNT+2+2'UNE+1+G2'UNZ+2+8'",
      ),
    ).toEqual([
      ['29', 'UNE', 1],
      ['28', 'UNE', 2],
      ['29', 'UNZ', 1],
      ['28', 'UNZ', 2],
    ]);
  });

  it('reports mixed groups and messages, stray segments, missing trailers and empty interchanges', () => {
    expect(
      issuesOf(
        "UNB+UNOA:3+S+R+1:1+9'UNH+1+ORDERS:D:96A:UN'UNT+2+1'UNG+ORDERS+S+R+1:1+G1+UN+D:96A'UNH+2+ORDERS:D:96A:UN'UNT+2+2'UNE+1+G1'UNZ+2+9'",
      )[0],
    ).toEqual(['30', 'UNG', undefined]);
    expect(issuesOf("UNB+UNOA:3+S+R+1:1+9'BGM+220'UNZ+0+9'")).toEqual([
      ['33', 'BGM', undefined],
      ['32', 'UNZ', undefined],
    ]);
    expect(issuesOf("UNB+UNOA:3+S+R+1:1+9'UNH+1+ORDERS:D:96A:UN'BGM+220'")).toEqual([
      ['13', 'UNT', undefined],
      ['13', 'UNZ', undefined],
    ]);
  });

  it('runs incrementally over a stream of segments', () => {
    const v = new EnvelopeValidator();
    for (const seg of parseEdifact("UNB+UNOA:3+S+R+1:1+9'UNH+1+ORDERS:D:96A:UN'UNT+2+1'").segments) v.accept(seg);
    expect(v.finish().map((i) => i.location.tag)).toEqual(['UNZ']);
  });

  it('assertEnvelope throws a permanent CD_ERR_EDIFACT_ENVELOPE carrying all errors', () => {
    const issues = validateEnvelope(parseEdifact("UNB+UNOA:3+S+R+1:1+9'UNH+1+ORDERS:D:96A:UN'UNT+9+1'UNZ+5+9'"));
    try {
      assertEnvelope(issues);
      expect.unreachable();
    } catch (err) {
      if (!(err instanceof CrossdockError)) throw err;
      expect([err.code, err.errorClass, err.details.syntaxError]).toEqual(['CD_ERR_EDIFACT_ENVELOPE', 'permanent', '29']);
      expect(err.message).toContain('(and 1 more)');
      expect(err.details.issues).toHaveLength(2);
    }
    expect(() => assertEnvelope([])).not.toThrow();
  });
});

describe('duplicates and control numbers', () => {
  it('detects a repeated interchange through the injected registry', async () => {
    const registry = new InMemoryInterchangeRegistry();
    const ic = parseEdifact("UNB+UNOA:3+SENDER:14+RECV:14+1:1+42'UNZ+0+42'").interchanges[0]!;
    expect(await registerInterchange(ic, registry)).toBeUndefined();
    const dup = await registerInterchange(ic, registry);
    expect(dup).toMatchObject({
      code: 'CD_ERR_EDIFACT_DUPLICATE_INTERCHANGE',
      syntaxError: '26',
      location: { tag: 'UNB', elementPosition: 5 },
    });
    const other = parseEdifact("UNB+UNOA:3+OTHER:14+RECV:14+1:1+42'UNZ+0+42'").interchanges[0]!;
    expect(await registerInterchange(other, registry)).toBeUndefined();
  });

  it('allocates increasing references per scope', async () => {
    const alloc = new InMemoryControlNumberAllocator(6);
    const scope = { level: 'interchange' as const, sender: 'A', recipient: 'B' };
    expect([await alloc.next(scope), await alloc.next(scope), await alloc.next({ ...scope, recipient: 'C' })]).toEqual([
      '000001',
      '000002',
      '000001',
    ]);
  });
});
