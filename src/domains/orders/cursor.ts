import { DocumentErrors } from './errors.js';

/** A position in a list ordered by (updated_at, id): the last row a page returned. */
export interface CursorPosition {
  updatedAt: number;
  id: string;
}

/** Opaque to clients: base64url of `<updated_at ms>.<id>`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`${position.updatedAt}.${position.id}`, 'utf8').toString('base64url');
}

/** Throws CD_ERR_BAD_CURSOR (400) for anything `encodeCursor` did not make. */
export function decodeCursor(cursor: string): CursorPosition {
  const bad = () => DocumentErrors.badCursor('the cursor is not one this API returned; start again without it', { path: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw bad();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d{1,15})\.([A-Za-z0-9][A-Za-z0-9._:/-]{0,199})$/.exec(text);
  if (!m?.[1] || !m[2]) throw bad();
  return { updatedAt: Number(m[1]), id: m[2] };
}
