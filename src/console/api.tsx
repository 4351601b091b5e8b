/**
 * The console's only door to the hub: same-origin fetches to /v1/auth/login and /ops/*, with the
 * session's bearer token, answers checked against their schema, problems turned into ApiError.
 */
import type { z } from 'zod/mini';
import { LoginAnswer, Problem, Session } from './schemas.js';

const TOKEN_KEY = 'crossdock.console.token';

/** A refused or failed call: the problem's code, message and the path of the bad field if any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** The token of this browser tab's session (kept in sessionStorage: closing the tab logs out). */
export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** Forgets the session. */
export function logout(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

async function problemOf(res: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const p = Problem.safeParse(body);
  const first = p.success ? p.data.errors?.[0] : undefined;
  const message = p.success ? (p.data.detail ?? p.data.title ?? res.statusText) : res.statusText || `HTTP ${res.status}`;
  return new ApiError(res.status, (p.success ? p.data.code : undefined) ?? `HTTP_${res.status}`, message, first?.path);
}

/** Calls the API and checks the answer's shape; 401 clears the session so the login shows again. */
export async function api<S extends z.ZodMiniType>(schema: S, path: string, body?: unknown): Promise<z.infer<S>> {
  const token = storedToken();
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    const err = await problemOf(res);
    if (res.status === 401 && token) {
      logout();
      window.dispatchEvent(new Event('crossdock:logout'));
    }
    throw err;
  }
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(0, 'CONSOLE_BAD_ANSWER', `unexpected answer from ${path.split('?')[0]}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

/** Logs in with a console user's password and reads the session's role and scopes. */
export async function login(username: string, password: string): Promise<Session> {
  const answer = await api(LoginAnswer, '/v1/auth/login', { username, password });
  sessionStorage.setItem(TOKEN_KEY, answer.access_token);
  return api(Session, '/ops/session');
}

/** Builds a query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
