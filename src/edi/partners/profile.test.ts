import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRec } from '../maps/engine/paths.js';
import { MapErrors } from '../maps/errors.js';
import { writeBody } from '../maps/translate.js';
import { translateX12 } from '../maps/x12/translate-x12.js';
import { parseX12 } from '../x12/index.js';
import { PartnerDirectory } from './directory.js';
import { PartnerErrors } from './errors.js';
import { parsePartnerProfiles } from './load.js';

const sample = readFileSync(resolve(process.cwd(), '../shared/fixtures/public-samples/x12/node-x12__850.edi'));

const yaml = (overrides: string) => `
partners:
  - id: xyz-retail
    standard: x12
    x12:
      ours: { qualifier: '01', id: '999999999' }
      theirs: { qualifier: '01', id: 'ABCCO' }
      version: '004010'
    inbound:
      - type: '850'
        overrides:
${overrides}
`;

function translate(overrides: string) {
  const directory = new PartnerDirectory(parsePartnerProfiles(yaml(overrides)));
  const partner = directory.get('xyz-retail');
  const [t] = translateX12(parseX12(sample), {
    maps: directory.maps,
    partner: partner.id,
    customize: () => directory.mapFor(partner, partner.inbound[0] ?? { type: '850', overrides: [] }, 'inbound'),
  });
  return { t, directory, partner };
}

describe('trading partner profiles', () => {
  it('fills defaults and finds a partner by its ISA sender id', () => {
    const [p] = parsePartnerProfiles(yaml('          []'));
    expect(p).toMatchObject({
      acknowledgements: { send: true, kind: '997', expect: true, expectWithinMinutes: 240 },
      defaultCurrency: 'USD',
    });
    expect(p?.x12?.delimiters).toEqual({ element: '*', component: '>', repetition: '', segment: '~' });
    const directory = new PartnerDirectory(parsePartnerProfiles(yaml('          []')));
    expect(directory.findX12Sender('01', 'ABCCO  ')?.id).toBe('xyz-retail');
    expect(directory.findX12Sender('ZZ', 'ABCCO')).toBeUndefined();
  });

  it('names the path of a bad profile', () => {
    const bad = `partners:\n  - id: Acme\n    standard: x12\n`;
    expect(() => parsePartnerProfiles(bad)).toThrowError(/partners\.0\.id/);
    try {
      parsePartnerProfiles(`partners:\n  - id: acme\n    standard: edifact\n`);
      expect.unreachable();
    } catch (err) {
      expect(PartnerErrors.invalid.is(err)).toBe(true);
      expect(PartnerErrors.invalid.is(err) && err.details.path).toBe('partners.0.standard');
    }
    expect(() => parsePartnerProfiles(yaml("          - { field: customerPoNumber, source: 'not a path' }"))).toThrowError(/source/);
  });
});

describe('map overrides by configuration', () => {
  it('translates their UoM codes to ours inbound and back outbound', () => {
    const { t, directory, partner } = translate('          - { field: lines.quantity.uom, codes: { EA: C62 } }');
    const order = t?.objects[0]?.data;
    const lines = isRec(order) && Array.isArray(order.lines) ? order.lines : [];
    expect(lines[0]).toMatchObject({ quantity: { value: '120', uom: 'C62' } });
    const map = directory.mapFor(partner, partner.inbound[0] ?? { type: '850', overrides: [] }, 'inbound');
    const body = writeBody(map, [order], { partner: 'xyz-retail', documentKey: 'k', envelope: {}, defaultCurrency: 'USD' });
    expect(body.find((s) => s.tag === 'PO1')?.values.slice(0, 3)).toEqual([['1'], ['120'], ['EA']]);
  });

  it('reads a field from another element, pins a constant and moves a target', () => {
    const { t } = translate(
      [
        "          - { field: customerPoNumber, source: 'REF[DP]02' }",
        '          - { field: currency, constant: CAD }',
        '          - { field: shipTo.locationCode, target: ext.edi.shipToStore }',
        "          - { field: ext.edi.promotion, source: 'REF[PS]02' }",
      ].join('\n'),
    );
    expect(t?.error).toBeUndefined();
    expect(t?.objects[0]?.data).toMatchObject({
      customerPoNumber: '038',
      currency: 'CAD',
      shipTo: { name: 'XYZ RETAIL' },
      ext: { edi: { shipToStore: '0003947268292', promotion: 'R' } },
      lines: expect.arrayContaining([expect.objectContaining({ unitPrice: { amount: '9.25', currency: 'CAD' } })]),
    });
    const order = t?.objects[0]?.data;
    expect(isRec(order) && isRec(order.shipTo) ? order.shipTo.locationCode : 'x').toBeUndefined();
  });

  it('refuses an override of a field the map does not have, naming it', () => {
    expect(() => translate('          - { field: lines.colour, codes: { R: red } }')).toThrowError(/no field lines\.colour/);
    try {
      translate('          - { field: lines.colour, codes: { R: red } }');
    } catch (err) {
      expect(MapErrors.override.is(err)).toBe(true);
    }
  });
});
