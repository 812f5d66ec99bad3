export { consoleIntegration } from './integration.js';
export type { ConsoleOptions, ConsoleOutput } from './integration.js';
export { formatNotification } from './format.js';
