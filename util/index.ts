export { systemClock, VirtualClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export { createLogger, nopLogger } from './log.js';
export type { Logger, LogFields, LogLevel, LoggerOptions } from './log.js';
