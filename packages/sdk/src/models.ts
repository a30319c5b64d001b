/** Making models from other models' topologies (`km.models`), as `tf.models` and `keras.models` do. */
export { modelFromJSON } from './io/model_from_json.js';
export { cloneModel, type CloneModelArgs } from './engine/clone_model.js';
