/**
 * The supplier's own X12 4010 writer and reader: fixed delimiters (`*` elements, `>` components,
 * `~` segments), one transaction set per interchange, as a small supplier's EDI software sends them.
 * Independent of the hub's codec on purpose, so each side checks the other.
 */
export interface X12Parties {
  sender: string;
  receiver: string;
  control: number;
  /** yyyy-mm-ddThh:mm… */
  at: string;
}

const GROUP_CODE: Record<string, string> = { '850': 'PO', '855': 'PR', '856': 'SH', '810': 'IN', '997': 'FA' };

const pad = (value: string, width: number) => value.padEnd(width, ' ').slice(0, width);

/** Wraps one transaction set's body segments (without ST/SE) in ISA/GS/ST … SE/GE/IEA. */
export function writeX12(set: string, body: ReadonlyArray<readonly string[]>, parties: X12Parties): string {
  const date = parties.at.slice(0, 10).replaceAll('-', '');
  const time = parties.at.slice(11, 16).replace(':', '');
  const control = String(parties.control).padStart(9, '0');
  const st = String(parties.control % 10_000).padStart(4, '0');
  const segments: string[][] = [
    [
      'ISA',
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      'ZZ',
      pad(parties.sender, 15),
      'ZZ',
      pad(parties.receiver, 15),
      date.slice(2),
      time,
      'U',
      '00401',
      control,
      '0',
      'P',
      '>',
    ],
    ['GS', GROUP_CODE[set] ?? 'XX', parties.sender, parties.receiver, date, time, String(parties.control), 'X', '004010'],
    ['ST', set, st],
    ...body.map((s) => [...s]),
  ];
  const count = body.length + 2;
  segments.push(['SE', String(count), st], ['GE', '1', String(parties.control)], ['IEA', '1', control]);
  return `${segments.map((s) => trimTrailing(s).join('*')).join('~\n')}~\n`;
}

function trimTrailing(elements: string[]): string[] {
  if (elements[0] === 'ISA') return elements;
  let end = elements.length;
  while (end > 1 && elements[end - 1] === '') end -= 1;
  return elements.slice(0, end);
}

/** Segments of an interchange as element arrays (the tag first). */
export function readX12(text: string): string[][] {
  const trimmed = text.trimStart();
  const elementSep = trimmed[3] ?? '*';
  const segmentSep = trimmed[105] ?? '~';
  return trimmed
    .split(segmentSep)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => s.split(elementSep));
}

/** yyyymmdd from an ISO date. */
export function x12Date(iso: string): string {
  return iso.slice(0, 10).replaceAll('-', '');
}

/** An ISO date from yyyymmdd. */
export function isoDate(x12: string): string {
  return `${x12.slice(0, 4)}-${x12.slice(4, 6)}-${x12.slice(6, 8)}`;
}
