import { EdifactErrors, type EdifactIssue, type EdifactLocation, makeIssue } from './errors.js';
import { componentAt, type EdifactSegment, locationOf } from './segment.js';
import { type SyntaxErrorCode, SyntaxErrors } from './syntax-codes.js';
import type { EdifactDocument, EdifactInterchange } from './tree.js';

const ENVELOPE = EdifactErrors.envelope.code;

interface OpenInterchange {
  header: EdifactSegment;
  ref: string;
  groups: number;
  messages: number;
  stray: number;
  mode: 'groups' | 'messages' | undefined;
}
interface OpenGroup {
  header: EdifactSegment;
  ref: string;
  messages: number;
}
interface OpenMessage {
  header: EdifactSegment;
  ref: string;
  count: number;
}

/**
 * Checks envelopes segment by segment (so it also runs over a stream): UNB/UNZ, UNG/UNE and UNH/UNT
 * references match, trailer counts match (UNT01 counts UNH and UNT; UNZ01 counts groups when the
 * interchange uses groups, else messages), no mix of groups and messages, nothing outside messages.
 */
export class EnvelopeValidator {
  private readonly issues: EdifactIssue[] = [];
  private interchange: OpenInterchange | undefined;
  private group: OpenGroup | undefined;
  private message: OpenMessage | undefined;

  private error(message: string, loc: EdifactLocation, syntaxError: SyntaxErrorCode): void {
    this.issues.push(makeIssue(ENVELOPE, 'error', message, loc, syntaxError));
  }

  accept(seg: EdifactSegment): void {
    switch (seg.tag) {
      case 'UNB':
        this.unb(seg);
        return;
      case 'UNG':
        this.ung(seg);
        return;
      case 'UNH':
        this.unh(seg);
        return;
      case 'UNT':
        this.unt(seg);
        return;
      case 'UNE':
        this.une(seg);
        return;
      case 'UNZ':
        this.unz(seg);
        return;
      default:
        if (this.message) this.message.count++;
        else if (this.interchange) {
          this.interchange.stray++;
          this.error(`segment ${seg.tag} outside any message`, locationOf(seg), SyntaxErrors.invalidOccurrenceOutsideMessage);
        }
    }
  }

  private unb(seg: EdifactSegment): void {
    const open = this.interchange;
    if (open) {
      this.closeMessage(seg);
      this.closeGroup(seg);
      const empty = open.groups === 0 && open.messages === 0 && open.stray === 0;
      const msg = `interchange ${open.ref || '(no reference)'} opened at line ${open.header.position.line} has no UNZ before the next UNB`;
      if (empty)
        this.issues.push(makeIssue(ENVELOPE, 'warning', `${msg}; it is empty and ignored`, locationOf(open.header), SyntaxErrors.missing));
      else this.error(msg, { ...locationOf(open.header), tag: 'UNZ' }, SyntaxErrors.missing);
    }
    const ref = componentAt(seg, 5) ?? '';
    if (ref === '') this.error('UNB has no interchange control reference (0020)', locationOf(seg, 5), SyntaxErrors.missing);
    const syntaxId = componentAt(seg, 1, 1) ?? '';
    const version = componentAt(seg, 1, 2) ?? '';
    if (syntaxId === '') this.error('UNB has no syntax identifier (0001)', locationOf(seg, 1, 1), SyntaxErrors.missing);
    if (!/^[1-4]$/.test(version)) {
      this.error(`UNB syntax version ${JSON.stringify(version)} is not 1–4`, locationOf(seg, 1, 2), SyntaxErrors.syntaxVersionNotSupported);
    }
    if ((componentAt(seg, 2, 1) ?? '').trim() === '')
      this.error('UNB has no interchange sender (S002/0004)', locationOf(seg, 2, 1), SyntaxErrors.missing);
    if ((componentAt(seg, 3, 1) ?? '').trim() === '')
      this.error('UNB has no interchange recipient (S003/0010)', locationOf(seg, 3, 1), SyntaxErrors.missing);
    this.interchange = { header: seg, ref, groups: 0, messages: 0, stray: 0, mode: undefined };
  }

  private ung(seg: EdifactSegment): void {
    this.closeMessage(seg);
    this.closeGroup(seg);
    const ic = this.interchange;
    if (ic) {
      if (ic.mode === 'messages')
        this.error('functional group after messages in the same interchange', locationOf(seg), SyntaxErrors.groupsAndMessagesMixed);
      ic.mode = 'groups';
      ic.groups++;
    }
    const ref = componentAt(seg, 5) ?? '';
    if (ref === '') this.error('UNG has no group reference number (0048)', locationOf(seg, 5), SyntaxErrors.missing);
    this.group = { header: seg, ref, messages: 0 };
  }

  private unh(seg: EdifactSegment): void {
    this.closeMessage(seg);
    const ic = this.interchange;
    if (this.group) this.group.messages++;
    else if (ic) {
      if (ic.mode === 'groups')
        this.error(
          'message outside a functional group in an interchange that uses groups',
          locationOf(seg),
          SyntaxErrors.groupsAndMessagesMixed,
        );
      ic.mode ??= 'messages';
    }
    if (ic) ic.messages++;
    const ref = componentAt(seg, 1) ?? '';
    if (ref === '') this.error('UNH has no message reference number (0062)', locationOf(seg, 1), SyntaxErrors.missing);
    const names = ['message type (0065)', 'version (0052)', 'release (0054)', 'controlling agency (0051)'];
    names.forEach((name, i) => {
      if ((componentAt(seg, 2, i + 1) ?? '') === '') this.error(`UNH has no ${name}`, locationOf(seg, 2, i + 1), SyntaxErrors.missing);
    });
    const version = componentAt(seg, 2, 2) ?? '';
    const release = componentAt(seg, 2, 3) ?? '';
    // 0052/0054: 'D' + '96A' for directories, digits for service and IATA messages (CONTRL:4:1, PAORES:93:1).
    if (version !== '' && !/^(D|S|\d{1,3})$/.test(version)) {
      this.error(
        `UNH message version ${JSON.stringify(version)} is not a directory version`,
        locationOf(seg, 2, 2),
        SyntaxErrors.invalidValue,
      );
    }
    if (release !== '' && !/^(\d{2}[A-C]|\d{1,3})$/.test(release)) {
      this.error(
        `UNH message release ${JSON.stringify(release)} is not a directory release`,
        locationOf(seg, 2, 3),
        SyntaxErrors.invalidValue,
      );
    }
    this.message = { header: seg, ref, count: 1 };
  }

  private unt(seg: EdifactSegment): void {
    const msg = this.message;
    if (!msg) {
      this.error('UNT without a UNH before it', locationOf(seg), SyntaxErrors.invalidOccurrenceOutsideMessage);
      return;
    }
    msg.count++;
    this.message = undefined;
    const declared = componentAt(seg, 1) ?? '';
    const ref = componentAt(seg, 2) ?? '';
    if (!/^\d+$/.test(declared) || Number(declared) !== msg.count) {
      this.error(
        `UNT declares ${JSON.stringify(declared)} segments but message ${msg.ref} has ${msg.count} (UNH to UNT)`,
        locationOf(seg, 1),
        SyntaxErrors.controlCountMismatch,
      );
    }
    if (ref !== msg.ref) {
      this.error(
        `UNT message reference ${JSON.stringify(ref)} does not match UNH ${JSON.stringify(msg.ref)}`,
        locationOf(seg, 2),
        SyntaxErrors.referencesDoNotMatch,
      );
    }
  }

  private une(seg: EdifactSegment): void {
    this.closeMessage(seg);
    const group = this.group;
    if (!group) {
      this.error('UNE without a UNG before it', locationOf(seg), SyntaxErrors.invalidOccurrenceOutsideMessage);
      return;
    }
    this.group = undefined;
    const declared = componentAt(seg, 1) ?? '';
    if (!/^\d+$/.test(declared) || Number(declared) !== group.messages) {
      this.error(
        `UNE declares ${JSON.stringify(declared)} messages but group ${group.ref} has ${group.messages}`,
        locationOf(seg, 1),
        SyntaxErrors.controlCountMismatch,
      );
    }
    if ((componentAt(seg, 2) ?? '') !== group.ref) {
      this.error(
        `UNE group reference ${JSON.stringify(componentAt(seg, 2) ?? '')} does not match UNG ${JSON.stringify(group.ref)}`,
        locationOf(seg, 2),
        SyntaxErrors.referencesDoNotMatch,
      );
    }
    if (group.messages === 0) this.error(`group ${group.ref} holds no message`, locationOf(seg), SyntaxErrors.lowerLevelEmpty);
  }

  private unz(seg: EdifactSegment): void {
    this.closeMessage(seg);
    this.closeGroup(seg);
    const ic = this.interchange;
    if (!ic) {
      this.error('UNZ without a UNB before it', locationOf(seg), SyntaxErrors.invalidOccurrenceOutsideMessage);
      return;
    }
    this.interchange = undefined;
    const expected = ic.mode === 'groups' ? ic.groups : ic.messages;
    const what = ic.mode === 'groups' ? 'groups' : 'messages';
    const declared = componentAt(seg, 1) ?? '';
    if (!/^\d+$/.test(declared) || Number(declared) !== expected) {
      this.error(
        `UNZ declares ${JSON.stringify(declared)} ${what} but interchange ${ic.ref} has ${expected}`,
        locationOf(seg, 1),
        SyntaxErrors.controlCountMismatch,
      );
    }
    if ((componentAt(seg, 2) ?? '') !== ic.ref) {
      this.error(
        `UNZ interchange reference ${JSON.stringify(componentAt(seg, 2) ?? '')} does not match UNB ${JSON.stringify(ic.ref)}`,
        locationOf(seg, 2),
        SyntaxErrors.referencesDoNotMatch,
      );
    }
    if (ic.groups === 0 && ic.messages === 0)
      this.error(`interchange ${ic.ref} holds no message`, locationOf(seg), SyntaxErrors.lowerLevelEmpty);
  }

  private closeMessage(next: EdifactSegment | undefined): void {
    const msg = this.message;
    if (!msg) return;
    this.message = undefined;
    const where = next ? ` before ${next.tag} at line ${next.position.line}` : ' before the end of input';
    this.error(`message ${msg.ref} has no UNT${where}`, { ...locationOf(msg.header), tag: 'UNT' }, SyntaxErrors.missing);
  }

  private closeGroup(next: EdifactSegment | undefined): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    const where = next ? ` before ${next.tag} at line ${next.position.line}` : ' before the end of input';
    this.error(`group ${group.ref} has no UNE${where}`, { ...locationOf(group.header), tag: 'UNE' }, SyntaxErrors.missing);
  }

  /** Closes open levels (reporting missing trailers) and returns every issue found. */
  finish(): EdifactIssue[] {
    this.closeMessage(undefined);
    this.closeGroup(undefined);
    const ic = this.interchange;
    if (ic) {
      this.interchange = undefined;
      this.error(
        `interchange ${ic.ref} has no UNZ before the end of input`,
        { ...locationOf(ic.header), tag: 'UNZ' },
        SyntaxErrors.missing,
      );
    }
    return this.issues;
  }
}

/** Envelope issues of a parsed document, in input order. */
export function validateEnvelope(doc: Pick<EdifactDocument, 'segments'>): EdifactIssue[] {
  const v = new EnvelopeValidator();
  for (const seg of doc.segments) v.accept(seg);
  return v.finish();
}

/** Throws CD_ERR_EDIFACT_ENVELOPE for the first error, listing all of them in `details.issues`. */
export function assertEnvelope(issues: readonly EdifactIssue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  const first = errors[0];
  if (!first) return;
  throw EdifactErrors.envelope(errors.length > 1 ? `${first.message} (and ${errors.length - 1} more)` : first.message, {
    ...first.location,
    syntaxError: first.syntaxError,
    issues: errors,
  });
}

/**
 * Remembers interchanges already received. `add` must be idempotent; a store that can do
 * has-and-add atomically should, so two concurrent receipts cannot both pass.
 */
export interface InterchangeRegistry {
  has(key: string): boolean | Promise<boolean>;
  add(key: string): void | Promise<void>;
}

/** Identity of an interchange: sender, recipient (with qualifiers) and control reference (ISO 9735: unique per sender/recipient). */
export function interchangeKey(ic: Pick<EdifactInterchange, 'sender' | 'recipient' | 'controlRef'>): string {
  return [ic.sender.id.trim(), ic.sender.qualifier ?? '', ic.recipient.id.trim(), ic.recipient.qualifier ?? '', ic.controlRef].join('|');
}

/** Records the interchange; returns a `26 Duplicate detected` issue when it was seen before. */
export async function registerInterchange(ic: EdifactInterchange, registry: InterchangeRegistry): Promise<EdifactIssue | undefined> {
  const key = interchangeKey(ic);
  if (await registry.has(key)) {
    return makeIssue(
      EdifactErrors.duplicate.code,
      'error',
      `interchange ${ic.controlRef} from ${ic.sender.id} to ${ic.recipient.id} was already received`,
      locationOf(ic.header, 5),
      SyntaxErrors.duplicateDetected,
    );
  }
  await registry.add(key);
  return undefined;
}

export class InMemoryInterchangeRegistry implements InterchangeRegistry {
  private readonly keys = new Set<string>();
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
  }
}
