import type { OwnerRule } from '../../domains/exceptions/index.js';
import type { EdiMap, MapRegistry, Standard } from '../maps/index.js';
import { applyOverrides, builtinMaps } from '../maps/index.js';
import { PartnerErrors } from './errors.js';
import type { DocumentAgreement, PartnerProfile } from './profile.js';

const norm = (s: string) => s.trim().toUpperCase();

/**
 * The partners a hub trades with: finds the profile of an incoming interchange and gives each
 * partner its maps with their overrides applied (checked once, when the directory is built).
 */
export class PartnerDirectory {
  private readonly byId = new Map<string, PartnerProfile>();
  private readonly customized = new Map<string, EdiMap>();

  constructor(
    profiles: readonly PartnerProfile[],
    readonly maps: MapRegistry = builtinMaps(),
  ) {
    for (const p of profiles) {
      this.byId.set(p.id, p);
      // Overrides are validated up front: a bad one fails start-up, not the first document.
      for (const a of p.inbound) this.mapFor(p, a, 'inbound');
      for (const a of p.outbound) this.mapFor(p, a, 'outbound');
    }
  }

  list(): PartnerProfile[] {
    return [...this.byId.values()];
  }

  get(id: string): PartnerProfile {
    const p = this.byId.get(id);
    if (!p) throw PartnerErrors.unknown(`no trading partner ${id}`, { partner: id });
    return p;
  }

  /** The partner whose X12 ISA05/06 sent an interchange (qualifier compared when configured). */
  findX12Sender(qualifier: string, id: string): PartnerProfile | undefined {
    return this.list().find(
      (p) =>
        p.x12 && norm(p.x12.theirs.id) === norm(id) && (p.x12.theirs.qualifier === '' || norm(p.x12.theirs.qualifier) === norm(qualifier)),
    );
  }

  findEdifactSender(id: string, qualifier: string | undefined): PartnerProfile | undefined {
    return this.list().find(
      (p) =>
        p.edifact &&
        norm(p.edifact.theirs.id) === norm(id) &&
        (p.edifact.theirs.qualifier === '' || norm(p.edifact.theirs.qualifier) === norm(qualifier ?? '')),
    );
  }

  agreement(partner: PartnerProfile, direction: 'inbound' | 'outbound', type: string): DocumentAgreement | undefined {
    return partner[direction].find((a) => a.type === type);
  }

  /** The map for a document with the partner's overrides applied (cached). */
  mapFor(partner: PartnerProfile, agreement: DocumentAgreement, direction: 'inbound' | 'outbound', version = ''): EdiMap {
    const standard: Standard = partner.standard;
    const base = agreement.map ? this.maps.get(agreement.map) : this.maps.find(standard, agreement.type, version);
    const key = `${partner.id}|${direction}|${base.id}`;
    const cached = this.customized.get(key);
    if (cached) return cached;
    const map = applyOverrides(base, agreement.overrides);
    this.customized.set(key, map);
    return map;
  }

  /** Owner rules for the exception queue: a partner's `owner` gets its EDI exceptions. */
  ownerRules(): OwnerRule[] {
    return this.list()
      .filter((p) => p.owner !== undefined)
      .map((p) => ({ categoryPrefix: 'edi.', partner: p.id, owner: p.owner ?? '' }));
  }
}
