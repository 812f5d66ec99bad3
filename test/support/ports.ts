// One free-port helper for tests and benchmarks alike.
export { freePort } from '../../bench/support.js';
