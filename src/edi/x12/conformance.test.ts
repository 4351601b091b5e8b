import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrossdockError } from '../../kernel/index.js';
import { checkDuplicateInterchange, InMemorySeenInterchanges } from './duplicates.js';
import { allIssues } from './envelope.js';
import type { X12Issue } from './issues.js';
import { parseAndValidateX12 } from './validate.js';

const root = resolve(process.cwd(), '../shared/fixtures/public-samples');

interface Sample {
  folder: string;
  file: string;
  negative: boolean;
  text: string;
}

/** X12 content of a sample: the file itself, or the `data` string of a JSON wrapper. */
function x12Text(path: string): string | null {
  const raw = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) {
    const parsed: unknown = JSON.parse(raw);
    const data = typeof parsed === 'object' && parsed !== null && 'data' in parsed ? parsed.data : undefined;
    return typeof data === 'string' && data.trimStart().startsWith('ISA') ? data : null;
  }
  if (path.endsWith('.edifact')) return null;
  return /^(\uFEFF)?\s*(UNA|UNB|UNH)/.test(raw) ? null : raw;
}

const samples: Sample[] = readFileSync(`${root}/INDEX.tsv`, 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => l.split('\t'))
  .filter(([folder]) => folder === 'x12' || folder === 'edge_cases')
  .flatMap(([folder = '', file = '', , , , , desc = '']) => {
    const text = x12Text(`${root}/${folder}/${file}`);
    return text === null ? [] : [{ folder, file, negative: desc.startsWith('NEGATIVE'), text }];
  });

function outcome(text: string): { thrown?: CrossdockError; issues: X12Issue[] } {
  try {
    const { result } = parseAndValidateX12(text);
    return { issues: allIssues(result).filter((i) => i.severity === 'error') };
  } catch (e) {
    if (e instanceof CrossdockError) return { thrown: e, issues: [] };
    throw e;
  }
}

const summary = (i: X12Issue) =>
  `${i.code}|${i.segmentTag ?? ''}${i.elementPosition ? String(i.elementPosition).padStart(2, '0') : ''}|${i.ackCode ?? ''}`;

/** Malformations the INDEX describes, as the precise issues they must produce. */
const EXPECTED: Record<string, { thrown?: string; issues?: string[] }> = {
  'EDI.Net__x12.810.mandatory-conditions.edi': { issues: ['CD_ERR_X12_COUNT_MISMATCH|SE01|4'] },
  'EDI.Net__x12.Issue91.edi': { issues: ['CD_ERR_X12_COUNT_MISMATCH|SE01|4'] },
  'x12-types__test_856__test_parse_856.edi': { issues: ['CD_ERR_X12_COUNT_MISMATCH|SE01|4'] },
  'staedi__invalid997.edi': { issues: ['CD_ERR_X12_ELEMENT|AK101|7', 'CD_ERR_X12_SEGMENT|AK1|8'] },
  'staedi__invalid997_min.edi': {
    issues: [
      'CD_ERR_X12_HEADER_FIELD|GS04|024',
      'CD_ERR_X12_HEADER_FIELD|GS05|024',
      'CD_ERR_X12_CONTROL_MISMATCH|GE02|4',
      'CD_ERR_X12_ELEMENT|AK101|7',
    ],
  },
  'staedi__empty997.edi': { issues: ['CD_ERR_X12_SEGMENT|AK1|3', 'CD_ERR_X12_SEGMENT|AK9|3'] },
  'vscode-edi-x12-support__bad-header.edi': { issues: ['CD_ERR_X12_HEADER_FIELD|ISA09|014', 'CD_ERR_X12_HEADER_FIELD|ISA13|018'] },
  'vscode-edi-support__diagnosctics.x12': { issues: ['CD_ERR_X12_ELEMENT|DTM02|8'] },
  'gozer__dex.sample.mismatched.st.txt': { issues: ['CD_ERR_X12_ENVELOPE_STRUCTURE|SE|2', 'CD_ERR_X12_CONTROL_MISMATCH|SE02|3'] },
  'gozer__dex.sample.missing.dxe.txt': { issues: ['CD_ERR_X12_ENVELOPE_STRUCTURE|DXE|023'] },
  'gozer__dex.sample.wrong.transaction.count.txt': { issues: ['CD_ERR_X12_COUNT_MISMATCH|DXE02|021'] },
  'gozer__x12.no.line.break.no.delim.txt': { thrown: 'CD_ERR_X12_ISA' },
  'gozer__x12.missing.ISA.txt': { thrown: 'CD_ERR_X12_NO_ENVELOPE' },
  'gozer__x12.wrong.ISA.txt': { thrown: 'CD_ERR_X12_NO_ENVELOPE' },
  'gozer__x12.wrong.GS.txt': { issues: ['CD_ERR_X12_ENVELOPE_STRUCTURE|XX|024'] },
  'EDI.Net__x12.850.edi': { issues: ['CD_ERR_X12_CONTROL_MISMATCH|IEA02|001'] },
};

describe('public X12 samples (INDEX.tsv)', () => {
  it('finds the X12 samples of the index', () => {
    expect(samples.length).toBeGreaterThan(70);
    expect(samples.filter((s) => s.negative).length).toBeGreaterThanOrEqual(10);
  });

  it.each(samples.filter((s) => !s.negative).map((s) => [s.file, s] as const))('parses %s', (_file, sample) => {
    const { thrown } = outcome(sample.text);
    expect(thrown?.message).toBeUndefined();
  });

  it.each(samples.filter((s) => s.negative).map((s) => [s.file, s] as const))('gives %s a precise error', (_file, sample) => {
    const { thrown, issues } = outcome(sample.text);
    expect(thrown !== undefined || issues.length > 0).toBe(true);
    for (const issue of issues) expect(issue.code).toMatch(/^CD_ERR_X12_[A-Z_]+$/);
    if (thrown) expect(thrown.errorClass).toBe('permanent');
  });

  it.each(Object.entries(EXPECTED))('%s yields the errors its description names', (file, expected) => {
    const sample = samples.find((s) => s.file === file);
    if (!sample) throw new Error(`${file} not in INDEX.tsv`);
    const { thrown, issues } = outcome(sample.text);
    expect(thrown?.code).toBe(expected.thrown);
    const got = issues.map(summary);
    for (const want of expected.issues ?? []) expect(got).toContain(want);
  });

  it('the "fat" file repeats an interchange control number: the second interchange is a duplicate', async () => {
    const sample = samples.find((s) => s.file === 'node-x12__850_fat.edi');
    if (!sample) throw new Error('missing sample');
    const { result } = parseAndValidateX12(sample.text);
    const store = new InMemorySeenInterchanges();
    const verdicts = [];
    for (const ix of result.interchanges) verdicts.push(await checkDuplicateInterchange(store, ix));
    expect(verdicts.map((v) => v?.ackCode ?? 'new')).toEqual(['new', '025']);
  });

  it('envelopes of clean samples validate without errors', () => {
    for (const file of [
      'node-x12__850_3.edi',
      'EDI.Net__x12.214.edi',
      'staedi__ts214_ellipses_segterm.edi',
      'staedi__ts210_80char.edi',
      'x12-types__test_940__test_940_4.edi',
      'staedi__simple997.edi',
    ]) {
      const sample = samples.find((s) => s.file === file);
      expect(outcome(sample?.text ?? '').issues.filter((i) => i.level !== 'segment' && i.level !== 'element')).toEqual([]);
    }
  });
});
