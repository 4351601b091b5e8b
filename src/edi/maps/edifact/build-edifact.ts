import { DEFAULT_SEPARATORS, formatUna, type SegmentData, type Separators, segment, serializeSegments } from '../../edifact/index.js';
import type { MapSegment } from '../engine/segment-view.js';
import { toEdifact } from './adapter.js';

export interface EdifactEnvelopeSettings {
  readonly sender: { readonly id: string; readonly qualifier: string };
  readonly recipient: { readonly id: string; readonly qualifier: string };
  readonly syntax: { readonly identifier: string; readonly version: string };
  /** `D:96A`. */
  readonly version: string;
  readonly associationCode?: string;
  readonly separators?: Separators;
  readonly test?: boolean;
  readonly lineBreak?: 'none' | 'lf' | 'crlf';
}

/** UNA, UNB, one UNH…UNT per body, UNZ: counts and references filled in here so they cannot disagree. */
export function buildEdifactInterchange(
  messageType: string,
  bodies: readonly (readonly MapSegment[])[],
  settings: EdifactEnvelopeSettings,
  controls: { interchange: string; messages: readonly string[] },
  now: Date,
): string {
  const seps = settings.separators ?? DEFAULT_SEPARATORS;
  const [directory = 'D', release = '96A'] = settings.version.split(':');
  const iso = now.toISOString();
  const segments: SegmentData[] = [
    segment(
      'UNB',
      [settings.syntax.identifier, settings.syntax.version],
      [settings.sender.id, settings.sender.qualifier],
      [settings.recipient.id, settings.recipient.qualifier],
      [iso.slice(2, 10).replaceAll('-', ''), iso.slice(11, 16).replace(':', '')],
      controls.interchange,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      settings.test ? '1' : undefined,
    ),
  ];
  bodies.forEach((body, i) => {
    const ref = controls.messages[i] ?? String(i + 1);
    segments.push(
      segment('UNH', ref, [messageType, directory, release, 'UN', settings.associationCode]),
      ...body.map(toEdifact),
      segment('UNT', String(body.length + 2), ref),
    );
  });
  segments.push(segment('UNZ', String(bodies.length), controls.interchange));
  const lineBreak = settings.lineBreak ?? 'lf';
  return `${formatUna(seps)}${lineBreak === 'none' ? '' : '\n'}${serializeSegments(segments, seps, { lineBreak, una: 'never' })}`;
}
