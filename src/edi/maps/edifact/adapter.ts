import type { EdifactSegment, SegmentData } from '../../edifact/index.js';
import type { MapSegment } from '../engine/segment-view.js';

/** EDIFACT segment → map view: elements as components (first occurrence; syntax 4 repetitions stay in the tree). */
export function fromEdifact(seg: Pick<EdifactSegment, 'tag' | 'elements'>): MapSegment {
  return { tag: seg.tag, values: seg.elements };
}

export function toEdifact(seg: MapSegment): SegmentData {
  return { tag: seg.tag, elements: seg.values };
}
