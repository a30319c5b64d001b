// Functional-model topologies as Keras 3 writes them (`model.to_json()`, `get_config()`), assembled
// from Keras 3's sources: keras/src/models/functional.py (Functional.get_config, serialize_node),
// keras/src/saving/serialization_lib.py (serialize_keras_object, get_build_and_compile_config),
// keras/src/models/sequential.py (Sequential.get_config) and keras/src/layers/core/input_layer.py.
import { KERAS3_LAYERS } from './keras3_layer_configs.js';

type Json = Record<string, unknown>;
type Shape = (number | null)[];

const dtype = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** serialize_keras_object(KerasTensor): the tensor's shape and dtype, and `keras_history` [layer, node, tensor]. */
export function kerasTensor(layer: string, node: number, tensor: number, shape: Shape): Json {
  return { class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, node, tensor] } };
}

/** serialize_node: the call's positional `args` (a list for a merge layer's one list argument) and `kwargs` as given. */
export function kerasNode(args: unknown[], kwargs: Json = {}): Json {
  return { args, kwargs };
}

/**
 * A layer as Functional.get_config lists it: serialize_keras_object's envelope (module, class_name,
 * config, registered_name, build_config from get_build_config) plus `name` and `inbound_nodes`. The
 * config is the one keras3_layer_configs holds for the class, with `overrides`.
 */
export function kerasLayer(className: string, overrides: Json, inboundNodes: Json[], buildShape: Shape | Shape[]): Json {
  const known = KERAS3_LAYERS.find((layer) => layer.entry.class_name === className);
  // Merge layers (keras/src/layers/merging) save only Layer.get_config's keys, and Concatenate its axis.
  const config = known ? structuredClone(known.entry.config) : { name: '', trainable: true, dtype, ...(className === 'Concatenate' ? { axis: -1 } : {}) };
  return {
    module: 'keras.layers',
    class_name: className,
    config: { ...config, ...overrides },
    registered_name: null,
    build_config: { input_shape: buildShape },
    name: overrides.name,
    inbound_nodes: inboundNodes,
  };
}

/** InputLayer.get_config in a Functional's layer list: no build_config (it is built in __init__) and no inbound nodes. */
export function kerasInputLayer(name: string, batchShape: Shape): Json {
  return {
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: batchShape, dtype: 'float32', sparse: false, ragged: false, name, optional: false },
    registered_name: null,
    name,
    inbound_nodes: [],
  };
}

/**
 * A functional model as serialize_keras_object writes it: Functional is no public class, so its module
 * is keras.src.models.functional and registered_name 'Functional'. Functional.get_config gives
 * `input_layers` and `output_layers` as tree.map_structure over the model's inputs and outputs: one
 * `[name, node, tensor]` for a model built on one tensor, a list, or a dict.
 */
export function kerasFunctional(name: string, layers: Json[], inputLayers: unknown, outputLayers: unknown, envelope: Json = {}): Json {
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: { name, trainable: true, layers, input_layers: inputLayers, output_layers: outputLayers },
    registered_name: 'Functional',
    build_config: { input_shape: null },
    ...envelope,
  };
}

/** A Sequential model: its layers' envelopes, its InputLayer first, and `build_input_shape` (Sequential.get_config). */
export function kerasSequential(name: string, batchShape: Shape, layers: Json[]): Json {
  const entries = layers.map(({ name: _name, inbound_nodes: _nodes, ...entry }) => entry);
  const input = { module: 'keras.layers', class_name: 'InputLayer', config: kerasInputLayer(`${name}_input`, batchShape).config, registered_name: null };
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name, trainable: true, dtype, layers: [input, ...entries], build_input_shape: batchShape },
    registered_name: null,
    build_config: { input_shape: batchShape },
  };
}

/** A model entry (kerasFunctional, kerasSequential) as an outer Functional lists it, with its name and calls. */
export function kerasNested(model: Json, inboundNodes: Json[]): Json {
  return { ...model, name: (model.config as Json).name, inbound_nodes: inboundNodes };
}

/** What Model.get_compile_config gives serialize_keras_object after compile(optimizer='sgd', loss='mse'). */
export const KERAS3_COMPILE_CONFIG: Json = {
  optimizer: {
    module: 'keras.optimizers',
    class_name: 'SGD',
    config: { name: 'SGD', learning_rate: 0.01, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, momentum: 0.0, nesterov: false },
    registered_name: null,
  },
  loss: 'mse',
  loss_weights: null,
  metrics: null,
  weighted_metrics: null,
  run_eagerly: false,
  steps_per_execution: 1,
  jit_compile: false,
};
