import { type CrossdockError, Errors } from '../../kernel/index.js';

export const MAX_ITEMS = 1000;

export interface Issue {
  path: string;
  message: string;
}

/**
 * Collects every problem with a request before failing, so one answer names all bad fields
 * (the gateway turns the error into problem+json with `errors: [{path, message}]`).
 */
export class Issues {
  readonly list: Issue[] = [];
  add(path: string, message: string): void {
    if (this.list.length < 50) this.list.push({ path, message });
  }
  throwIfAny(what: string): void {
    if (this.list.length > 0) throw this.toError(what);
  }
  toError(what: string): CrossdockError {
    const first = this.list[0] ?? { path: '', message: 'invalid' };
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    return Errors.validation(`${what}: ${first.path}: ${first.message}${more}`, { path: first.path, issues: this.list });
  }
}

export function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
