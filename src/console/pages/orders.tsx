import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { navigate, useLoad } from '../hooks.js';
import { RecentAnswer, SearchAnswer, type SearchHit, Timeline } from '../schemas.js';
import { Badge, duration, ErrorBox, PageHead, when } from '../ui.js';

function HitTable({ hits }: { hits: readonly SearchHit[] }) {
  if (hits.length === 0) return <p className="muted">nothing found</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>kind</th>
          <th>label</th>
          <th>id</th>
          <th>matched</th>
          <th>last milestone</th>
          <th>at</th>
        </tr>
      </thead>
      <tbody>
        {hits.map((h) => (
          <tr key={`${h.kind}/${h.id}`}>
            <td>{h.kind}</td>
            <td>
              <a href={`#/timeline?kind=${encodeURIComponent(h.kind)}&id=${encodeURIComponent(h.id)}`}>{h.label ?? h.id}</a>
            </td>
            <td className="mono">{h.id}</td>
            <td>{h.matchedKey ?? ''}</td>
            <td>{h.lastMilestone}</td>
            <td>{when(h.lastAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Search orders, purchase orders and returns by any business key; without a query, the most recent. */
export function OrdersPage({ q }: { q: string }) {
  const [text, setText] = useState(q);
  const [kind, setKind] = useState('order');
  const found = useLoad(`search-${q}-${kind}`, async () =>
    q
      ? (await api(SearchAnswer, `/ops/timelines/search${query({ q })}`)).hits
      : (await api(RecentAnswer, `/ops/timelines${query({ kind, limit: 50 })}`)).items,
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('orders', text.trim() ? { q: text.trim() } : {});
  };
  return (
    <section>
      <PageHead title="Orders and documents">
        <form onSubmit={submit} className="inline">
          <input
            aria-label="business key"
            placeholder="order number, channel id, ERP id, PO, tracking, EDI control…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            size={44}
          />
          <button type="submit">Search</button>
        </form>
      </PageHead>
      {!q && (
        <p>
          Most recent{' '}
          <select aria-label="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="order">orders</option>
            <option value="purchaseorder">purchase orders</option>
            <option value="return">returns</option>
          </select>
        </p>
      )}
      <ErrorBox error={found.error} />
      {found.data && <HitTable hits={found.data} />}
    </section>
  );
}

/** One order's (purchase order's, return's) milestones with system, time and latency, its SLA clocks and exceptions. */
export function TimelinePage({ kind, id }: { kind: string; id: string }) {
  const t = useLoad(
    `tl-${kind}-${id}`,
    () => api(Timeline, `/ops/timelines/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`),
    15_000,
  );
  const tl = t.data;
  return (
    <section>
      <PageHead title={`${kind} ${tl?.label ?? id}`}>
        <a href="#/orders">back to search</a>
      </PageHead>
      <ErrorBox error={t.error} />
      {tl && (
        <>
          <dl className="facts">
            <dt>id</dt>
            <dd className="mono">{tl.id}</dd>
            <dt>partner</dt>
            <dd>{tl.partner ?? '—'}</dd>
            <dt>channel</dt>
            <dd>{tl.channel ?? '—'}</dd>
            <dt>warehouse</dt>
            <dd>{tl.warehouse ?? '—'}</dd>
            <dt>correlation</dt>
            <dd className="mono">{tl.correlationid ?? '—'}</dd>
            <dt>keys</dt>
            <dd>
              {tl.keys.map((k) => (
                <span key={`${k.type}=${k.value}`} className="chip">
                  {k.type}: {k.value}
                </span>
              ))}
            </dd>
          </dl>
          <h2>Milestones</h2>
          <ol className="timeline" aria-label="timeline">
            {tl.milestones.map((m) => (
              <li key={m.eventId}>
                <span className="milestone">{m.milestone}</span>
                <span className="system">{m.system}</span>
                <span className="at">{when(m.at)}</span>
                <span className="latency">{m.latencyMs === null ? 'start' : `+${duration(m.latencyMs)}`}</span>
                <span className="mono small">{m.eventType}</span>
              </li>
            ))}
          </ol>
          <h2>SLA clocks</h2>
          {tl.sla.length === 0 ? (
            <p className="muted">no SLA clock applies</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>rule</th>
                  <th>target</th>
                  <th>started</th>
                  <th>due</th>
                  <th>status</th>
                </tr>
              </thead>
              <tbody>
                {tl.sla.map((c) => (
                  <tr key={String(c.id)}>
                    <td>{c.rule}</td>
                    <td>{c.target}</td>
                    <td>{when(c.startedAt)}</td>
                    <td>{when(c.dueAt)}</td>
                    <td>
                      <Badge value={c.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>Exceptions</h2>
          {tl.exceptions.length === 0 ? (
            <p className="muted">none</p>
          ) : (
            <ul>
              {tl.exceptions.map((e) => (
                <li key={e.id}>
                  <Badge value={e.status} /> <a href={`#/exceptions?id=${encodeURIComponent(e.id)}`}>{e.title}</a> ({e.category},{' '}
                  {when(e.openedAt)})
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
