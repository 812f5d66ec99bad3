export { Silences, DEFAULT_RETENTION } from './silences.js';
export type { SilencesOptions, SilenceQuery } from './silences.js';
export { silenceState, matchesAll, sameMatchers, validateMatchers } from './silence.js';
export type { Silence, PostableSilence, SilenceState } from './silence.js';
export { SilenceError } from './errors.js';
export type { SilenceErrorCode } from './errors.js';
export { SilenceStore } from './store.js';
export type { Database } from './store.js';
export {
  OpenAPIError,
  compareGettable,
  decodePostableSilence,
  formatTime,
  gettableSilence,
  matcherJSON,
  parseTime,
} from './openapi.js';
export type { GettableSilenceJSON, MatcherJSON } from './openapi.js';
