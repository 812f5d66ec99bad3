// The AI platform simulator's public surface: a scenario-driven platform whose exporters (DCGM,
// vLLM, RabbitMQ per-object, kube-state-metrics) write the real exporters' bodies, served over
// HTTP or sampled into an OpenMetrics file. Which target labels each target carries (job,
// instance, namespace, model, version, node, pool) is documented in targets.ts.
export { KNOB_SPECS, Knobs, defaultKnobs } from './knobs.js';
export type { KnobSpec, KnobValues } from './knobs.js';
export { loadScenario, parseScenario } from './scenario.js';
export type { Phase, Scenario } from './scenario.js';
export { Timeline } from './timeline.js';
export { Platform, TEXT_CONTENT_TYPE, WARMUP_MS } from './platform.js';
export type { RenderedBody } from './platform.js';
export { simulatedTargets } from './targets.js';
export type { ExporterKind, SimTarget } from './targets.js';
export { scrapeConfigYaml, startSimulator } from './server.js';
export type { ServedTarget, Simulator, SimulatorOptions } from './server.js';
export { writeOpenMetrics } from './openmetrics.js';
export type { Sink, WriteOptions, WriteRange, WriteSummary } from './openmetrics.js';
