import type { CrossdockError } from '../../kernel/index.js';
import type { Translation } from '../maps/index.js';
import { translateX12 } from '../maps/index.js';
import type { PartnerDirectory, PartnerProfile } from '../partners/index.js';
import {
  acknowledge,
  type ControlNumberAllocator,
  checkDuplicateInterchange,
  type FunctionalAckResult,
  parseAndValidateX12,
  readAcknowledgements,
  type SeenInterchangeStore,
  serializeX12,
  type Ta1Result,
  type X12Document,
  X12Errors,
  type X12Issue,
  type X12ValidationResult,
} from '../x12/index.js';

export interface X12Receipt {
  document: X12Document;
  result: X12ValidationResult;
  /** Acknowledgement interchanges to send back (997/999, TA1 when the envelope is wrong), serialized. */
  acks: Array<{ interchangeControl: string; text: string }>;
  /** Transaction sets that passed validation, translated. */
  translations: Translation[];
  /** Acknowledgements the partner sent us (to reconcile with what we sent). */
  received: { ta1: Ta1Result[]; functional: FunctionalAckResult[] };
  /** Transaction sets refused (validation), with their errors. */
  rejected: Array<{ control: string; transactionSet: string; errors: X12Issue[] }>;
  duplicates: string[];
  mappingErrors: CrossdockError[];
}

/**
 * Reads one X12 file from a partner: validate (envelope and specs), duplicate check per interchange
 * (one atomic claim), acknowledgements to send, acknowledgements received, and canonical objects for
 * the transaction sets that passed. No I/O besides the `seen` store and the allocator.
 */
export async function receiveX12(
  input: string | Buffer,
  deps: { partner: PartnerProfile; directory: PartnerDirectory; seen: SeenInterchangeStore; allocator: ControlNumberAllocator; now: Date },
): Promise<X12Receipt> {
  const { document, result } = parseAndValidateX12(input);
  const duplicates: string[] = [];
  for (const ix of result.interchanges) {
    if (ix.envelope !== 'isa') continue;
    // A partner's inbox takes only that partner's interchanges, addressed to us (TA1 006 / 008).
    const settings = deps.partner.x12;
    if (settings && !sameId(ix.senderId, settings.theirs.id)) {
      ix.issues.push(
        identityIssue(ix.control, 6, '006', `ISA06 sender ${ix.senderId.trim()} is not ${deps.partner.id} (${settings.theirs.id})`),
      );
    }
    if (settings && !sameId(ix.receiverId, settings.ours.id)) {
      ix.issues.push(identityIssue(ix.control, 8, '008', `ISA08 receiver ${ix.receiverId.trim()} is not us (${settings.ours.id})`));
    }
    const issue = await checkDuplicateInterchange(deps.seen, {
      senderQualifier: ix.senderQualifier,
      senderId: ix.senderId,
      receiverQualifier: ix.receiverQualifier,
      receiverId: ix.receiverId,
      control: ix.control,
    });
    if (issue) {
      ix.issues.push(issue);
      duplicates.push(ix.control);
    }
  }
  const received = readAcknowledgements(document);
  const isAckOnly = document.interchanges.every((ix) =>
    ix.groups.every((g) => g.transactions.every((t) => t.id === '997' || t.id === '999')),
  );
  const acks: X12Receipt['acks'] = [];
  const settings = deps.partner.x12;
  if (deps.partner.acknowledgements.send && !isAckOnly && settings) {
    const interchanges = await acknowledge(result, {
      kind: deps.partner.acknowledgements.kind,
      now: deps.now,
      allocator: deps.allocator,
      ta1: duplicates.length > 0 ? true : undefined,
    });
    for (const segments of interchanges) {
      const icn = segments[0]?.elements[12]?.[0]?.[0] ?? '';
      acks.push({
        interchangeControl: icn,
        text: serializeX12(segments, { delimiters: settings.delimiters, lineEnding: settings.lineEnding }),
      });
    }
  }

  // A set is delivered only when its interchange, its group and itself carry no error.
  const rejected: X12Receipt['rejected'] = [];
  const accepted = new Set<string>();
  result.interchanges.forEach((ix) => {
    const ixErrors = ix.issues.filter((i) => i.severity === 'error');
    for (const g of ix.groups) {
      const gErrors = g.issues.filter((i) => i.severity === 'error');
      for (const tx of g.transactions) {
        const errors = [...ixErrors, ...gErrors, ...tx.issues.filter((i) => i.severity === 'error')];
        if (errors.length === 0) accepted.add(`${ix.control}|${g.control}|${tx.control}`);
        else rejected.push({ control: tx.control, transactionSet: tx.id, errors });
      }
    }
  });
  const preferred = [...deps.partner.inbound.map((a) => a.map).filter((m): m is string => m !== undefined)];
  const allowed = new Set(deps.partner.inbound.map((a) => a.type));
  const translations = translateX12(document, {
    maps: deps.directory.maps,
    partner: deps.partner.id,
    preferredMaps: preferred,
    defaultCurrency: deps.partner.defaultCurrency,
    customize: (map) => {
      const agreement = deps.directory.agreement(deps.partner, 'inbound', map.documentType);
      return agreement ? deps.directory.mapFor(deps.partner, agreement, 'inbound', map.versions[0]) : map;
    },
    skip: [
      '997',
      '999',
      ...document.interchanges
        .flatMap((ix) => ix.groups.flatMap((g) => g.transactions.map((t) => t.id)))
        .filter((id) => allowed.size > 0 && !allowed.has(id)),
    ],
  }).filter((t) => accepted.has(`${t.envelope.interchangeControl}|${t.envelope.groupControl}|${t.envelope.transactionControl}`));
  return {
    document,
    result,
    acks,
    translations: translations.filter((t) => !t.error),
    received,
    rejected,
    duplicates,
    mappingErrors: translations.flatMap((t) => (t.error ? [t.error] : [])),
  };
}

const sameId = (a: string, b: string) => a.trim().toUpperCase() === b.trim().toUpperCase();

function identityIssue(control: string, element: number, ackCode: string, message: string): X12Issue {
  return {
    code: X12Errors.headerField.code,
    severity: 'error',
    level: 'interchange',
    message,
    interchangeControl: control.trim(),
    segmentTag: 'ISA',
    elementPosition: element,
    ackCode,
  };
}
