import { type EdifactIssue, EdifactWarnings, makeIssue } from './errors.js';
import type { EdifactEvent } from './parser.js';
import { componentAt, type EdifactSegment, locationOf } from './segment.js';
import { DEFAULT_SEPARATORS, type Separators } from './separators.js';

export interface EdifactMessage {
  /** UNH 0062. */
  ref: string;
  /** UNH S009: 0065 type, 0052 version, 0054 release, 0051 agency, 0057 association code. */
  type: string;
  version: string;
  release: string;
  agency: string;
  associationCode: string | undefined;
  header: EdifactSegment;
  trailer: EdifactSegment | undefined;
  /** UNH through UNT inclusive, in order. */
  segments: EdifactSegment[];
}

export interface EdifactGroup {
  /** UNG 0048. */
  ref: string;
  header: EdifactSegment;
  trailer: EdifactSegment | undefined;
  messages: EdifactMessage[];
}

export interface EdifactParty {
  id: string;
  qualifier: string | undefined;
}

export interface EdifactInterchange {
  separators: Separators;
  /** The UNA text when the interchange was preceded by one. */
  una: string | undefined;
  /** UNB S001: 0001 syntax identifier and 0002 version. */
  syntaxIdentifier: string;
  syntaxVersion: string;
  /** UNB 0020. */
  controlRef: string;
  sender: EdifactParty;
  recipient: EdifactParty;
  /** UNB S004 as sent (YYMMDD or CCYYMMDD, HHMM). */
  date: string;
  time: string;
  testIndicator: boolean;
  header: EdifactSegment;
  trailer: EdifactSegment | undefined;
  groups: EdifactGroup[];
  /** Messages not inside a group. */
  messages: EdifactMessage[];
  /** Segments inside the interchange but outside any message. */
  stray: EdifactSegment[];
}

export interface EdifactDocument {
  interchanges: EdifactInterchange[];
  /** Messages found outside any interchange. */
  messages: EdifactMessage[];
  /** Segments outside any interchange and message (a message body sent bare, for instance). */
  fragment: EdifactSegment[];
  /** Separators in force for `fragment` and `messages`. */
  separators: Separators;
  /** Every segment in input order (envelope validation replays it). */
  segments: EdifactSegment[];
  warnings: EdifactIssue[];
}

export function messageFromHeader(header: EdifactSegment): EdifactMessage {
  return {
    ref: componentAt(header, 1) ?? '',
    type: componentAt(header, 2, 1) ?? '',
    version: componentAt(header, 2, 2) ?? '',
    release: componentAt(header, 2, 3) ?? '',
    agency: componentAt(header, 2, 4) ?? '',
    associationCode: componentAt(header, 2, 5) || undefined,
    header,
    trailer: undefined,
    segments: [header],
  };
}

export function interchangeFromHeader(header: EdifactSegment, separators: Separators, una: string | undefined): EdifactInterchange {
  return {
    separators,
    una,
    syntaxIdentifier: componentAt(header, 1, 1) ?? '',
    syntaxVersion: componentAt(header, 1, 2) ?? '',
    controlRef: componentAt(header, 5) ?? '',
    sender: { id: componentAt(header, 2, 1) ?? '', qualifier: componentAt(header, 2, 2) || undefined },
    recipient: { id: componentAt(header, 3, 1) ?? '', qualifier: componentAt(header, 3, 2) || undefined },
    date: componentAt(header, 4, 1) ?? '',
    time: componentAt(header, 4, 2) ?? '',
    testIndicator: componentAt(header, 11) === '1',
    header,
    trailer: undefined,
    groups: [],
    messages: [],
    stray: [],
  };
}

/**
 * Builds the tree from parser events. Lenient by design: a missing trailer closes its level
 * implicitly (the envelope validator reports it); a UNB with nothing after it but another UNB
 * is dropped with a warning (a stray header line seen in real files).
 */
export class EdifactTreeBuilder {
  private readonly doc: EdifactDocument = {
    interchanges: [],
    messages: [],
    fragment: [],
    separators: { ...DEFAULT_SEPARATORS },
    segments: [],
    warnings: [],
  };
  private separators: Separators = { ...DEFAULT_SEPARATORS };
  private pendingUna: string | undefined;
  private interchange: EdifactInterchange | undefined;
  private group: EdifactGroup | undefined;
  private message: EdifactMessage | undefined;
  private warnedLoose = false;

  accept(event: EdifactEvent): void {
    if (event.kind === 'warning') {
      this.doc.warnings.push(event.issue);
      return;
    }
    if (event.kind === 'separators') {
      this.separators = event.separators;
      this.pendingUna = event.una;
      if (this.doc.segments.length === 0) this.doc.separators = event.separators;
      return;
    }
    this.segment(event.segment);
  }

  private segment(seg: EdifactSegment): void {
    this.doc.segments.push(seg);
    switch (seg.tag) {
      case 'UNB': {
        const open = this.interchange;
        if (open && open.groups.length === 0 && open.messages.length === 0 && open.stray.length === 0) {
          this.doc.interchanges.pop();
          this.doc.warnings.push(
            makeIssue(
              EdifactWarnings.abandonedHeader,
              'warning',
              `UNB at line ${open.header.position.line} is followed directly by another UNB; the first one is ignored`,
              locationOf(open.header),
            ),
          );
        }
        this.closeMessage();
        this.group = undefined;
        this.interchange = interchangeFromHeader(seg, this.separators, this.pendingUna);
        this.pendingUna = undefined;
        this.doc.interchanges.push(this.interchange);
        return;
      }
      case 'UNG': {
        this.closeMessage();
        const group: EdifactGroup = { ref: componentAt(seg, 5) ?? '', header: seg, trailer: undefined, messages: [] };
        this.group = group;
        if (this.interchange) this.interchange.groups.push(group);
        else this.loose(seg);
        return;
      }
      case 'UNH': {
        this.closeMessage();
        const msg = messageFromHeader(seg);
        this.message = msg;
        if (this.group) this.group.messages.push(msg);
        else if (this.interchange) this.interchange.messages.push(msg);
        else {
          this.warnLoose(seg);
          this.doc.messages.push(msg);
        }
        return;
      }
      case 'UNT':
        if (this.message) {
          this.message.segments.push(seg);
          this.message.trailer = seg;
          this.message = undefined;
        } else this.loose(seg);
        return;
      case 'UNE':
        this.closeMessage();
        if (this.group) {
          this.group.trailer = seg;
          this.group = undefined;
        } else this.loose(seg);
        return;
      case 'UNZ':
        this.closeMessage();
        this.group = undefined;
        if (this.interchange) {
          this.interchange.trailer = seg;
          this.interchange = undefined;
        } else this.loose(seg);
        return;
      default:
        if (this.message) this.message.segments.push(seg);
        else this.loose(seg);
    }
  }

  private closeMessage(): void {
    this.message = undefined;
  }

  private loose(seg: EdifactSegment): void {
    if (this.interchange) {
      this.interchange.stray.push(seg);
      return;
    }
    this.warnLoose(seg);
    this.doc.fragment.push(seg);
  }

  private warnLoose(seg: EdifactSegment): void {
    if (this.warnedLoose) return;
    this.warnedLoose = true;
    this.doc.warnings.push(
      makeIssue(
        EdifactWarnings.noInterchange,
        'warning',
        `segment ${seg.tag} is outside any interchange (no UNB before it)`,
        locationOf(seg),
      ),
    );
  }

  finish(): EdifactDocument {
    return this.doc;
  }
}
