export { DEFAULT_TIMEOUT_MS, parseRetryAfter, statusError, webhookIntegration } from './integration.js';
export type { WebhookOptions } from './integration.js';
export { encodeWebhookMessage, goTimeJSON, webhookBody, webhookMessage } from './payload.js';
export type { WebhookMessage } from './payload.js';
