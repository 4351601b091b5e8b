import { z } from 'zod';
import { EdifactErrors } from './errors.js';
import type { EdifactSegment } from './segment.js';
import { DEFAULT_SEPARATORS, formatUna, type Separators, sameSeparators, separatorsSchema } from './separators.js';
import type { EdifactDocument, EdifactInterchange, EdifactMessage } from './tree.js';

export const serializeOptionsSchema = z.object({
  /** Separators to write with; default: the interchange's own. */
  separators: separatorsSchema.optional(),
  /** `auto`: UNA when the source had one or the separators are not the defaults. */
  una: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Layout: `none` = the whole interchange on one line; `lf`/`crlf` = one segment per line. */
  lineBreak: z.enum(['none', 'lf', 'crlf']).default('none'),
});
export type SerializeOptions = z.input<typeof serializeOptionsSchema>;

/** A segment to write: tag and elements (components), optional repetitions (syntax 4). */
export interface SegmentData {
  tag: string;
  elements: readonly (readonly string[])[];
  repetitions?: readonly (readonly (readonly string[])[])[] | undefined;
}

function escaper(seps: Separators, repetitionActive: boolean): (value: string) => string {
  const special = new Set([seps.component, seps.element, seps.segment]);
  if (seps.release) special.add(seps.release);
  if (repetitionActive && seps.repetition) special.add(seps.repetition);
  const release = seps.release;
  return (value) => {
    let out = '';
    let from = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value[i]!;
      if (!special.has(c)) continue;
      if (release === undefined) {
        throw EdifactErrors.serialize(
          `value ${JSON.stringify(value)} contains service character ${JSON.stringify(c)} and no release character is declared`,
        );
      }
      out += value.slice(from, i) + release + c;
      from = i + 1;
    }
    return from === 0 ? value : out + value.slice(from);
  };
}

/** One segment without its terminator. Values are release-escaped; trailing empty elements are kept as given. */
export function formatSegment(seg: SegmentData, seps: Separators, repetitionActive = false): string {
  const esc = escaper(seps, repetitionActive);
  const writeElement = (components: readonly string[]) => components.map(esc).join(seps.component);
  let out = seg.tag;
  for (let i = 0; i < seg.elements.length; i++) {
    const occurrences = repetitionActive ? seg.repetitions?.[i] : undefined;
    out += seps.element;
    out += occurrences && occurrences.length > 1 ? occurrences.map(writeElement).join(seps.repetition) : writeElement(seg.elements[i]!);
  }
  return out;
}

/**
 * Builds segment data from loose values, dropping trailing empty components and elements
 * (ISO 9735 forbids trailing separators in generated output).
 */
export function segment(tag: string, ...elements: (string | undefined | readonly (string | undefined)[])[]): SegmentData {
  const els = elements.map((e) => {
    const comps = (typeof e === 'string' || e === undefined ? [e] : [...e]).map((c) => c ?? '');
    while (comps.length > 1 && comps[comps.length - 1] === '') comps.pop();
    return comps;
  });
  while (els.length > 0 && els[els.length - 1]!.every((c) => c === '')) els.pop();
  return { tag, elements: els };
}

class Writer {
  readonly parts: string[] = [];
  private readonly eol: string;
  constructor(
    readonly seps: Separators,
    lineBreak: 'none' | 'lf' | 'crlf',
    private readonly repetitionActive: boolean,
  ) {
    this.eol = lineBreak === 'lf' ? '\n' : lineBreak === 'crlf' ? '\r\n' : '';
    if (this.eol !== '' && seps.segment === '\n') this.eol = '';
  }
  raw(text: string): void {
    this.parts.push(text + this.eol);
  }
  seg(s: SegmentData): void {
    this.parts.push(formatSegment(s, this.seps, this.repetitionActive) + this.seps.segment + this.eol);
  }
}

function writeMessage(w: Writer, msg: EdifactMessage): void {
  for (const s of msg.segments) w.seg(s);
}

function writeInterchange(w: Writer, ic: EdifactInterchange, una: 'auto' | 'always' | 'never'): void {
  const wantUna = una === 'always' || (una === 'auto' && (ic.una !== undefined || !sameSeparators(w.seps, DEFAULT_SEPARATORS)));
  if (wantUna) w.raw(formatUna(w.seps));
  w.seg(ic.header);
  for (const s of ic.stray) w.seg(s);
  for (const g of ic.groups) {
    w.seg(g.header);
    for (const m of g.messages) writeMessage(w, m);
    if (g.trailer) w.seg(g.trailer);
  }
  for (const m of ic.messages) writeMessage(w, m);
  if (ic.trailer) w.seg(ic.trailer);
}

export function serializeInterchange(ic: EdifactInterchange, options: SerializeOptions = {}): string {
  const opts = serializeOptionsSchema.parse(options);
  const seps = opts.separators ?? ic.separators;
  const w = new Writer(seps, opts.lineBreak, Number(ic.syntaxVersion) >= 4);
  writeInterchange(w, ic, opts.una);
  return w.parts.join('');
}

/** Writes a whole parsed document: loose segments and messages first, then each interchange. */
export function serializeDocument(doc: EdifactDocument, options: SerializeOptions = {}): string {
  const opts = serializeOptionsSchema.parse(options);
  const out: string[] = [];
  if (doc.fragment.length > 0 || doc.messages.length > 0) {
    const w = new Writer(opts.separators ?? doc.separators, opts.lineBreak, false);
    for (const s of doc.fragment) w.seg(s);
    for (const m of doc.messages) writeMessage(w, m);
    out.push(...w.parts);
  }
  for (const ic of doc.interchanges) out.push(serializeInterchange(ic, opts));
  return out.join('');
}

/** Segments in order with the given separators (no UNA). */
export function serializeSegments(
  segments: readonly (SegmentData | EdifactSegment)[],
  separators: Separators = DEFAULT_SEPARATORS,
  options: SerializeOptions = {},
): string {
  const opts = serializeOptionsSchema.parse(options);
  const w = new Writer(separators, opts.lineBreak, false);
  for (const s of segments) w.seg(s);
  return w.parts.join('');
}
