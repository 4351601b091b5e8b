import type { Clock, CrossdockError } from '../../kernel/index.js';
import {
  type ContrlReport,
  type ControlNumberAllocator,
  type EdifactDocument,
  EdifactErrors,
  type EdifactInterchange,
  type EdifactIssue,
  type EdifactMessage,
  generateContrl,
  type InterchangeRegistry,
  locationOf,
  MessageSpecRegistry,
  parseContrl,
  parseEdifact,
  registerInterchange,
  type SyntaxErrorCode,
  SyntaxErrors,
  validateEnvelope,
  validateMessageAuto,
} from '../edifact/index.js';
import type { Translation } from '../maps/index.js';
import { translateEdifact } from '../maps/index.js';
import type { PartnerDirectory, PartnerProfile } from '../partners/index.js';

export interface EdifactReceipt {
  document: EdifactDocument;
  /** Every issue found: envelope, duplicates, message validation. */
  issues: EdifactIssue[];
  /** CONTRL interchanges to send back, one per interchange received (none for a CONTRL itself). */
  acks: Array<{ interchangeControl: string; text: string }>;
  /** Messages that passed, translated. */
  translations: Translation[];
  /** CONTRL messages the partner sent us (to reconcile with what we sent). */
  received: ContrlReport[];
  /** Messages refused, with their errors. */
  rejected: Array<{ control: string; messageType: string; errors: EdifactIssue[] }>;
  duplicates: string[];
  mappingErrors: CrossdockError[];
}

const specs = new MessageSpecRegistry();

function contains(m: EdifactMessage, index: number | undefined): boolean {
  if (index === undefined) return false;
  const first = m.segments[0]?.position.index ?? -1;
  const last = m.segments[m.segments.length - 1]?.position.index ?? -1;
  return index >= first && index <= last;
}

/**
 * Reads one EDIFACT file from a partner: envelope checks, duplicate interchange per partner (one
 * atomic claim), message validation against the bundled directories, a CONTRL naming the failing
 * segment and element, CONTRLs received, and canonical objects for the messages that passed.
 */
export async function receiveEdifact(
  input: string | Buffer,
  deps: {
    partner: PartnerProfile;
    directory: PartnerDirectory;
    seen: InterchangeRegistry;
    allocator: ControlNumberAllocator;
    clock: Clock;
  },
): Promise<EdifactReceipt> {
  const document = parseEdifact(input);
  const issues: EdifactIssue[] = [...document.warnings, ...validateEnvelope(document)];
  const duplicates: string[] = [];
  const received: ContrlReport[] = [];
  const acks: EdifactReceipt['acks'] = [];
  const rejected: EdifactReceipt['rejected'] = [];
  const accepted = new Set<string>();

  for (const ic of document.interchanges) {
    // A partner's inbox takes only that partner's interchanges, addressed to us (0085 codes 23 / 7).
    const settings = deps.partner.edifact;
    if (settings && !sameId(ic.sender.id, settings.theirs.id)) {
      issues.push(
        identityIssue(ic, 2, SyntaxErrors.unknownSender, `UNB sender ${ic.sender.id} is not ${deps.partner.id} (${settings.theirs.id})`),
      );
    }
    if (settings && !sameId(ic.recipient.id, settings.ours.id)) {
      issues.push(
        identityIssue(ic, 3, SyntaxErrors.recipientNotActualRecipient, `UNB recipient ${ic.recipient.id} is not us (${settings.ours.id})`),
      );
    }
    const dup = await registerInterchange(ic, deps.seen);
    if (dup) {
      issues.push(dup);
      duplicates.push(ic.controlRef);
    }
    const messages = [...ic.messages, ...ic.groups.flatMap((g) => g.messages)];
    for (const m of messages) {
      if (m.type === 'CONTRL') {
        if (!dup) received.push(parseContrl(m));
        continue;
      }
      issues.push(...validateMessageAuto(m, specs, { decimalMark: ic.separators.decimal }).issues);
    }
    // Errors outside every message (UNB/UNZ/UNG/UNE, the duplicate) reject the whole interchange.
    const icErrors = issues.filter((i) => i.severity === 'error' && !messages.some((m) => contains(m, i.location.segmentIndex)));
    for (const m of messages) {
      if (m.type === 'CONTRL') continue;
      const own = issues.filter((i) => i.severity === 'error' && contains(m, i.location.segmentIndex));
      const errors = [...icErrors, ...own];
      if (errors.length === 0) accepted.add(`${ic.controlRef}|${m.ref}`);
      else rejected.push({ control: m.ref, messageType: m.type, errors });
    }
    const onlyContrl = messages.length > 0 && messages.every((m) => m.type === 'CONTRL');
    if (deps.partner.acknowledgements.send && !onlyContrl) {
      const r = await generateContrl(ic, issues, { allocator: deps.allocator, clock: deps.clock }, { lineBreak: 'lf' });
      acks.push({ interchangeControl: r.interchange.controlRef, text: r.text });
    }
  }

  const allowed = new Set(deps.partner.inbound.map((a) => a.type));
  const translations = translateEdifact(document, {
    maps: deps.directory.maps,
    partner: deps.partner.id,
    preferredMaps: deps.partner.inbound.flatMap((a) => (a.map ? [a.map] : [])),
    defaultCurrency: deps.partner.defaultCurrency,
    customize: (map) => {
      const agreement = deps.directory.agreement(deps.partner, 'inbound', map.documentType);
      return agreement ? deps.directory.mapFor(deps.partner, agreement, 'inbound', map.versions[0]) : map;
    },
    skip: [
      'CONTRL',
      'APERAK',
      ...document.interchanges
        .flatMap((ic) => [...ic.messages, ...ic.groups.flatMap((g) => g.messages)].map((m) => m.type))
        .filter((t) => allowed.size > 0 && !allowed.has(t)),
    ],
  }).filter((t) => accepted.has(`${t.envelope.interchangeControl}|${t.envelope.transactionControl}`));
  return {
    document,
    issues,
    acks,
    translations: translations.filter((t) => !t.error),
    received,
    rejected,
    duplicates,
    mappingErrors: translations.flatMap((t) => (t.error ? [t.error] : [])),
  };
}

/** True when every error of a rejection is the duplicate-interchange one (answered, nobody's problem). */
export function onlyDuplicate(errors: readonly EdifactIssue[]): boolean {
  return errors.length > 0 && errors.every((e) => e.code === EdifactErrors.duplicate.code);
}

const sameId = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

function identityIssue(ic: EdifactInterchange, element: number, syntaxError: SyntaxErrorCode, message: string): EdifactIssue {
  return { code: EdifactErrors.envelope.code, severity: 'error', syntaxError, message, location: locationOf(ic.header, element) };
}
