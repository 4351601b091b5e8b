import { z } from 'zod';

/**
 * Declarative transaction set specifications. A segment dictionary says what each segment's elements are;
 * a transaction spec says which segments and loops appear, in what order, how often.
 */
export const ElementType = z.enum(['AN', 'ID', 'N0', 'N1', 'N2', 'R', 'DT', 'TM', 'B']);
export type ElementType = z.infer<typeof ElementType>;

export const ElementSpec = z.object({
  /** X12 data element reference number (AK402/IK402 report it); absent for composites. */
  ref: z.number().int().positive().optional(),
  /** M mandatory, O optional, X relational (treated as optional: relational conditions are not checked). */
  req: z.enum(['M', 'O', 'X']),
  type: ElementType,
  min: z.number().int().nonnegative(),
  max: z.number().int().positive(),
  codes: z.array(z.string()).optional(),
  /** Composite identifier (e.g. 'C040'): only presence is checked. */
  composite: z
    .string()
    .regex(/^C\d{3}$/)
    .optional(),
  /** Repetitions allowed (5010 repeating elements); 1 by default. */
  repeat: z.number().int().positive().optional(),
});
export type ElementSpec = z.infer<typeof ElementSpec>;

export const SegmentSpec = z.object({
  tag: z.string().regex(/^[A-Z][A-Z0-9]{1,2}$/),
  name: z.string(),
  elements: z.array(ElementSpec),
});
export type SegmentSpec = z.infer<typeof SegmentSpec>;

export interface SegmentUse {
  readonly kind: 'segment';
  readonly tag: string;
  readonly min: number;
  readonly max: number;
}

export interface LoopUse {
  readonly kind: 'loop';
  /** Loop identifier as 997/999 AK303/IK303 report it: the trigger tag (e.g. 'N1', 'HL', 'PO1'). */
  readonly id: string;
  readonly min: number;
  readonly max: number;
  /** The first child is the trigger segment. */
  readonly children: readonly SpecNode[];
}

export type SpecNode = SegmentUse | LoopUse;

const SpecNodeSchema: z.ZodType<SpecNode> = z.lazy(() =>
  z.union([
    z.object({ kind: z.literal('segment'), tag: z.string(), min: z.number().int().nonnegative(), max: z.number().int().positive() }),
    z.object({
      kind: z.literal('loop'),
      id: z.string(),
      min: z.number().int().nonnegative(),
      max: z.number().int().positive(),
      children: z.array(SpecNodeSchema).min(1),
    }),
  ]),
);

export const TransactionSpec = z.object({
  id: z.string().regex(/^\d{3}$/),
  name: z.string(),
  functionalId: z.string().length(2),
  /** First six characters of GS08 this spec applies to, e.g. '004010', '005010'. */
  versions: z.array(z.string().length(6)).min(1),
  /** The segments between ST and SE. */
  body: z.array(SpecNodeSchema),
});
export type TransactionSpec = z.infer<typeof TransactionSpec>;

/** Declares a transaction spec; the schema check catches a malformed spec at start-up. */
export function defineTransactionSpec(spec: TransactionSpec): TransactionSpec {
  const parsed = TransactionSpec.parse(spec);
  const first = parsed.body.find((n) => n.kind === 'loop' && n.children[0]?.kind !== 'segment');
  if (first) throw new Error(`spec ${parsed.id}: loop ${first.kind === 'loop' ? first.id : ''} must start with a segment`);
  return parsed;
}

export function seg(tag: string, min = 0, max = 1): SegmentUse {
  return { kind: 'segment', tag, min, max };
}

export function loop(id: string, min: number, max: number, ...children: SpecNode[]): LoopUse {
  return { kind: 'loop', id, min, max, children };
}

/** Compact element declaration: `el(353, 'M', 'ID', 2, 2, ['00', '01'])`. */
export function el(ref: number, req: 'M' | 'O' | 'X', type: ElementType, min: number, max: number, codes?: string[]): ElementSpec {
  return codes ? { ref, req, type, min, max, codes } : { ref, req, type, min, max };
}

export function composite(id: string, req: 'M' | 'O' | 'X'): ElementSpec {
  return { req, type: 'AN', min: 1, max: 9999, composite: id };
}

export function defineSegments(list: SegmentSpec[]): ReadonlyMap<string, SegmentSpec> {
  return new Map(list.map((s) => [s.tag, SegmentSpec.parse(s)]));
}
