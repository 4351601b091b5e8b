import { z } from 'zod';
import type { FaultPlan } from './faults.js';

const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  z.object({ kind: z.literal('timeout-after-commit') }),
  z.object({ kind: z.literal('drop') }),
]);

/** Body of `POST /_sim/faults`, the same on every simulator so the demo drives them alike. */
export const faultControlSchema = z.object({
  reset: z.boolean().optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  duplicateWebhooks: z.boolean().optional(),
  reorderWebhooks: z.boolean().optional(),
  reorderWindow: z.number().int().min(1).max(100).optional(),
  arm: z
    .array(
      z.object({
        fault: faultSchema,
        times: z.number().int().min(1).optional(),
        method: z.string().optional(),
        pathIncludes: z.string().optional(),
      }),
    )
    .optional(),
});
export type FaultControl = z.infer<typeof faultControlSchema>;

export function applyFaultControl(faults: FaultPlan, control: FaultControl): { pending: number } {
  if (control.reset) faults.reset();
  if (control.latencyMs !== undefined) faults.latencyMs = control.latencyMs;
  if (control.duplicateWebhooks !== undefined) faults.duplicateWebhooks = control.duplicateWebhooks;
  if (control.reorderWebhooks !== undefined) faults.reorderWebhooks = control.reorderWebhooks;
  if (control.reorderWindow !== undefined) faults.reorderWindow = control.reorderWindow;
  for (const armed of control.arm ?? []) {
    const { fault, times, method, pathIncludes } = armed;
    faults.arm(fault, {
      ...(times !== undefined ? { times } : {}),
      ...(method !== undefined ? { method } : {}),
      ...(pathIncludes !== undefined ? { pathIncludes } : {}),
    });
  }
  return { pending: faults.pending() };
}
