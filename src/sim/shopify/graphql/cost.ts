import { type Args, argsOf, fieldsFor } from './execute.js';
import type { GqlField, GqlOperation } from './parse.js';

/**
 * Requested query cost, following Shopify's published rules
 * (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, "Cost calculation"):
 * - a scalar or enum field costs 0; an object field costs 1 plus its selection;
 * - a connection (a field with a `first` or `last` argument) costs 2 plus `first|last` times the cost of
 *   one element of its selection; the `edges`, `pageInfo` and `nodes` wrappers cost nothing themselves
 *   (a `node` or a `nodes` element is the 1-point object);
 * - each root field of a mutation costs `mutationCost` (10 on Shopify), whatever its payload selection.
 * The actual cost (execute.ts) applies the same rule to what was returned, so a short last page costs less.
 */
export function requestedCost(operation: GqlOperation, variables: Args, mutationCost: number): number {
  const roots = fieldsFor(operation.selections, undefined, variables);
  if (operation.type === 'mutation') return roots.length * mutationCost;
  return roots.reduce((sum, f) => sum + fieldCost(f, variables), 0);
}

const WRAPPERS = new Set(['edges', 'pageInfo']);

function fieldCost(f: GqlField, variables: Args): number {
  if (f.selections.length === 0) return 0;
  const children = fieldsFor(f.selections, undefined, variables).reduce((sum, child) => sum + fieldCost(child, variables), 0);
  const args = argsOf(f, variables);
  const pageSize = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  if (pageSize !== undefined) {
    // `nodes` is a list of the page's objects; count one object per element like `edges { node }`.
    return 2 + pageSize * children;
  }
  if (WRAPPERS.has(f.name)) return children;
  return 1 + children;
}
