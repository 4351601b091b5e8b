import { z } from 'zod';
import { EdifactErrors, type EdifactIssue, EdifactWarnings, makeIssue } from './errors.js';
import { type EdifactSegment, locationOf, parseNumeric } from './segment.js';
import { FORMAT_PATTERN, isComposite, type MessageSpec, type SimpleElementSpec, type StructureEntry } from './spec.format.js';
import { BUNDLED_MESSAGE_SPECS } from './spec.messages.js';
import { type SyntaxErrorCode, SyntaxErrors } from './syntax-codes.js';
import type { EdifactMessage } from './tree.js';

const INVALID = EdifactErrors.message.code;

export const validateOptionsSchema = z.object({
  /** UNA decimal mark of the interchange. */
  decimalMark: z.string().length(1).default('.'),
  /** Severity of a value outside a spec's code list (0085 code 14). */
  codeLists: z.enum(['error', 'warning', 'off']).default('warning'),
});
export type ValidateOptions = z.input<typeof validateOptionsSchema>;

/** Release ordering for D-directories: '96A' → 1996.0, '01B' → 2001.1. */
function releaseRank(release: string): number | undefined {
  const m = /^(\d{2})([A-C])$/.exec(release);
  if (!m) return undefined;
  const yy = Number(m[1]);
  return (yy >= 90 ? 1900 + yy : 2000 + yy) + (m[2]!.charCodeAt(0) - 65) / 10;
}

export interface SpecLookup {
  spec: MessageSpec;
  /** False when the spec of another directory release stands in (see `MessageSpecRegistry.find`). */
  exact: boolean;
}

export class MessageSpecRegistry {
  private readonly specs = new Map<string, MessageSpec>();
  constructor(specs: readonly MessageSpec[] = BUNDLED_MESSAGE_SPECS) {
    for (const s of specs) this.add(s);
  }
  add(spec: MessageSpec): void {
    this.specs.set(`${spec.type}:${spec.version}:${spec.release}`, spec);
  }
  /**
   * The spec for a message type and directory. With `nearest`, a D-directory release without its own
   * spec borrows the latest earlier release's spec (else the earliest later one): the covered segments
   * barely change between releases, and a stand-in is better than no check at all.
   */
  find(type: string, version: string, release: string, nearest = false): SpecLookup | undefined {
    const exact = this.specs.get(`${type}:${version}:${release}`);
    if (exact) return { spec: exact, exact: true };
    const want = releaseRank(release);
    if (!nearest || version !== 'D' || want === undefined) return undefined;
    const candidates = [...this.specs.values()]
      .filter((s) => s.type === type && s.version === 'D')
      .map((s) => ({ s, rank: releaseRank(s.release) ?? 0 }))
      .sort((a, b) => a.rank - b.rank);
    const below = candidates.filter((c) => c.rank <= want).pop();
    const pick = below ?? candidates[0];
    return pick ? { spec: pick.s, exact: false } : undefined;
  }
}

interface Ctx {
  segs: EdifactSegment[];
  i: number;
  spec: MessageSpec;
  issues: EdifactIssue[];
  opts: z.output<typeof validateOptionsSchema>;
}

function entryTag(e: StructureEntry): string {
  return 'segment' in e ? e.segment : (e.entries[0] as { segment: string }).segment;
}

function issue(
  ctx: Ctx,
  seg: EdifactSegment,
  message: string,
  code: SyntaxErrorCode,
  element?: number,
  component?: number,
  severity: EdifactIssue['severity'] = 'error',
): void {
  ctx.issues.push(makeIssue(INVALID, severity, message, locationOf(seg, element, component), code));
}

/** Where a missing segment is reported: the segment found in its place (or UNT). */
function missing(ctx: Ctx, entry: StructureEntry): void {
  const at = ctx.segs[Math.min(ctx.i, ctx.segs.length - 1)]!;
  const what = 'segment' in entry ? `segment ${entry.segment}` : `segment group ${entry.group} (${entryTag(entry)})`;
  ctx.issues.push(makeIssue(INVALID, 'error', `mandatory ${what} is missing before ${at.tag}`, locationOf(at), SyntaxErrors.missing));
}

/**
 * Matches segments against structure entries. A segment goes to the first entry at or after the
 * current one that accepts its tag; a tag no entry at this level accepts ends the level (it may
 * belong to the parent). Skipped mandatory entries are reported missing.
 */
function matchLevel(ctx: Ctx, entries: StructureEntry[], top: boolean): void {
  const counts = new Array<number>(entries.length).fill(0);
  let e = 0;
  while (ctx.i < ctx.segs.length) {
    const seg = ctx.segs[ctx.i]!;
    let k = -1;
    for (let j = e; j < entries.length; j++) {
      if (entryTag(entries[j]!) === seg.tag) {
        k = j;
        break;
      }
    }
    if (k === -1) {
      if (!top) break;
      issue(ctx, seg, `segment ${seg.tag} is not expected here in ${ctx.spec.type}`, SyntaxErrors.notSupportedInPosition);
      ctx.i++;
      continue;
    }
    for (let j = e; j < k; j++) if (counts[j] === 0 && entries[j]!.mandatory) missing(ctx, entries[j]!);
    const entry = entries[k]!;
    counts[k]!++;
    e = k;
    if ('segment' in entry) {
      if (counts[k]! > entry.max)
        issue(ctx, seg, `segment ${seg.tag} repeats more than ${entry.max} times`, SyntaxErrors.tooManyRepetitions);
      checkSegment(ctx, seg);
      ctx.i++;
    } else {
      if (counts[k]! > entry.max)
        issue(ctx, seg, `segment group ${entry.group} repeats more than ${entry.max} times`, SyntaxErrors.tooManySegmentGroupRepetitions);
      checkSegment(ctx, seg);
      ctx.i++;
      matchLevel(ctx, entry.entries.slice(1), false);
    }
  }
  for (let j = e; j < entries.length; j++) if (counts[j] === 0 && entries[j]!.mandatory) missing(ctx, entries[j]!);
}

function checkValue(
  ctx: Ctx,
  seg: EdifactSegment,
  spec: SimpleElementSpec,
  value: string,
  element: number,
  component: number | undefined,
): void {
  const [, kind, range, lenText] = FORMAT_PATTERN.exec(spec.format)!;
  const max = Number(lenText);
  const exact = range === undefined;
  const at = `${seg.tag} ${spec.id}`;
  let length = value.length;
  if (kind === 'n') {
    const num = parseNumeric(value, ctx.opts.decimalMark);
    if (!num.ok) {
      issue(ctx, seg, `${at}: ${num.reason}`, num.syntaxError, element, component);
      return;
    }
    length = num.digits;
  } else if (kind === 'a' && /\d/.test(value)) {
    issue(
      ctx,
      seg,
      `${at}: ${JSON.stringify(value)} must not contain digits (${spec.format})`,
      SyntaxErrors.invalidTypeOfCharacters,
      element,
      component,
    );
    return;
  }
  if (length > max)
    issue(ctx, seg, `${at}: ${JSON.stringify(value)} is longer than ${spec.format}`, SyntaxErrors.dataElementTooLong, element, component);
  else if (exact && length < max)
    issue(ctx, seg, `${at}: ${JSON.stringify(value)} is shorter than ${spec.format}`, SyntaxErrors.dataElementTooShort, element, component);
  else if (spec.codes && ctx.opts.codeLists !== 'off' && !spec.codes.includes(value)) {
    const severity = ctx.opts.codeLists === 'error' ? 'error' : 'warning';
    issue(
      ctx,
      seg,
      `${at}: code ${JSON.stringify(value)} is not supported here`,
      SyntaxErrors.valueNotSupportedInPosition,
      element,
      component,
      severity,
    );
  }
}

function checkSegment(ctx: Ctx, seg: EdifactSegment): void {
  const def = ctx.spec.segments[seg.tag];
  if (!def) return;
  if (seg.elements.length > def.elements.length) {
    issue(
      ctx,
      seg,
      `${seg.tag} has ${seg.elements.length} data elements, at most ${def.elements.length} allowed`,
      SyntaxErrors.tooManyConstituents,
      def.elements.length + 1,
    );
  }
  def.elements.forEach((spec, idx) => {
    const pos = idx + 1;
    const occurrences = seg.repetitions?.[idx] ?? (seg.elements[idx] ? [seg.elements[idx]] : []);
    if (occurrences.length > spec.repeat) {
      issue(
        ctx,
        seg,
        `${seg.tag} element ${spec.id} repeats ${occurrences.length} times, at most ${spec.repeat}`,
        SyntaxErrors.tooManyRepetitions,
        pos,
      );
    }
    const value = occurrences[0] ?? [];
    const empty = value.every((c) => c === '');
    if (empty) {
      if (spec.mandatory) issue(ctx, seg, `${seg.tag} mandatory element ${spec.id} is missing`, SyntaxErrors.missing, pos);
      return;
    }
    if (!isComposite(spec)) {
      if (value.length > 1)
        issue(
          ctx,
          seg,
          `${seg.tag} element ${spec.id} is simple but has ${value.length} components`,
          SyntaxErrors.tooManyConstituents,
          pos,
          2,
        );
      checkValue(ctx, seg, spec, value[0] ?? '', pos, undefined);
      return;
    }
    if (value.length > spec.components.length) {
      issue(
        ctx,
        seg,
        `${seg.tag} composite ${spec.id} has ${value.length} components, at most ${spec.components.length}`,
        SyntaxErrors.tooManyConstituents,
        pos,
        spec.components.length + 1,
      );
    }
    spec.components.forEach((comp, cidx) => {
      const v = value[cidx] ?? '';
      if (v === '') {
        if (comp.mandatory)
          issue(ctx, seg, `${seg.tag} composite ${spec.id} mandatory component ${comp.id} is missing`, SyntaxErrors.missing, pos, cidx + 1);
        return;
      }
      checkValue(ctx, seg, { ...comp, repeat: 1 }, v, pos, cidx + 1);
    });
  });
}

/** Checks one message against a spec; returns issues (errors and warnings) with segment and element positions. */
export function validateMessage(message: EdifactMessage, spec: MessageSpec, options: ValidateOptions = {}): EdifactIssue[] {
  const ctx: Ctx = { segs: message.segments, i: 0, spec, issues: [], opts: validateOptionsSchema.parse(options) };
  matchLevel(ctx, spec.structure, true);
  return ctx.issues;
}

/**
 * Finds the spec for a message (by UNH S009) and validates it. Without a spec the message gets one
 * error with 0085 code 17 ("no agreement") rather than passing unchecked.
 */
export function validateMessageAuto(
  message: EdifactMessage,
  registry: MessageSpecRegistry = new MessageSpecRegistry(),
  options: ValidateOptions = {},
): { issues: EdifactIssue[]; spec: MessageSpec | undefined } {
  const found = registry.find(message.type, message.version, message.release, true);
  if (!found) {
    return {
      spec: undefined,
      issues: [
        makeIssue(
          EdifactErrors.unknownMessage.code,
          'error',
          `no specification for ${message.type || '(empty type)'} ${message.version}:${message.release}`,
          locationOf(message.header, 2),
          SyntaxErrors.noAgreement,
        ),
      ],
    };
  }
  const issues = validateMessage(message, found.spec, options);
  if (!found.exact) {
    issues.unshift(
      makeIssue(
        EdifactWarnings.specStandIn,
        'warning',
        `${message.type} ${message.version}:${message.release} checked with the ${found.spec.version}:${found.spec.release} specification`,
        locationOf(message.header, 2),
      ),
    );
  }
  return { issues, spec: found.spec };
}
