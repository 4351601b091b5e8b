import { useState } from 'react';
import { api, query } from '../api.js';
import { useLoad } from '../hooks.js';
import { InterchangeList } from '../schemas.js';
import { Badge, ErrorBox, PageHead, when } from '../ui.js';

/** EDI interchanges, newest first; outbound ones with their functional acknowledgement (997/999/CONTRL). */
export function EdiPage() {
  const [f, setF] = useState({ partner: '', direction: '', status: '', control: '' });
  const q = query({ partner: f.partner.trim(), direction: f.direction, status: f.status, control: f.control.trim(), limit: 200 });
  const list = useLoad(`edi-${q}`, () => api(InterchangeList, `/ops/edi/interchanges${q}`), 15_000);
  return (
    <section>
      <PageHead title="EDI interchanges" />
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          partner <input value={f.partner} onChange={(e) => setF({ ...f, partner: e.target.value })} size={10} />
        </label>
        <label>
          direction{' '}
          <select value={f.direction} onChange={(e) => setF({ ...f, direction: e.target.value })}>
            <option value="">both</option>
            <option value="outbound">outbound</option>
            <option value="inbound">inbound</option>
          </select>
        </label>
        <label>
          acknowledgement{' '}
          <select value={f.status} onChange={(e) => setF({ ...f, status: e.target.value })}>
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="accepted">accepted</option>
            <option value="rejected">rejected</option>
          </select>
        </label>
        <label>
          control number <input value={f.control} onChange={(e) => setF({ ...f, control: e.target.value })} size={10} />
        </label>
      </form>
      <ErrorBox error={list.error} />
      <table>
        <thead>
          <tr>
            <th>at</th>
            <th>direction</th>
            <th>partner</th>
            <th>standard</th>
            <th>document</th>
            <th>control numbers (ISA/UNB · GS/UNG · ST/UNH)</th>
            <th>acknowledgement</th>
            <th>acked</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((x) => (
            <tr key={`${x.direction}-${x.partner}-${x.interchangeControl}-${x.transactionControl}`}>
              <td>{when(x.at)}</td>
              <td>{x.direction}</td>
              <td>{x.partner}</td>
              <td>{x.standard ?? '—'}</td>
              <td>
                {x.documentType ?? '—'} {x.documentId && <span className="mono small">{x.documentId}</span>}
              </td>
              <td className="mono small">
                {x.interchangeControl ?? '—'} · {x.groupControl ?? '—'} · {x.transactionControl ?? '—'}
              </td>
              <td>
                {x.ack ? <Badge value={x.ack.overdue ? 'overdue' : x.ack.status} /> : '—'}
                {x.ack?.detail ? (
                  <div className="small">{typeof x.ack.detail === 'string' ? x.ack.detail : JSON.stringify(x.ack.detail)}</div>
                ) : null}
              </td>
              <td>{x.ack ? when(x.ack.ackedAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
