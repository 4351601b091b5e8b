export interface Page<T> {
  items: T[];
  /** Where the next page starts (a cursor, an offset, a URL); undefined on the last page. */
  next: string | undefined;
}

/**
 * Walks every page. Stops on a page without `next`, and refuses a `next` it has already seen (a
 * vendor bug would otherwise loop forever).
 */
export async function* paginate<T>(
  fetchPage: (next: string | undefined) => Promise<Page<T>>,
  options: { maxPages?: number } = {},
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let next: string | undefined;
  for (let page = 0; page < (options.maxPages ?? 100_000); page++) {
    const result = await fetchPage(next);
    yield* result.items;
    if (result.next === undefined) return;
    if (seen.has(result.next)) throw new Error(`pagination repeated its cursor "${result.next}"`);
    seen.add(result.next);
    next = result.next;
  }
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
