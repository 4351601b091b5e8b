import { z } from 'zod';
import type { Clock } from '../../kernel/index.js';
import type { ControlNumberAllocator } from './control-numbers.js';
import { EdifactErrors, type EdifactIssue } from './errors.js';
import { parseEdifact } from './parse.js';
import { DEFAULT_SEPARATORS, formatUna, sameSeparators } from './separators.js';
import { formatSegment, type SegmentData, segment } from './serializer.js';
import { Action, type ActionCode, SyntaxErrors } from './syntax-codes.js';
import type { EdifactInterchange, EdifactMessage } from './tree.js';

export const contrlOptionsSchema = z.object({
  /** CONTRL syntax: '3' (CONTRL:D:3:UN) or '4' (CONTRL:4:1:UN); default follows the subject's UNB version. */
  syntaxVersion: z.enum(['3', '4']).optional(),
  /** `receipt` only confirms receipt (UCI action 8) without reporting on lower levels. */
  mode: z.enum(['acknowledge', 'receipt']).default('acknowledge'),
  /** Also list accepted messages (UCM action 7), not only rejected ones. */
  reportAcceptedMessages: z.boolean().default(true),
  /** Line break after each segment in the text output. */
  lineBreak: z.enum(['none', 'lf', 'crlf']).default('none'),
});
export type ContrlOptions = z.input<typeof contrlOptionsSchema>;

export interface ContrlDeps {
  allocator: ControlNumberAllocator;
  clock: Clock;
}

export interface ContrlResult {
  text: string;
  interchange: EdifactInterchange;
  /** UCI action: 4 rejected, 7 acknowledged (messages may still be rejected individually), 8 received. */
  action: ActionCode;
  rejectedMessages: string[];
}

const SERVICE_TAGS = new Set(['UNA', 'UNB', 'UNZ', 'UNG', 'UNE', 'UNH', 'UNT']);

function s011(issue: EdifactIssue, v4: boolean): string[] | undefined {
  const { elementPosition, componentPosition, repetition } = issue.location;
  if (elementPosition === undefined) return undefined;
  const out = [String(elementPosition), componentPosition === undefined ? '' : String(componentPosition)];
  if (v4 && repetition !== undefined && repetition > 1) out.push(String(repetition));
  return out;
}

function code(issue: EdifactIssue): string {
  return issue.syntaxError ?? SyntaxErrors.unspecified;
}

function contains(msg: EdifactMessage, index: number): boolean {
  const first = msg.segments[0]!.position.index;
  const last = msg.segments[msg.segments.length - 1]!.position.index;
  return index >= first && index <= last;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * Builds the CONTRL answering a subject interchange, from the errors found in it (envelope and
 * message validation issues; warnings are not reported). Interchange-level errors reject the
 * interchange (UCI action 4); message-level errors reject only their message (UCM action 4) with UCS
 * (segment position, counting UNH as 1) and UCD (element and component position) lines.
 */
export async function generateContrl(
  subject: EdifactInterchange,
  issues: readonly EdifactIssue[],
  deps: ContrlDeps,
  options: ContrlOptions = {},
): Promise<ContrlResult> {
  const opts = contrlOptionsSchema.parse(options);
  const v4 = (opts.syntaxVersion ?? (Number(subject.syntaxVersion) >= 4 ? '4' : '3')) === '4';
  const errors = issues.filter((i) => i.severity === 'error');
  const groups = subject.groups;
  const allMessages = [...subject.messages, ...groups.flatMap((g) => g.messages)];

  const byMessage = new Map<EdifactMessage, EdifactIssue[]>();
  const byGroup = new Map<number, EdifactIssue[]>();
  const interchangeErrors: EdifactIssue[] = [];
  for (const issue of errors) {
    const idx = issue.location.segmentIndex;
    const msg = idx === undefined ? undefined : allMessages.find((m) => contains(m, idx));
    if (msg) {
      byMessage.set(msg, [...(byMessage.get(msg) ?? []), issue]);
      continue;
    }
    const g = idx === undefined ? -1 : groups.findIndex((gr) => gr.header.position.index === idx || gr.trailer?.position.index === idx);
    if (g >= 0) byGroup.set(g, [...(byGroup.get(g) ?? []), issue]);
    else interchangeErrors.push(issue);
  }

  const body: SegmentData[] = [];
  const firstIc = interchangeErrors[0];
  const uciAction: ActionCode = opts.mode === 'receipt' ? Action.received : firstIc ? Action.rejected : Action.acknowledged;
  const serviceTag = (i: EdifactIssue | undefined) => (i?.location.tag && SERVICE_TAGS.has(i.location.tag) ? i.location.tag : undefined);
  body.push(
    segment(
      'UCI',
      subject.controlRef,
      subject.header.elements[1] ?? [],
      subject.header.elements[2] ?? [],
      uciAction,
      firstIc ? code(firstIc) : undefined,
      serviceTag(firstIc),
      firstIc ? s011(firstIc, v4) : undefined,
    ),
  );

  const rejectedMessages: string[] = [];
  const reportMessage = (msg: EdifactMessage) => {
    const found = byMessage.get(msg) ?? [];
    if (found.length === 0 && !opts.reportAcceptedMessages) return;
    // Errors in the message's own UNH/UNT go on the UCM; everything else is reported by segment.
    const own = found.find((i) => i.code === EdifactErrors.envelope.code && (i.location.tag === 'UNH' || i.location.tag === 'UNT'));
    const segmentIssues = found.filter((i) => i !== own && i.location.segmentPosition !== undefined);
    const rejected = found.length > 0;
    if (rejected) rejectedMessages.push(msg.ref);
    const first = own ?? (segmentIssues.length === 0 ? found[0] : undefined);
    body.push(
      segment(
        'UCM',
        msg.ref,
        msg.header.elements[1] ?? [],
        rejected ? Action.rejected : Action.acknowledged,
        first ? code(first) : undefined,
        serviceTag(first),
        first ? s011(first, v4) : undefined,
      ),
    );
    const positions = [...new Set(segmentIssues.map((i) => i.location.segmentPosition!))].sort((a, b) => a - b).slice(0, 999);
    for (const pos of positions) {
      const atPos = segmentIssues.filter((i) => i.location.segmentPosition === pos);
      const whole = atPos.find((i) => i.location.elementPosition === undefined);
      body.push(segment('UCS', String(pos), whole ? code(whole) : undefined));
      for (const i of atPos.filter((x) => x.location.elementPosition !== undefined).slice(0, 99)) {
        body.push(segment('UCD', code(i), s011(i, v4)));
      }
    }
  };

  if (opts.mode === 'acknowledge') {
    groups.forEach((g, gi) => {
      const gErr = byGroup.get(gi)?.[0];
      body.push(
        segment(
          'UCF',
          g.ref,
          g.header.elements[1] ?? [],
          g.header.elements[2] ?? [],
          gErr ? Action.rejected : Action.acknowledged,
          gErr ? code(gErr) : undefined,
          serviceTag(gErr),
          gErr ? s011(gErr, v4) : undefined,
        ),
      );
      for (const m of g.messages) reportMessage(m);
    });
    for (const m of subject.messages) reportMessage(m);
  }

  const sender = subject.recipient;
  const recipient = subject.sender;
  const [icRef, msgRef] = await Promise.all([
    deps.allocator.next({ level: 'interchange', sender: sender.id, recipient: recipient.id }),
    deps.allocator.next({ level: 'message', sender: sender.id, recipient: recipient.id }),
  ]);
  const now = new Date(deps.clock.now());
  const date = v4
    ? `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`
    : `${pad(now.getUTCFullYear() % 100)}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}`;
  const seps = { ...subject.separators, ...(subject.separators.segment === '\n' ? { segment: DEFAULT_SEPARATORS.segment } : {}) };
  const all: SegmentData[] = [
    segment(
      'UNB',
      [subject.syntaxIdentifier || 'UNOA', v4 ? '4' : '3'],
      [sender.id, sender.qualifier],
      [recipient.id, recipient.qualifier],
      [date, time],
      icRef,
    ),
    segment('UNH', msgRef, v4 ? ['CONTRL', '4', '1', 'UN'] : ['CONTRL', 'D', '3', 'UN']),
    ...body,
    segment('UNT', String(body.length + 2), msgRef),
    segment('UNZ', '1', icRef),
  ];
  const eol = opts.lineBreak === 'lf' ? '\n' : opts.lineBreak === 'crlf' ? '\r\n' : '';
  const una = subject.una !== undefined || !sameSeparators(seps, DEFAULT_SEPARATORS) ? formatUna(seps) + eol : '';
  const text = una + all.map((s) => formatSegment(s, seps, v4) + seps.segment + eol).join('');
  const interchange = parseEdifact(text).interchanges[0]!;
  return { text, interchange, action: uciAction, rejectedMessages };
}
