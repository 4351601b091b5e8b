import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Counter, Gauge } from 'prom-client';
import { ExceptionActions, ExceptionQueue } from '../../../domains/exceptions/index.js';
import type { EventLog } from '../../../eventlog/index.js';
import { opsRoutes } from '../../../gateway/index.js';
import { type Clock, errorMessage, sleep, systemClock } from '../../../kernel/index.js';
import {
  createTracing,
  MILESTONE_EVENT_TYPES,
  MilestoneRecordedEvent,
  parseObservabilityConfig,
  SlaClocks,
  sampleLag,
  TimelineService,
  type Tracing,
} from '../../../observability/index.js';
import { type LeaderElection, LocalLeaderElection, PostgresLeaderElection, type Store } from '../../../store/index.js';
import type { HubContext, HubModule } from '../modules.js';

/** The consumer group of the timeline projection. */
export const TIMELINE_GROUP = 'observability-timeline';
/** The leader job running SLA clocks and dead-letter exceptions, once across a cluster. */
export const SLA_JOB = 'observability-sla';

export interface ObservabilityModuleOptions {
  /** Spans also go here (tests: an InMemorySpanExporter); tracing runs when this or an OTLP endpoint is set. */
  spanExporter?: SpanExporter;
  clock?: Clock;
}

const DLQ_WATERMARK = 'dlq-exceptions-watermark';

/**
 * Dead letters become exceptions (category `eventlog.dead-letter`) offering redrive and
 * edit-and-resubmit; each closes itself once its dead letter has been redriven.
 */
async function syncDeadLetters(store: Store, eventlog: EventLog, queue: ExceptionQueue): Promise<void> {
  const mark = await store.db.selectFrom('obs_state').select('value').where('key', '=', DLQ_WATERMARK).executeTakeFirst();
  const watermark = Number(mark?.value ?? -1);
  const letters = await eventlog.listDeadLetters({ includeRedriven: true, limit: 5000 });
  let highest = watermark;
  for (const d of letters) {
    if (d.id > watermark && d.redrivenAt === null) {
      await queue.raise({
        category: 'eventlog.dead-letter',
        title: `${d.type} for ${d.key} failed in ${d.group}: ${d.errorMessage}`.slice(0, 500),
        detail: {
          deadLetterId: d.id,
          group: d.group,
          topic: d.topic,
          partition: d.partition,
          offset: d.offset,
          eventId: d.eventId,
          partitionkey: d.envelope.partitionkey,
          errorCode: d.errorCode,
          errorClass: d.errorClass,
          attempts: d.attempts,
        },
        severity: d.errorClass === 'permanent' ? 'high' : 'medium',
        source: `eventlog/${d.group}`,
        subject: d.envelope.subject ?? d.key,
        dedupeKey: `dlq:${d.group}:${d.id}`,
        correlationid: d.envelope.correlationid,
        actions: [
          { kind: 'redrive-dead-letter', id: d.id },
          { kind: 'edit-and-resubmit', schema: d.type, payload: d.envelope.data, target: d.topic },
        ],
      });
    }
    if (d.redrivenAt !== null) await queue.clear(`dlq:${d.group}:${d.id}`, `dead letter ${d.id} was redriven`);
    highest = Math.max(highest, d.id);
  }
  if (highest > watermark) {
    await store.db
      .insertInto('obs_state')
      .values({ key: DLQ_WATERMARK, value: String(highest) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(highest) }))
      .execute();
  }
}

/**
 * Observability and operations: tracing (when configured), the timeline projection, SLA clocks, the
 * exception queue with its actions, Prometheus figures and the console's API under /ops. Runs
 * first among the modules, so the event log is instrumented before anyone subscribes and the other
 * modules find `services.exceptions` set.
 */
export function createObservabilityModule(options: ObservabilityModuleOptions = {}): HubModule {
  return {
    name: 'observability',
    eventTypes: [MilestoneRecordedEvent],
    async start(ctx: HubContext) {
      const config = parseObservabilityConfig(ctx.config.observability);
      const clock = options.clock ?? systemClock;
      const log = ctx.logger.child({ component: 'observability' });

      let tracing: Tracing | undefined;
      if (config.tracing.otlpEndpoint || options.spanExporter) {
        tracing = createTracing({
          serviceName: config.tracing.serviceName,
          headers: config.tracing.headers,
          ...(config.tracing.otlpEndpoint ? { otlpEndpoint: config.tracing.otlpEndpoint } : {}),
          ...(options.spanExporter ? { exporter: options.spanExporter } : {}),
        });
        tracing.instrumentGateway(ctx.gateway);
        tracing.instrumentEventLog(ctx.eventlog);
        const t = tracing;
        ctx.lifecycle.onStop('tracing', () => t.shutdown());
        log.info({ otlp: config.tracing.otlpEndpoint ?? null }, 'tracing on');
      }

      const queue = new ExceptionQueue(ctx.store, {
        clock,
        ownerRules: config.exceptions.ownerRules,
        dueRules: config.exceptions.due.map((d) => ({ categoryPrefix: d.categoryPrefix, withinMs: d.within })),
      });
      const actions = new ExceptionActions(queue, ctx.eventlog);
      // The flows module starts after this one: its engine is looked up when an operator retries.
      actions.register('retry-flow', async (a) => {
        const engine = ctx.services.flows?.engine;
        if (!engine || a.kind !== 'retry-flow') throw new Error('the flows module is not running');
        await engine.retryInstance(a.flow, a.key);
        return { retried: true };
      });
      actions.register('release-hold', async (a) => {
        const engine = ctx.services.flows?.engine;
        if (!engine || a.kind !== 'release-hold') throw new Error('the flows module is not running');
        return { delivered: await engine.signal(a.signal, a.key, { releasedBy: 'operator' }) };
      });

      const breaches = new Counter({
        name: 'crossdock_sla_breaches_total',
        help: 'SLA clocks breached, by entity kind, target milestone, partner, warehouse and channel.',
        labelNames: ['kind', 'milestone', 'partner', 'warehouse', 'channel'],
        registers: [ctx.metrics.registry],
      });
      const milestones = new Counter({
        name: 'crossdock_milestones_total',
        help: 'Business milestones recorded by the timeline projection (throughput), by kind, milestone and event type.',
        labelNames: ['kind', 'milestone', 'type'],
        registers: [ctx.metrics.registry],
      });
      new Gauge({
        name: 'crossdock_exceptions_open',
        help: 'Open exceptions by category; `overdue` counts those past their time to act.',
        labelNames: ['category', 'state'],
        registers: [ctx.metrics.registry],
        async collect() {
          this.reset();
          for (const c of await queue.countsByCategory()) {
            this.set({ category: c.category, state: 'open' }, c.open);
            this.set({ category: c.category, state: 'overdue' }, c.overdue);
          }
        },
      });

      const timelines = new TimelineService(ctx.store);
      const sla = new SlaClocks(ctx.store, queue, {
        rules: config.sla,
        clock,
        onBreach: (c) =>
          breaches.inc({
            kind: c.kind,
            milestone: c.target,
            partner: c.partner ?? '',
            warehouse: c.warehouse ?? '',
            channel: c.channel ?? '',
          }),
      });
      for (const topic of config.timelines.topics) {
        ctx.eventlog.subscribe({
          group: TIMELINE_GROUP,
          topic,
          types: MILESTONE_EVENT_TYPES,
          handler: async (event, hctx) => {
            const recorded = await timelines.record(event, hctx.tx);
            await sla.onMilestones(recorded, hctx.tx);
            for (const m of recorded) milestones.inc({ kind: m.kind, milestone: m.milestone, type: event.type });
          },
        });
      }

      const election: LeaderElection = ctx.embedded
        ? new LocalLeaderElection({ logger: log })
        : new PostgresLeaderElection({ url: ctx.config.store, logger: log });
      // One job per store (its location has no password): hubs on other stores, in this process or
      // on the same PostgreSQL server, never wait on each other's leader.
      const jobName = `${SLA_JOB} ${ctx.store.location}`;
      const job = election.runAsLeader(jobName, async (signal) => {
        while (!signal.aborted) {
          try {
            await sla.tick();
            if (config.exceptions.deadLetters) await syncDeadLetters(ctx.store, ctx.eventlog, queue);
            await sampleLag(ctx.store, ctx.eventlog, clock.now());
          } catch (err) {
            log.warn({ err: errorMessage(err) }, 'SLA and dead-letter check failed; trying again');
          }
          await sleep(config.tickMs, signal);
        }
      });
      ctx.lifecycle.onStop(SLA_JOB, () => job.stop());

      ctx.services.exceptions = queue;
      ctx.services.exceptionActions = actions;
      ctx.services.timelines = timelines;
      ctx.services.sla = sla;

      opsRoutes(ctx.gateway, {
        store: ctx.store,
        eventlog: ctx.eventlog,
        exceptions: queue,
        actions,
        timelines,
        sla,
        clock,
        availability: () => ctx.services.availability,
      });
    },
  };
}

/** The module as the hub runs it. */
export const observabilityModule: HubModule = createObservabilityModule();
