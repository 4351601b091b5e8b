import type { X12Segment } from './segment.js';
import { type X12InterchangeInfo, X12Tokenizer, type X12TokenizerOptions } from './tokenizer.js';

export interface X12StreamOptions extends X12TokenizerOptions {
  /** Called when an interchange starts (before its header segment is yielded), with its delimiters. */
  onInterchange?: (info: X12InterchangeInfo) => void;
}

export type X12Source = AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>;

/**
 * Streams segments in batches (one batch per input chunk), holding only the unfinished segment between
 * chunks. A Node Readable is an AsyncIterable, so `streamX12(createReadStream(file))` works.
 */
export async function* streamX12Batches(source: X12Source, options: X12StreamOptions = {}): AsyncGenerator<X12Segment[]> {
  let batch: X12Segment[] = [];
  const tokenizer = new X12Tokenizer(
    {
      segment: (seg) => {
        batch.push(seg);
      },
      interchange: options.onInterchange,
    },
    options,
  );
  for await (const chunk of source) {
    tokenizer.write(chunk);
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield out;
    }
  }
  tokenizer.end();
  if (batch.length > 0) yield batch;
}

/** Streams segments one by one. */
export async function* streamX12(source: X12Source, options: X12StreamOptions = {}): AsyncGenerator<X12Segment> {
  for await (const batch of streamX12Batches(source, options)) yield* batch;
}
