import { registerKind } from '../load/kinds.js';
import { openSLOv1alphaKind, openSLOv1Kind } from './openslo.js';
import { slothResourceKind, slothSpecKind } from './sloth.js';
import { vigilSLOKind } from './vigil.js';

/**
 * The SLO document formats, registered with the rule-file kinds registry: vigil's own SLO kind,
 * Sloth's two formats and OpenSLO, so a team brings its existing SLO files as they are.
 */
registerKind('vigil/v1 SLO', vigilSLOKind);
registerKind('Sloth prometheus/v1', slothSpecKind);
registerKind('sloth.slok.dev/v1 PrometheusServiceLevel', slothResourceKind);
registerKind('openslo/v1', openSLOv1Kind);
registerKind('openslo/v1alpha SLO', openSLOv1alphaKind);
