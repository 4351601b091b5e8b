import { type FormEvent, useEffect, useState } from 'react';
import { api, login, logout, storedToken } from './api.js';
import { useRoute } from './hooks.js';
import { AvailabilityPage } from './pages/availability.js';
import { DashboardPage } from './pages/dashboard.js';
import { DeadLettersPage } from './pages/dead-letters.js';
import { EdiPage } from './pages/edi.js';
import { ExceptionsPage } from './pages/exceptions.js';
import { HealthPage } from './pages/health.js';
import { OrdersPage, TimelinePage } from './pages/orders.js';
import { Session } from './schemas.js';
import { ErrorBox, SessionContext } from './ui.js';

const NAV = [
  ['dashboard', 'Dashboard'],
  ['orders', 'Orders'],
  ['exceptions', 'Exceptions'],
  ['dead-letters', 'Dead letters'],
  ['availability', 'Availability'],
  ['health', 'Partners & connectors'],
  ['edi', 'EDI'],
] as const;

function LoginForm({ onLogin }: { onLogin: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onLogin(await login(username, password));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login">
      <form onSubmit={submit} aria-label="log in">
        <h1>crossdock operations</h1>
        <label>
          user name
          <input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          password
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        <ErrorBox error={error} />
        <p className="muted small">
          Users are created with <code>crossdock users create</code> (roles: admin, operator, viewer).
        </p>
      </form>
    </main>
  );
}

function Page() {
  const { page, params } = useRoute();
  switch (page) {
    case 'orders':
      return <OrdersPage key={params.get('q') ?? ''} q={params.get('q') ?? ''} />;
    case 'timeline':
      return <TimelinePage kind={params.get('kind') ?? 'order'} id={params.get('id') ?? ''} />;
    case 'exceptions':
      return <ExceptionsPage selectedId={params.get('id') ?? undefined} partner={params.get('partner') ?? undefined} />;
    case 'dead-letters':
      return <DeadLettersPage />;
    case 'availability':
      return <AvailabilityPage />;
    case 'health':
      return <HealthPage />;
    case 'edi':
      return <EdiPage />;
    default:
      return <DashboardPage />;
  }
}

/** The console: the login until a session exists, then the navigation and the current page. */
export function App() {
  const [session, setSession] = useState<Session>();
  const [checking, setChecking] = useState(() => storedToken() !== null);
  const { page } = useRoute();

  useEffect(() => {
    if (!checking) return;
    api(Session, '/ops/session').then(
      (s) => {
        setSession(s.kind === 'user' ? s : undefined);
        setChecking(false);
      },
      () => setChecking(false),
    );
  }, [checking]);
  useEffect(() => {
    const out = () => setSession(undefined);
    window.addEventListener('crossdock:logout', out);
    return () => window.removeEventListener('crossdock:logout', out);
  }, []);

  if (checking) return <p className="muted pad">loading…</p>;
  if (!session) return <LoginForm onLogin={setSession} />;
  const current = page === 'timeline' ? 'orders' : page;
  return (
    <SessionContext.Provider value={session}>
      <nav className="top">
        <strong className="brand">crossdock</strong>
        {NAV.map(([id, label]) => (
          <a key={id} href={`#/${id}`} className={current === id ? 'active' : ''}>
            {label}
          </a>
        ))}
        <span className="who">
          {session.username} <span className="role">{session.role}</span>{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              logout();
              setSession(undefined);
            }}
          >
            log out
          </button>
        </span>
      </nav>
      <main className="page">
        <Page />
      </main>
    </SessionContext.Provider>
  );
}
