import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import { serializeX12 } from './serialize.js';
import { parseAndValidateX12 } from './validate.js';

const root = resolve(process.cwd(), '../shared/fixtures/public-samples');
const BASES = [
  'edge_cases/staedi__invalid997.edi',
  'edge_cases/staedi__simple_with_binary_segment.edi',
  'edge_cases/staedi__optionalInterchangeServices.edi',
  'edge_cases/gozer__x12.base.no.line.breaks.odd.char.txt',
  'x12/x12-types__test_997__test_997_2.edi',
  'x12/gozer__dex.sample.mismatched.st.txt'.replace('x12/', 'edge_cases/'),
  'x12/x12-types___846_test__SAMPLE.edi',
  'x12/vscode-edi-support__850.x12',
].map((f) => readFileSync(`${root}/${f}`));

const DELIMS = [...'*~>^:|\n\r\\'].map((c) => c.charCodeAt(0));

type Op =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number }
  | { kind: 'swap'; from: number; to: number }
  | { kind: 'truncate'; at: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...DELIMS)),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('swap' as const), from: fc.constantFrom(...DELIMS), to: fc.constantFrom(...DELIMS, 65, 32) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(base: Buffer, ops: Op[]): Buffer {
  let b = Buffer.from(base);
  for (const o of ops) {
    if (b.length === 0) break;
    switch (o.kind) {
      case 'flip':
        b[o.at % b.length] = o.byte;
        break;
      case 'delete': {
        const at = o.at % b.length;
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + o.len)]);
        break;
      }
      case 'duplicate': {
        const at = o.at % b.length;
        b = Buffer.concat([b.subarray(0, at + o.len), b.subarray(at)]);
        break;
      }
      case 'swap':
        b = Buffer.from(b.map((x) => (x === o.from ? o.to : x)));
        break;
      case 'truncate':
        b = b.subarray(0, o.at % b.length);
        break;
    }
  }
  return b;
}

describe('X12 robustness', () => {
  it('survives 100,000 mutated documents: a result or a CrossdockError, nothing else', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.nat({ max: BASES.length - 1 }), fc.array(op, { minLength: 1, maxLength: 4 }), (i, ops) => {
        const input = mutate(BASES[i] ?? Buffer.alloc(0), ops);
        try {
          const { document } = parseAndValidateX12(input);
          const first = document.interchanges[0];
          // What was parsed can be written again with its own delimiters, or is refused with a CrossdockError.
          if (first) serializeX12(document, { delimiters: first.info.delimiters });
        } catch (e) {
          if (!(e instanceof CrossdockError) || !e.code.startsWith('CD_ERR_X12_')) throw e;
          rejected++;
        }
      }),
      { numRuns: 100_000, seed: 20240115 },
    );
    expect(rejected).toBeGreaterThan(0);
  }, 120_000);
});
