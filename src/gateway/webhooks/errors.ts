import { defineError } from '../../kernel/index.js';

export const WebhookErrors = {
  subscriptionNotFound: defineError('CD_ERR_WEBHOOK_SUBSCRIPTION_NOT_FOUND', { class: 'permanent', title: 'No such webhook subscription' }),
  deliveryNotFound: defineError('CD_ERR_WEBHOOK_DELIVERY_NOT_FOUND', { class: 'permanent', title: 'No such webhook delivery' }),
  badUrl: defineError('CD_ERR_WEBHOOK_URL', { class: 'permanent', title: 'Webhook URL not allowed' }),
  delivery: defineError('CD_ERR_WEBHOOK_DELIVERY', { class: 'retryable', title: 'Webhook receiver did not accept the delivery' }),
} as const;
