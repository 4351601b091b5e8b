import { parseCanonical } from '../../canonical/index.js';
import { CrossdockError } from '../../kernel/index.js';
import type { EdiMap, MapContext } from './engine/map-format.js';
import type { Rec } from './engine/paths.js';
import { type MapIssue, readRecord } from './engine/read.js';
import type { MapSegment } from './engine/segment-view.js';
import { writeRecord } from './engine/write.js';
import { MapErrors } from './errors.js';

export interface CanonicalDocument {
  /** Canonical schema id, e.g. `salesorder.v1`. */
  readonly schema: string;
  readonly data: unknown;
}

/** One transaction set / message translated. `error` is set when it does not make valid canonical objects. */
export interface Translation {
  readonly mapId: string;
  readonly documentType: string;
  readonly envelope: Readonly<Record<string, string>>;
  readonly objects: CanonicalDocument[];
  readonly issues: MapIssue[];
  readonly error?: CrossdockError;
}

/** Reads a body with a map and validates what comes out against the canonical schema. */
export function translateBody(map: EdiMap, body: readonly MapSegment[], ctx: MapContext): Translation {
  const { record, issues } = readRecord(map.nodes, body, map.unmapped);
  const base = { mapId: map.id, documentType: map.documentType, envelope: ctx.envelope, issues };
  try {
    const objects = map.toCanonical(record, ctx).map((o) => ({ schema: map.canonical, data: parseCanonical(map.canonical, o) }));
    return { ...base, objects };
  } catch (err) {
    const cause = err instanceof CrossdockError ? err : undefined;
    const error = MapErrors.mapping(
      `${map.documentType} ${ctx.envelope.transactionControl ?? ''} does not make a valid ${map.canonical}: ${cause?.message ?? String(err)}`,
      { map: map.id, ...ctx.envelope, ...(cause ? { path: cause.details.path, issues: cause.details.issues } : {}) },
      { cause: err },
    );
    return { ...base, objects: [], error };
  }
}

/** Canonical objects → body segments (no envelope). The objects are validated first. */
export function writeBody(map: EdiMap, objects: readonly unknown[], ctx: MapContext): MapSegment[] {
  const parsed = objects.map((o) => parseCanonical(map.canonical, o));
  const record: Rec = map.fromCanonical(parsed, ctx);
  return writeRecord(map.nodes, record);
}
