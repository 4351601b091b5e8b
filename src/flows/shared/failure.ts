import type { FlowContext } from '../../workflow/index.js';
import type { ExceptionsPort } from './ports.js';

/** The step that reports a flow's failure as an exception (each flow journals it under this id). */
export const FLOW_FAILED_STEP = 'exception.flow-failed';

/**
 * Closes the exception a failed run opened, once a retried run of the same instance succeeds: an
 * operator fixed the cause and pressed retry, and the order, PO or return went through. A run that
 * never failed pays nothing (no step, no query).
 */
export async function closeFailure(ctx: FlowContext, exceptions: ExceptionsPort, dedupeKey: string): Promise<void> {
  if (!ctx.journaled(FLOW_FAILED_STEP)) return;
  await ctx.step('exception.flow-resolved', () => exceptions.clear(dedupeKey, 'the retried flow completed'));
}
