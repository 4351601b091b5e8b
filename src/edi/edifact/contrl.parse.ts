import { EdifactErrors } from './errors.js';
import { componentAt, type EdifactSegment, locationOf } from './segment.js';
import type { ActionCode } from './syntax-codes.js';
import type { EdifactMessage } from './tree.js';

export interface ContrlErrorPointer {
  /** 0085 syntax error code. */
  code: string | undefined;
  /** 0013 service segment tag, when the error is in a service segment. */
  serviceSegment: string | undefined;
  elementPosition: number | undefined;
  componentPosition: number | undefined;
  occurrence: number | undefined;
}

export interface ContrlSegmentError {
  /** 0096: position of the segment in the subject message, UNH = 1. */
  position: number;
  code: string | undefined;
  elements: ContrlErrorPointer[];
}

export interface ContrlMessageResponse {
  messageRef: string;
  type: string;
  version: string;
  release: string;
  agency: string;
  action: string;
  error: ContrlErrorPointer;
  segmentErrors: ContrlSegmentError[];
}

export interface ContrlGroupResponse {
  groupRef: string;
  action: string;
  error: ContrlErrorPointer;
  messages: ContrlMessageResponse[];
}

export interface ContrlReport {
  /** 3 for CONTRL:D:3, 4 for CONTRL:4:x. */
  syntaxVersion: 3 | 4;
  interchangeRef: string;
  sender: string;
  recipient: string;
  action: string;
  error: ContrlErrorPointer;
  groups: ContrlGroupResponse[];
  messages: ContrlMessageResponse[];
}

function pointer(seg: EdifactSegment, codeAt: number): ContrlErrorPointer {
  const num = (e: number, c: number) => {
    const v = componentAt(seg, e, c);
    return v === undefined || v === '' ? undefined : Number(v);
  };
  const s011At = seg.tag === 'UCD' ? 2 : codeAt + 2;
  return {
    code: componentAt(seg, codeAt) || undefined,
    serviceSegment: seg.tag === 'UCD' ? undefined : componentAt(seg, codeAt + 1) || undefined,
    elementPosition: num(s011At, 1),
    componentPosition: num(s011At, 2),
    occurrence: num(s011At, 3),
  };
}

function invalid(seg: EdifactSegment, why: string): never {
  throw EdifactErrors.contrl(`CONTRL ${why}`, { ...locationOf(seg) });
}

/** Reads a received CONTRL message into a structure for reconciliation with what was sent. */
export function parseContrl(message: EdifactMessage): ContrlReport {
  if (message.type !== 'CONTRL') invalid(message.header, `expected, got message type ${JSON.stringify(message.type)}`);
  const uci = message.segments[1];
  if (uci?.tag !== 'UCI') invalid(uci ?? message.header, 'must start with UCI after UNH');
  const report: ContrlReport = {
    syntaxVersion: message.version === '4' ? 4 : 3,
    interchangeRef: componentAt(uci, 1) ?? '',
    sender: componentAt(uci, 2) ?? '',
    recipient: componentAt(uci, 3) ?? '',
    action: componentAt(uci, 4) ?? '',
    error: pointer(uci, 5),
    groups: [],
    messages: [],
  };
  let group: ContrlGroupResponse | undefined;
  let msg: ContrlMessageResponse | undefined;
  let segErr: ContrlSegmentError | undefined;
  for (const seg of message.segments.slice(2)) {
    switch (seg.tag) {
      case 'UCF':
        group = { groupRef: componentAt(seg, 1) ?? '', action: componentAt(seg, 4) ?? '', error: pointer(seg, 5), messages: [] };
        report.groups.push(group);
        msg = undefined;
        segErr = undefined;
        break;
      case 'UCM':
        msg = {
          messageRef: componentAt(seg, 1) ?? '',
          type: componentAt(seg, 2, 1) ?? '',
          version: componentAt(seg, 2, 2) ?? '',
          release: componentAt(seg, 2, 3) ?? '',
          agency: componentAt(seg, 2, 4) ?? '',
          action: componentAt(seg, 3) ?? '',
          error: pointer(seg, 4),
          segmentErrors: [],
        };
        (group ? group.messages : report.messages).push(msg);
        segErr = undefined;
        break;
      case 'UCS': {
        if (!msg) invalid(seg, 'has UCS outside a UCM');
        const position = Number(componentAt(seg, 1));
        if (!Number.isInteger(position) || position < 1)
          invalid(seg, `UCS has no valid segment position (${JSON.stringify(componentAt(seg, 1) ?? '')})`);
        segErr = { position, code: componentAt(seg, 2) || undefined, elements: [] };
        msg.segmentErrors.push(segErr);
        break;
      }
      case 'UCD':
        if (!segErr) invalid(seg, 'has UCD outside a UCS');
        segErr.elements.push(pointer(seg, 1));
        break;
      case 'UNT':
        break;
      default:
        invalid(seg, `holds unexpected segment ${seg.tag}`);
    }
  }
  return report;
}

export interface ContrlOutcome {
  interchangeAccepted: boolean;
  /** Message references the partner rejected (action 4, or all when the interchange or their group is rejected). */
  rejectedMessages: string[];
  acceptedMessages: string[];
  /** True when the partner only confirmed receipt (action 8). */
  receiptOnly: boolean;
}

/** What the partner accepted and rejected, ready to reconcile against the messages sent in `interchangeRef`. */
export function contrlOutcome(report: ContrlReport): ContrlOutcome {
  const icRejected = report.action === ('4' satisfies ActionCode);
  const rejected: string[] = [];
  const accepted: string[] = [];
  const visit = (m: ContrlMessageResponse, parentRejected: boolean) => {
    (parentRejected || m.action === '4' ? rejected : accepted).push(m.messageRef);
  };
  for (const m of report.messages) visit(m, icRejected);
  for (const g of report.groups) for (const m of g.messages) visit(m, icRejected || g.action === '4');
  return { interchangeAccepted: !icRejected, rejectedMessages: rejected, acceptedMessages: accepted, receiptOnly: report.action === '8' };
}
