import { describe, expect, it } from 'vitest';
import { allIssues, X12EnvelopeValidator } from './envelope.js';
import { BUILTIN_SPECS } from './specs/index.js';
import { syntheticInterchange } from './synthetic.js';
import { X12Tokenizer } from './tokenizer.js';
import { specChecker } from './transaction-validator.js';

describe('X12 streaming memory', () => {
  it('streams a generated ~100 MB interchange through tokenizer and validators with bounded heap', async () => {
    const validator = new X12EnvelopeValidator({ transactionChecker: specChecker(BUILTIN_SPECS) });
    let segments = 0;
    let bytes = 0;
    const tokenizer = new X12Tokenizer({
      segment: (seg) => {
        segments++;
        validator.segment(seg);
      },
      interchange: (info) => validator.interchange(info),
    });
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let chunks = 0;
    for await (const chunk of syntheticInterchange({ bytes: 100 * 1024 * 1024, chunkBytes: 256 * 1024 })) {
      bytes += chunk.length;
      tokenizer.write(chunk);
      if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    tokenizer.end();
    const result = validator.end();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(bytes).toBeGreaterThan(100 * 1024 * 1024);
    expect(segments).toBeGreaterThan(4_000_000);
    expect(allIssues(result).filter((i) => i.severity === 'error')).toEqual([]);
    expect((peak - before) / 1024 / 1024).toBeLessThan(64);
  }, 60_000);
});
