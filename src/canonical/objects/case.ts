import { z } from 'zod';
import { Contact } from '../address.js';
import { objectFields } from '../base.js';
import { Code, DocumentNumber, Name, Text, Timestamp } from '../primitives.js';
import { DocumentRef, PartyRef } from '../refs.js';

export const CaseComment = z.strictObject({
  at: Timestamp,
  author: Name.optional(),
  text: Text.min(1),
  public: z.boolean().default(false),
});

/** A customer-service case (CRM): a shipment exception, a billing dispute, a damaged delivery. */
export const CaseV1 = z
  .strictObject({
    ...objectFields,
    caseNumber: DocumentNumber.optional(),
    subject: z.string().min(1).max(500),
    description: Text.optional(),
    status: z.enum(['new', 'open', 'pending', 'escalated', 'resolved', 'closed']).default('new'),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).default('medium'),
    category: z.enum(['shipment-exception', 'order-issue', 'billing', 'return', 'quality', 'inventory', 'edi', 'other']).optional(),
    origin: Code.optional().meta({ description: 'what opened it: hub, email, phone, portal, edi' }),
    customer: PartyRef.optional(),
    contact: Contact.optional(),
    owner: Name.optional(),
    related: z.array(DocumentRef).default([]),
    openedAt: Timestamp,
    dueAt: Timestamp.optional(),
    resolvedAt: Timestamp.optional(),
    closedAt: Timestamp.optional(),
    resolution: Text.optional(),
    comments: z.array(CaseComment).default([]),
  })
  .meta({ title: 'Case', description: 'A customer-service case with status, priority and the documents it concerns.' });
export type Case = z.infer<typeof CaseV1>;
export type CaseInput = z.input<typeof CaseV1>;
