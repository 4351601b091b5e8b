import type { EdiMap, Standard } from './engine/map-format.js';
import { MapErrors } from './errors.js';

/** The maps a hub knows, found by standard, document type, version and canonical object. */
export class MapRegistry {
  private readonly maps: EdiMap[] = [];

  constructor(maps: readonly EdiMap[] = []) {
    for (const m of maps) this.add(m);
  }

  add(map: EdiMap): this {
    if (this.maps.some((m) => m.id === map.id)) throw MapErrors.noMap(`map ${map.id} is registered twice`, { map: map.id });
    this.maps.push(map);
    return this;
  }

  get(id: string): EdiMap {
    const m = this.maps.find((x) => x.id === id);
    if (!m) throw MapErrors.noMap(`no map ${id}`, { map: id, known: this.maps.map((x) => x.id) });
    return m;
  }

  list(): readonly EdiMap[] {
    return this.maps;
  }

  /**
   * The map for an incoming document: `preferred` ids first (the partner's choice, e.g. an 850 read as
   * a PurchaseOrder), then the first registered one for the type whose versions cover `version`.
   */
  find(standard: Standard, documentType: string, version: string, preferred: readonly string[] = []): EdiMap {
    const candidates = this.maps.filter((m) => m.standard === standard && m.documentType === documentType);
    const fits = (m: EdiMap) => m.versions.some((v) => version.startsWith(v) || v.startsWith(version));
    const pick =
      candidates.find((m) => preferred.includes(m.id) && fits(m)) ??
      candidates.find((m) => preferred.includes(m.id)) ??
      candidates.find(fits) ??
      candidates[0];
    if (!pick) throw MapErrors.noMap(`no ${standard} map for ${documentType} ${version}`, { standard, documentType, version });
    return pick;
  }

  /** The map that writes a canonical object type in a standard (`preferred` first). */
  forCanonical(standard: Standard, canonical: string, preferred: readonly string[] = []): EdiMap {
    const candidates = this.maps.filter((m) => m.standard === standard && m.canonical === canonical);
    const pick = candidates.find((m) => preferred.includes(m.id)) ?? candidates[0];
    if (!pick) throw MapErrors.noMap(`no ${standard} map writes ${canonical}`, { standard, canonical });
    return pick;
  }
}
