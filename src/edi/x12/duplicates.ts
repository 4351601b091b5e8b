import { X12Errors } from './errors.js';
import type { X12Issue } from './issues.js';

/** Where the hub remembers interchanges it has received; the lead backs it with the store. */
export interface SeenInterchangeStore {
  has(key: string): Promise<boolean>;
  add(key: string): Promise<void>;
}

export interface InterchangeIdentity {
  readonly senderQualifier: string;
  readonly senderId: string;
  readonly receiverQualifier: string;
  readonly receiverId: string;
  readonly control: string;
}

/** ISA05+ISA06, ISA07+ISA08 and ISA13, trimmed: the triple that makes an interchange unique (X12.5). */
export function interchangeKey(id: InterchangeIdentity): string {
  const part = (s: string): string => s.trim().replace(/\u00a0/g, '');
  return [
    `${part(id.senderQualifier)}:${part(id.senderId)}`,
    `${part(id.receiverQualifier)}:${part(id.receiverId)}`,
    part(id.control),
  ].join('|');
}

/**
 * Null when the interchange is new (and records it unless `record` is false); otherwise an issue
 * (TA1 note 025) naming the control number. The store must make `add` idempotent.
 */
export async function checkDuplicateInterchange(
  store: SeenInterchangeStore,
  id: InterchangeIdentity,
  options: { record?: boolean } = {},
): Promise<X12Issue | null> {
  const key = interchangeKey(id);
  if (await store.has(key)) {
    return {
      code: X12Errors.duplicate.code,
      severity: 'error',
      level: 'interchange',
      message: `interchange ${id.control.trim()} from ${id.senderQualifier.trim()}:${id.senderId.trim()} to ${id.receiverQualifier.trim()}:${id.receiverId.trim()} was already received`,
      interchangeControl: id.control.trim(),
      segmentTag: 'ISA',
      elementPosition: 13,
      ackCode: '025',
      value: id.control.trim(),
    };
  }
  if (options.record !== false) await store.add(key);
  return null;
}

/** A Set-backed store for tests. */
export class InMemorySeenInterchanges implements SeenInterchangeStore {
  private readonly seen = new Set<string>();
  async has(key: string): Promise<boolean> {
    return this.seen.has(key);
  }
  async add(key: string): Promise<void> {
    this.seen.add(key);
  }
}
