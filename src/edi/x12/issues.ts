import type { CrossdockError } from '../../kernel/index.js';
import { describeLocation, X12Errors, type X12Location } from './errors.js';

export type X12IssueLevel = 'interchange' | 'group' | 'transaction' | 'segment' | 'element';

/**
 * One finding of a validator. `ackCode` is the code the acknowledgement carries for it, from the list of
 * its level: TA105 (interchange), AK905/IK905 (group), AK502/IK502 (transaction), AK304/IK304 (segment),
 * AK403/IK403 (element).
 */
export interface X12Issue extends X12Location {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly level: X12IssueLevel;
  readonly message: string;
  readonly ackCode?: string;
  /** The offending value, when there is one (AK404/IK404). */
  readonly value?: string;
}

const factories = new Map<string, (typeof X12Errors)[keyof typeof X12Errors]>(Object.values(X12Errors).map((f) => [f.code, f]));

/** The issue as a CrossdockError (class permanent), its message naming every control number and position. */
export function issueToError(issue: X12Issue): CrossdockError {
  const factory = factories.get(issue.code) ?? X12Errors.structure;
  const where = describeLocation(issue);
  const { code: _code, severity: _severity, message, ...details } = issue;
  return factory(where ? `${message} (${where})` : message, { ...details, path: where || undefined });
}

export function isError(issue: X12Issue): boolean {
  return issue.severity === 'error';
}
