import { X12Errors, type X12Location, x12Error } from './errors.js';
import type { X12Delimiters, X12Element, X12Position, X12Segment } from './segment.js';
import { ShortValueTable } from './short-values.js';

export type X12Envelope = 'isa' | 'dex' | 'none';

/** What the tokenizer learnt about an interchange when it met its header (ISA, DXS or a bare ST). */
export interface X12InterchangeInfo {
  readonly index: number;
  readonly envelope: X12Envelope;
  readonly delimiters: X12Delimiters;
  /** What follows each segment terminator in the input ('' when nothing, or when the terminator is itself a newline). */
  readonly lineEnding: '' | '\n' | '\r\n';
  /** Byte offset of the header. */
  readonly offset: number;
}

export interface X12Sink {
  segment(segment: X12Segment): void;
  interchange?(info: X12InterchangeInfo): void;
}

export interface X12TokenizerOptions {
  /** Component and repetition separators for input without an ISA; the element separator and terminator are sniffed. */
  bareDelimiters?: { component?: string; repetition?: string };
  /** A segment longer than this (bytes) is an error, so garbage input cannot grow the buffer without bound. */
  maxSegmentBytes?: number;
}

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const NONE = -1;
/** How far past ISA16 the delimiter sniffing may look; a GS segment is far shorter than this. */
const ISA_LOOKAHEAD = 1024;
const ISA_MAX = 600;
const K_DATA = 0;
const K_ELEMENT = 1;
const K_TERM = 2;
const K_NEWLINE = 3;
const K_SUB = 4;
const K_HIGH = 5;
/** Index 0-35 of an upper-case letter or digit, -1 otherwise. */
const TAG_CHAR = new Int8Array(256).fill(-1);
for (let c = 48; c <= 57; c++) TAG_CHAR[c] = c - 48;
for (let c = 65; c <= 90; c++) TAG_CHAR[c] = c - 55;
/**
 * Shared by every tokenizer of the process: both hold immutable values (frozen elements, tag strings), are
 * bounded, and allocating them per tokenizer would cost more than parsing a small file.
 */
const SHORT_VALUES = new ShortValueTable();
const TAGS: string[] = new Array(1296 + 36 * 36 * 36);
const EMPTY_BYTES = Buffer.alloc(0);
const EMPTY_ELEMENT: X12Element = Object.freeze([Object.freeze([''])]);

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Standard tags are 2-3 upper-case letters and digits; longer alphanumeric tags are accepted here so that the
 * transaction validator can name them (AK304 code 1) instead of the tokenizer failing the whole file.
 */
function isTag(tag: string): boolean {
  if (tag.length < 2 || tag.length > 20) return false;
  for (let i = 0; i < tag.length; i++) if (!isAlnum(tag.charCodeAt(i))) return false;
  return true;
}

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** Bytes in the UTF-8 sequence starting with this lead byte. */
function utf8Length(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0) return lead <= 0xef ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1;
}

/** Input is scanned as latin1 text so that one char is one byte; values holding bytes >= 0x80 are re-read as UTF-8. */
function fromLatin1(raw: string): string {
  return Buffer.from(raw, 'latin1').toString('utf8');
}

function stripNewlines(raw: string): string {
  return raw.replace(/[\r\n]/g, '');
}

function hasHigh(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) >= 128) return true;
  return false;
}

function printable(raw: string): string {
  return JSON.stringify(raw.length > 20 ? `${raw.slice(0, 20)}…` : raw);
}

/**
 * Push tokenizer: `write` chunks, then `end`. Segments are handed to the sink as soon as their terminator
 * is seen, so memory stays bounded by the longest segment. Throws a CrossdockError (CD_ERR_X12_*) on input
 * that cannot be tokenized; envelope and content checks are the validators' job.
 */
export class X12Tokenizer {
  private buf = '';
  private bytes: Buffer = EMPTY_BYTES;
  private pos = 0;
  private base = 0;
  private line = 1;
  private readonly maxSegment: number;

  private es = NONE;
  private cs = NONE;
  private rs = NONE;
  private t0 = NONE;
  private term = '';
  private newlineTerm = false;
  private delimiters: X12Delimiters | null = null;
  private envelope: X12Envelope | null = null;

  private interchange = -1;
  private group = -1;
  private transaction = -1;
  private segmentIndex = 0;
  private isa13: string | undefined;
  private gs06: string | undefined;
  private st02: string | undefined;

  /** Start and end index of each element of the segment being read: reused, so reading allocates only the values. */
  private bounds: Int32Array = new Int32Array(256);
  /** What each byte is under the current delimiters (K_*): one table load per byte in the hot loop. */
  private kinds: Uint8Array = new Uint8Array(256);

  constructor(
    private readonly sink: X12Sink,
    private readonly options: X12TokenizerOptions = {},
  ) {
    this.maxSegment = options.maxSegmentBytes ?? 16 * 1024 * 1024;
  }

  write(chunk: Buffer | Uint8Array | string): void {
    const incoming = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pos > 0 || this.bytes.length > 0) {
      this.base += this.pos;
      this.bytes = Buffer.concat([this.bytes.subarray(this.pos), incoming]);
      this.pos = 0;
    } else {
      this.bytes = incoming;
    }
    // The same input twice: bytes for the scan (typed-array reads are the fastest), latin1 text for slicing values.
    this.buf = this.bytes.toString('latin1');
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.base += this.buf.length;
    this.buf = '';
    this.bytes = EMPTY_BYTES;
    this.pos = 0;
  }

  private location(offset: number, line: number, tag?: string): X12Location {
    return {
      interchangeControl: this.isa13,
      groupControl: this.gs06,
      transactionControl: this.st02,
      segmentTag: tag,
      offset: this.base + offset,
      line,
    };
  }

  private drain(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let p = this.pos;
    for (;;) {
      p = this.skipFiller(s, p, final);
      if (p < 0 || p >= n) {
        if (p >= n) this.pos = n;
        return;
      }
      this.pos = p;
      let next: number;
      if (
        s.charCodeAt(p) === 73 &&
        s.charCodeAt(p + 1) === 83 &&
        s.charCodeAt(p + 2) === 65 &&
        p + 3 < n &&
        !isAlnum(s.charCodeAt(p + 3))
      ) {
        next = this.readIsa(s, p, final);
      } else {
        if (this.delimiters === null && !this.sniffBare(s, p, final)) return;
        next = this.readSegment(s, p, final);
      }
      if (next < 0) {
        if (n - p > this.maxSegment) {
          throw x12Error(X12Errors.segmentTooLong, `segment longer than ${this.maxSegment} bytes`, this.location(p, this.line));
        }
        return;
      }
      p = next;
      this.pos = p;
    }
  }

  /** Skips what may sit between segments: whitespace, line breaks, a BOM, and `//` comment lines (seen in editor samples). */
  private skipFiller(s: string, p: number, final: boolean): number {
    const n = s.length;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === LF) {
        this.line++;
        p++;
      } else if (c === CR || c === SP || c === TAB) {
        p++;
      } else if (c === 0xef && s.charCodeAt(p + 1) === 0xbb && s.charCodeAt(p + 2) === 0xbf) {
        p += 3;
      } else if (c === 47 && s.charCodeAt(p + 1) === 47) {
        const eol = s.indexOf('\n', p);
        if (eol < 0) return final ? n : -1;
        p = eol;
      } else if (c === 0xef && p + 2 >= n && !final) {
        return -1;
      } else {
        return p;
      }
    }
    return p;
  }

  private setDelimiters(d: X12Delimiters): void {
    this.delimiters = d;
    this.es = d.element.charCodeAt(0);
    this.cs = d.component ? d.component.charCodeAt(0) : NONE;
    this.rs = d.repetition ? d.repetition.charCodeAt(0) : NONE;
    this.newlineTerm = d.segment === '\n' || d.segment === '\r';
    this.term = Buffer.from(d.segment, 'utf8').toString('latin1');
    this.t0 = this.newlineTerm ? LF : this.term.charCodeAt(0);
    const kinds = new Uint8Array(256);
    for (let c = 128; c < 256; c++) kinds[c] = K_HIGH;
    kinds[LF] = K_NEWLINE;
    kinds[CR] = K_NEWLINE;
    if (this.cs !== NONE) kinds[this.cs] = K_SUB;
    if (this.rs !== NONE) kinds[this.rs] = K_SUB;
    if (!this.newlineTerm) kinds[this.t0] = K_TERM;
    kinds[this.es] = K_ELEMENT;
    this.kinds = kinds;
  }

  private lineEndingAt(s: string, p: number): '' | '\n' | '\r\n' {
    const c = s.charCodeAt(p);
    if (c === CR && s.charCodeAt(p + 1) === LF) return '\r\n';
    if (c === LF) return '\n';
    return '';
  }

  /** Reads an ISA of any width (padding collapsed or non-ASCII, line breaks inside) and takes the delimiters from it. */
  private readIsa(s: string, p: number, final: boolean): number {
    const n = s.length;
    if (!final && n - p < ISA_MAX + ISA_LOOKAHEAD) return -1;
    const line = this.line;
    const es = s.charCodeAt(p + 3);
    const loc = (): X12Location => ({ segmentTag: 'ISA', offset: this.base + p, line });
    if (es === CR || es === LF || es === SP || es === TAB || es >= 128) {
      throw x12Error(X12Errors.isa, `ISA element separator ${printable(s[p + 3] ?? '')} is not usable`, loc());
    }
    const values: string[] = [];
    let start = p + 4;
    let i = start;
    let newlines = 0;
    const limit = Math.min(n, p + ISA_MAX);
    for (; i < limit; i++) {
      const c = s.charCodeAt(i);
      if (c === es) {
        values.push(s.slice(start, i));
        start = i + 1;
        if (values.length === 15) break;
      } else if (c === LF) {
        newlines++;
      }
    }
    if (values.length < 15) {
      throw x12Error(X12Errors.isa, `ISA has ${values.length + 1} elements before its end, 16 expected`, loc());
    }
    const k = i + 1;
    const c1 = s.charCodeAt(k);
    if (Number.isNaN(c1)) throw x12Error(X12Errors.isa, 'input ends inside the ISA', loc());
    let component = '';
    let termStart: number;
    if (c1 === CR || c1 === LF) {
      termStart = k;
    } else if (!isAlnum(c1) && this.isaSixteenIsEmpty(s, k)) {
      termStart = k;
    } else {
      if (c1 >= 128 || c1 === SP) throw x12Error(X12Errors.isa, `ISA16 component separator ${printable(s[k] ?? '')} is not usable`, loc());
      component = s[k] ?? '';
      termStart = k + 1;
    }
    const t = s.charCodeAt(termStart);
    if (Number.isNaN(t)) throw x12Error(X12Errors.isa, 'no segment terminator after ISA16', loc());
    if (isAlnum(t) || t === SP || t === es || (component !== '' && t === c1)) {
      throw x12Error(X12Errors.isa, `ISA16 is followed by ${printable(s[termStart] ?? '')}, which cannot be a segment terminator`, loc());
    }
    const termLen = t === CR || t === LF ? 1 : utf8Length(t);
    const segment = t === CR || t === LF ? String.fromCharCode(t) : fromLatin1(s.slice(termStart, termStart + termLen));
    const element = String.fromCharCode(es);
    const cleaned = values.map((v) => {
      const stripped = newlines > 0 ? stripNewlines(v) : v;
      return hasHigh(stripped) ? fromLatin1(stripped) : stripped;
    });
    const isa11 = cleaned[10] ?? '';
    const version = Number.parseInt(cleaned[11] ?? '', 10);
    const repetition =
      version >= 402 && isa11.length === 1 && !isAlnum(isa11.charCodeAt(0)) && isa11 !== element && isa11 !== component && isa11 !== segment
        ? isa11
        : '';
    if (component === element) throw x12Error(X12Errors.isa, 'ISA16 component separator equals the element separator', loc());
    const delimiters: X12Delimiters = { element, repetition, component, segment };
    this.setDelimiters(delimiters);
    this.envelope = 'isa';
    this.interchange++;
    this.group = -1;
    this.transaction = -1;
    this.segmentIndex = 0;
    this.isa13 = cleaned[12]?.trim();
    this.gs06 = undefined;
    this.st02 = undefined;
    const after = termStart + termLen;
    this.sink.interchange?.({
      index: this.interchange,
      envelope: 'isa',
      delimiters,
      lineEnding: this.lineEndingAt(s, after),
      offset: this.base + p,
    });
    const elements: X12Element[] = cleaned.map((v) => [[v]]);
    elements.push([[component]]);
    this.sink.segment({
      tag: 'ISA',
      elements,
      position: { interchange: this.interchange, group: -1, transaction: -1, segment: 0, offset: this.base + p, line },
    });
    this.line += newlines + (t === LF ? 1 : 0);
    return after;
  }

  /**
   * ISA16 may be empty in real files ('*P*~GS…'), which makes the char after the 16th separator the terminator.
   * That reading holds when a segment tag follows it and the same char ends the next segment before any line break.
   */
  private isaSixteenIsEmpty(s: string, k: number): boolean {
    const len = utf8Length(s.charCodeAt(k));
    const candidate = s.slice(k, k + len);
    let b = k + len;
    while (b < s.length) {
      const c = s.charCodeAt(b);
      if (c === CR || c === LF || c === SP || c === TAB) b++;
      else break;
    }
    if (b >= s.length) return true;
    if (!isUpper(s.charCodeAt(b))) return false;
    const next = s.indexOf(candidate, b);
    if (next < 0 || next - b > ISA_LOOKAHEAD / 2) return false;
    for (let j = b; j < next; j++) {
      const c = s.charCodeAt(j);
      if (c === CR || c === LF) return false;
    }
    return true;
  }

  /** Input without an ISA: a bare ST..SE or a DEX/UCS DXS..DXE. The terminator is the first char the header's data cannot hold. */
  private sniffBare(s: string, p: number, final: boolean): boolean {
    const n = s.length;
    if (!final && n - p < 256) return false;
    let i = p;
    while (i < n && isAlnum(s.charCodeAt(i))) i++;
    const tag = s.slice(p, i);
    const loc: X12Location = { segmentTag: tag || undefined, offset: this.base + p, line: this.line };
    if (tag !== 'ST' && tag !== 'DXS') {
      throw x12Error(
        X12Errors.noEnvelope,
        `X12 input must start with ISA, ST or DXS; found ${printable(s.slice(p, Math.max(i, p + 3)))}`,
        loc,
      );
    }
    const es = s.charCodeAt(i);
    if (Number.isNaN(es) || es === CR || es === LF || es === SP || es === TAB || es >= 128) {
      throw x12Error(X12Errors.noEnvelope, `${tag} is not followed by an element separator`, loc);
    }
    let j = i + 1;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c === es || c === SP || isAlnum(c)) j++;
      else break;
    }
    const t = j < n ? s.charCodeAt(j) : LF;
    const segment = t === CR || t === LF ? String.fromCharCode(t) : fromLatin1(s.slice(j, j + utf8Length(t)));
    const element = String.fromCharCode(es);
    const wantComponent = this.options.bareDelimiters?.component ?? '>';
    const wantRepetition = this.options.bareDelimiters?.repetition ?? '';
    const component = wantComponent === element || wantComponent === segment ? '' : wantComponent;
    const repetition = wantRepetition === element || wantRepetition === segment || wantRepetition === component ? '' : wantRepetition;
    const delimiters: X12Delimiters = { element, repetition, component, segment };
    this.setDelimiters(delimiters);
    if (tag === 'ST') {
      this.envelope = 'none';
      this.interchange++;
      this.group = 0;
      this.transaction = -1;
      const termLen = t === CR || t === LF ? 1 : utf8Length(t);
      this.sink.interchange?.({
        index: this.interchange,
        envelope: 'none',
        delimiters,
        lineEnding: this.lineEndingAt(s, j + termLen),
        offset: this.base + p,
      });
    } else {
      this.envelope = 'dex';
    }
    return true;
  }

  /** Reads one segment starting at p; returns the index after its terminator, or -1 when more input is needed. */
  private readSegment(s: string, p: number, final: boolean): number {
    const n = s.length;
    const term = this.term;
    const termLen = term.length;
    const nlTerm = this.newlineTerm;
    let bounds = this.bounds;
    let count = 0;
    let elStart = p;
    let subMask = 0;
    let high = false;
    let newlines = 0;
    let brokenLines = false;
    let end = -1;
    let binary = false;
    const kinds = this.kinds;
    const bytes = this.bytes;
    for (let i = p; i < n; i++) {
      const kind = kinds[bytes[i] ?? 0];
      if (kind === K_DATA) continue;
      if (kind === K_ELEMENT) {
        if (count * 2 + 2 > bounds.length) bounds = this.growBounds();
        bounds[count * 2] = elStart;
        bounds[count * 2 + 1] = i;
        count++;
        elStart = i + 1;
        if (count === 2 && bounds[1] === p + 3 && s.startsWith('BIN', p)) {
          // BIN01 is the byte length of BIN02, which may hold any byte including delimiters (X12.6 binary data).
          const len = Number.parseInt(s.slice(bounds[2] ?? 0, i), 10);
          if (len >= 0) {
            const dataEnd = elStart + len;
            if (dataEnd >= n) {
              if (!final) return -1;
              throw x12Error(X12Errors.syntax, `BIN declares ${len} bytes but the input ends first`, this.location(p, this.line, 'BIN'));
            }
            const t = s.charCodeAt(dataEnd);
            if (!(nlTerm ? t === LF || t === CR : s.startsWith(term, dataEnd))) {
              if (!final && dataEnd + termLen > n) return -1;
              throw x12Error(X12Errors.syntax, 'BIN data is not followed by the segment terminator', this.location(p, this.line, 'BIN'));
            }
            for (let j = elStart; j < dataEnd; j++) if (s.charCodeAt(j) === LF) newlines++;
            binary = true;
            end = dataEnd;
            break;
          }
        }
      } else if (kind === K_TERM) {
        if (termLen === 1 || s.startsWith(term, i)) {
          end = i;
          break;
        }
        high = true;
      } else if (kind === K_NEWLINE) {
        if (nlTerm) {
          end = i;
          break;
        }
        brokenLines = true;
        if (s.charCodeAt(i) === LF) newlines++;
      } else if (kind === K_SUB) {
        subMask |= count < 30 ? 1 << count : 1 << 30;
      } else {
        high = true;
      }
    }
    if (end < 0) {
      if (!final) return -1;
      end = n;
    }
    if (count * 2 + 2 > bounds.length) bounds = this.growBounds();
    bounds[count * 2] = elStart;
    bounds[count * 2 + 1] = end;
    count++;
    const line = this.line;
    this.line += newlines + (nlTerm && s.charCodeAt(end) === LF ? 1 : 0);
    const next = end >= n ? n : end + (nlTerm ? 1 : termLen);
    let tag: string;
    const tagLen = (bounds[1] ?? 0) - p;
    const t0i = TAG_CHAR[s.charCodeAt(p)] ?? -1;
    const t1i = TAG_CHAR[s.charCodeAt(p + 1)] ?? -1;
    const t2i = tagLen === 3 ? (TAG_CHAR[s.charCodeAt(p + 2)] ?? -1) : 0;
    if (!brokenLines && (tagLen === 2 || tagLen === 3) && t0i >= 0 && t1i >= 0 && t2i >= 0) {
      // Tags of upper-case letters and digits index a flat table: one string per distinct tag.
      const key = tagLen === 2 ? t0i * 36 + t1i : 1296 + (t0i * 36 + t1i) * 36 + t2i;
      tag = TAGS[key] ?? s.slice(p, p + tagLen);
      TAGS[key] = tag;
    } else {
      tag = s.slice(p, bounds[1]);
      if (brokenLines) tag = stripNewlines(tag);
      if (!isTag(tag)) {
        if (count === 1 && tag === '') return next;
        throw x12Error(X12Errors.syntax, `invalid segment tag ${printable(tag)}`, this.location(p, line));
      }
    }
    const elements: X12Element[] = new Array(count - 1);
    for (let k = 1; k < count; k++) {
      const a = bounds[k * 2] ?? 0;
      const b = bounds[k * 2 + 1] ?? 0;
      if (a === b) {
        elements[k - 1] = EMPTY_ELEMENT;
        continue;
      }
      const len = b - a;
      if (len <= 4 && !brokenLines && subMask === 0) {
        const c0 = s.charCodeAt(a);
        const c1 = len > 1 ? s.charCodeAt(a + 1) : 0;
        const c2 = len > 2 ? s.charCodeAt(a + 2) : 0;
        const c3 = len > 3 ? s.charCodeAt(a + 3) : 0;
        if (c0 < 128 && c1 < 128 && c2 < 128 && c3 < 128) {
          const key = (len << 28) | (c0 << 21) | (c1 << 14) | (c2 << 7) | c3;
          elements[k - 1] = SHORT_VALUES.get(key, () => Object.freeze([Object.freeze([s.slice(a, b)])]));
          continue;
        }
      }
      let raw = s.slice(a, b);
      const isBinary = binary && k === 2;
      if (brokenLines && !isBinary) raw = stripNewlines(raw);
      if (high && hasHigh(raw)) raw = fromLatin1(raw);
      const sub = subMask !== 0 && (subMask & (1 << Math.min(k, 30))) !== 0;
      elements[k - 1] = sub && !isBinary ? this.split(raw) : [[raw]];
    }
    this.emit(tag, elements, p, line);
    return next;
  }

  private growBounds(): Int32Array {
    const grown = new Int32Array(this.bounds.length * 2);
    grown.set(this.bounds);
    this.bounds = grown;
    return grown;
  }

  private split(raw: string): X12Element {
    const d = this.delimiters;
    const reps = d?.repetition ? raw.split(d.repetition) : [raw];
    const comp = d?.component ?? '';
    return reps.map((r) => (comp ? r.split(comp) : [r]));
  }

  private emit(tag: string, elements: X12Element[], p: number, line: number): void {
    let segment: number;
    switch (tag) {
      case 'ST':
        if (this.envelope === 'none' && this.group < 0) this.group = 0;
        this.transaction++;
        this.segmentIndex = 1;
        segment = 1;
        this.st02 = elements[1]?.[0]?.[0];
        break;
      case 'SE':
        segment = this.segmentIndex > 0 ? ++this.segmentIndex : 0;
        break;
      case 'GS':
        this.group++;
        this.transaction = -1;
        this.segmentIndex = 0;
        segment = 0;
        this.gs06 = elements[5]?.[0]?.[0];
        this.st02 = undefined;
        break;
      case 'DXS':
        this.interchange++;
        this.group = 0;
        this.transaction = -1;
        this.segmentIndex = 0;
        segment = 0;
        this.isa13 = elements[3]?.[0]?.[0];
        this.sink.interchange?.({
          index: this.interchange,
          envelope: 'dex',
          delimiters: this.delimiters ?? { element: '*', repetition: '', component: '', segment: '\n' },
          lineEnding: '',
          offset: this.base + p,
        });
        break;
      case 'GE':
      case 'IEA':
      case 'DXE':
        this.segmentIndex = 0;
        segment = 0;
        break;
      default:
        segment = this.segmentIndex > 0 ? ++this.segmentIndex : 0;
    }
    const position: X12Position = {
      interchange: this.interchange,
      group: this.group,
      transaction: segment > 0 ? this.transaction : -1,
      segment,
      offset: this.base + p,
      line,
    };
    this.sink.segment({ tag, elements, position });
    if (tag === 'SE') {
      this.segmentIndex = 0;
      this.st02 = undefined;
    }
  }
}
