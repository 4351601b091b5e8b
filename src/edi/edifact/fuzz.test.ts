import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import {
  EdifactStreamParser,
  MessageSpecRegistry,
  parseEdifact,
  serializeDocument,
  validateEnvelope,
  validateMessageAuto,
} from './index.js';

const SEEDS = [
  "UNA:+.? 'UNB+UNOC:3+S:14+R:14+200101:1200+1'UNH+1+ORDERS:D:96A:UN'BGM+220+PO1+9'NAD+BY+1::9'LIN+1++4000:EN'QTY+21:5'PRI+AAA:2.5'UNS+S'UNT+8+1'UNZ+1+1'",
  "UNB+UNOA:4+S+R+20200101:1200+2'UNG+INVOIC+S+R+1:1+G+UN+D:01B'UNH+9+INVOIC:D:01B:UN'RFF+ON:1*ON:2'MOA+86:1,5'UNT+4+9'UNE+1+G'UNZ+1+2'",
  'UNA=*,! ~UNB*UNOW=3*S*R*1=1*3~UNH*1*CONTRL=D=3=UN~UCI*3*S*R*7~UCM*1*X=D=96A=UN*4~UCS*2~UCD*12*1=2~UNT*6*1~UNZ*1*3~',
  'BGM+220\nDTM+137:2020:102\n  LIN+1\n',
];
const ALPHABET = [
  "'",
  '+',
  ':',
  '?',
  '*',
  '\n',
  '\r',
  ' ',
  'U',
  'N',
  'A',
  'B',
  'H',
  'T',
  'Z',
  '0',
  '1',
  '9',
  'x',
  'é',
  '\u0000',
  '\uFEFF',
  '~',
  '=',
];

/** A seed with a few edits: insertions, deletions and replacements biased towards service characters. */
const mutated = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...ALPHABET)), {
      minLength: 1,
      maxLength: 6,
    }),
  )
  .map(([seed, edits]) => {
    let s = seed;
    for (const [at, op, ch] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s =
        op === 'insert'
          ? s.slice(0, i) + ch + s.slice(i)
          : op === 'delete'
            ? s.slice(0, i) + s.slice(i + 1)
            : s.slice(0, i) + ch + s.slice(i + 1);
    }
    return s;
  });

const registry = new MessageSpecRegistry();

function exercise(input: string | Uint8Array): void {
  try {
    const doc = parseEdifact(input);
    validateEnvelope(doc);
    for (const ic of doc.interchanges)
      for (const m of ic.messages) validateMessageAuto(m, registry, { decimalMark: ic.separators.decimal });
    serializeDocument(doc);
  } catch (e) {
    if (!(e instanceof CrossdockError)) throw e;
  }
}

describe('fuzzing', () => {
  it('100,000 mutated documents: nothing but CrossdockErrors, no hang', () => {
    const started = performance.now();
    fc.assert(
      fc.property(mutated, fc.boolean(), (text, asBytes) => {
        exercise(asBytes ? Buffer.from(text, 'utf8') : text);
      }),
      { numRuns: 100_000, seed: 20260101 },
    );
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('random bytes fed in random chunks only ever raise CrossdockErrors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat({ max: 16 }), { maxLength: 20 }), (bytes, cuts) => {
        const p = new EdifactStreamParser(() => {});
        try {
          let at = 0;
          for (const c of cuts) {
            p.push(bytes.subarray(at, at + c));
            at += c;
          }
          p.push(bytes.subarray(at));
          p.end();
        } catch (e) {
          if (!(e instanceof CrossdockError)) throw e;
        }
      }),
      { numRuns: 5_000, seed: 7 },
    );
  });
});
