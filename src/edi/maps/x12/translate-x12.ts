import { CrossdockError } from '../../../kernel/index.js';
import type { X12Document, X12FunctionalGroup, X12Interchange, X12TransactionSet } from '../../x12/index.js';
import { elementValue } from '../../x12/index.js';
import { stableId } from '../engine/finish.js';
import type { EdiMap, MapContext } from '../engine/map-format.js';
import type { MapRegistry } from '../registry.js';
import { type Translation, translateBody } from '../translate.js';
import { fromX12 } from './adapter.js';

export interface TranslateOptions {
  readonly maps: MapRegistry;
  /** Profile id of the sender, '' when unknown. */
  readonly partner?: string;
  /** Map ids to prefer (a partner's choice, e.g. `x12.850.purchaseorder`). */
  readonly preferredMaps?: readonly string[];
  /** Applies a partner's overrides to a map. */
  readonly customize?: (map: EdiMap) => EdiMap;
  readonly defaultCurrency?: string;
  /** Transaction sets not to translate (acknowledgements are reconciled, not mapped). */
  readonly skip?: readonly string[];
}

function isoFrom(date: string, time: string): string {
  const d = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(date.trim());
  if (!d) return '1970-01-01T00:00:00Z';
  const year = d[1] ? `${d[1]}${d[2]}` : `20${d[2]}`;
  const t = /^(\d{2})(\d{2})/.exec(time.trim());
  return `${year}-${d[3]}-${d[4]}T${t ? `${t[1]}:${t[2]}` : '00:00'}:00Z`;
}

export function x12Envelope(ix: X12Interchange, group: X12FunctionalGroup, tx: X12TransactionSet): Record<string, string> {
  const isa = ix.header;
  const gs = group.header;
  const v = (s: typeof isa, i: number) => (s ? elementValue(s, i).trim() : '');
  return {
    standard: 'x12',
    senderQualifier: v(isa, 5),
    senderId: v(isa, 6),
    receiverQualifier: v(isa, 7),
    receiverId: v(isa, 8),
    interchangeControl: v(isa, 13),
    groupControl: v(gs, 6),
    version: v(gs, 8),
    transactionControl: tx.control,
    transactionSet: tx.id,
    timestamp: gs ? isoFrom(v(gs, 4), v(gs, 5)) : isoFrom(v(isa, 9), v(isa, 10)),
  };
}

/** Every transaction set of an X12 document to canonical objects, one Translation per set. */
export function translateX12(doc: X12Document, options: TranslateOptions): Translation[] {
  const out: Translation[] = [];
  const skip = options.skip ?? ['997', '999', 'TA1'];
  for (const ix of doc.interchanges) {
    for (const group of ix.groups) {
      for (const tx of group.transactions) {
        if (skip.includes(tx.id)) continue;
        const envelope = x12Envelope(ix, group, tx);
        let map: EdiMap;
        try {
          const base = options.maps.find('x12', tx.id, envelope.version ?? '', options.preferredMaps);
          map = options.customize ? options.customize(base) : base;
        } catch (err) {
          if (!(err instanceof CrossdockError)) throw err;
          out.push({ mapId: '', documentType: tx.id, envelope, objects: [], issues: [], error: err });
          continue;
        }
        const ctx: MapContext = {
          partner: options.partner ?? '',
          documentKey: stableId('x12', envelope.senderId || 'unknown', envelope.interchangeControl || '0', tx.control),
          envelope,
          defaultCurrency: options.defaultCurrency ?? 'USD',
        };
        const body = tx.segments.filter((s) => s.tag !== 'ST' && s.tag !== 'SE').map(fromX12);
        out.push(translateBody(map, body, ctx));
      }
    }
  }
  return out;
}
