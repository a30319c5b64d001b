import { resetLayerNames } from '../layers/layer_names.js';

/**
 * Resets the global state kerasm keeps between models, as Keras' `keras.utils.clear_session()`
 * does: the counters behind default layer and model names. After it, the first Dense layer built
 * is named `dense` again, and a model built in a loop (a hyperparameter search, a notebook cell
 * run twice) saves with the same weight names every time.
 *
 * Models and layers built before the call keep their names; building a model that mixes them
 * with layers built after it can give two layers the same name, which saving refuses.
 *
 * @example
 * ```ts
 * for (const units of [32, 64, 128]) {
 *   km.utils.clearSession();
 *   const model = km.sequential([km.layers.dense({ units, inputShape: [784] })]); // layer 'dense' each time
 * }
 * ```
 */
export function clearSession(): void {
  resetLayerNames();
}
