/**
 * The list of rule-file kinds vigil reads. Each import registers its decoders with
 * rules/load/kinds.ts registerKind, in import order; the loader imports this file, so a new kind
 * (BudgetRule, RegressionRule) is one line here and nothing else. Order matters only for
 * documents two decoders would both read: the first registered wins.
 */
import './load/builtin.js';
import './slo/kinds.js';
