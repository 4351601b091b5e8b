import { z } from 'zod';
import { MapOverride } from '../maps/index.js';

const oneChar = z.string().length(1);

/** An interchange party: X12 ISA05/06 and ISA07/08 (qualifier + id), EDIFACT UNB S002/S003 (id + code qualifier). */
export const PartyId = z.strictObject({
  qualifier: z.string().max(4).default(''),
  id: z.string().min(1).max(35),
});
export type PartyId = z.infer<typeof PartyId>;

export const X12Settings = z.strictObject({
  /** Our ISA05/06 when we send (ISA07/08 when they send). */
  ours: PartyId,
  /** Their ISA05/06 when they send. */
  theirs: PartyId,
  /** GS02/GS03 application codes (default: the ISA ids). */
  groupIds: z.strictObject({ ours: z.string().min(1).max(15), theirs: z.string().min(1).max(15) }).optional(),
  /** GS08 we write, e.g. 004010, 005010, 004010VICS. */
  version: z.string().regex(/^00[45]0[0-9]0[A-Z0-9]*$/, 'expected a GS08 version such as 004010 or 005010'),
  delimiters: z
    .strictObject({
      element: oneChar.default('*'),
      component: oneChar.default('>'),
      repetition: z.string().max(1).default(''),
      segment: oneChar.default('~'),
    })
    .default({ element: '*', component: '>', repetition: '', segment: '~' }),
  lineEnding: z.enum(['', '\n', '\r\n']).default('\n'),
  /** ISA15: P production, T test. */
  usage: z.enum(['P', 'T']).default('P'),
  /** ISA14: ask them for a TA1. */
  requestTa1: z.boolean().default(false),
});

export const EdifactSettings = z.strictObject({
  ours: PartyId,
  theirs: PartyId,
  /** UNB S001: character set (UNOA, UNOB, UNOC, UNOY…) and syntax version. */
  syntax: z
    .strictObject({ identifier: z.string().regex(/^UNO[A-Z]$/), version: z.enum(['1', '2', '3', '4']) })
    .default({ identifier: 'UNOC', version: '3' }),
  /** UNH S009 directory: `D:96A`, `D:01B`. */
  version: z.string().regex(/^D:\d{2}[A-Z]$/, 'expected a directory such as D:96A'),
  /** UNH 0057, e.g. EAN008. */
  associationCode: z.string().max(6).optional(),
  separators: z
    .strictObject({ component: oneChar, element: oneChar, decimal: oneChar, release: oneChar, repetition: oneChar, segment: oneChar })
    .optional(),
  /** UNB 0035 = 1: test interchange. */
  test: z.boolean().default(false),
});

/** One document type agreed with the partner, and how its map is adjusted for them. */
export const DocumentAgreement = z.strictObject({
  /** X12 transaction set (`850`) or EDIFACT message (`ORDERS`). */
  type: z.string().regex(/^([0-9]{3}|[A-Z]{6})$/, 'expected an X12 set id such as 850 or an EDIFACT message type such as ORDERS'),
  /** A map id (`x12.850.purchaseorder`); default: the first built-in map for the type. */
  map: z.string().optional(),
  overrides: z.array(MapOverride).default([]),
});
export type DocumentAgreement = z.infer<typeof DocumentAgreement>;

export const SftpSettings = z.strictObject({
  kind: z.literal('sftp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(22),
  username: z.string().min(1),
  /** Name of the private key in the credential vault (or an env var holding it): never the key itself. */
  privateKeyRef: z.string().min(1),
  /** SHA-256 host key fingerprint (`SHA256:…`): required, there is no "accept any key". */
  hostFingerprint: z.string().min(20),
  inboundDir: z.string().startsWith('/'),
  outboundDir: z.string().startsWith('/'),
  archiveDir: z.string().startsWith('/'),
  failedDir: z.string().startsWith('/'),
  /** Names to take from the inbound directory (a regular expression). */
  pattern: z.string().default('\\.(edi|x12|edifact|txt|dat)$'),
  pollIntervalMs: z.number().int().min(1000).default(60_000),
});

export const AckSettings = z.strictObject({
  /** Send a 997/999 (X12) or CONTRL (EDIFACT) for what they send us. */
  send: z.boolean().default(true),
  /** Which functional acknowledgement we send for X12. */
  kind: z.enum(['997', '999']).default('997'),
  /** Expect their acknowledgement of what we send; overdue raises `edi.ack-overdue`. */
  expect: z.boolean().default(true),
  expectWithinMinutes: z.number().int().min(1).max(10_080).default(240),
});

/**
 * A trading partner, onboarded by configuration alone: identities, syntax, which documents go which
 * way with which map adjustments, transport, and acknowledgement expectations.
 */
export const PartnerProfile = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected a lower-case id such as acme-retail'),
    name: z.string().min(1).max(200).optional(),
    standard: z.enum(['x12', 'edifact']),
    x12: X12Settings.optional(),
    edifact: EdifactSettings.optional(),
    /** Who gets this partner's exceptions (an owner rule for the exception queue). */
    owner: z.string().min(1).optional(),
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('USD'),
    inbound: z.array(DocumentAgreement).default([]),
    outbound: z.array(DocumentAgreement).default([]),
    acknowledgements: AckSettings.default({ send: true, kind: '997', expect: true, expectWithinMinutes: 240 }),
    transport: SftpSettings.optional(),
  })
  .refine((p) => (p.standard === 'x12' ? p.x12 !== undefined : p.edifact !== undefined), {
    message: 'a partner needs the settings block of its standard (x12: or edifact:)',
    path: ['standard'],
  });
export type PartnerProfile = z.infer<typeof PartnerProfile>;
export type PartnerProfileInput = z.input<typeof PartnerProfile>;

export const PartnerFile = z.strictObject({ partners: z.array(PartnerProfile) });
