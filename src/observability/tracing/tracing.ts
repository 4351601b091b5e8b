import diagnostics from 'node:diagnostics_channel';
import {
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Envelope } from '../../canonical/index.js';
import type { EventLog, Handler, PublishResult, Subscription } from '../../eventlog/index.js';
import type { GatewayApp } from '../../gateway/index.js';
import { errorCode, errorMessage } from '../../kernel/index.js';
import type { Tx } from '../../store/index.js';
import { observeSteps, type StepInfo } from '../../workflow/index.js';
import {
  activeContext,
  contextFromTraceparent,
  formatTraceparent,
  parseTraceparent,
  runInContext,
  tracerOf,
  withTracer,
} from './context.js';

/** Where spans go: an OTLP/HTTP collector, or an exporter given in code (tests: InMemorySpanExporter). */
export interface TracingOptions {
  serviceName: string;
  serviceVersion?: string;
  otlpEndpoint?: string;
  headers?: Record<string, string>;
  exporter?: SpanExporter;
}

/** One hub's tracing: its provider and the instrumentation of gateway, event log, steps and outbound HTTP. */
export interface Tracing {
  readonly tracer: Tracer;
  instrumentGateway(app: GatewayApp): void;
  instrumentEventLog(eventlog: EventLog): void;
  /** Flushes pending spans (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Correlation id -> the latest consumer span of that business transaction (parents for workflow steps). */
const byCorrelation = new Map<string, { tracer: Tracer; spanContext: SpanContext }>();
const CORRELATION_LIMIT = 10_000;

function remember(correlationid: string, tracer: Tracer, spanContext: SpanContext): void {
  byCorrelation.delete(correlationid);
  byCorrelation.set(correlationid, { tracer, spanContext });
  if (byCorrelation.size > CORRELATION_LIMIT) {
    const oldest = byCorrelation.keys().next().value;
    if (oldest !== undefined) byCorrelation.delete(oldest);
  }
}

function fail(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(err) });
  span.setAttribute('error.type', errorCode(err));
}

/**
 * Stamps an envelope with the publishing span as its trace parent. An envelope already carrying a
 * traceparent of another trace (an inbound partner's) keeps it; one carrying its cause's (from
 * causedBy) is re-parented under the span that actually published it.
 */
function stamp(e: Envelope, sc: SpanContext): Envelope {
  const existing = parseTraceparent(e.traceparent);
  if (existing && existing.traceId !== sc.traceId) return e;
  return { ...e, traceparent: formatTraceparent(sc) };
}

/** Starts tracing for a hub; without an exporter or endpoint the spans are created and dropped. */
export function createTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [];
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  if (options.otlpEndpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpEndpoint, headers: options.headers ?? {} })));
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: options.serviceName,
      ...(options.serviceVersion ? { [ATTR_SERVICE_VERSION]: options.serviceVersion } : {}),
    }),
    spanProcessors: processors,
  });
  const tracer = provider.getTracer('crossdock');
  installHttpClientTracing();
  installStepTracing();

  return {
    tracer,
    instrumentGateway(app) {
      const spans = new WeakMap<object, { span: Span; ctx: Context }>();
      app.addHook('onRequest', (request, _reply, done) => {
        const header = request.headers.traceparent;
        const parent = withTracer(contextFromTraceparent(typeof header === 'string' ? header : undefined), tracer);
        const route = request.routeOptions.url ?? request.url.split('?')[0] ?? '';
        const span = tracer.startSpan(
          `${request.method} ${route}`,
          {
            kind: SpanKind.SERVER,
            attributes: { 'http.request.method': request.method, 'http.route': route, 'url.path': request.url.split('?')[0] ?? '' },
          },
          parent,
        );
        const ctx = trace.setSpan(parent, span);
        spans.set(request, { span, ctx });
        runInContext(ctx, done);
      });
      // Reading the body leaves the async context of onRequest; the handler is re-entered in it.
      app.addHook('preHandler', (request, _reply, done) => {
        const entry = spans.get(request);
        if (entry) runInContext(entry.ctx, done);
        else done();
      });
      app.addHook('onResponse', (request, reply, done) => {
        const entry = spans.get(request);
        if (entry) {
          entry.span.setAttribute('http.response.status_code', reply.statusCode);
          if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
          const principal = request.principal;
          if (principal)
            entry.span.setAttribute(
              'crossdock.principal',
              principal.kind === 'partner' ? `partner:${principal.partnerId}` : `user:${principal.username}`,
            );
          entry.span.end();
          spans.delete(request);
        }
        done();
      });
    },

    instrumentEventLog(eventlog) {
      const publish = eventlog.publish.bind(eventlog);
      const subscribe = eventlog.subscribe.bind(eventlog);
      eventlog.publish = async (topic: string, events: readonly Envelope[], opts?: { tx?: Tx }): Promise<PublishResult[]> => {
        const parent = activeContext();
        const t = tracerOf(parent) ?? tracer;
        const span = t.startSpan(
          `publish ${topic}`,
          {
            kind: SpanKind.PRODUCER,
            attributes: {
              'messaging.system': 'crossdock',
              'messaging.operation.type': 'send',
              'messaging.destination.name': topic,
              'messaging.batch.message_count': events.length,
              ...(events[0] ? { 'crossdock.event.type': events[0].type, 'crossdock.correlationid': events[0].correlationid } : {}),
            },
          },
          parent,
        );
        const stamped = events.map((e) => stamp(e, span.spanContext()));
        try {
          return await runInContext(withTracer(trace.setSpan(parent, span), t), () => publish(topic, stamped, opts));
        } catch (err) {
          fail(span, err);
          throw err;
        } finally {
          span.end();
        }
      };
      eventlog.subscribe = (sub: Subscription): void => {
        const handler: Handler = async (event, hctx) => {
          const parent = withTracer(contextFromTraceparent(event.traceparent), tracer);
          const attributes: Attributes = {
            'messaging.system': 'crossdock',
            'messaging.operation.type': 'process',
            'messaging.destination.name': sub.topic,
            'messaging.consumer.group.name': sub.group,
            'messaging.message.id': event.id,
            'crossdock.event.type': event.type,
            'crossdock.correlationid': event.correlationid,
            'crossdock.partition': hctx.partition,
            'crossdock.offset': hctx.offset,
            'crossdock.attempt': hctx.attempt,
          };
          const span = tracer.startSpan(`consume ${sub.topic} ${sub.group}`, { kind: SpanKind.CONSUMER, attributes }, parent);
          remember(event.correlationid, tracer, span.spanContext());
          try {
            await runInContext(trace.setSpan(parent, span), () => sub.handler(event, hctx));
          } catch (err) {
            fail(span, err);
            throw err;
          } finally {
            span.end();
          }
        };
        subscribe({ ...sub, handler });
      };
    },

    async flush() {
      await provider.forceFlush();
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}

let stepTracingInstalled = false;

/**
 * Steps run on the workflow engine's own loop, outside any request or event context: a step's
 * parent is the latest consumer span of its business transaction (by correlation id), so the flow
 * joins the trace of the event that started or woke it.
 */
function installStepTracing(): void {
  if (stepTracingInstalled) return;
  stepTracingInstalled = true;
  observeSteps(async <T>(info: StepInfo, run: () => Promise<T>): Promise<T> => {
    const known = byCorrelation.get(info.correlationid);
    const active = activeContext();
    const tracer = tracerOf(active) ?? known?.tracer;
    if (!tracer) return run();
    const parent = trace.getSpan(active) ? active : known ? trace.setSpanContext(active, known.spanContext) : active;
    const span = tracer.startSpan(
      `step ${info.flow}.${info.step}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'crossdock.flow': info.flow,
          'crossdock.flow.key': info.key,
          'crossdock.step': info.step,
          'crossdock.attempt': info.attempt,
          'crossdock.correlationid': info.correlationid,
        },
      },
      parent,
    );
    try {
      return await runInContext(withTracer(trace.setSpan(parent, span), tracer), run);
    } catch (err) {
      fail(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

let httpTracingInstalled = false;

interface UndiciRequest {
  origin?: unknown;
  method?: unknown;
  path?: unknown;
  addHeader?: (name: string, value: string) => unknown;
}

function isUndiciRequest(v: unknown): v is UndiciRequest {
  return typeof v === 'object' && v !== null && 'method' in v && 'path' in v;
}

function messageRequest(message: unknown): UndiciRequest | undefined {
  if (typeof message !== 'object' || message === null || !('request' in message)) return undefined;
  return isUndiciRequest(message.request) ? message.request : undefined;
}

/**
 * Outbound HTTP (the connector transport and fetch both run on undici): a client span per call made
 * inside a trace, and its `traceparent` header on the request, through undici's diagnostics
 * channels (https://undici.nodejs.org/#/docs/api/DiagnosticsChannel). Calls outside a trace pass untouched.
 */
function installHttpClientTracing(): void {
  if (httpTracingInstalled) return;
  httpTracingInstalled = true;
  const spans = new WeakMap<object, Span>();
  diagnostics.subscribe('undici:request:create', (message) => {
    const request = messageRequest(message);
    if (!request) return;
    const ctx = activeContext();
    const tracer = tracerOf(ctx);
    if (!tracer || !trace.getSpan(ctx)) return;
    const method = String(request.method);
    const url = `${String(request.origin ?? '')}${String(request.path)}`;
    const span = tracer.startSpan(
      `HTTP ${method}`,
      { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'url.full': url.split('?')[0] ?? url } },
      ctx,
    );
    spans.set(request, span);
    request.addHeader?.('traceparent', formatTraceparent(span.spanContext()));
  });
  diagnostics.subscribe('undici:request:headers', (message) => {
    const request = messageRequest(message);
    const span = request ? spans.get(request) : undefined;
    if (!span || typeof message !== 'object' || message === null || !('response' in message)) return;
    const response = message.response;
    if (typeof response === 'object' && response !== null && 'statusCode' in response && typeof response.statusCode === 'number') {
      span.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    }
  });
  const end = (message: unknown, error?: unknown) => {
    const request = messageRequest(message);
    const span = request ? spans.get(request) : undefined;
    if (!span || !request) return;
    if (error !== undefined) fail(span, error);
    span.end();
    spans.delete(request);
  };
  diagnostics.subscribe('undici:request:trailers', (message) => end(message));
  diagnostics.subscribe('undici:request:error', (message) =>
    end(message, typeof message === 'object' && message !== null && 'error' in message ? message.error : new Error('request failed')),
  );
}
