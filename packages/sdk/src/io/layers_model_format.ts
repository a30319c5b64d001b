import type { LayersModel } from '../engine/model.js';
import type { Layer } from '../layers/layer.js';
import { renameKeys, toCamelCase, toSnakeCase } from './keras_names.js';
import type { SavedLayers } from './saved_layers.js';
import { checkConfigKeepsOptions } from './custom_layer_config.js';
import { checkRegisteredClassName } from './registered_classes.js';

/** What kerasm writes as `keras_version` and `backend` (tfjs writes its own; readers ignore both). */
export const KERAS_VERSION = 'kerasm 0.0.0';

/**
 * A Sequential model's topology as tfjs-layers writes it: Keras-2 class names and snake_case
 * configs; a model stacked in it is one entry holding its own topology's config (`nestedTopology`).
 */
export function sequentialTopology(name: string, layers: readonly (Layer | LayersModel)[], nestedTopology: (model: LayersModel) => Json): Record<string, unknown> {
  return {
    class_name: 'Sequential',
    config: {
      name,
      layers: layers.map((entry) => ('allLayers' in entry ? { class_name: savedModelClassName(entry), config: nestedTopology(entry).config } : { class_name: entry.className, config: savedLayerConfig(entry) })),
    },
    keras_version: KERAS_VERSION,
    backend: 'kerasm',
  };
}

/**
 * Keras and tfjs write enum-like values in snake_case too (`data_format: 'channels_last'`,
 * `activation: 'hard_sigmoid'`, `recurrent_activation`, an initializer's `mode: 'fan_in'` and
 * `distribution: 'truncated_normal'`, CategoryEncoding's `output_mode: 'multi_hot'`), where
 * `getConfig()` gives tfjs' camelCase ones; layers read both. Only these keys change: tfjs turns
 * every string of the config to snake_case, which would rewrite a lookup layer's vocabulary.
 */
function pythonicValues(config: Json): Json {
  const saved: Json = { ...config };
  if (config.data_format === 'channelsLast' || config.data_format === 'channelsFirst') saved.data_format = toSnakeCase(config.data_format);
  // Recurrent layers name a second activation (tfjs writes recurrent_activation: 'hard_sigmoid').
  // Keras 3's preprocessing layers already give their output modes in snake_case ('multi_hot', 'tf_idf').
  for (const key of ['activation', 'recurrent_activation', 'output_mode']) if (typeof saved[key] === 'string') saved[key] = toSnakeCase(saved[key]);
  for (const [key, value] of Object.entries(saved)) {
    if (key.endsWith('_initializer') && isObject(value) && isObject(value.config)) saved[key] = { ...value, config: pythonicInitializer(value.config) };
  }
  // Wrappers (Bidirectional, TimeDistributed) nest their layers' configs, saved the same way.
  // The RNN layer nests its cell (`cell`), and stacked cells their cells (`cells`), as tfjs writes them.
  for (const key of ['layer', 'backward_layer', 'cell']) {
    const nested = saved[key];
    if (isObject(nested) && isObject(nested.config)) saved[key] = { ...nested, config: pythonicValues(nested.config) };
  }
  if (Array.isArray(saved.cells)) saved.cells = saved.cells.map((cell: unknown) => (isObject(cell) && isObject(cell.config) ? { ...cell, config: pythonicValues(cell.config) } : cell));
  return saved;
}

/** A VarianceScaling initializer's config with Keras' `mode` and `distribution` spellings (`fanIn` → `fan_in`). */
function pythonicInitializer(config: Json): Json {
  const saved: Json = { ...config };
  for (const key of ['mode', 'distribution']) if (typeof saved[key] === 'string') saved[key] = toSnakeCase(saved[key]);
  return saved;
}

/** One layer's config as saved: snake_case keys and Keras' value spellings. */
export function savedLayerConfig(layer: Layer): Json {
  checkRegisteredClassName(layer);
  checkConfigKeepsOptions(layer);
  return pythonicValues(renameKeys(layer.getConfig(), toSnakeCase) as Json);
}

/** The layers and model name a saved topology describes. */
export interface ParsedTopology {
  name: string;
  /** The layers, and the models saved among them, which the Sequential model stacks. */
  layers: (Layer | LayersModel)[];
}

/** The class name a model is saved under, as tfjs writes it: 'Sequential', or 'Model' for a functional one. */
export function savedModelClassName(model: LayersModel): string {
  return model.className === 'Sequential' ? 'Sequential' : 'Model';
}

/** Class names of models saved inside another as one of its layers (Keras' and tfjs' nested models). */
export const MODEL_CLASS_NAMES: readonly string[] = ['Sequential', 'Model', 'Functional'];

/** What the topology readers get from the load they are part of. */
export interface TopologyLoad {
  /**
   * Builds a model saved as a layer of another from its `{class_name, config}` entry. The loader
   * passes it in, since only it may import the model classes (they import this module's savers).
   */
  nested(entry: Json, where: string): LayersModel;
  /** The load's layers, shared by name across the models of one file. */
  readonly layers: SavedLayers;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds the layers of a saved Sequential model. Reads what tfjs writes, Keras' converter
 * wrapper (`model_config`), Keras 2 and 3 `InputLayer`s (`batch_input_shape`, `batch_shape`) and
 * Keras 3 dtype policies. Every error names `source` and the layer at fault.
 */
export function layersFromTopology(topology: unknown, source: string, load: TopologyLoad): ParsedTopology {
  const model = modelConfigOf(topology, source);
  const className = model.class_name;
  if (className === undefined) {
    throw new Error(`${source}: the topology has no class_name, so it names no model class. Pass model.toJSON() or { class_name, config } (a model.json's modelTopology holds one).`);
  }
  if (className !== 'Sequential') {
    throw new Error(`${source}: kerasm loads Sequential and functional ('Model', 'Functional') models; this model is a '${String(className)}'. Rebuild it with km.sequential or km.model, or load it with TensorFlow.js.`);
  }
  // Keras < 2.2.3 wrote the layer list itself as the config.
  const config = Array.isArray(model.config) ? { layers: model.config } : model.config;
  if (!isObject(config) || !Array.isArray(config.layers)) {
    throw new Error(`${source}: a Sequential model's config needs a 'layers' array. Received: config=${describe(config)}.`);
  }
  const layers: (Layer | LayersModel)[] = [];
  let pendingInputShape: unknown;
  // An InputLayer's int32 dtype (tfjs' Sequential on tf.layers.inputLayer({ dtype: 'int32' }), and kerasm's int32 input) becomes the next layer's inputDType.
  let pendingInputDType: unknown;
  config.layers.forEach((entry: unknown, i: number) => {
    const where = `${source}: layer ${i}`;
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config)) {
      throw new Error(`${where} must be {class_name, config}. Received: ${describe(entry)}.`);
    }
    if (MODEL_CLASS_NAMES.includes(entry.class_name)) {
      // A nested model declares its own input; an InputLayer before it describes that input, no later layer's.
      pendingInputShape = undefined;
      pendingInputDType = undefined;
      layers.push(load.nested(entry, `${where} '${String(entry.config.name ?? '?')}' (${entry.class_name})`));
      return;
    }
    const layerConfig = normalizeConfig(entry.config, `${where} '${String(entry.config.name ?? '?')}' (${entry.class_name})`);
    if (entry.class_name === 'InputLayer') {
      pendingInputShape = layerConfig.batchInputShape;
      pendingInputDType = layerConfig.dtype;
      return;
    }
    if (pendingInputShape !== undefined || layers.length > 0) dropUnknownInputShape(layerConfig);
    if (pendingInputShape !== undefined && layerConfig.batchInputShape === undefined) layerConfig.batchInputShape = pendingInputShape;
    if (pendingInputDType === 'int32' && layerConfig.inputDType === undefined) layerConfig.inputDType = 'int32';
    pendingInputShape = undefined;
    pendingInputDType = undefined;
    try {
      const layer = load.layers.layer(entry.class_name, layerConfig);
      rejectDroppedFields(layerConfig, layer.getConfig());
      layers.push(layer);
    } catch (err) {
      throw new Error(`${where} '${String(layerConfig.name ?? '?')}' (${entry.class_name}): ${(err as Error).message}`);
    }
  });
  if (layers.length === 0) throw new Error(`${source}: the model has no layers.`);
  return { name: typeof config.name === 'string' ? config.name : 'sequential', layers };
}

/** The model part of a saved topology: `{class_name, config}`, unwrapping Keras' converter's `model_config`. */
export function modelConfigOf(topology: unknown, source: string): Json {
  if (!isObject(topology)) throw new Error(`${source}: modelTopology must be an object. Received: ${describe(topology)}.`);
  return isObject(topology.model_config) ? topology.model_config : topology;
}

/** camelCase keys, one input-shape field, a plain dtype. */
export function normalizeConfig(snake: Json, where: string): Json {
  const config = renameKeys(snake, toCamelCase) as Json;
  if (config.batchShape !== undefined && config.batchInputShape === undefined) config.batchInputShape = config.batchShape;
  delete config.batchShape;
  withPlainDTypes(config);
  // tfjs-layers 4.22's DepthwiseConv2D saves its depthwise regularizer as depthwise_constraint (its
  // getConfig reads the wrong field): a regularizer there means the file kept no constraint.
  if (isObject(config.depthwiseConstraint) && ['L1L2', 'L1', 'L2'].includes(String(config.depthwiseConstraint.className))) config.depthwiseConstraint = null;
  return config;
}

/**
 * Keras 3 writes every layer's dtype as a policy object, `{class_name: 'DTypePolicy', config: {name:
 * 'float32'}}`, nested layers' too (a wrapper's layer, an RNN's cell): each becomes its name.
 */
function withPlainDTypes(config: Json): void {
  if (isObject(config.dtype) && isObject(config.dtype.config)) config.dtype = config.dtype.config.name;
  const nested = [config.layer, config.backwardLayer, config.cell, ...(Array.isArray(config.cells) ? config.cells : [])];
  for (const entry of nested) if (isObject(entry) && isObject(entry.config)) withPlainDTypes(entry.config);
}

/**
 * Drops the batch_input_shape of a layer whose input comes from before it (an InputLayer, or the
 * layer before it) when it leaves a dimension unknown: Keras reads a layer's input shape only where
 * it starts a model, and tfjs' Embedding writes `[null, null]` wherever it is, when it has no
 * inputLength. A shape with every dimension known is kept, so that the layer saves it again.
 */
export function dropUnknownInputShape(config: Json): void {
  const shape = config.batchInputShape;
  if (Array.isArray(shape) && !shape.slice(1).every(isKnownDimension)) delete config.batchInputShape;
}

/** A saved dimension with a size: a positive integer, not Keras' None (null). */
export function isKnownDimension(d: unknown): d is number {
  return Number.isInteger(d) && (d as number) > 0;
}

/** A regularizer or constraint the layer class does not keep would be lost silently. */
function rejectDroppedFields(saved: Json, kept: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (/(Regularizer|Constraint)$/.test(key) && value !== null && value !== undefined && (kept[key] === null || kept[key] === undefined)) {
      throw new Error(`uses ${key}=${JSON.stringify(value)}, which kerasm does not support on this layer yet (Dense, Conv1D, Conv2D, Conv3D, the transposed convolutions, DepthwiseConv2D and SeparableConv2D take regularizers, constraints and activity regularizers; BatchNormalization takes them on gamma and beta, PReLU on alpha). Set it to null in model.json.`);
    }
  }
}

/** A value, shortened for an error message. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
