export { Inhibitor } from './inhibitor.js';
export { InhibitRule } from './rule.js';
