import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allIssues, DEFAULT_DELIMITERS, parseAndValidateX12, parseX12, type X12ValidationResult } from '../x12/index.js';
import { builtinMaps } from './builtin.js';
import { isRec } from './engine/paths.js';
import { MapErrors } from './errors.js';
import { writeBody } from './translate.js';
import { buildX12Interchange } from './x12/build-x12.js';
import { translateX12 } from './x12/translate-x12.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples/x12');
const maps = builtinMaps();
const MAPPED = ['850', '855', '856', '810', '846', '940', '945'];

/** What a round trip must keep: everything but ids and `ext` (envelope facts and raw segments differ by design). */
function mapped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mapped);
  if (!isRec(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'ext' && k !== 'id') out[k] = mapped(v);
  return out;
}

function errorKeys(result: X12ValidationResult): string[] {
  return allIssues(result)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.transactionControl ?? ''}|${i.segmentTag ?? ''}${i.elementPosition ?? ''}|${i.code}`);
}

const files = readdirSync(samples).filter((f) => {
  try {
    const doc = parseX12(readFileSync(resolve(samples, f)));
    return doc.interchanges.some((ix) => ix.groups.some((g) => g.transactions.some((t) => MAPPED.includes(t.id))));
  } catch {
    return false;
  }
});

describe('X12 maps on the public samples', () => {
  it('finds samples of every mapped transaction set', () => {
    const seen = new Set<string>();
    for (const f of files)
      for (const ix of parseX12(readFileSync(resolve(samples, f))).interchanges)
        for (const g of ix.groups) for (const t of g.transactions) seen.add(t.id);
    for (const id of MAPPED) expect(seen, id).toContain(id);
  });

  it.each(files)('%s maps to valid canonical objects and round-trips through X12', (file) => {
    const input = readFileSync(resolve(samples, file));
    const { document: doc, result: source } = parseAndValidateX12(input);
    const sourceErrors = new Set(errorKeys(source));
    const translations = translateX12(doc, { maps, partner: 'sample', skip: ['997', '999', '820', '832', '860', '864', '894'] });
    expect(translations.length).toBeGreaterThan(0);
    for (const t of translations) {
      const invalid = errorKeys(source).some((k) => k.startsWith(`${t.envelope.transactionControl}|`));
      if (t.error) {
        // Only an order without any line, or a set the validator already rejects, may fail to map.
        expect(MapErrors.mapping.is(t.error)).toBe(true);
        if (!invalid) expect(t.error.details.path).toBe('lines');
        continue;
      }
      // A set the validator rejects is mapped best effort (the inbox refuses it before mapping); no round trip.
      if (invalid) continue;
      expect(t.objects.length).toBeGreaterThan(0);
      const map = maps.get(t.mapId);
      const body = writeBody(
        map,
        t.objects.map((o) => o.data),
        {
          partner: 'sample',
          documentKey: 'rt',
          envelope: t.envelope,
          defaultCurrency: 'USD',
        },
      );
      const text = buildX12Interchange(
        map.documentType,
        map.functionalId ?? 'PO',
        [body],
        {
          sender: { qualifier: 'ZZ', id: 'CROSSDOCK' },
          receiver: { qualifier: 'ZZ', id: 'PARTNER' },
          version: t.envelope.version?.startsWith('005') ? '005010' : '004010',
          delimiters: { ...DEFAULT_DELIMITERS, repetition: t.envelope.version?.startsWith('005') ? '^' : '' },
          usage: 'T',
        },
        { interchange: 7, group: 7, transactions: [1] },
        new Date('2026-01-02T03:04:00Z'),
      );
      const { document, result } = parseAndValidateX12(text);
      // What we write is valid, except where it carries a value the partner itself sent invalid.
      const fresh = errorKeys(result).filter((k) => !sourceErrors.has(k.replace(/^[^|]*\|/, `${t.envelope.transactionControl}|`)));
      expect(fresh, `${file}: ${text}`).toEqual([]);
      const back = translateX12(document, { maps, partner: 'sample', preferredMaps: [map.id] });
      expect(back[0]?.error).toBeUndefined();
      expect(mapped(back[0]?.objects.map((o) => o.data))).toEqual(mapped(t.objects.map((o) => o.data)));
    }
  });

  it('keeps what the map has no place for, and reports values it cannot convert', () => {
    const doc = parseX12(readFileSync(resolve(samples, 'node-x12__850.edi')));
    const [t] = translateX12(doc, { maps });
    const order = t?.objects[0]?.data;
    expect(order).toMatchObject({
      customerPoNumber: '08292233294',
      orderDate: '2010-11-27T00:00:00Z',
      requestedDeliveryDate: '2010-12-14',
      shipTo: {
        name: 'XYZ RETAIL',
        line1: '31875 SOLON RD',
        city: 'SOLON',
        region: 'OH',
        postalCode: '44139',
        locationCode: '0003947268292',
      },
      lines: expect.arrayContaining([
        expect.objectContaining({
          lineNumber: '1',
          quantity: { value: '120', uom: 'EA' },
          unitPrice: { amount: '9.25', currency: 'USD' },
          description: 'SMALL WIDGET',
        }),
      ]),
    });
    const lines = isRec(order) && Array.isArray(order.lines) ? order.lines : [];
    // PO4 (pack) has no canonical place: kept verbatim on its line.
    expect(lines[0]).toMatchObject({ ext: { edi: { segments: [['PO4', '4', '4', 'EA', 'PLT94', '', '3', 'LR', '15', 'CT']] } } });
    expect(lines[0]).toMatchObject({
      ext: {
        edi: {
          productIds: [
            { qualifier: 'CB', id: '065322-117' },
            { qualifier: 'PR', id: 'RO' },
            { qualifier: 'VN', id: 'AB3542' },
          ],
        },
      },
      item: { supplierItemNumber: 'AB3542' },
    });
  });
});
