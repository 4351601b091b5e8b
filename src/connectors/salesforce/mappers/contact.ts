import type { Contact } from '../../../canonical/index.js';
import type { SObject } from './fields.js';

/** Contact fields for a canonical contact (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contact.htm). */
export function contactFields(contact: Contact): SObject {
  // LastName is required; a contact known only by one name gets it there.
  const lastName = contact.lastName ?? contact.name?.split(' ').slice(-1)[0] ?? contact.email ?? '(unknown)';
  const firstName = contact.firstName ?? (contact.lastName ? undefined : contact.name?.split(' ').slice(0, -1).join(' ') || undefined);
  return {
    LastName: lastName,
    ...(firstName ? { FirstName: firstName } : {}),
    ...(contact.email ? { Email: contact.email } : {}),
    ...(contact.phone ? { Phone: contact.phone } : {}),
    ...(contact.title ? { Title: contact.title } : {}),
  };
}
