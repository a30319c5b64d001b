/** Making models from other models' topologies (`km.models`), as `tf.models` and `keras.models` do. */
export { cloneModel, modelFromJSON } from './io/model_from_json.js';
