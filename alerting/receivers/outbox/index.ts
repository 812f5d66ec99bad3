export { outboxFileName, outboxIntegration } from './integration.js';
export type { OutboxOptions } from './integration.js';
export { composeEml } from './mime.js';
