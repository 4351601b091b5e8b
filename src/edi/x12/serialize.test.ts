import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseX12, type X12Document } from './document.js';
import { serializeX12 } from './serialize.js';

const samples = resolve(process.cwd(), '../shared/fixtures/public-samples');

/** Fixtures written cleanly (no BOM, indentation, wrapping, comments, trailing blanks): they must come back byte for byte. */
const CLEAN = [
  'x12/node-x12__850.edi',
  'x12/node-x12__850_2.edi',
  'x12/node-x12__850_fat.edi',
  'x12/node-x12__855.edi',
  'x12/node-x12__856.edi',
  'x12/EDI.Net__x12.820.issue140.edi',
  'x12/x12-types__test_810__test_810_1.edi',
  'x12/x12-types__test_940__test_940_4.edi',
  'x12/x12-types___945_test__parse_945.edi',
  'x12/staedi__simple997-multiple-interchanges.edi',
  'x12/staedi__invoice810_po850_dual.edi',
  'x12/vscode-edi-x12-support__old.edi',
  'x12/gozer__dex.sample.1.txt',
  'edge_cases/staedi__ts214_ellipses_segterm.edi',
  'edge_cases/gozer__x12.base.no.line.breaks.odd.char.txt',
  'edge_cases/staedi__simple_with_binary_segment.edi',
  'edge_cases/staedi__extraDelimiter997.edi',
];

function layoutOf(doc: X12Document, raw: string) {
  const ix = doc.interchanges[0];
  if (!ix) throw new Error('empty document');
  return {
    delimiters: ix.info.delimiters,
    lineEnding: ix.info.lineEnding,
    trailingLineEnding: /[\r\n]$/.test(raw) && ix.info.lineEnding !== '',
  };
}

describe('X12 serializer', () => {
  it.each(CLEAN)('reproduces %s byte for byte with its own delimiters and line endings', (file) => {
    const raw = readFileSync(`${samples}/${file}`, 'utf8');
    const doc = parseX12(raw);
    const layout = layoutOf(doc, raw);
    const nl = layout.delimiters.segment === '\n' || layout.delimiters.segment === '\r';
    const out = serializeX12(doc, layout);
    expect(out).toBe(nl && !raw.endsWith('\n') ? raw + '\n' : raw);
  });

  it('writes a document with a partner delimiter set, and reading it back gives the same segments', () => {
    const doc = parseX12(readFileSync(`${samples}/x12/node-x12__856.edi`));
    const partner = { element: '|', repetition: '^', component: '\\', segment: '\n' };
    const out = serializeX12(doc, { delimiters: partner });
    expect(out.startsWith('ISA|01|')).toBe(true);
    expect(out.split('\n')[0]).toContain('|^|00406|000000049|0|P|\\');
    const back = parseX12(out);
    expect(back.interchanges[0]?.info.delimiters).toEqual(partner);
    const body = (d: X12Document) => d.interchanges[0]?.segments.slice(1).map((s) => [s.tag, s.elements]);
    expect(body(back)).toEqual(body(doc));
  });

  it('refuses a value holding a delimiter, naming segment and element', () => {
    const d = { element: '*', repetition: '^', component: ':', segment: '~' };
    expect(() => serializeX12([{ tag: 'N1', elements: [[['ST']], [['A*B']]] }], { delimiters: d })).toThrowError(
      expect.objectContaining({ code: 'CD_ERR_X12_SERIALIZE', details: expect.objectContaining({ segmentTag: 'N1', elementPosition: 2 }) }),
    );
    expect(() =>
      serializeX12([{ tag: 'N1', elements: [[['ST']], [['A'], ['B']]] }], { delimiters: { ...d, repetition: '' } }),
    ).toThrowError(expect.objectContaining({ code: 'CD_ERR_X12_SERIALIZE' }));
  });
});
