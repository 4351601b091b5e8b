import type { X12Segment, X12SegmentLike } from '../../x12/index.js';
import type { MapSegment } from '../engine/segment-view.js';

/** X12 segment → map view: first repetition of each element, as components. */
export function fromX12(seg: Pick<X12Segment, 'tag' | 'elements'>): MapSegment {
  return { tag: seg.tag, values: seg.elements.map((el) => el[0] ?? ['']) };
}

export function toX12(seg: MapSegment): X12SegmentLike {
  return { tag: seg.tag, elements: seg.values.map((comps) => [comps]) };
}
