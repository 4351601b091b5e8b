import type { Case } from '../../../canonical/index.js';
import { extFields, type SObject } from './fields.js';

/** Default Case picklist values of a new org (Status: New, Working, Escalated, Closed; Priority: Low, Medium, High). */
const STATUS: Record<Case['status'], string> = {
  new: 'New',
  open: 'Working',
  pending: 'Working',
  escalated: 'Escalated',
  resolved: 'Closed',
  closed: 'Closed',
};
const PRIORITY: Record<Case['priority'], string> = { low: 'Low', medium: 'Medium', high: 'High', urgent: 'High' };

/** Case fields for a canonical Case (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_case.htm). */
export function caseFields(c: Case, externalIdField: string, accountId: string | undefined): SObject {
  const related = c.related.map((r) => `${r.type ?? 'document'} ${r.number ?? r.id ?? ''}`.trim()).join(', ');
  const description = [c.description, related ? `Related: ${related}` : undefined].filter(Boolean).join('\n\n');
  return {
    [externalIdField]: c.id,
    Subject: c.subject,
    Status: STATUS[c.status],
    Priority: PRIORITY[c.priority],
    Origin: c.origin ?? 'Web',
    ...(description ? { Description: description } : {}),
    ...(accountId ? { AccountId: accountId } : {}),
    ...extFields(c.ext),
  };
}
