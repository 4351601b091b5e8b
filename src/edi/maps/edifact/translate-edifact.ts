import { CrossdockError } from '../../../kernel/index.js';
import type { EdifactDocument, EdifactInterchange, EdifactMessage } from '../../edifact/index.js';
import { stableId } from '../engine/finish.js';
import type { EdiMap, MapContext } from '../engine/map-format.js';
import { type Translation, translateBody } from '../translate.js';
import type { TranslateOptions } from '../x12/translate-x12.js';
import { fromEdifact } from './adapter.js';

function isoFrom(date: string, time: string): string {
  const d = /^(\d{2})?(\d{2})(\d{2})(\d{2})$/.exec(date.trim());
  if (!d) return '1970-01-01T00:00:00Z';
  const t = /^(\d{2})(\d{2})/.exec(time.trim());
  return `${d[1] ? `${d[1]}${d[2]}` : `20${d[2]}`}-${d[3]}-${d[4]}T${t ? `${t[1]}:${t[2]}` : '00:00'}:00Z`;
}

export function edifactEnvelope(ic: EdifactInterchange, m: EdifactMessage): Record<string, string> {
  return {
    standard: 'edifact',
    senderId: ic.sender.id,
    senderQualifier: ic.sender.qualifier ?? '',
    receiverId: ic.recipient.id,
    receiverQualifier: ic.recipient.qualifier ?? '',
    interchangeControl: ic.controlRef,
    transactionControl: m.ref,
    transactionSet: m.type,
    version: `${m.version}:${m.release}`,
    timestamp: isoFrom(ic.date, ic.time),
  };
}

/** Every message of an EDIFACT document to canonical objects (CONTRL and APERAK are skipped). */
export function translateEdifact(doc: EdifactDocument, options: TranslateOptions): Translation[] {
  const out: Translation[] = [];
  const skip = options.skip ?? ['CONTRL', 'APERAK'];
  for (const ic of doc.interchanges) {
    for (const m of [...ic.messages, ...ic.groups.flatMap((g) => g.messages)]) {
      if (skip.includes(m.type)) continue;
      const envelope = edifactEnvelope(ic, m);
      let map: EdiMap;
      try {
        const base = options.maps.find('edifact', m.type, envelope.version ?? '', options.preferredMaps);
        map = options.customize ? options.customize(base) : base;
      } catch (err) {
        if (!(err instanceof CrossdockError)) throw err;
        out.push({ mapId: '', documentType: m.type, envelope, objects: [], issues: [], error: err });
        continue;
      }
      const ctx: MapContext = {
        partner: options.partner ?? '',
        documentKey: stableId('edifact', ic.sender.id || 'unknown', ic.controlRef || '0', m.ref),
        envelope,
        defaultCurrency: options.defaultCurrency ?? 'EUR',
      };
      const body = m.segments.filter((s) => s.tag !== 'UNH' && s.tag !== 'UNT').map(fromEdifact);
      out.push(translateBody(map, body, ctx));
    }
  }
  return out;
}
