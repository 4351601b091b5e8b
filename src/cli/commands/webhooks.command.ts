import type { Command } from 'commander';
import { DeliveryStatus, plainSealer, WebhookDeliveries, WebhookSubscriptions } from '../../gateway/index.js';
import { CrossdockError } from '../../kernel/index.js';
import { AuditLog } from '../../observability/index.js';
import { type CommonFlags, parseIntFlag, table, withStoreFlags } from '../shared.js';
import { cliActor, withTools } from './admin-shared.js';

/** `crossdock webhooks subscriptions|deliveries|replay`: outbound webhooks, for operators. */
export function webhooksCommand(program: Command): void {
  const webhooks = program.command('webhooks').description('outbound webhooks: subscriptions, delivery log, replay');

  withStoreFlags(webhooks.command('subscriptions'))
    .description('list webhook subscriptions')
    .option('-p, --partner <id>', 'only this partner')
    .action(async (flags: { partner?: string } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        // Listing never opens a secret, so no master key is needed here.
        const subs = await new WebhookSubscriptions(store, plainSealer).list(flags.partner);
        process.stdout.write(
          `${table(
            ['id', 'partner', 'status', 'url', 'event types'],
            subs.map((s) => [s.id, s.partnerId, s.status, s.url, s.eventTypes.join(',')]),
          )}\n`,
        );
      }),
    );

  withStoreFlags(webhooks.command('deliveries'))
    .description('the delivery log, newest first')
    .option('-p, --partner <id>', 'only this partner')
    .option('-s, --status <status>', 'pending, delivered or dead')
    .option('--subscription <id>', 'only this subscription')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON lines')
    .action(async (flags: { partner?: string; status?: string; subscription?: string; limit: string; json?: boolean } & CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const status = flags.status !== undefined ? DeliveryStatus.safeParse(flags.status) : undefined;
        if (status && !status.success) {
          throw new CrossdockError(
            'CD_ERR_VALIDATION',
            'permanent',
            `--status: expected pending, delivered or dead, got "${flags.status}"`,
            {
              path: 'status',
            },
          );
        }
        const { items } = await new WebhookDeliveries(store).list(flags.partner, {
          ...(status?.success ? { status: status.data } : {}),
          ...(flags.subscription !== undefined ? { subscriptionId: flags.subscription } : {}),
          limit: parseIntFlag('limit', flags.limit),
        });
        if (flags.json) {
          for (const d of items) process.stdout.write(`${JSON.stringify(d)}\n`);
          return;
        }
        process.stdout.write(
          `${table(
            ['id', 'subscription', 'event', 'type', 'status', 'attempts', 'last error', 'created'],
            items.map((d) => [
              d.id,
              d.subscriptionId,
              d.eventId,
              d.eventType,
              d.status,
              String(d.attempts),
              d.lastError ?? '',
              d.createdAt,
            ]),
          )}\n`,
        );
      }),
    );

  withStoreFlags(webhooks.command('replay'))
    .description('send a delivery again (a new delivery; a running hub sends it within its poll interval)')
    .argument('<delivery>', 'the delivery id (from webhooks deliveries)')
    .action(async (id: string, flags: CommonFlags) =>
      withTools(flags, async ({ store }) => {
        const replay = await new WebhookDeliveries(store).replay(undefined, id);
        await new AuditLog(store).record({
          actor: cliActor(),
          action: 'webhook.replay',
          resource: `webhooks/deliveries/${id}`,
          after: replay,
        });
        process.stdout.write(`${replay.id}\n`);
      }),
    );
}
