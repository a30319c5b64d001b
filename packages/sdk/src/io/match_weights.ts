import { weightOrder } from '../engine/params.js';
import type { Layer, WeightSpec } from '../layers/layer.js';
import { sameShape, Tensor } from '../tensor.js';
import type { NamedWeight } from './weights.js';
import { freshLoraFactor } from './lora_weights.js';
import { baseConfigHint } from './custom_layer_config.js';
import { REPEATED_SAVED_NAME_FIX, repeatedSavedNameProblem } from './repeated_weight_names.js';

/** The model's weights made from saved ones, in `weightOrder`, or why the saved ones do not fit. */
type Pairing = { tensors: Tensor[] } | { problem: string };

/** Ends the message of an int32 weight that a layer not declaring an int32 input was given: tfjs' cause, and the two ways out. */
const INT32_WEIGHTS_CAUSE =
  ": tfjs 4.22 saves a layer's weights as int32 when it gives the layer the dtype of an int32 model input (its inputDType: 'int32'). " +
  "Give the layer inputDType: 'int32', as the saved model's had, to load them as the float32 values they hold, or re-save from tfjs with tf.layers.inputLayer({ shape, dtype: 'int32' }) in front of the layers instead of inputDType";

/** The tensor for one layer weight from a saved weight, or why it does not fit. */
function tensorFor(found: NamedWeight, layer: Layer, spec: WeightSpec): Tensor | string {
  if (!sameShape(found.shape, spec.shape)) {
    return `weight '${found.name}' has shape [${found.shape.join(', ')}] in the manifest, but layer '${layer.name}' (${layer.className}) expects [${spec.shape.join(', ')}] for '${spec.name}'${baseConfigHint(layer)}`;
  }
  if (found.values instanceof Float32Array) return new Tensor(found.values, spec.shape, 'float32');
  // tfjs computed with these whole numbers (an Embedding's matrix given inputDType), which float32 holds exactly up to 2^24.
  if (layer.declaredInputDType === 'int32') return new Tensor(Float32Array.from(found.values), spec.shape, 'float32');
  return `weight '${found.name}' is stored as int32, but layer '${layer.name}' expects float32 weights${INT32_WEIGHTS_CAUSE}`;
}

/** The message of a saved weight that does not fit by name, with a closing word unless it names its own fix. */
function byNameProblem(where: string, problem: string): string {
  return `${where}: ${problem}.${problem.endsWith(INT32_WEIGHTS_CAUSE) ? '' : ' The weights do not belong to this topology.'}`;
}

/** Each layer weight paired with the saved weight of its name; every saved weight must be used. */
function pairByName(layers: readonly Layer[], saved: readonly NamedWeight[]): Pairing {
  const repeated = repeatedSavedNameProblem(saved);
  if (repeated) return { problem: repeated };
  const unused = new Set(saved.map((w) => w.name));
  const tensors: Tensor[] = [];
  for (const { layer, spec } of weightOrder(layers)) {
    const found = savedWeightNamed(saved, spec.name);
    const fresh = found ? null : freshLoraFactor(layer, spec);
    if (fresh) {
      tensors.push(fresh);
      continue;
    }
    if (!found) return { problem: `weight '${spec.name}' of layer '${layer.name}' (${layer.className}) is missing from the weights manifest (found: ${saved.map((w) => w.name).join(', ') || 'none'})` };
    const tensor = tensorFor(found, layer, spec);
    if (typeof tensor === 'string') return { problem: tensor };
    unused.delete(found.name);
    tensors.push(tensor);
  }
  if (unused.size > 0) return { problem: `the weights manifest has weights no layer uses: ${[...unused].join(', ')}` };
  return { tensors };
}

/** The i-th layer weight paired with the i-th saved weight, as Keras' `load_weights` pairs them. */
export function pairByPosition(layers: readonly Layer[], saved: readonly NamedWeight[]): Pairing {
  const order = weightOrder(layers);
  if (saved.length !== order.length) return { problem: `the file holds ${saved.length} weights and the model ${order.length}` };
  const tensors: Tensor[] = [];
  for (const [i, { layer, spec }] of order.entries()) {
    const tensor = tensorFor(saved[i], layer, spec);
    if (typeof tensor === 'string') return { problem: tensor };
    tensors.push(tensor);
  }
  return { tensors };
}

/**
 * The saved weights for `layers` in `weightOrder`, paired by name (a file saved from these layers'
 * topology: `loadLayersModel`). Shapes and dtypes are checked, and every saved weight must be used.
 */
export function weightsByName(layers: readonly Layer[], saved: readonly NamedWeight[], where: string): Tensor[] {
  checkDistinctSavedNames(saved, where);
  const byName = pairByName(layers, saved);
  if ('problem' in byName) throw new Error(byNameProblem(where, byName.problem));
  return byName.tensors;
}

/**
 * `loadLayersModel` with `strict: false`, as in tfjs: each layer weight paired by name, or null where
 * the file has none of its name (it keeps its initial value); saved weights no layer uses are
 * ignored. A weight of another shape is still an error, as in tfjs.
 */
export function weightsByNameLoosely(layers: readonly Layer[], saved: readonly NamedWeight[], where: string): (Tensor | null)[] {
  checkDistinctSavedNames(saved, where);
  return weightOrder(layers).map(({ layer, spec }) => {
    const found = savedWeightNamed(saved, spec.name);
    if (!found) return null;
    const tensor = tensorFor(found, layer, spec);
    if (typeof tensor === 'string') throw new Error(`${where}: ${tensor}. strict: false skips missing and unused weights, not ones of another shape; to keep those as they are, build the model and call model.loadWeights(source, { skipMismatch: true }).`);
    return tensor;
  });
}

/**
 * The saved weights for `layers` (`model.loadWeights`): by name when the file names each of them,
 * else by position when it holds as many weights of the same shapes in the same order, as Keras'
 * `load_weights` does (a copy of the architecture built in the same program has other layer names).
 */
export function weightsByNameOrPosition(layers: readonly Layer[], saved: readonly NamedWeight[], where: string): Tensor[] {
  const byName = pairByName(layers, saved);
  if ('tensors' in byName) return byName.tensors;
  const byPosition = pairByPosition(layers, saved);
  if ('tensors' in byPosition) return byPosition.tensors;
  throw new Error(`${where}: the saved weights fit this model neither by name (${byName.problem}) nor by position (${byPosition.problem}). Load weights saved from a model of the same architecture.`);
}

/**
 * `loadWeights` with `skipMismatch`: each layer weight paired by name, or null where the file has
 * none of its name or one of another shape; `skipped` says which and why.
 */
export function weightsByNameSkipping(layers: readonly Layer[], saved: readonly NamedWeight[], where: string): { tensors: (Tensor | null)[]; skipped: string[] } {
  checkDistinctSavedNames(saved, where);
  const skipped: string[] = [];
  const tensors = weightOrder(layers).map(({ layer, spec }) => {
    const found = savedWeightNamed(saved, spec.name);
    const tensor = found ? tensorFor(found, layer, spec) : `weight '${spec.name}' of layer '${layer.name}' is not in the file`;
    if (typeof tensor !== 'string') return tensor;
    skipped.push(tensor);
    return null;
  });
  return { tensors, skipped };
}

/** Pairing by name needs each saved name once: a repeated one would give two layers one tensor. */
function checkDistinctSavedNames(saved: readonly NamedWeight[], where: string): void {
  const repeated = repeatedSavedNameProblem(saved);
  if (repeated) throw new Error(`${where}: ${repeated}. ${REPEATED_SAVED_NAME_FIX}`);
}

/** The saved weight of this name, also under the model-name prefix Keras' converter may add (`sequential/dense/kernel`). */
function savedWeightNamed(saved: readonly NamedWeight[], name: string): NamedWeight | undefined {
  return saved.find((w) => w.name === name) ?? onlyOne(saved.filter((w) => w.name.endsWith(`/${name}`)));
}

function onlyOne<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
