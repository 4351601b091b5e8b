/** Which standard a document is in, from its first non-blank characters: ISA (X12) or UNA/UNB (EDIFACT). */
export function sniffStandard(input: string | Uint8Array): 'x12' | 'edifact' | undefined {
  const head = (typeof input === 'string' ? input.slice(0, 512) : Buffer.from(input.subarray(0, 512)).toString('latin1'))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (head.startsWith('ISA') || head.startsWith('ST') || head.startsWith('DXS')) return 'x12';
  if (head.startsWith('UNA') || head.startsWith('UNB') || head.startsWith('UNH')) return 'edifact';
  return undefined;
}
