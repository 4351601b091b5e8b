import { type FormEvent, useState } from 'react';
import { ApiError, api, query } from '../api.js';
import { navigate, useLoad } from '../hooks.js';
import { ActionAnswer, BulkAnswer, Exception, ExceptionList } from '../schemas.js';
import { Badge, duration, ErrorBox, PageHead, useCan, when } from '../ui.js';

interface Filters {
  status: string;
  categoryPrefix: string;
  owner: string;
  partner: string;
  warehouse: string;
  channel: string;
  severity: string;
  overdue: boolean;
}
const NO_FILTERS: Filters = {
  status: 'open',
  categoryPrefix: '',
  owner: '',
  partner: '',
  warehouse: '',
  channel: '',
  severity: '',
  overdue: false,
};
const TEXT_FILTERS = ['categoryPrefix', 'owner', 'partner', 'warehouse', 'channel'] as const;

type ActionBody =
  | { action: 'retry' | 'replay'; note?: string }
  | { action: 'resolve'; reason: string }
  | { action: 'assign'; owner: string }
  | { action: 'resubmit'; payload: unknown; note?: string };

/** The exception queue: filters, the list with age against due time, bulk actions, and one exception's detail. */
export function ExceptionsPage({ selectedId, partner }: { selectedId: string | undefined; partner?: string }) {
  const canAct = useCan('exceptions:write');
  const [filters, setFilters] = useState<Filters>({ ...NO_FILTERS, partner: partner ?? '' });
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [bulkReason, setBulkReason] = useState('');
  const [bulkOwner, setBulkOwner] = useState('');
  const [notice, setNotice] = useState<string>();
  const [bulkError, setBulkError] = useState<Error>();
  const q = query({
    status: filters.status || undefined,
    severity: filters.severity || undefined,
    overdue: filters.overdue ? 'true' : undefined,
    ...Object.fromEntries(TEXT_FILTERS.map((k) => [k, filters[k].trim() || undefined])),
    limit: 200,
  });
  const list = useLoad(`exc-${q}`, () => api(ExceptionList, `/ops/exceptions${q}`), 10_000);
  const items = list.data?.items ?? [];

  const toggle = (id: string) =>
    setChecked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const bulk = async (request: ActionBody) => {
    setBulkError(undefined);
    try {
      const r = await api(BulkAnswer, '/ops/exceptions/bulk', { ids: [...checked], request });
      setNotice(`${request.action}: ${r.succeeded} done, ${r.failed} failed`);
      setChecked(new Set());
      list.reload();
    } catch (e) {
      setBulkError(e instanceof Error ? e : new Error(String(e)));
    }
  };

  return (
    <section>
      <PageHead title="Exceptions">
        <span className="muted">{items.length} shown</span>
      </PageHead>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          status{' '}
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="">all</option>
          </select>
        </label>
        <label>
          severity{' '}
          <select value={filters.severity} onChange={(e) => setFilters({ ...filters, severity: e.target.value })}>
            <option value="">any</option>
            {['low', 'medium', 'high', 'critical'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {TEXT_FILTERS.map((k) => (
          <label key={k}>
            {k === 'categoryPrefix' ? 'category' : k}{' '}
            <input value={filters[k]} size={10} onChange={(e) => setFilters({ ...filters, [k]: e.target.value })} />
          </label>
        ))}
        <label>
          <input type="checkbox" checked={filters.overdue} onChange={(e) => setFilters({ ...filters, overdue: e.target.checked })} />{' '}
          overdue only
        </label>
      </form>
      {canAct && checked.size > 0 && (
        <fieldset className="bulk" aria-label="bulk actions">
          <strong>{checked.size} selected</strong>
          <button type="button" onClick={() => bulk({ action: 'retry' })}>
            Retry
          </button>
          <input placeholder="owner" value={bulkOwner} onChange={(e) => setBulkOwner(e.target.value)} size={10} />
          <button type="button" disabled={!bulkOwner.trim()} onClick={() => bulk({ action: 'assign', owner: bulkOwner.trim() })}>
            Assign
          </button>
          <input placeholder="reason" value={bulkReason} onChange={(e) => setBulkReason(e.target.value)} size={24} />
          <button type="button" disabled={!bulkReason.trim()} onClick={() => bulk({ action: 'resolve', reason: bulkReason.trim() })}>
            Resolve selected
          </button>
        </fieldset>
      )}
      {notice && <p className="notice">{notice}</p>}
      <ErrorBox error={list.error ?? bulkError} />
      <div className={selectedId ? 'split' : ''}>
        <table className="exceptions">
          <thead>
            <tr>
              {canAct && <th aria-label="select" />}
              <th>severity</th>
              <th>category</th>
              <th>title</th>
              <th>owner</th>
              <th>age</th>
              <th>due</th>
              <th>status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => (
              <tr key={e.id} className={e.id === selectedId ? 'selected' : e.overdue ? 'overdue' : ''}>
                {canAct && (
                  <td>
                    <input type="checkbox" aria-label={`select ${e.id}`} checked={checked.has(e.id)} onChange={() => toggle(e.id)} />
                  </td>
                )}
                <td>
                  <Badge value={e.severity} />
                </td>
                <td>{e.category}</td>
                <td>
                  <a href={`#/exceptions?id=${encodeURIComponent(e.id)}`}>{e.title}</a>
                </td>
                <td>{e.owner ?? '—'}</td>
                <td>{duration(e.ageMs)}</td>
                <td>{e.overdue ? <Badge value="overdue" /> : when(e.dueAt)}</td>
                <td>
                  <Badge value={e.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {selectedId && <ExceptionDetail id={selectedId} onChange={list.reload} />}
      </div>
    </section>
  );
}

function resubmitPayload(e: Exception): unknown {
  const offer = e.actions?.find((a) => a.kind === 'edit-and-resubmit');
  return offer?.payload;
}

/** One exception: what happened, its history, and the actions it offers now. */
function ExceptionDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const canAct = useCan('exceptions:write');
  const d = useLoad(`exd-${id}`, () => api(Exception, `/ops/exceptions/${encodeURIComponent(id)}`));
  const [reason, setReason] = useState('');
  const [owner, setOwner] = useState('');
  const [draft, setDraft] = useState<string>();
  const [result, setResult] = useState<string>();
  const [error, setError] = useState<Error>();
  const e = d.data;

  const act = async (body: ActionBody) => {
    setError(undefined);
    setResult(undefined);
    try {
      const r = await api(ActionAnswer, `/ops/exceptions/${encodeURIComponent(id)}/actions`, body);
      setResult(`${r.action} done${r.result === undefined ? '' : `: ${JSON.stringify(r.result)}`}`);
      setDraft(undefined);
      d.reload();
      onChange();
    } catch (err) {
      setError(
        err instanceof ApiError && err.path
          ? new Error(`${err.message} (field ${err.path})`)
          : err instanceof Error
            ? err
            : new Error(String(err)),
      );
    }
  };
  const resubmit = () => {
    if (draft === undefined) return;
    let payload: unknown;
    try {
      payload = JSON.parse(draft);
    } catch (err) {
      setError(new Error(`the payload is not JSON: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    void act({ action: 'resubmit', payload });
  };
  const onResolve = (ev: FormEvent) => {
    ev.preventDefault();
    if (reason.trim()) void act({ action: 'resolve', reason: reason.trim() });
  };
  const onAssign = (ev: FormEvent) => {
    ev.preventDefault();
    if (owner.trim()) void act({ action: 'assign', owner: owner.trim() });
  };

  return (
    <aside className="detail" aria-label="exception detail">
      <p>
        <button type="button" className="link" onClick={() => navigate('exceptions')}>
          close
        </button>
      </p>
      <ErrorBox error={d.error} />
      {e && (
        <>
          <h2>{e.title}</h2>
          <p>
            <Badge value={e.status} /> <Badge value={e.severity} /> {e.category}
          </p>
          <dl className="facts">
            <dt>subject</dt>
            <dd>
              {e.subject?.includes('/') ? (
                <a
                  href={`#/timeline?kind=${encodeURIComponent(e.subject.split('/')[0] ?? '')}&id=${encodeURIComponent(e.subject.slice(e.subject.indexOf('/') + 1))}`}
                >
                  {e.subject}
                </a>
              ) : (
                (e.subject ?? '—')
              )}
            </dd>
            <dt>owner</dt>
            <dd>{e.owner ?? '—'}</dd>
            <dt>partner / warehouse / channel</dt>
            <dd>
              {e.partner ?? '—'} / {e.warehouse ?? '—'} / {e.channel ?? '—'}
            </dd>
            <dt>opened</dt>
            <dd>
              {when(e.openedAt)} ({duration(e.ageMs)} ago, {e.occurrences}×)
            </dd>
            <dt>due</dt>
            <dd>{e.overdue ? 'overdue' : when(e.dueAt)}</dd>
            {e.resolution && (
              <>
                <dt>resolution</dt>
                <dd>
                  {e.resolution} ({e.resolvedBy})
                </dd>
              </>
            )}
          </dl>
          {e.detail !== undefined && <pre className="json">{JSON.stringify(e.detail, null, 2)}</pre>}
          {result && <p className="notice">{result}</p>}
          <ErrorBox error={error} />
          {e.status === 'open' && canAct && (
            <fieldset className="actions" aria-label="actions">
              {e.available.includes('retry') && (
                <button type="button" onClick={() => act({ action: 'retry' })}>
                  Retry
                </button>
              )}
              {e.available.includes('replay') && (
                <button type="button" onClick={() => act({ action: 'replay' })}>
                  Replay
                </button>
              )}
              {e.available.includes('resubmit') && draft === undefined && (
                <button type="button" onClick={() => setDraft(JSON.stringify(resubmitPayload(e) ?? {}, null, 2))}>
                  Edit and resubmit
                </button>
              )}
              {draft !== undefined && (
                <div className="editor">
                  <textarea aria-label="payload" value={draft} onChange={(ev) => setDraft(ev.target.value)} rows={14} />
                  <button type="button" onClick={resubmit}>
                    Validate and resubmit
                  </button>
                  <button type="button" className="link" onClick={() => setDraft(undefined)}>
                    cancel
                  </button>
                </div>
              )}
              <form onSubmit={onAssign} className="inline">
                <input aria-label="owner" placeholder="owner" value={owner} onChange={(ev) => setOwner(ev.target.value)} size={12} />
                <button type="submit" disabled={!owner.trim()}>
                  Assign
                </button>
              </form>
              <form onSubmit={onResolve} className="inline">
                <input aria-label="reason" placeholder="reason" value={reason} onChange={(ev) => setReason(ev.target.value)} size={28} />
                <button type="submit" disabled={!reason.trim()}>
                  Resolve
                </button>
              </form>
            </fieldset>
          )}
          {!canAct && <p className="muted">Your role can read exceptions but not act on them.</p>}
          <h3>History</h3>
          <ol className="history">
            {(e.history ?? []).map((h) => (
              <li key={`${h.at}-${h.action}-${h.actor}`}>
                {when(h.at)} <strong>{h.action}</strong> by {h.actor}
                {h.note ? `: ${h.note}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
