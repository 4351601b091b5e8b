import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { Identity } from '../../gateway/index.js';
import { CrossdockError } from '../../kernel/index.js';
import { AuditLog } from '../../observability/index.js';
import type { Store } from '../../store/index.js';
import { type CommonFlags, configFrom, openTools, reportError } from '../shared.js';

/** `cli:<os user>`: who made a change from the command line, for the audit log. */
export function cliActor(): string {
  let name = 'unknown';
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry (some containers): the actor stays `cli:unknown`.
  }
  return `cli:${name}`;
}

/** Identity and audit log over an opened store. Tools never issue tokens, so any signing key will do. */
export function adminServices(store: Store): { identity: Identity; audit: AuditLog } {
  return { identity: new Identity({ store, signingKey: randomBytes(32), keyCacheMs: 0 }), audit: new AuditLog(store) };
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `90d`, `12h`, `30m`, `2w` as milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(value.trim());
  const unit = m?.[2] ? UNITS[m[2]] : undefined;
  if (!m || unit === undefined) {
    throw new CrossdockError(
      'CD_ERR_VALIDATION',
      'permanent',
      `--${flag}: expected a duration such as 90d, 12h, 30m or 2w, got "${value}"`,
      {
        path: flag,
      },
    );
  }
  return Number(m[1]) * unit;
}

export function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '-' : new Date(Number(ms)).toISOString();
}

type Tools = Awaited<ReturnType<typeof openTools>>;

/** Opens the store of --data/--store, runs fn, reports a failure as `error CODE: message` (exit 1), closes. */
export async function withTools(flags: CommonFlags, fn: (tools: Tools) => Promise<void>): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  try {
    const tools = await openTools(configFrom(flags));
    close = tools.close;
    await fn(tools);
  } catch (err) {
    reportError(err);
  } finally {
    await close?.();
  }
}
