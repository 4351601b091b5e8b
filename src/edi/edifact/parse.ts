import { EdifactErrors } from './errors.js';
import { type EdifactEvent, EdifactStreamParser, type ParseOptions } from './parser.js';
import { type EdifactDocument, EdifactTreeBuilder } from './tree.js';

/** Parses a whole document held in memory into a tree (interchange → groups → messages → segments). */
export function parseEdifact(input: Uint8Array | string, options: ParseOptions = {}): EdifactDocument {
  const builder = new EdifactTreeBuilder();
  const parser = new EdifactStreamParser((e) => builder.accept(e), options);
  parser.push(input);
  parser.end();
  const doc = builder.finish();
  if (doc.segments.length === 0) throw EdifactErrors.syntax('input holds no EDIFACT segment', { line: 1 });
  return doc;
}

/**
 * Parses a stream (a Node Readable or any AsyncIterable of Buffers or strings) and hands every event
 * to `onEvent` as it is found. Memory stays bounded by the longest segment plus one chunk.
 */
export async function streamEdifact(
  source: AsyncIterable<Uint8Array | string>,
  onEvent: (event: EdifactEvent) => void,
  options: ParseOptions = {},
): Promise<void> {
  const parser = new EdifactStreamParser(onEvent, options);
  for await (const chunk of source) parser.push(chunk);
  parser.end();
}

/** The same as `streamEdifact`, as an async iterator of events. */
export async function* parseEdifactStream(
  source: AsyncIterable<Uint8Array | string>,
  options: ParseOptions = {},
): AsyncGenerator<EdifactEvent> {
  let batch: EdifactEvent[] = [];
  const parser = new EdifactStreamParser((e) => batch.push(e), options);
  for await (const chunk of source) {
    parser.push(chunk);
    if (batch.length > 0) {
      const out = batch;
      batch = [];
      yield* out;
    }
  }
  parser.end();
  yield* batch;
}

/** Parses a stream into a tree (memory grows with the document; use `streamEdifact` for large files). */
export async function parseEdifactFromStream(
  source: AsyncIterable<Uint8Array | string>,
  options: ParseOptions = {},
): Promise<EdifactDocument> {
  const builder = new EdifactTreeBuilder();
  await streamEdifact(source, (e) => builder.accept(e), options);
  const doc = builder.finish();
  if (doc.segments.length === 0) throw EdifactErrors.syntax('input holds no EDIFACT segment', { line: 1 });
  return doc;
}
