import { z } from 'zod';

/**
 * Declarative message specifications: segment dictionaries (element formats, mandatory flags,
 * code lists for key qualifiers) and message structures (segments and segment groups with
 * repeats). Formats follow the UN/EDIFACT notation: `a`, `n`, `an` then an exact length (`an3`)
 * or a maximum (`an..35`).
 */
export const FORMAT_PATTERN = /^(a|n|an)(\.\.)?(\d+)$/;

export const simpleElementSchema = z.object({
  id: z.string().regex(/^\d{4}$/),
  mandatory: z.boolean().default(false),
  format: z.string().regex(FORMAT_PATTERN),
  /** Values this implementation supports for a key qualifier; others get 0085 code 14. */
  codes: z.array(z.string()).optional(),
  repeat: z.number().int().positive().default(1),
});
export type SimpleElementSpec = z.output<typeof simpleElementSchema>;

export const compositeElementSchema = z.object({
  id: z.string().regex(/^[CS]\d{3}$/),
  mandatory: z.boolean().default(false),
  components: z.array(simpleElementSchema.omit({ repeat: true })).min(1),
  repeat: z.number().int().positive().default(1),
});
export type CompositeElementSpec = z.output<typeof compositeElementSchema>;

export const segmentSpecSchema = z.object({
  tag: z.string().regex(/^[A-Z][A-Z0-9]{2}$/),
  name: z.string(),
  elements: z.array(z.union([compositeElementSchema, simpleElementSchema])),
});
export type SegmentSpec = z.output<typeof segmentSpecSchema>;
export type ElementSpec = SegmentSpec['elements'][number];

export function isComposite(e: ElementSpec): e is CompositeElementSpec {
  return 'components' in e;
}

/** A structure entry: a segment, or a segment group whose first entry is its trigger segment. */
export type StructureEntry =
  | { segment: string; mandatory: boolean; max: number }
  | { group: string; mandatory: boolean; max: number; entries: StructureEntry[] };

export const structureEntrySchema: z.ZodType<StructureEntry> = z.lazy(() =>
  z.union([
    z.object({ segment: z.string().regex(/^[A-Z][A-Z0-9]{2}$/), mandatory: z.boolean(), max: z.number().int().positive() }),
    z.object({
      group: z.string(),
      mandatory: z.boolean(),
      max: z.number().int().positive(),
      entries: z.array(structureEntrySchema).min(1),
    }),
  ]),
);

export const messageSpecSchema = z.object({
  type: z.string().regex(/^[A-Z]{6}$/),
  /** UNH S009 0052 and 0054, e.g. 'D' + '96A', or '4' + '1' for syntax-4 CONTRL. */
  version: z.string(),
  release: z.string(),
  agency: z.string().default('UN'),
  structure: z.array(structureEntrySchema).min(1),
  /** Segment dictionary used to check elements; segments absent from it are checked for position only. */
  segments: z.record(z.string(), segmentSpecSchema),
});
export type MessageSpec = z.output<typeof messageSpecSchema>;

export function defineMessageSpec(spec: z.input<typeof messageSpecSchema>): MessageSpec {
  const parsed = messageSpecSchema.parse(spec);
  const first = parsed.structure[0];
  const last = parsed.structure[parsed.structure.length - 1];
  if (!first || !('segment' in first) || first.segment !== 'UNH' || !last || !('segment' in last) || last.segment !== 'UNT') {
    throw new Error(`message spec ${parsed.type} must start with UNH and end with UNT`);
  }
  return parsed;
}

/** Builders that keep the specifications short and readable. */
export const S = {
  /** Mandatory simple element. */
  m(id: string, format: string, codes?: string[]) {
    return simpleElementSchema.parse({ id, format, mandatory: true, ...(codes ? { codes } : {}) });
  },
  /** Conditional simple element. */
  c(id: string, format: string, codes?: string[]) {
    return simpleElementSchema.parse({ id, format, mandatory: false, ...(codes ? { codes } : {}) });
  },
  /** Composite; `mandatory` applies to the composite as a whole. */
  comp(id: string, mandatory: boolean, components: Omit<SimpleElementSpec, 'repeat'>[], repeat = 1): CompositeElementSpec {
    return compositeElementSchema.parse({ id, mandatory, components, repeat });
  },
  seg(tag: string, name: string, ...elements: ElementSpec[]): SegmentSpec {
    return segmentSpecSchema.parse({ tag, name, elements });
  },
};

/** `M('BGM')`, `C('DTM', 35)`, `G('SG2', 'C', 99, [M('NAD'), …])`. */
export function M(segment: string, max = 1): StructureEntry {
  return { segment, mandatory: true, max };
}
export function C(segment: string, max = 1): StructureEntry {
  return { segment, mandatory: false, max };
}
export function G(group: string, status: 'M' | 'C', max: number, entries: StructureEntry[]): StructureEntry {
  return { group, mandatory: status === 'M', max, entries };
}
