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
/** The envelope role (T_*) of each tag in TAGS, so that `emit` branches on a number instead of comparing strings. */
const TAG_ROLES = new Uint8Array(1296 + 36 * 36 * 36);
const T_BODY = 0;
const T_ST = 1;
const T_SE = 2;
const T_GS = 3;
const T_DXS = 4;
const T_CLOSE = 5;
const EMPTY_BYTES = Buffer.alloc(0);
/**
 * Input is tokenized in windows of this many bytes, each turned into one latin1 string that values are sliced from.
 * Small enough for V8 to allocate that string in the young generation (a whole 1 MiB chunk would become an external
 * string, whose memory drives full GCs), large enough that the per-window cost vanishes. A segment that straddles
 * two windows is read again from its start in a larger window.
 */
const WINDOW = 64 * 1024;
/** How much of a new chunk is copied behind the carry to finish the segment that straddles two writes. */
const BRIDGE = 4 * 1024;
const EMPTY_ELEMENT: X12Element = frozenElement('');

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

function tagRole(tag: string): number {
  switch (tag) {
    case 'ST':
      return T_ST;
    case 'SE':
      return T_SE;
    case 'GS':
      return T_GS;
    case 'DXS':
      return T_DXS;
    case 'GE':
    case 'IEA':
    case 'DXE':
      return T_CLOSE;
    default:
      return T_BODY;
  }
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

/**
 * `[value]` without an array literal. A literal's allocation site can be switched by V8 to allocate in the old
 * generation when a full GC with concurrent marking overlaps the tokenizer's warm-up (values stored while marking
 * count as survivors); every element built afterwards then lands in old space and the parse runs about 2x slower.
 * `new Array` sites stop tracking once their elements kind turns generic, so they never get that decision.
 */
function single<T>(value: T): T[] {
  const list: T[] = new Array(1);
  list[0] = value;
  return list;
}

function simpleElement(value: string): X12Element {
  return single(single(value));
}

/**
 * Segments and positions come from constructors rather than object literals for the same reason as
 * `simpleElement`: a constructor call has no allocation site to be switched to old-space allocation. The instances
 * carry exactly the fields of the `X12Segment` and `X12Position` interfaces.
 */
class SegmentRecord implements X12Segment {
  readonly tag: string;
  readonly elements: readonly X12Element[];
  readonly position: X12Position;

  constructor(tag: string, elements: readonly X12Element[], position: X12Position) {
    this.tag = tag;
    this.elements = elements;
    this.position = position;
  }
}

class PositionRecord implements X12Position {
  readonly interchange: number;
  readonly group: number;
  readonly transaction: number;
  readonly segment: number;
  readonly offset: number;
  readonly line: number;

  constructor(interchange: number, group: number, transaction: number, segment: number, offset: number, line: number) {
    this.interchange = interchange;
    this.group = group;
    this.transaction = transaction;
    this.segment = segment;
    this.offset = offset;
    this.line = line;
  }
}

/** A shared element (the empty one, interned short values): frozen, since every segment that has the value holds it. */
function frozenElement(value: string): X12Element {
  return Object.freeze([Object.freeze([value])]);
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
  /** The current window, as bytes and as latin1 text (one char per byte); `base` is the input offset of its first byte. */
  private buf = '';
  private bytes: Buffer = EMPTY_BYTES;
  /** Unread input kept between writes: the start of a segment whose end has not arrived yet. */
  private carry: Buffer = EMPTY_BYTES;
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

  /** Where the element separators of the segment being read are: reused, so reading allocates only the values. */
  private seps: Int32Array = new Int32Array(256);
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
    this.feed(incoming, false);
  }

  end(): void {
    this.feed(EMPTY_BYTES, true);
  }

  /**
   * Tokenizes the carry (the unfinished segment of earlier writes) followed by `incoming`, one window at a time.
   * The chunk is read in place; only a window that starts in the carry is copied, and what is left unfinished is
   * copied into the new carry, since the caller may reuse its buffer once `write` returns.
   */
  private feed(incoming: Buffer, final: boolean): void {
    const carry = this.carry;
    const held = carry.length;
    const total = held + incoming.length;
    const start = this.base;
    let from = 0;
    let size = WINDOW;
    // A window that starts in the carry is a copy, so it takes only this much of the chunk: enough to finish the
    // carried segment, after which the windows are views of the chunk again.
    let bridge = BRIDGE;
    while (from < total) {
      const to = Math.min(total, from < held ? held + bridge : from + size);
      let window: Buffer;
      if (from >= held) window = incoming.subarray(from - held, to - held);
      else if (to <= held) window = carry.subarray(from, to);
      else window = Buffer.concat([carry.subarray(from), incoming.subarray(0, to - held)]);
      const last = to === total;
      this.base = start + from;
      this.bytes = window;
      // The same bytes twice: the scan reads bytes (typed-array loads are the fastest), values are sliced from latin1 text.
      this.buf = window.toString('latin1');
      this.pos = 0;
      const done = this.drain(final && last, last);
      from += this.pos;
      if (done) {
        size = WINDOW;
      } else if (last) {
        break;
      } else if (from < held) {
        bridge *= 2;
      } else {
        // The segment at `from` needs more than this window held: read it again in one twice the size.
        size = Math.max(WINDOW, 2 * (to - from));
      }
    }
    this.base = start + from;
    if (from >= total) this.carry = EMPTY_BYTES;
    else if (from >= held) this.carry = Buffer.from(incoming.subarray(from - held));
    else this.carry = Buffer.concat([carry.subarray(from), incoming]);
    this.bytes = EMPTY_BYTES;
    this.buf = '';
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

  /**
   * Reads the segments of the current window from `pos`. Returns true when the window is used up, false when the
   * segment at `pos` needs more input than the window holds; `last` says whether the window ends the input so far.
   */
  private drain(final: boolean, last: boolean): boolean {
    const s = this.buf;
    const bytes = this.bytes;
    const n = bytes.length;
    let p = this.pos;
    for (;;) {
      p = this.skipFiller(bytes, p, final);
      if (p < 0) return false;
      if (p >= n) {
        this.pos = n;
        return true;
      }
      this.pos = p;
      let next: number;
      if (bytes[p] === 73 && p + 3 < n && bytes[p + 1] === 83 && bytes[p + 2] === 65 && !isAlnum(bytes[p + 3] ?? 0)) {
        next = this.readIsa(s, p, final);
      } else {
        if (this.delimiters === null && !this.sniffBare(s, p, final)) return false;
        next = this.readSegment(s, p, final);
      }
      if (next < 0) {
        if (last && n - p > this.maxSegment) {
          throw x12Error(X12Errors.segmentTooLong, `segment longer than ${this.maxSegment} bytes`, this.location(p, this.line));
        }
        return false;
      }
      p = next;
      this.pos = p;
    }
  }

  /**
   * Skips what may sit between segments: whitespace, line breaks, a BOM, and `//` comment lines (seen in editor
   * samples). Returns -1 when a comment or BOM runs past the window, with `pos` moved up to it so that the line
   * breaks before it are not counted again when it is read in the next window.
   */
  private skipFiller(bytes: Buffer, p: number, final: boolean): number {
    const n = bytes.length;
    while (p < n) {
      const c = bytes[p] ?? 0;
      if (c === LF) {
        this.line++;
        p++;
      } else if (c === CR || c === SP || c === TAB) {
        p++;
      } else if (c === 0xef && p + 2 < n && bytes[p + 1] === 0xbb && bytes[p + 2] === 0xbf) {
        p += 3;
      } else if (c === 47 && p + 1 < n && bytes[p + 1] === 47) {
        const eol = bytes.indexOf(LF, p);
        if (eol >= 0) {
          p = eol;
        } else if (final) {
          return n;
        } else {
          this.pos = p;
          return -1;
        }
      } else if (c === 0xef && p + 2 >= n && !final) {
        this.pos = p;
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
    const elements: X12Element[] = cleaned.map(simpleElement);
    elements.push(simpleElement(component));
    this.sink.segment(new SegmentRecord('ISA', elements, new PositionRecord(this.interchange, -1, -1, 0, this.base + p, line)));
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
    const bytes = this.bytes;
    const n = bytes.length;
    const term = this.term;
    const termLen = term.length;
    const nlTerm = this.newlineTerm;
    const kinds = this.kinds;
    let seps = this.seps;
    let count = 0;
    let subMask = 0;
    let high = false;
    let newlines = 0;
    let brokenLines = false;
    let end = -1;
    let binary = false;
    // BIN01 is the byte length of BIN02, which may hold any byte including delimiters (X12.6 binary data).
    const bin = p + 3 < n && bytes[p] === 66 && bytes[p + 1] === 73 && bytes[p + 2] === 78 && bytes[p + 3] === this.es;
    let i = p;
    for (;;) {
      if (!bin) {
        // Four bytes a step while they hold only data and element separators: one branch per step instead of one per
        // byte made the scan about a third faster. Stops on any other delimiter, which the code below handles.
        while (i + 3 < n) {
          if (count + 4 > seps.length) seps = this.growSeps();
          const k0 = kinds[bytes[i] ?? 0] ?? K_DATA;
          const k1 = kinds[bytes[i + 1] ?? 0] ?? K_DATA;
          const k2 = kinds[bytes[i + 2] ?? 0] ?? K_DATA;
          const k3 = kinds[bytes[i + 3] ?? 0] ?? K_DATA;
          if ((k0 | k1 | k2 | k3) === K_DATA) {
            i += 4;
            continue;
          }
          if (k0 !== K_DATA) {
            if (k0 !== K_ELEMENT) break;
            seps[count++] = i;
          }
          if (k1 !== K_DATA) {
            if (k1 !== K_ELEMENT) {
              i += 1;
              break;
            }
            seps[count++] = i + 1;
          }
          if (k2 !== K_DATA) {
            if (k2 !== K_ELEMENT) {
              i += 2;
              break;
            }
            seps[count++] = i + 2;
          }
          if (k3 !== K_DATA) {
            if (k3 !== K_ELEMENT) {
              i += 3;
              break;
            }
            seps[count++] = i + 3;
          }
          i += 4;
        }
      }
      // One byte at a time: the last bytes of the window, a delimiter other than the element separator, a BIN segment.
      if (i >= n) break;
      const kind = kinds[bytes[i] ?? 0];
      if (kind === K_ELEMENT) {
        if (count + 1 > seps.length) seps = this.growSeps();
        seps[count++] = i;
        if (bin && count === 2) {
          const len = Number.parseInt(s.slice((seps[0] ?? 0) + 1, i), 10);
          if (len >= 0) {
            const dataStart = i + 1;
            const dataEnd = dataStart + len;
            if (dataEnd >= n) {
              if (!final) return -1;
              throw x12Error(X12Errors.syntax, `BIN declares ${len} bytes but the input ends first`, this.location(p, this.line, 'BIN'));
            }
            const t = bytes[dataEnd];
            if (!(nlTerm ? t === LF || t === CR : s.startsWith(term, dataEnd))) {
              if (!final && dataEnd + termLen > n) return -1;
              throw x12Error(X12Errors.syntax, 'BIN data is not followed by the segment terminator', this.location(p, this.line, 'BIN'));
            }
            for (let j = dataStart; j < dataEnd; j++) if (bytes[j] === LF) newlines++;
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
        if (bytes[i] === LF) newlines++;
      } else if (kind === K_SUB) {
        subMask |= count < 30 ? 1 << count : 1 << 30;
      } else if (kind === K_HIGH) {
        high = true;
      }
      i++;
    }
    if (end < 0) {
      if (!final) return -1;
      end = n;
    }
    const line = this.line;
    this.line += newlines + (nlTerm && bytes[end] === LF ? 1 : 0);
    const next = end >= n ? n : end + (nlTerm ? 1 : termLen);
    const tagEnd = count > 0 ? (seps[0] ?? 0) : end;
    let tag: string | undefined;
    let role: number;
    const tagLen = tagEnd - p;
    const t0i = tagLen >= 2 ? (TAG_CHAR[bytes[p] ?? 0] ?? -1) : -1;
    const t1i = tagLen >= 2 ? (TAG_CHAR[bytes[p + 1] ?? 0] ?? -1) : -1;
    const t2i = tagLen === 3 ? (TAG_CHAR[bytes[p + 2] ?? 0] ?? -1) : 0;
    if (!brokenLines && (tagLen === 2 || tagLen === 3) && t0i >= 0 && t1i >= 0 && t2i >= 0) {
      // Tags of upper-case letters and digits index a flat table: one string per distinct tag.
      const key = tagLen === 2 ? t0i * 36 + t1i : 1296 + (t0i * 36 + t1i) * 36 + t2i;
      tag = TAGS[key];
      if (tag === undefined) {
        tag = s.slice(p, tagEnd);
        TAGS[key] = tag;
        TAG_ROLES[key] = tagRole(tag);
      }
      role = TAG_ROLES[key] ?? T_BODY;
    } else {
      tag = s.slice(p, tagEnd);
      if (brokenLines) tag = stripNewlines(tag);
      if (!isTag(tag)) {
        if (count === 0 && tag === '') return next;
        throw x12Error(X12Errors.syntax, `invalid segment tag ${printable(tag)}`, this.location(p, line));
      }
      role = tagRole(tag);
    }
    const elements: X12Element[] = new Array(count);
    if (subMask === 0 && !brokenLines && !high && !binary) {
      // The usual segment: no composites, line breaks, binary data or bytes >= 0x80, so every value is ASCII as it stands.
      let a = tagEnd + 1;
      for (let k = 0; k < count; k++) {
        const b = k + 1 < count ? (seps[k + 1] ?? 0) : end;
        const len = b - a;
        if (len === 0) {
          elements[k] = EMPTY_ELEMENT;
        } else if (len <= 4) {
          const key =
            (len << 28) |
            ((bytes[a] ?? 0) << 21) |
            (len > 1 ? (bytes[a + 1] ?? 0) << 14 : 0) |
            (len > 2 ? (bytes[a + 2] ?? 0) << 7 : 0) |
            (len > 3 ? (bytes[a + 3] ?? 0) : 0);
          elements[k] = SHORT_VALUES.find(key) ?? SHORT_VALUES.add(key, frozenElement(s.slice(a, b)));
        } else {
          elements[k] = simpleElement(s.slice(a, b));
        }
        a = b + 1;
      }
      if (role === T_BODY) {
        // The envelope bookkeeping of `emit` is for a few segments per transaction set; the rest only count.
        const segment = this.segmentIndex > 0 ? ++this.segmentIndex : 0;
        const position = new PositionRecord(
          this.interchange,
          this.group,
          segment > 0 ? this.transaction : -1,
          segment,
          this.base + p,
          line,
        );
        this.sink.segment(new SegmentRecord(tag, elements, position));
      } else {
        this.emit(tag, role, elements, p, line);
      }
      return next;
    }
    for (let k = 1; k <= count; k++) {
      const a = (seps[k - 1] ?? 0) + 1;
      const b = k < count ? (seps[k] ?? 0) : end;
      if (a === b) {
        elements[k - 1] = EMPTY_ELEMENT;
        continue;
      }
      const len = b - a;
      const sub = subMask !== 0 && (subMask & (1 << Math.min(k, 30))) !== 0;
      if (len <= 4 && !sub && !brokenLines) {
        const c0 = bytes[a] ?? 0;
        const c1 = len > 1 ? (bytes[a + 1] ?? 0) : 0;
        const c2 = len > 2 ? (bytes[a + 2] ?? 0) : 0;
        const c3 = len > 3 ? (bytes[a + 3] ?? 0) : 0;
        if (c0 < 128 && c1 < 128 && c2 < 128 && c3 < 128) {
          const key = (len << 28) | (c0 << 21) | (c1 << 14) | (c2 << 7) | c3;
          elements[k - 1] = SHORT_VALUES.find(key) ?? SHORT_VALUES.add(key, frozenElement(s.slice(a, b)));
          continue;
        }
      }
      let raw = s.slice(a, b);
      const isBinary = binary && k === 2;
      if (brokenLines && !isBinary) raw = stripNewlines(raw);
      if (high && hasHigh(raw)) raw = fromLatin1(raw);
      elements[k - 1] = sub && !isBinary ? this.split(raw) : simpleElement(raw);
    }
    this.emit(tag, role, elements, p, line);
    return next;
  }

  private growSeps(): Int32Array {
    const grown = new Int32Array(this.seps.length * 2);
    grown.set(this.seps);
    this.seps = grown;
    return grown;
  }

  private split(raw: string): X12Element {
    const d = this.delimiters;
    const comp = d?.component ?? '';
    if (!d?.repetition) return single(comp ? raw.split(comp) : single(raw));
    return raw.split(d.repetition).map((r) => (comp ? r.split(comp) : single(r)));
  }

  private emit(tag: string, role: number, elements: X12Element[], p: number, line: number): void {
    let segment: number;
    switch (role) {
      case T_ST:
        if (this.envelope === 'none' && this.group < 0) this.group = 0;
        this.transaction++;
        this.segmentIndex = 1;
        segment = 1;
        this.st02 = elements[1]?.[0]?.[0];
        break;
      case T_SE:
        segment = this.segmentIndex > 0 ? ++this.segmentIndex : 0;
        break;
      case T_GS:
        this.group++;
        this.transaction = -1;
        this.segmentIndex = 0;
        segment = 0;
        this.gs06 = elements[5]?.[0]?.[0];
        this.st02 = undefined;
        break;
      case T_DXS:
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
      case T_CLOSE:
        this.segmentIndex = 0;
        segment = 0;
        break;
      default:
        segment = this.segmentIndex > 0 ? ++this.segmentIndex : 0;
    }
    const position = new PositionRecord(this.interchange, this.group, segment > 0 ? this.transaction : -1, segment, this.base + p, line);
    this.sink.segment(new SegmentRecord(tag, elements, position));
    if (role === T_SE) {
      this.segmentIndex = 0;
      this.st02 = undefined;
    }
  }
}
