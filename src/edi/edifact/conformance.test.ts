import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import {
  type EdifactDocument,
  type EdifactIssue,
  type EdifactMessage,
  parseEdifact,
  serializeDocument,
  validateEnvelope,
  validateMessageAuto,
} from './index.js';

const SAMPLES = resolve(process.cwd(), '../shared/fixtures/public-samples');

interface Row {
  folder: string;
  file: string;
  exercises: string;
}

const rows: Row[] = readFileSync(resolve(SAMPLES, 'INDEX.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => {
    const cols = l.split('\t');
    return { folder: cols[0] ?? '', file: cols[1] ?? '', exercises: cols[6] ?? '' };
  });

const read = (r: Row) => readFileSync(resolve(SAMPLES, r.folder, r.file));
const startsLikeEdifact = (buf: Buffer) =>
  /^UN[AB]/.test(
    buf
      .toString('latin1')
      .replace(/^\xef\xbb\xbf/, '')
      .trimStart(),
  );

// Every EDIFACT sample: the edifact folder (minus JSON golden files) and the edge cases that open with UNA/UNB.
const edifactRows = rows.filter(
  (r) => (r.folder === 'edifact' && !r.file.endsWith('.json')) || (r.folder === 'edge_cases' && startsLikeEdifact(read(r))),
);
const byName = (file: string) => {
  const row = edifactRows.find((r) => r.file === file);
  if (!row) throw new Error(`sample ${file} not in INDEX.tsv`);
  return parseEdifact(read(row));
};
const messages = (doc: EdifactDocument): EdifactMessage[] =>
  doc.interchanges.flatMap((ic) => [...ic.messages, ...ic.groups.flatMap((g) => g.messages)]);
const summary = (issues: EdifactIssue[]) =>
  issues.filter((i) => i.severity === 'error').map((i) => `${i.syntaxError}:${i.location.tag}:${i.location.elementPosition ?? ''}`);

describe('public EDIFACT samples (INDEX.tsv)', () => {
  it('covers the whole EDIFACT part of the index', () => {
    expect(edifactRows.filter((r) => r.folder === 'edifact').length).toBeGreaterThanOrEqual(20);
    expect(edifactRows.filter((r) => r.folder === 'edge_cases').length).toBeGreaterThanOrEqual(11);
  });

  for (const row of edifactRows.filter((r) => !r.exercises.startsWith('NEGATIVE'))) {
    it(`parses ${row.folder}/${row.file}`, () => {
      const doc = parseEdifact(read(row));
      const content = doc.interchanges.length > 0 ? messages(doc).length : doc.fragment.length;
      expect(content).toBeGreaterThan(0);
      expect(doc.warnings.every((w) => w.severity === 'warning')).toBe(true);
    });
  }

  it('NEGATIVE invoic_d97b_bad: names the bad qualifier, the alpha quantity, the $ price and the stray UNS', () => {
    const doc = byName('staedi__invoic_d97b_bad.edi');
    const [msg] = messages(doc);
    const { issues } = validateMessageAuto(msg!, undefined, { decimalMark: doc.interchanges[0]!.separators.decimal });
    const errors = issues.filter((i) => i.severity === 'error');
    expect(
      errors.map((i) => [
        i.location.tag,
        i.location.segmentPosition,
        i.location.elementPosition,
        i.location.componentPosition,
        i.syntaxError,
      ]),
    ).toEqual([
      ['NAD', 5, 1, undefined, '39'],
      ['QTY', 10, 1, 2, '37'],
      ['PRI', 13, 1, 2, '37'],
      ['UNS', 21, undefined, undefined, '35'],
    ]);
    expect(errors[0]!.message).toContain('"BYZZ"');
    expect(errors[0]!.location.messageRef).toBe('00000000000117');
    expect(errors[0]!.location.interchangeRef).toBe('00000000000778');
  });

  it('NEGATIVE sample-invalid-version: UNH message version and release rejected with their positions', () => {
    const issues = validateEnvelope(byName('vscode-edi-support__sample-invalid-version.edifact'));
    expect(issues.map((i) => [i.location.tag, i.location.elementPosition, i.location.componentPosition, i.syntaxError])).toEqual([
      ['UNH', 2, 2, '12'],
      ['UNH', 2, 3, '12'],
    ]);
    expect(issues[0]!.message).toContain('"X"');
  });

  it('TRADACOMS is not supported: its samples never pass as an EDIFACT interchange', () => {
    const tradacoms = rows.filter((r) => r.folder === 'tradacoms');
    expect(tradacoms.length).toBe(3);
    for (const row of tradacoms) {
      let outcome: string;
      try {
        const doc = parseEdifact(read(row));
        // The NEGATIVE sample uses '+' after the tag, so it tokenizes; it is still no interchange.
        expect(doc.interchanges).toEqual([]);
        outcome = doc.warnings[0]!.code;
      } catch (e) {
        if (!(e instanceof CrossdockError)) throw e;
        expect(e.message).toContain('invalid segment tag "STX=ANA"');
        expect(e.details.line).toBe(1);
        outcome = e.code;
      }
      expect([row.file, outcome]).toEqual([
        row.file,
        row.exercises.startsWith('NEGATIVE') ? 'CD_WARN_EDIFACT_NO_INTERCHANGE' : 'CD_ERR_EDIFACT_SYNTAX',
      ]);
    }
  });

  it('wrong UNT counts and references give the precise envelope errors', () => {
    const i196 = validateEnvelope(byName('EDI.Net__edifact.Issue196.edi'));
    expect(summary(i196)).toEqual(['29:UNT:1']);
    expect(i196[0]!.message).toContain('UNT declares "331" segments but message 1 has 13');
    expect(i196[0]!.location).toMatchObject({ interchangeRef: '00000674', messageRef: '1', segmentPosition: 13, line: 15 });

    const i188 = validateEnvelope(byName('EDI.Net__edifact.Issue188.edi'));
    const refMismatch = i188.filter((i) => i.syntaxError === '28');
    expect(refMismatch.map((i) => i.message.split(' at ')[0])).toEqual([
      'UNT message reference "43" does not match UNH "44"',
      'UNT message reference "43" does not match UNH "44"',
    ]);
    expect(refMismatch[0]!.location).toMatchObject({ messageRef: '44', segmentPosition: 3, line: 8 });

    const ordrsp = validateEnvelope(byName('EDI.Net__edifact.ORDRSP.edi'));
    expect(summary(ordrsp)).toEqual(['29:UNT:1', '28:UNT:2', '28:UNZ:2']);
  });

  it('well-formed envelopes validate clean', () => {
    for (const f of [
      'ballerina-edi__order-batch.edi',
      'staedi__invoic_d93a_una.edi',
      'staedi__invoic_d97b.edi',
      'staedi__invoic_d97b_una.edi',
      'staedi__wrapped_invoic_d97b.edi',
      'staedi__wrapped_invoic_d97b_una.edi',
      'vscode-edi-support__EDIFACT-interchanges.edifact',
      'vscode-edi-support__sample-orders.edifact',
      'vscode-edi-support__syntaxVersion4.edifact',
      'EDI.Net__edifact.Issue157.Wikipedia.edi',
      'staedi__other_dialect_term_segments.edi',
    ]) {
      expect([f, summary(validateEnvelope(byName(f)))]).toEqual([f, []]);
    }
  });

  it('decodes non-ASCII names: UTF-8 under UNOA (with a warning), plain and hard-wrapped', () => {
    for (const f of ['staedi__invoic_d97b.edi', 'staedi__wrapped_invoic_d97b.edi']) {
      const doc = byName(f);
      const nad = messages(doc)[0]!.segments.find((s) => s.tag === 'NAD' && s.elements[0]![0] === 'SE');
      expect(nad!.elements[3]).toEqual(['BÜTTNER WIDGET COMPANY']);
      expect(doc.warnings.map((w) => w.code)).toContain('CD_WARN_EDIFACT_CHARSET_FALLBACK');
    }
    const d93a = messages(byName('staedi__invoic_d93a_una.edi'))[0]!;
    expect(d93a.segments.filter((s) => s.tag === 'NAD').map((s) => s.elements[5]![0])).toEqual(['München', 'München']);
  });

  it('layout quirks: newline terminator, indentation, BOM, blank lines, bogus UNB, needless release, custom release', () => {
    const nl = byName('EDI.Net__edifact.D01B.IFCSUM.NewLines.EDI');
    const apostrophe = byName('EDI.Net__edifact.D01B.IFCSUM.EDI');
    expect(messages(nl)[0]!.segments.map((s) => [s.tag, s.elements])).toEqual(
      messages(apostrophe)[0]!.segments.map((s) => [s.tag, s.elements]),
    );
    expect(nl.warnings[0]!.code).toBe('CD_WARN_EDIFACT_NEWLINE_TERMINATOR');

    const aperak = byName('EDI.Net__edifact.APERAK_issue235.edi');
    expect(aperak.interchanges).toHaveLength(1);
    expect(aperak.warnings.map((w) => w.code)).toEqual(['CD_WARN_EDIFACT_ABANDONED_UNB']);
    expect(aperak.warnings[0]!.message).toContain('UNB at line 2 is followed directly by another UNB');

    const wiki = messages(byName('EDI.Net__edifact.Issue157.Wikipedia.edi'))[0]!;
    expect(wiki.segments[2]!.elements[1]).toEqual(['XYZCOMPANY AVAILABILITY']);

    const bang = messages(byName('vscode-edi-support__bug-edifact-escape.edifact'))[0]!;
    expect(bang.segments[2]!.elements[3]).toEqual(["I've a", "dream that I'll share with you"]);
    expect(bang.segments[3]!.elements[3]).toEqual(["I've a:dream that I'll share with you"]);

    const paiement = messages(byName('EDI.Net__edifact.Paiement.Issue139.EDI'))[0]!;
    expect(paiement.segments.find((s) => s.tag === 'RFF' && s.elements[0]![0] === 'AUN')!.elements[0]).toEqual([
      'AUN',
      "TELE'DECLAR",
      '',
      '6.5.7.0',
    ]);

    const una = byName('staedi__invoic_d97b_una.edi');
    expect(una.interchanges[0]!.separators).toMatchObject({ component: '=', element: '*', segment: '~' });
    expect(una.interchanges[0]!.sender.id).toBe('005435656');
    expect(una.interchanges[0]!.recipient.id).toBe('006415160');

    const empty = messages(byName('staedi__empty-segment-example.edi'))[0]!;
    expect(empty.segments.map((s) => s.tag)).toEqual(['UNH', 'EQN', 'SRC', 'FOO', 'UNT']);
    expect(empty.segments[2]!.elements).toEqual([]);

    const indented = byName('EDI.Net__edifact.Issue203.edi');
    expect(messages(indented)[0]!.segments.at(-1)!.position.line).toBe(104);

    const fragment = byName('ballerina-edi__d3a-invoic-1_message.edi');
    expect(fragment.fragment[0]!.tag).toBe('BGM');
    expect(fragment.warnings[0]!.code).toBe('CD_WARN_EDIFACT_NO_INTERCHANGE');
  });

  it('syntax version 4 interchange reads the 8-digit date', () => {
    const ic = byName('vscode-edi-support__syntaxVersion4.edifact').interchanges[0]!;
    expect([ic.syntaxIdentifier, ic.syntaxVersion, ic.date, ic.time]).toEqual(['UNOC', '4', '20140407', '0910']);
  });

  // Parse → serialize gives back the file, modulo BOM, indentation, blank lines and the final newline.
  const normalise = (text: string) =>
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .join('\n');
  const wellFormed = edifactRows.filter(
    (r) =>
      !r.exercises.startsWith('NEGATIVE') &&
      !/WRAPPED|NEWLINE instead|bogus extra|release char '\?' before ordinary/i.test(r.exercises) &&
      !/Issue196|UNA=\*/.test(r.file + r.exercises),
  );
  for (const row of wellFormed) {
    it(`round-trips ${row.file}`, () => {
      const text = read(row).toString('utf8');
      const doc = parseEdifact(read(row));
      const multiline = normalise(text).includes('\n');
      const out = serializeDocument(doc, { lineBreak: multiline ? 'lf' : 'none' });
      expect(normalise(out)).toBe(normalise(text));
    });
  }
});
