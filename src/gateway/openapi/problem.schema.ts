import { z } from 'zod';

/** RFC 9457 problem details as the gateway sends them (application/problem+json). */
export const ProblemSchema = z
  .strictObject({
    type: z.string().meta({ description: 'a URI naming the problem; GET it for a description of the code' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: 'stable crossdock error code, e.g. CD_ERR_VALIDATION' }),
    instance: z.string().optional(),
    errors: z
      .array(z.strictObject({ path: z.string().meta({ description: 'the bad field, e.g. lines[0].quantity.value' }), message: z.string() }))
      .optional(),
  })
  .meta({ title: 'Problem' });
