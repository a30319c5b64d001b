import type { Functional } from '../engine/functional.js';
import type { LayersModel } from '../engine/model.js';
import { functionalTopology } from './functional_topology.js';
import { renameKeys, toSnakeCase } from './keras_names.js';
import { MODEL_CLASS_NAMES, sequentialTopology } from './layers_model_format.js';

/** The model's topology as `model.json` holds it: Keras' `{ class_name, config, keras_version, backend }`. */
export function modelTopologyOf(model: LayersModel): Record<string, unknown> {
  const topology = isFunctional(model) ? functionalTopology(model.name, model.graph, model.inputs.map((t) => t.dtype), modelTopologyOf) : sequentialTopology(model.name, model.layers, modelTopologyOf);
  const [firstEntry] = (topology.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
  const first = firstEntry && !MODEL_CLASS_NAMES.includes(firstEntry.class_name) ? firstEntry.config : undefined;
  // A model built from data rather than a declared inputShape still records its input shape (a
  // stacked model's own topology records its own).
  if (first && first.batch_input_shape === undefined && model.inputShape) {
    Object.assign(first, renameKeys({ batchInputShape: [null, ...model.inputShape], dtype: 'float32' }, toSnakeCase));
  }
  if (first && !isFunctional(model)) declareInputDType(model, topology.config as { layers: unknown[] });
  return topology;
}

/**
 * A Sequential model whose input is int32 (its first layer's `inputDType`, or an int32
 * `km.input`) starts with an `InputLayer` entry carrying the dtype, as tfjs 4.22 writes a
 * Sequential built on `tf.layers.inputLayer({ dtype: 'int32' })`. tfjs' other form, the first layer's
 * own `dtype: 'int32'`, would make tfjs build that layer's weights int32 (it loads them from
 * nothing else), and refuse kerasm's float32 values on load; the layer's own config stays float32.
 */
function declareInputDType(model: LayersModel, config: { layers: unknown[] }): void {
  if (!model.inputShape) return;
  const [input] = model.inputs;
  if (input?.dtype !== 'int32') return;
  const entry = { batchInputShape: [null, ...model.inputShape], dtype: input.dtype, sparse: false, name: input.name };
  config.layers.unshift({ class_name: 'InputLayer', config: renameKeys(entry, toSnakeCase) });
}

/**
 * Functional models carry their traced graph. Checked by shape, not `instanceof`: importing
 * Functional here would close the import cycle engine/model -> io/model_topology -> engine/functional.
 */
function isFunctional(model: LayersModel): model is Functional {
  return 'graph' in model;
}
