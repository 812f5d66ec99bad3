// The application's public surface: configuration, wiring and the command line.
export { loadConfig, parseConfig, splitHostPort, DEFAULT_LISTEN_ADDRESS } from './config.js';
export type { EmbeddedStorageConfig, GlobalConfig, ServerConfig, VigilConfig } from './config.js';
export { startVigil } from './vigil.js';
export type { Vigil, VigilOptions } from './vigil.js';
export { HttpServer, sendJSON, sendText } from './server.js';
export type { Handler } from './server.js';
export { isolatedTelemetry, startProcessTelemetry } from './telemetry.js';
export type { Telemetry } from './telemetry.js';
export { main, vigil, VERSION } from './cli.js';
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCommand, UsageError } from './command.js';
export type { Command, CommandGroup, IO } from './command.js';
