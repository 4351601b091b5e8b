import { type Args, FieldError, type GqlObject, Resolver } from './execute.js';

export const MAX_PAGE_SIZE = 250;

function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ last_id: id })).toString('base64');
}

function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== 'string') throw new FieldError('Invalid cursor for current pagination sort.', 'BAD_REQUEST');
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'last_id' in parsed && typeof parsed.last_id === 'number') return parsed.last_id;
  } catch {
    // fall through to the vendor's error
  }
  throw new FieldError('Invalid cursor for current pagination sort.', 'BAD_REQUEST');
}

/**
 * A Relay connection (edges/node, nodes, pageInfo) over an ordered list, paged by opaque cursors the
 * way the Admin API pages: `first`/`after` forwards, `last`/`before` backwards, at most 250 a page.
 */
export function connection<T extends { id: number }>(
  typename: string,
  items: (args: Args) => T[],
  toNode: (item: T) => GqlObject,
): Resolver {
  return new Resolver((args) => {
    const first = typeof args.first === 'number' ? args.first : undefined;
    const last = typeof args.last === 'number' ? args.last : undefined;
    if (first === undefined && last === undefined) throw new FieldError('you must provide one of first or last', 'BAD_REQUEST');
    const size = first ?? last ?? 0;
    if (size < 0 || size > MAX_PAGE_SIZE) {
      throw new FieldError(`The page size for this connection must be between 0 and ${MAX_PAGE_SIZE}.`, 'BAD_REQUEST');
    }
    let list = items(args);
    if (args.reverse === true) list = [...list].reverse();
    let start = 0;
    let end = list.length;
    if (args.after !== undefined && args.after !== null) {
      const after = decodeCursor(args.after);
      start = list.findIndex((item) => item.id === after) + 1;
    }
    if (args.before !== undefined && args.before !== null) {
      const before = decodeCursor(args.before);
      const index = list.findIndex((item) => item.id === before);
      if (index >= 0) end = index;
    }
    let page = list.slice(start, end);
    if (first !== undefined) page = page.slice(0, first);
    else page = page.slice(Math.max(0, page.length - size));
    const pageStart = start + (first !== undefined ? 0 : Math.max(0, end - start - size));
    const pageEnd = pageStart + page.length;
    const nodes = page.map(toNode);
    const edges = page.map((item, i) => ({ __typename: `${typename}Edge`, cursor: encodeCursor(item.id), node: nodes[i] }));
    return {
      __typename: `${typename}Connection`,
      edges,
      nodes,
      pageInfo: {
        __typename: 'PageInfo',
        hasNextPage: pageEnd < list.length,
        hasPreviousPage: pageStart > 0,
        startCursor: page.length > 0 ? encodeCursor(page[0]!.id) : null,
        endCursor: page.length > 0 ? encodeCursor(page[page.length - 1]!.id) : null,
      },
    };
  }, true);
}
