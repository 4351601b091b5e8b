import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Context,
  createContextKey,
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/**
 * The active trace context, carried across awaits by AsyncLocalStorage. Kept here rather than in
 * OpenTelemetry's global context manager so several hubs in one process (tests) never fight over a
 * global; the context also names the tracer of the hub that opened it.
 */
const storage = new AsyncLocalStorage<Context>();
const TRACER_KEY = createContextKey('crossdock.tracer');

export function activeContext(): Context {
  return storage.getStore() ?? ROOT_CONTEXT;
}

export function runInContext<T>(ctx: Context, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** The context with the tracer that spans started under it should use. */
export function withTracer(ctx: Context, tracer: Tracer): Context {
  return ctx.setValue(TRACER_KEY, tracer);
}

export function tracerOf(ctx: Context): Tracer | undefined {
  const t = ctx.getValue(TRACER_KEY);
  return isTracer(t) ? t : undefined;
}

function isTracer(v: unknown): v is Tracer {
  return typeof v === 'object' && v !== null && 'startSpan' in v && typeof v.startSpan === 'function';
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** W3C trace context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header). */
export function formatTraceparent(sc: SpanContext): string {
  return `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  const m = value ? TRACEPARENT.exec(value.trim()) : null;
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  const sc: SpanContext = { traceId: m[1], spanId: m[2], traceFlags: Number.parseInt(m[3], 16) & TraceFlags.SAMPLED, isRemote: true };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** A context whose parent is the remote span a traceparent names (ROOT when it names none). */
export function contextFromTraceparent(value: string | undefined, base: Context = ROOT_CONTEXT): Context {
  const sc = parseTraceparent(value);
  return sc ? trace.setSpanContext(base, sc) : base;
}
