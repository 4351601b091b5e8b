import { api } from '../api.js';
import { useLoad } from '../hooks.js';
import { ConnectorList, PartnerList } from '../schemas.js';
import { Badge, ErrorBox, PageHead, when } from '../ui.js';

/** Trading partners and connector instances with their health: open problems, SLA breaches, acknowledgements, webhooks. */
export function HealthPage() {
  const partners = useLoad('partners', () => api(PartnerList, '/ops/partners'), 15_000);
  const connectors = useLoad('connectors', () => api(ConnectorList, '/ops/connectors'), 15_000);
  return (
    <section>
      <PageHead title="Partners and connectors" />
      <h2>Partners</h2>
      <ErrorBox error={partners.error} />
      <table>
        <thead>
          <tr>
            <th>health</th>
            <th>partner</th>
            <th>status</th>
            <th>open exceptions</th>
            <th>overdue</th>
            <th>SLA breaches 24 h</th>
            <th>EDI acks pending / overdue</th>
            <th>EDI rejected 24 h</th>
            <th>last interchange</th>
          </tr>
        </thead>
        <tbody>
          {(partners.data?.items ?? []).map((p) => (
            <tr key={p.id}>
              <td>
                <Badge value={p.health} />
              </td>
              <td>
                {p.name ?? p.id} <span className="muted mono small">{p.id}</span>
              </td>
              <td>{p.status}</td>
              <td>
                <a href={`#/exceptions?partner=${encodeURIComponent(p.id)}`}>{p.openExceptions}</a>
              </td>
              <td>{p.overdueExceptions}</td>
              <td>{p.slaBreaches24h}</td>
              <td>
                {p.edi.pendingAcks} / {p.edi.overdueAcks}
              </td>
              <td>{p.edi.rejected24h}</td>
              <td>{when(p.edi.lastInterchangeAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Connectors</h2>
      <ErrorBox error={connectors.error} />
      <table>
        <thead>
          <tr>
            <th>health</th>
            <th>connector · instance</th>
            <th>credentials</th>
            <th>webhooks 24 h (accepted / rejected / failed / duplicates)</th>
            <th>last webhook</th>
            <th>cursors</th>
            <th>open exceptions</th>
          </tr>
        </thead>
        <tbody>
          {(connectors.data?.items ?? []).map((c) => (
            <tr key={`${c.connector}/${c.instance}`}>
              <td>
                <Badge value={c.health} />
              </td>
              <td>
                {c.connector} · {c.instance}
              </td>
              <td>{c.credentials === true ? 'stored' : '—'}</td>
              <td>
                {c.webhooks24h.accepted} / {c.webhooks24h.rejected} / {c.webhooks24h.failed} / {c.webhooks24h.duplicates}
              </td>
              <td>{when(c.webhooks24h.lastAt)}</td>
              <td>
                {c.cursors.map((k) => (
                  <div key={k.trigger} className="small">
                    {k.trigger}: {when(k.updatedAt)}
                  </div>
                ))}
              </td>
              <td>{c.openExceptions}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
