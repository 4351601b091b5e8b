import { Fragment, useState } from 'react';
import { api, query } from '../api.js';
import { useLoad } from '../hooks.js';
import { DeadLetterList, RedriveAnswer, ReplayAnswer } from '../schemas.js';
import { ErrorBox, PageHead, useCan, when } from '../ui.js';

/** Events that failed for good, per consumer group: replay one (redrive) or all of a group, or replay a group from a time. */
export function DeadLettersPage() {
  const canAct = useCan('dlq:write');
  const [includeRedriven, setIncludeRedriven] = useState(false);
  const [open, setOpen] = useState<number>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<Error>();
  const [replay, setReplay] = useState({ group: '', topic: '', fromTime: '' });
  const list = useLoad(
    `dlq-${includeRedriven}`,
    () => api(DeadLetterList, `/ops/dead-letters${query({ includeRedriven, limit: 500 })}`),
    10_000,
  );
  const items = list.data?.items ?? [];

  const run = async (what: () => Promise<string>) => {
    setError(undefined);
    try {
      setNotice(await what());
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const redrive = (body: { ids?: number[]; group?: string }) =>
    run(async () => `replayed ${(await api(RedriveAnswer, '/ops/dead-letters/redrive', body)).redriven} dead letter(s)`);
  const replayFrom = () =>
    run(async () => {
      const r = await api(ReplayAnswer, '/ops/replay', {
        group: replay.group,
        topic: replay.topic,
        fromTime: new Date(replay.fromTime).toISOString(),
      });
      return `replaying ${r.events} event(s) to ${replay.group}`;
    });
  const groups = [...new Set(items.filter((d) => d.redrivenAt === null).map((d) => d.group))];

  return (
    <section>
      <PageHead title="Dead letters">
        <label>
          <input type="checkbox" checked={includeRedriven} onChange={(e) => setIncludeRedriven(e.target.checked)} /> include replayed
        </label>
      </PageHead>
      {notice && <p className="notice">{notice}</p>}
      <ErrorBox error={list.error ?? error} />
      {canAct && groups.length > 0 && (
        <p>
          {groups.map((g) => (
            <button key={g} type="button" onClick={() => redrive({ group: g })}>
              Replay all of {g}
            </button>
          ))}
        </p>
      )}
      {items.length === 0 && !list.loading ? (
        <p className="muted">no dead letters</p>
      ) : (
        <table className="dead-letters">
          <thead>
            <tr>
              <th>#</th>
              <th>group · topic</th>
              <th>event</th>
              <th>subject</th>
              <th>error</th>
              <th>attempts</th>
              <th>dead since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <Fragment key={d.id}>
                <tr data-dead-letter={d.id}>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(open === d.id ? undefined : d.id)}>
                      {d.id}
                    </button>
                  </td>
                  <td>
                    {d.group} · {d.topic}
                  </td>
                  <td className="mono small">{d.envelope.type}</td>
                  <td>{d.envelope.subject ?? '—'}</td>
                  <td>
                    <span className="mono small">{d.errorCode}</span> {d.errorMessage}
                  </td>
                  <td>{d.attempts}</td>
                  <td>{when(d.deadAt)}</td>
                  <td>
                    {d.redrivenAt !== null ? (
                      `replayed ${when(d.redrivenAt)}`
                    ) : canAct ? (
                      <button type="button" onClick={() => redrive({ ids: [d.id] })}>
                        Replay
                      </button>
                    ) : null}
                  </td>
                </tr>
                {open === d.id && (
                  <tr>
                    <td colSpan={8}>
                      <pre className="json">{JSON.stringify(d.envelope, null, 2)}</pre>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {canAct && (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            void replayFrom();
          }}
        >
          <strong>Replay a consumer group from a time</strong>
          <input placeholder="group" value={replay.group} onChange={(e) => setReplay({ ...replay, group: e.target.value })} size={12} />
          <input placeholder="topic" value={replay.topic} onChange={(e) => setReplay({ ...replay, topic: e.target.value })} size={10} />
          <input
            type="datetime-local"
            aria-label="from"
            value={replay.fromTime}
            onChange={(e) => setReplay({ ...replay, fromTime: e.target.value })}
          />
          <button type="submit" disabled={!replay.group || !replay.topic || !replay.fromTime}>
            Replay
          </button>
        </form>
      )}
    </section>
  );
}
