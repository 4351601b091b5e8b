import { TextDecoder } from 'node:util';
import { EdifactErrors, EdifactWarnings } from './errors.js';
import { SyntaxErrors } from './syntax-codes.js';

/**
 * Byte decoding per UNB syntax identifier (data element 0001, UN/EDIFACT service code list).
 *
 * Policy for UNOA/UNOB (and unknown identifiers): these repertoires are subsets of ASCII, yet real
 * files labelled UNOA carry UTF-8 names (e.g. "BÜTTNER"). Bytes are decoded as UTF-8 when they are
 * valid UTF-8, else as ISO 8859-1; either way a warning says the data is outside the declared
 * repertoire. Nothing is silently turned into U+FFFD.
 *
 * ISO 8859-1 is decoded with Node's `latin1` (true ISO 8859-1): WHATWG TextDecoder maps the label
 * "iso-8859-1" to windows-1252, which differs at 0x80–0x9F. UNOK (ISO 8859-9) goes through
 * TextDecoder, whose label maps to windows-1254; the two agree on every graphic character of 8859-9.
 */
export type CharsetKind = 'ascii-compatible-guess' | 'single-byte' | 'utf-8' | 'iso-2022';

interface CharsetEntry {
  readonly label: string;
  readonly kind: CharsetKind;
}

const CHARSETS: Readonly<Record<string, CharsetEntry>> = {
  UNOA: { label: 'ascii', kind: 'ascii-compatible-guess' },
  UNOB: { label: 'ascii', kind: 'ascii-compatible-guess' },
  UNOC: { label: 'iso-8859-1', kind: 'single-byte' },
  UNOD: { label: 'iso-8859-2', kind: 'single-byte' },
  UNOE: { label: 'iso-8859-5', kind: 'single-byte' },
  UNOF: { label: 'iso-8859-7', kind: 'single-byte' },
  UNOG: { label: 'iso-8859-3', kind: 'single-byte' },
  UNOH: { label: 'iso-8859-4', kind: 'single-byte' },
  UNOI: { label: 'iso-8859-6', kind: 'single-byte' },
  UNOJ: { label: 'iso-8859-8', kind: 'single-byte' },
  UNOK: { label: 'iso-8859-9', kind: 'single-byte' },
  UNOL: { label: 'iso-8859-15', kind: 'single-byte' },
  UNOW: { label: 'utf-8', kind: 'utf-8' },
  UNOY: { label: 'utf-8', kind: 'utf-8' },
  UNOX: { label: 'iso-2022-jp', kind: 'iso-2022' },
  // IATA syntax identifiers use a level-B-like repertoire.
  IATA: { label: 'ascii', kind: 'ascii-compatible-guess' },
  IATB: { label: 'ascii', kind: 'ascii-compatible-guess' },
};

export const SUPPORTED_SYNTAX_IDENTIFIERS: readonly string[] = Object.keys(CHARSETS);

export interface CharsetWarning {
  code: string;
  message: string;
  byteOffset: number;
}

/** A streaming decoder: bytes in, text out, plus the byte length a piece of its output came from. */
export interface ByteDecoder {
  readonly syntaxIdentifier: string | undefined;
  /** The encoding actually in use right now (may change from UTF-8 to ISO 8859-1 under the guess policy). */
  readonly encoding: string;
  decode(bytes: Uint8Array, final: boolean): string;
  /** Bytes that `text` occupied in the input, or undefined when not computable (ISO 2022). */
  byteLength(text: string): number | undefined;
  /** Warnings raised since the last call. */
  drainWarnings(): CharsetWarning[];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Index where a UTF-8 sequence left incomplete at the end of `bytes` starts (bytes.length if none). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= Math.max(0, n - 3); i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return n - i < need ? i : n;
  }
  return n;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

class GuessDecoder implements ByteDecoder {
  encoding = 'us-ascii';
  private pending: Uint8Array = new Uint8Array(0);
  private warned = false;
  private offset = 0;
  private readonly strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  constructor(
    readonly syntaxIdentifier: string | undefined,
    private warnings: CharsetWarning[] = [],
  ) {}

  decode(chunk: Uint8Array, final: boolean): string {
    const bytes = concat(this.pending, chunk);
    const start = this.offset;
    if (this.encoding === 'iso-8859-1') {
      this.pending = new Uint8Array(0);
      this.offset += bytes.length;
      return latin1(bytes);
    }
    const cut = final ? bytes.length : incompleteTail(bytes);
    const body = bytes.subarray(0, cut);
    this.pending = bytes.slice(cut);
    this.offset += cut;
    let firstHigh = -1;
    for (let i = 0; i < body.length; i++) {
      if (body[i]! >= 0x80) {
        firstHigh = i;
        break;
      }
    }
    if (firstHigh === -1) return latin1(body);
    const at = start + firstHigh;
    try {
      const text = this.strictUtf8.decode(body);
      this.encoding = 'utf-8';
      this.warnOnce(
        at,
        `declared ${this.syntaxIdentifier ?? 'no character set'} but the data holds non-ASCII characters; decoded as UTF-8`,
      );
      return text;
    } catch {
      this.encoding = 'iso-8859-1';
      this.warned = false;
      this.warnOnce(
        at,
        `declared ${this.syntaxIdentifier ?? 'no character set'} but the data holds bytes that are not UTF-8; decoded as ISO 8859-1`,
      );
      const rest = this.pending;
      this.pending = new Uint8Array(0);
      this.offset += rest.length;
      return latin1(body) + latin1(rest);
    }
  }

  private warnOnce(byteOffset: number, message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.warnings.push({ code: EdifactWarnings.charsetFallback, message, byteOffset });
  }

  byteLength(text: string): number {
    return this.encoding === 'utf-8' ? Buffer.byteLength(text, 'utf8') : text.length;
  }

  drainWarnings(): CharsetWarning[] {
    const w = this.warnings;
    this.warnings = [];
    return w;
  }
}

class FixedDecoder implements ByteDecoder {
  private readonly decoder: TextDecoder | undefined;
  private offset = 0;
  private warnings: CharsetWarning[] = [];
  constructor(
    readonly syntaxIdentifier: string,
    readonly encoding: string,
    private readonly kind: CharsetKind,
  ) {
    // ISO 8859-1 is decoded with Buffer's latin1; see the module comment.
    this.decoder = encoding === 'iso-8859-1' ? undefined : new TextDecoder(encoding, { fatal: kind === 'utf-8' });
    if (kind === 'iso-2022') {
      this.warnings.push({
        code: EdifactWarnings.charsetFallback,
        message: `${syntaxIdentifier} (ISO 2022 code extension) is decoded as ISO-2022-JP on a best-effort basis; other ISO 2022 designations are not supported`,
        byteOffset: 0,
      });
    }
  }

  decode(bytes: Uint8Array, final: boolean): string {
    const start = this.offset;
    this.offset += bytes.length;
    if (!this.decoder) return latin1(bytes);
    try {
      return this.decoder.decode(bytes, { stream: !final });
    } catch (err) {
      throw EdifactErrors.encoding(
        `bytes ${start}–${start + bytes.length} are not valid ${this.encoding} although UNB declares ${this.syntaxIdentifier}`,
        { syntaxError: SyntaxErrors.invalidCharacters, byteOffset: start, tag: 'UNB' },
        { cause: err },
      );
    }
  }

  byteLength(text: string): number | undefined {
    if (this.kind === 'single-byte') return text.length;
    if (this.kind === 'utf-8') return Buffer.byteLength(text, 'utf8');
    return undefined;
  }

  drainWarnings(): CharsetWarning[] {
    const w = this.warnings;
    this.warnings = [];
    return w;
  }
}

/** The decoder for a UNB syntax identifier (S001/0001). Unknown identifiers get the guess policy and a warning. */
export function decoderFor(syntaxIdentifier: string | undefined): ByteDecoder {
  const entry = syntaxIdentifier === undefined ? undefined : CHARSETS[syntaxIdentifier];
  if (entry && entry.kind !== 'ascii-compatible-guess') return new FixedDecoder(syntaxIdentifier ?? '', entry.label, entry.kind);
  const warnings: CharsetWarning[] = [];
  if (syntaxIdentifier !== undefined && !entry) {
    warnings.push({
      code: EdifactWarnings.unknownCharset,
      message: `unknown syntax identifier ${JSON.stringify(syntaxIdentifier)}; decoding as ASCII, or UTF-8 when the bytes are UTF-8`,
      byteOffset: 0,
    });
  }
  return new GuessDecoder(syntaxIdentifier, warnings);
}

/** The text encoding label a writer should use for a syntax identifier (UTF-8 for unknown ones). */
export function encodingFor(syntaxIdentifier: string): string {
  return CHARSETS[syntaxIdentifier]?.label ?? 'utf-8';
}
