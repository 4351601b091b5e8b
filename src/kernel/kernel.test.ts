import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { backoffMs } from './clock.js';
import { CrossdockError, classify, defineError, Errors } from './errors.js';
import { ID_PATTERN, idTime, newId, randomHex } from './ids.js';
import { Lifecycle } from './lifecycle.js';
import { createLogger, silentLogger, withCorrelation } from './logger.js';

describe('errors', () => {
  it('carry a stable code and class, and classify unknown errors as retryable', () => {
    const creditHold = defineError('CD_ERR_TEST_CREDIT_HOLD', { class: 'business', title: 'Credit hold' });
    const err = creditHold('customer C1 is over its limit', { customer: 'C1' });
    expect(err).toBeInstanceOf(CrossdockError);
    expect(err.toJSON()).toEqual({
      code: 'CD_ERR_TEST_CREDIT_HOLD',
      class: 'business',
      message: 'customer C1 is over its limit',
      details: { customer: 'C1' },
    });
    expect(creditHold.is(err)).toBe(true);
    expect(Errors.config.is(err)).toBe(false);
    expect(classify(err)).toBe('business');
    expect(classify(new TypeError('x'))).toBe('retryable');
  });

  it('refuse malformed codes and a code redeclared with another class', () => {
    expect(() => defineError('BAD', { class: 'permanent', title: 'x' })).toThrow();
    defineError('CD_ERR_TEST_ONCE', { class: 'permanent', title: 'x' });
    expect(() => defineError('CD_ERR_TEST_ONCE', { class: 'retryable', title: 'x' })).toThrow(/already declared/);
  });
});

describe('ids', () => {
  it('are 26-character, sortable in creation order, and carry their time', () => {
    const now = Date.parse('2026-11-22T08:00:00Z');
    const ids = Array.from({ length: 1000 }, () => newId(now));
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    expect(idTime(ids[0]!)).toBe(now);
    const later = newId(now + 1);
    expect(later > ids.at(-1)!).toBe(true);
  });
});

describe('backoff', () => {
  it('grows exponentially, with jitter, and never passes the cap', () => {
    expect(backoffMs(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffMs(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffMs(4, 100, 10_000, () => 1)).toBe(800);
    expect(backoffMs(30, 100, 10_000, () => 1)).toBe(10_000);
  });
});

describe('logger', () => {
  it('writes JSON lines carrying the correlation id, with secrets redacted', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logger = withCorrelation(createLogger({ destination }), 'corr-123', { order: 'SO-1' });
    logger.info({ password: 'hunter2', customer: { email: 'a@b.c' } }, 'order accepted');
    await new Promise((r) => setImmediate(r));
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ correlationid: 'corr-123', order: 'SO-1', msg: 'order accepted', level: 'info' });
    expect(record.password).toBe('[redacted]');
    expect(record.customer.email).toBe('[redacted]');
  });
});

describe('lifecycle', () => {
  it('stops components in reverse start order, once, and survives a failing stop', async () => {
    const order: string[] = [];
    const life = new Lifecycle(silentLogger(), 1000);
    life.onStop('store', () => {
      order.push('store');
    });
    life.onStop('consumers', async () => {
      order.push('consumers');
      throw new Error('stuck');
    });
    life.onStop('gateway', () => {
      order.push('gateway');
    });
    await Promise.all([life.stop(), life.stop()]);
    expect(order).toEqual(['gateway', 'consumers', 'store']);
    expect(life.signal.aborted).toBe(true);
  });

  it('gives up on a component that does not stop in time', async () => {
    const life = new Lifecycle(silentLogger(), 20);
    const order: string[] = [];
    life.onStop('store', () => {
      order.push('store');
    });
    life.onStop('hung', () => new Promise(() => {}));
    await life.stop();
    expect(order).toEqual(['store']);
  });
});

describe('randomHex', () => {
  it('gives the asked number of random bytes as hex, never the same twice, small or large', () => {
    const small = Array.from({ length: 2_000 }, () => randomHex(16));
    expect(small.every((h) => /^[0-9a-f]{32}$/.test(h))).toBe(true);
    expect(new Set(small).size).toBe(small.length);
    const large = randomHex(5_000);
    expect(large).toMatch(/^[0-9a-f]{10000}$/);
    expect(large).not.toBe(randomHex(5_000));
  });
});
