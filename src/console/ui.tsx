import { createContext, type ReactNode, useContext } from 'react';
import type { Session } from './schemas.js';

/** The signed-in user; pages ask it whether an action is allowed (viewers cannot act). */
export const SessionContext = createContext<Session>({ kind: 'anonymous', scopes: [] });

/** True when the session's role grants the scope (e.g. `exceptions:write`). */
export function useCan(scope: string): boolean {
  return useContext(SessionContext).scopes.includes(scope);
}

/** "3 min", "2 h 5 min", "4 d 1 h". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A local date and time from an ISO string or epoch milliseconds. */
export function when(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleString();
}

/** 0.0123 -> "1.2 %". */
export function percent(v: number): string {
  return `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1)} %`;
}

/** A coloured word for a state: ok, attention, failing, open, resolved, breached, … */
export function Badge({ value }: { value: string }) {
  return <span className={`badge badge-${value.replace(/[^a-z-]/gi, '')}`}>{value}</span>;
}

/** A red box with an error's message. */
export function ErrorBox({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}

/** A headline figure. */
export function Tile({ label, value, tone }: { label: string; value: ReactNode; tone?: 'bad' | 'warn' }) {
  return (
    <div className={`tile${tone ? ` tile-${tone}` : ''}`}>
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
    </div>
  );
}

/** A page's title row with optional controls on the right. */
export function PageHead({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-head">
      <h1>{title}</h1>
      <div className="controls">{children}</div>
    </header>
  );
}
