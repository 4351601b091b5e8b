import { z } from 'zod';
import { CrossdockError } from '../../kernel/index.js';
import { type ByteDecoder, decoderFor } from './charset.js';
import { EdifactErrors, type EdifactIssue, type EdifactLocation, EdifactWarnings, makeIssue } from './errors.js';
import type { EdifactSegment, SegmentPosition } from './segment.js';
import { DEFAULT_SEPARATORS, parseUna, type Separators, separatorsSchema } from './separators.js';
import { SyntaxErrors } from './syntax-codes.js';

export const parseOptionsSchema = z.object({
  /** A segment longer than this (in characters) is an error: it bounds memory on input without terminators. */
  maxSegmentLength: z.number().int().positive().default(1_000_000),
  /** Overrides the UNB syntax identifier for decoding (a partner profile that knows better). */
  syntaxIdentifier: z.string().optional(),
  /** Separators for input without UNA whose partner does not use the defaults. */
  separators: separatorsSchema.optional(),
  /**
   * `auto`: when there is no UNA and the first line holds no segment terminator but the next line starts
   * with a segment tag, a newline is taken as segment terminator (non-standard, seen in the wild).
   */
  newlineTerminator: z.enum(['auto', 'never']).default('auto'),
});
export type ParseOptions = z.input<typeof parseOptionsSchema>;

export type EdifactEvent =
  | { kind: 'separators'; separators: Separators; una: string | undefined; line: number }
  | { kind: 'segment'; segment: EdifactSegment }
  | { kind: 'warning'; issue: EdifactIssue };

const TAG = /^[A-Z][A-Z0-9]{2}$/;
const LF = 10;
const CR = 13;
const SNIFF_LIMIT = 8192;
const START_LOOKAHEAD = 65536;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === LF || c === CR;
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Push parser: bytes (or text) in, events out, memory bounded by the longest segment. Feed it with
 * `push` and close it with `end`; events are delivered synchronously to `emit`.
 *
 * Layout tolerance: whitespace and line breaks between segments are skipped; line breaks inside a
 * segment are dropped (hard-wrapped files) with one warning; a BOM is skipped.
 */
export class EdifactStreamParser {
  private readonly opts: z.output<typeof parseOptionsSchema>;
  private decoder: ByteDecoder | undefined;
  private textMode: boolean | undefined;
  private sniff: Uint8Array[] = [];
  private sniffLength = 0;
  private bomBytes = 0;

  private buf = '';
  private pos = 0;
  private started = false;
  private seps: Separators;
  private repetitionActive = false;
  private line = 1;
  private byteOffset = 0;
  private wrapWarned = false;

  private segIndex = 0;
  private interchange = -1;
  private interchangeRef: string | undefined;
  private group: number | undefined;
  private groupCount = 0;
  private groupRef: string | undefined;
  private message: number | undefined;
  private messageCount = 0;
  private messageRef: string | undefined;
  private segInMessage: number | undefined;
  private ended = false;

  constructor(
    private readonly emit: (event: EdifactEvent) => void,
    options: ParseOptions = {},
  ) {
    this.opts = parseOptionsSchema.parse(options);
    this.seps = this.opts.separators ?? { ...DEFAULT_SEPARATORS };
  }

  /** The separators in force now (after UNA, or the defaults). */
  get separators(): Separators {
    return this.seps;
  }

  /** The decoding in use, once known ('text' for string input). */
  get encoding(): string | undefined {
    return this.textMode ? 'text' : this.decoder?.encoding;
  }

  push(chunk: Uint8Array | string): void {
    if (this.ended) throw EdifactErrors.syntax('push after end');
    if (typeof chunk === 'string') {
      if (this.textMode === false) throw EdifactErrors.syntax('cannot mix text and byte chunks');
      this.textMode = true;
      this.feedText(
        this.buf.length === 0 && this.byteOffset === 0 && chunk.charCodeAt(0) === 0xfeff ? this.skipTextBom(chunk) : chunk,
        false,
      );
      return;
    }
    if (this.textMode === true) throw EdifactErrors.syntax('cannot mix text and byte chunks');
    this.textMode = false;
    if (this.decoder) {
      this.feedBytes(chunk, false);
      return;
    }
    this.sniff.push(chunk);
    this.sniffLength += chunk.length;
    this.trySniff(false);
  }

  end(): void {
    if (this.ended) return;
    if (this.textMode === false && !this.decoder) this.trySniff(true);
    if (this.decoder) this.feedBytes(new Uint8Array(0), true);
    else this.feedText('', true);
    this.ended = true;
  }

  private skipTextBom(chunk: string): string {
    this.byteOffset = 3;
    return chunk.slice(1);
  }

  private trySniff(final: boolean): void {
    const head = Buffer.concat(this.sniff);
    let start = 0;
    if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
    else if (!final && head.length < 3 && (head.length === 0 || head[0] === 0xef)) return;
    const text = head.subarray(start, Math.min(head.length, start + START_LOOKAHEAD)).toString('latin1');
    let syntaxId = this.opts.syntaxIdentifier;
    if (syntaxId === undefined) {
      const found = this.findSyntaxIdentifier(text);
      if (found === 'wait' && !final && head.length < SNIFF_LIMIT) return;
      syntaxId = found === 'wait' ? undefined : found;
    }
    this.bomBytes = start;
    this.byteOffset = start;
    this.decoder = decoderFor(syntaxId);
    this.sniff = [];
    this.feedBytes(head.subarray(start), final);
  }

  /** The first UNB's syntax identifier, 'wait' when more bytes may reveal it, undefined when there is none. */
  private findSyntaxIdentifier(text: string): string | undefined | 'wait' {
    let i = 0;
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    let elementSep = this.seps.element;
    if (text.startsWith('UNA', i)) {
      if (text.length < i + 9) return 'wait';
      elementSep = text[i + 4]!;
    }
    const re = new RegExp(`UNB${escapeRegExp(elementSep)}([A-Z]{4})`);
    const m = re.exec(text);
    return m ? m[1] : 'wait';
  }

  private feedBytes(bytes: Uint8Array, final: boolean): void {
    const decoder = this.decoder!;
    const text = decoder.decode(bytes, final);
    for (const w of decoder.drainWarnings()) {
      this.emit({ kind: 'warning', issue: makeIssue(w.code, 'warning', w.message, { byteOffset: w.byteOffset + this.bomBytes }) });
    }
    this.feedText(text, final);
  }

  private measure(from: number, to: number): number | undefined {
    if (to <= from) return 0;
    const piece = this.buf.slice(from, to);
    return this.decoder ? this.decoder.byteLength(piece) : Buffer.byteLength(piece, 'utf8');
  }

  private advance(to: number): void {
    const n = this.measure(this.pos, to);
    this.byteOffset = n === undefined || Number.isNaN(this.byteOffset) ? Number.NaN : this.byteOffset + n;
    this.pos = to;
  }

  private feedText(text: string, final: boolean): void {
    this.buf = this.pos === 0 ? this.buf + text : this.buf.slice(this.pos) + text;
    this.pos = 0;
    this.run(final);
    if (this.pos > 0) {
      this.buf = this.buf.slice(this.pos);
      this.pos = 0;
    }
  }

  private here(): EdifactLocation {
    const loc: EdifactLocation = { line: this.line };
    if (!Number.isNaN(this.byteOffset)) loc.byteOffset = this.byteOffset;
    if (this.interchangeRef !== undefined) loc.interchangeRef = this.interchangeRef;
    if (this.messageRef !== undefined) loc.messageRef = this.messageRef;
    return loc;
  }

  private warn(code: string, message: string, loc: EdifactLocation): void {
    this.emit({ kind: 'warning', issue: makeIssue(code, 'warning', message, loc) });
  }

  private skipBlank(): void {
    const buf = this.buf;
    let i = this.pos;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (!isBlank(c)) break;
      if (c === LF) this.line++;
      i++;
    }
    this.advance(i);
  }

  /** Decides the separators before the first segment; false when more input is needed. */
  private start(final: boolean): boolean {
    this.skipBlank();
    const buf = this.buf;
    if (this.pos >= buf.length && !final) return false;
    this.started = true;
    if (buf.startsWith('UNA', this.pos)) return true;
    if (this.opts.separators || this.opts.newlineTerminator === 'never') {
      this.emitSeparators(undefined);
      return true;
    }
    const lf = buf.indexOf('\n', this.pos);
    if (lf === -1 && !final && buf.length - this.pos < START_LOOKAHEAD) {
      this.started = false;
      return false;
    }
    if (lf !== -1) {
      const first = buf.slice(this.pos, lf);
      const rest = buf.slice(lf + 1, lf + 200);
      const restComplete = buf.length - lf > 200 || final || /\S{4}/.test(rest);
      if (!restComplete) {
        this.started = false;
        return false;
      }
      if (
        /^[A-Z][A-Z0-9]{2}\+/.test(first) &&
        !first.includes(this.seps.segment) &&
        /^\s*[A-Z][A-Z0-9]{2}(\+|\r?$)/m.test(rest.split('\n')[0] ?? '')
      ) {
        this.seps = { ...this.seps, segment: '\n' };
        this.warn(
          EdifactWarnings.newlineTerminator,
          'no UNA and no segment terminator on the first line: taking newline as segment terminator',
          {
            line: this.line,
          },
        );
      }
    }
    this.emitSeparators(undefined);
    return true;
  }

  private emitSeparators(una: string | undefined): void {
    this.emit({ kind: 'separators', separators: { ...this.seps }, una, line: this.line });
  }

  private run(final: boolean): void {
    if (!this.started && !this.start(final)) return;
    const max = this.opts.maxSegmentLength;
    for (;;) {
      this.skipBlank();
      const buf = this.buf;
      const begin = this.pos;
      if (begin >= buf.length) return;
      if (buf.startsWith('UNA', begin)) {
        if (buf.length - begin < 9) {
          if (!final) return;
          throw EdifactErrors.una('input ends inside the UNA service string advice', { ...this.here(), tag: 'UNA' });
        }
        const una = buf.slice(begin, begin + 9);
        try {
          this.seps = parseUna(una);
        } catch (err) {
          if (err instanceof CrossdockError) Object.assign(err.details, this.here());
          throw err;
        }
        this.emitSeparators(una);
        this.advance(begin + 9);
        continue;
      }
      const term = this.seps.segment.charCodeAt(0);
      const rel = this.seps.release === undefined ? -1 : this.seps.release.charCodeAt(0);
      let i = begin;
      let lines = 0;
      let found = false;
      while (i < buf.length) {
        const c = buf.charCodeAt(i);
        if (c === rel) {
          if (i + 1 >= buf.length) break;
          if (buf.charCodeAt(i + 1) === LF) lines++;
          i += 2;
          continue;
        }
        if (c === term) {
          found = true;
          break;
        }
        if (c === LF) lines++;
        i++;
      }
      if (!found) {
        if (i - begin > max) {
          throw EdifactErrors.segmentTooLong(`segment longer than ${max} characters (no segment terminator found)`, {
            ...this.here(),
            syntaxError: SyntaxErrors.invalidServiceCharacters,
          });
        }
        if (!final) return;
        if (rel !== -1 && buf.charCodeAt(buf.length - 1) === rel && isReleaseDangling(buf, begin, rel)) {
          throw EdifactErrors.syntax('input ends with a release character that releases nothing', {
            ...this.here(),
            syntaxError: SyntaxErrors.invalidServiceCharacters,
          });
        }
        let end = buf.length;
        while (end > begin && isBlank(buf.charCodeAt(end - 1))) end--;
        this.warn(EdifactWarnings.unterminatedLastSegment, 'last segment has no segment terminator', this.here());
        this.segment(buf.slice(begin, end));
        this.line += lines;
        this.advance(buf.length);
        return;
      }
      if (i - begin > max) {
        throw EdifactErrors.segmentTooLong(`segment longer than ${max} characters`, {
          ...this.here(),
          syntaxError: SyntaxErrors.tooManyConstituents,
        });
      }
      let end = i;
      if (term === LF && end > begin && buf.charCodeAt(end - 1) === CR) end--;
      this.segment(buf.slice(begin, end));
      this.line += lines + (term === LF ? 1 : 0);
      this.advance(i + 1);
    }
  }

  private segment(raw: string): void {
    const loc = this.here();
    const isUnb = raw.startsWith('UNB');
    const split = splitSegment(raw, this.seps, this.repetitionActive && !isUnb);
    const tag = split.elements[0]?.[0] ?? '';
    if (!TAG.test(tag)) {
      const shown = raw.length > 40 ? `${raw.slice(0, 40)}…` : raw;
      throw EdifactErrors.syntax(`invalid segment tag ${JSON.stringify(tag.slice(0, 10))} in ${JSON.stringify(shown)}`, {
        ...loc,
        ...(this.segInMessage !== undefined ? { segmentPosition: this.segInMessage + 1 } : {}),
        syntaxError: SyntaxErrors.invalidValue,
      });
    }
    if (split.lineBreak && !this.wrapWarned) {
      this.wrapWarned = true;
      this.warn(EdifactWarnings.lineBreakInSegment, `line breaks inside segment ${tag} removed (hard-wrapped input)`, { ...loc, tag });
    }
    if (split.needlessRelease !== undefined) {
      this.warn(
        EdifactWarnings.needlessRelease,
        `release character before ordinary character ${JSON.stringify(split.needlessRelease)}; kept the character`,
        { ...loc, tag },
      );
    }
    this.enter(tag, split.elements);
    const position: SegmentPosition = {
      index: this.segIndex++,
      interchange: this.interchange,
      group: this.group,
      message: this.message,
      segmentInMessage: this.segInMessage,
      interchangeRef: this.interchangeRef,
      groupRef: this.groupRef,
      messageRef: this.messageRef,
      line: loc.line ?? this.line,
      byteOffset: loc.byteOffset,
    };
    const segment: EdifactSegment = { tag, elements: split.elements.slice(1), position };
    if (split.repetitions) segment.repetitions = split.repetitions.slice(1);
    this.emit({ kind: 'segment', segment });
    this.leave(tag);
  }

  private enter(tag: string, elements: string[][]): void {
    switch (tag) {
      case 'UNB': {
        this.interchange++;
        this.interchangeRef = elements[5]?.[0];
        this.group = undefined;
        this.groupRef = undefined;
        this.groupCount = 0;
        this.message = undefined;
        this.messageRef = undefined;
        this.messageCount = 0;
        this.segInMessage = undefined;
        const version = Number(elements[1]?.[1] ?? '');
        this.repetitionActive = version >= 4 && this.seps.repetition !== undefined;
        const declared = elements[1]?.[0];
        if (
          this.decoder &&
          declared &&
          this.decoder.syntaxIdentifier !== undefined &&
          declared !== this.decoder.syntaxIdentifier &&
          this.interchange > 0
        ) {
          this.warn(
            EdifactWarnings.charsetFallback,
            `UNB declares ${declared} but the input is decoded as ${this.decoder.encoding} (from the first UNB)`,
            this.here(),
          );
        }
        return;
      }
      case 'UNG':
        this.group = this.groupCount++;
        this.groupRef = elements[5]?.[0];
        return;
      case 'UNH':
        this.message = this.messageCount++;
        this.messageRef = elements[1]?.[0];
        this.segInMessage = 1;
        return;
      default:
        if (this.segInMessage !== undefined) this.segInMessage++;
    }
  }

  private leave(tag: string): void {
    if (tag === 'UNT') {
      this.message = undefined;
      this.messageRef = undefined;
      this.segInMessage = undefined;
    } else if (tag === 'UNE') {
      this.group = undefined;
      this.groupRef = undefined;
    } else if (tag === 'UNZ') {
      this.interchangeRef = undefined;
      this.group = undefined;
      this.groupRef = undefined;
    }
  }
}

function isReleaseDangling(buf: string, begin: number, rel: number): boolean {
  let n = 0;
  for (let i = buf.length - 1; i >= begin && buf.charCodeAt(i) === rel; i--) n++;
  return n % 2 === 1;
}

interface SplitResult {
  elements: string[][];
  repetitions: string[][][] | undefined;
  lineBreak: boolean;
  needlessRelease: string | undefined;
}

/** Splits one segment's text (without terminator) into elements, repetitions and components, resolving releases. */
export function splitSegment(raw: string, seps: Separators, repetitionActive: boolean): SplitResult {
  const el = seps.element.charCodeAt(0);
  const co = seps.component.charCodeAt(0);
  const rel = seps.release === undefined ? -1 : seps.release.charCodeAt(0);
  const rep = repetitionActive && seps.repetition !== undefined ? seps.repetition.charCodeAt(0) : -1;
  const service = new Set([el, co, rel, rep, seps.segment.charCodeAt(0)]);
  const elements: string[][] = [];
  let repetitions: string[][][] | undefined;
  let occurrences: string[][] = [];
  let components: string[] = [];
  let acc = '';
  let from = 0;
  let lineBreak = false;
  let needlessRelease: string | undefined;
  const n = raw.length;
  for (let i = 0; i <= n; i++) {
    const c = i === n ? -2 : raw.charCodeAt(i);
    if (c === rel) {
      acc += raw.slice(from, i);
      const next = raw[i + 1] ?? '';
      if (next !== '' && !service.has(next.charCodeAt(0)) && needlessRelease === undefined) needlessRelease = next;
      acc += next;
      i++;
      from = i + 1;
      continue;
    }
    if (c === LF || c === CR) {
      acc += raw.slice(from, i);
      from = i + 1;
      lineBreak = true;
      continue;
    }
    if (c === co || c === el || c === rep || c === -2) {
      components.push(acc + raw.slice(from, i));
      acc = '';
      from = i + 1;
      if (c === co) continue;
      occurrences.push(components);
      components = [];
      if (c === rep) continue;
      if (occurrences.length > 1) {
        repetitions ??= elements.map((e) => [e]);
      }
      elements.push(occurrences[0]!);
      if (repetitions) repetitions.push(occurrences);
      occurrences = [];
    }
  }
  return { elements, repetitions, lineBreak, needlessRelease };
}
