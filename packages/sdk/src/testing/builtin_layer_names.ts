import * as km from '../index.js';

/**
 * The layer classes registered when the SDK has loaded, before any test file registers its own:
 * fresh_session.ts imports this module first, and test files share one module graph per worker.
 */
export const BUILTIN_LAYER_NAMES: readonly string[] = km.layers.registeredLayerClasses();
