import { describe, expect, it } from 'vitest';
import { EnvelopeValidator, streamEdifact } from './index.js';

const MESSAGE_BODY = [
  "BGM+220+PO0000001+9'",
  "DTM+137:20260101:102'",
  "NAD+BY+5412345000013::9++Acme Distribution?+Co+Main street 1+Brussels++1000+BE'",
  "LIN+1++4000862141404:EN'",
  "QTY+21:120'",
  "PRI+AAA:12,50'",
  "UNS+S'",
  "CNT+2:1'",
].join('\n');

/** Yields a syntax-3 interchange of about `targetBytes` in 64 KiB chunks, never holding more than one chunk. */
async function* generated(targetBytes: number): AsyncGenerator<Buffer> {
  const header = Buffer.from("UNA:+,? '\nUNB+UNOC:3+SENDER:14+RECEIVER:14+260101:1200+BIG1'\n");
  yield header;
  let produced = header.length;
  let messages = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  while (produced < targetBytes) {
    messages++;
    const ref = `M${messages}`;
    const text = `UNH+${ref}+ORDERS:D:96A:UN'\n${MESSAGE_BODY}\nUNT+10+${ref}'\n`;
    pending.push(text);
    pendingLength += text.length;
    produced += text.length;
    if (pendingLength >= 65536) {
      yield Buffer.from(pending.join(''));
      pending = [];
      pendingLength = 0;
    }
  }
  pending.push(`UNZ+${messages}+BIG1'\n`);
  yield Buffer.from(pending.join(''));
}

describe('streaming a large interchange', () => {
  it('parses ~100 MB with bounded heap and a clean envelope', async () => {
    const target = 100 * 1024 * 1024;
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let segments = 0;
    let messages = 0;
    let lastPrice = '';
    const envelope = new EnvelopeValidator();
    const started = performance.now();
    await streamEdifact(generated(target), (event) => {
      if (event.kind !== 'segment') return;
      const seg = event.segment;
      segments++;
      if (seg.tag === 'UNH') messages++;
      if (seg.tag === 'PRI') lastPrice = seg.elements[0]![1]!;
      envelope.accept(seg);
      if ((segments & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
    });
    const seconds = (performance.now() - started) / 1000;
    const issues = envelope.finish();
    console.log(
      `streamed ${segments} segments (${messages} messages, ~100 MB) in ${seconds.toFixed(1)} s, peak heap growth ${(peak / 1048576).toFixed(1)} MB`,
    );
    expect(messages).toBeGreaterThan(300_000);
    expect(segments).toBe(messages * 10 + 2);
    expect(lastPrice).toBe('12,50');
    expect(issues).toEqual([]);
    expect(peak).toBeLessThan(64 * 1024 * 1024);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});
