import { type FormEvent, useState } from 'react';
import { api, query } from '../api.js';
import { AvailabilityAnswer } from '../schemas.js';
import { ErrorBox, PageHead, when } from '../ui.js';

/** Available to promise for an item on a channel (optionally a customer), with how each location's figure came out. */
export function AvailabilityPage() {
  const [form, setForm] = useState({ item: '', channel: '', customer: '' });
  const [answer, setAnswer] = useState<AvailabilityAnswer>();
  const [error, setError] = useState<Error>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      setAnswer(
        await api(
          AvailabilityAnswer,
          `/ops/availability/explain${query({ item: form.item.trim(), channel: form.channel.trim(), customer: form.customer.trim() || undefined })}`,
        ),
      );
    } catch (err) {
      setAnswer(undefined);
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return (
    <section>
      <PageHead title="Availability explorer" />
      <form className="filters" onSubmit={submit}>
        <label>
          item <input required value={form.item} onChange={(e) => setForm({ ...form, item: e.target.value })} size={16} />
        </label>
        <label>
          channel <input required value={form.channel} onChange={(e) => setForm({ ...form, channel: e.target.value })} size={10} />
        </label>
        <label>
          customer <input value={form.customer} onChange={(e) => setForm({ ...form, customer: e.target.value })} size={10} />
        </label>
        <button type="submit">Explain</button>
      </form>
      <ErrorBox error={error} />
      {answer?.items.map((it) => (
        <div key={it.item}>
          <h2>
            {it.item}: {it.available} available on {answer.channel}
            {answer.customer ? ` for ${answer.customer}` : ''}
          </h2>
          <p className="muted">as of {when(answer.asOf)}</p>
          {it.locations.map((loc) => (
            <table key={loc.location} className="explain">
              <caption>
                {loc.location}: {loc.available}
              </caption>
              <tbody>
                {(loc.explain ?? []).map((s) => (
                  <tr key={`${s.step}-${s.quantity}-${JSON.stringify(s.detail ?? '')}`}>
                    <td>{s.step}</td>
                    <td className="num">{s.quantity}</td>
                    <td className="muted">
                      {s.detail === undefined ? '' : typeof s.detail === 'string' ? s.detail : JSON.stringify(s.detail)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
        </div>
      ))}
    </section>
  );
}
