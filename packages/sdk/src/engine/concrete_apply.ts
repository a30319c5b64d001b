import type { Backend } from '../backend/backend.js';
import { backend as activeBackend } from '../backend/registry.js';
import type { Layer, Shape } from '../layers/layer.js';
import { Tensor } from '../tensor.js';
import { checkOptions, optionNames } from '../utils/options.js';
import { globalGenerator } from '../utils/random.js';
import { Graph, modelInputRef } from './graph.js';
import { ParamStore } from './params.js';
import { BatchPlan, cachedPlan } from './plan.js';
import { buildForCall, SymbolicTensor } from './symbolic.js';
import { checkExplicitMasks, maskEntries } from './masks.js';
import { predict } from './predict.js';
import { tapedApply } from './taped_apply.js';
import { checkNotInCall } from '../layers/running_calls.js';
import { taping } from '../ops/tape.js';
import { checkSameLength, checkTensor } from './validate_data.js';
import { checkNotWrapped, homeOf, moveHome } from './weight_homes.js';

/** Options of `layer.apply` on concrete tensors. */
export interface LayerApplyArgs {
  /**
   * On data: run the layer as `fit` does: Dropout drops, and BatchNormalization normalizes with the
   * batch's statistics and moves its moving statistics towards them, as tfjs-layers'
   * `apply(x, { training: true })` does. Absent, layers infer (as in TensorFlow.js), except the image
   * augmentation layers (randomFlip, randomRotation, ...), which augment, as Keras 3's do when called.
   *
   * On symbolic tensors: fix the call's mode in the model, as Keras' `layer(x, training=False)`
   * does. `false` keeps it in inference mode during `fit` too (a BatchNormalization normalizes with
   * its moving statistics and leaves them alone, while its gamma and beta still train); `true`
   * keeps it in training mode during `predict` and `evaluate` too (Monte Carlo dropout). Absent,
   * `fit` trains and `predict` infers.
   */
  training?: boolean;
  /**
   * A recurrent layer's initial states (`[h, c]` for an LSTM, `[h]` for a GRU or SimpleRNN, each
   * `[units]` per sample), instead of zeros: on symbolic tensors they become further inputs of the
   * call, so a seq2seq decoder starts from its encoder's returned states and training reaches the
   * encoder through them. A layer that takes no such keyword input refuses it.
   */
  initialState?: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[];
  /**
   * MultiHeadAttention's attention mask (Keras' `attention_mask`), `[querySteps, valueSteps]` per
   * sample: 1 where a query step may attend to a value step, 0 where not.
   */
  attentionMask?: SymbolicTensor | Tensor;
  /**
   * The mask of the input, given explicitly (Keras' `layer(x, mask=m)`): one value per step,
   * `[steps]` per sample for a sequence `[steps, features]` (1 keeps a step, 0 masks it; any value
   * but 0 keeps it, as Keras casts masks to booleans). It replaces any mask the input carries (from
   * `embedding({ maskZero: true })` or `masking()`). A recurrent layer carries its state over masked
   * steps, and passes the mask on with returnSequences, so losses and metrics after it skip those
   * steps; a mask may be a model input of its own (`km.input({ shape: [steps] })`) or any layer's
   * output of that shape. Attention layers take a list, `[queryMask, valueMask]` (Keras'
   * `mask=[query_mask, value_mask]`; MultiHeadAttention and GroupedQueryAttention also take a
   * `keyMask` third, Keras 3's `query_mask`, `value_mask`, `key_mask`), with null for an input given
   * no mask (Keras' None: that input keeps only a mask it carries, if any); a lone mask is refused
   * there rather than taken for the query's. A layer that takes no mask (conv1d, flatten,
   * ...) or makes its own from its input's values (masking, embedding with maskZero) refuses one.
   * It gets no gradient.
   *
   * @example
   * ```ts
   * const x = km.input({ shape: [10, 4] });
   * const keep = km.input({ shape: [10] }); // 1 for a real step, 0 for padding
   * const h = km.layers.lstm({ units: 8 }).apply(x, { mask: keep });
   * const model = km.model({ inputs: [x, keep], outputs: km.layers.dense({ units: 1 }).apply(h) });
   * // Attention over padded values, every query step kept:
   * const [q, v, vKeep] = [km.input({ shape: [5, 8] }), km.input({ shape: [10, 8] }), km.input({ shape: [10] })];
   * const attended = km.layers.attention().apply([q, v], { mask: [null, vKeep] });
   * ```
   */
  mask?: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor | null)[];
}

// Keyword inputs (initialState) are split off before these are checked.
export const APPLY_OPTIONS = optionNames<Pick<LayerApplyArgs, 'training'>>({ training: true });

/**
 * What a layer needs to run on concrete tensors on one backend: a one-node graph over the layer,
 * batch plans per batch size, and a weight store of its own for when no model on this backend
 * holds the layer's latest weights.
 */
interface ApplyCall {
  readonly graph: Graph;
  readonly plans: Map<number, BatchPlan>;
}

interface ApplyRuntime {
  readonly backend: Backend;
  /**
   * Per input shapes and number of masks among them (an RNN with or without initial states, over
   * sequences of some length): the one-node graph and its plans, least recently used first.
   */
  readonly calls: Map<string, ApplyCall>;
  own: ParamStore | null;
}

/**
 * Plans kept per layer; fewer than a model keeps (8), since a loop of applies usually repeats one
 * batch size, and every layer applied on its own keeps its own.
 */
const MAX_APPLY_PLANS = 4;

/** The calls a layer keeps, each of other input shapes (data of several lengths), the least recently used released first. */
const MAX_APPLY_CALLS = 8;

const runtimes = new WeakMap<Layer, ApplyRuntime>();

/** What a value is, for messages: null, undefined, its class or its type. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  return typeof value === 'object' ? ((value as object).constructor?.name ?? 'object') : typeof value;
}

/** `training` as a call's mode: true, false, or undefined (absent); anything else is an error naming `where`. */
export function trainingFlag(training: unknown, where: string): boolean | undefined {
  if (training === undefined || typeof training === 'boolean') return training;
  throw new Error(`${where}: training must be true or false. Received: training=${JSON.stringify(training)}.`);
}

/** The mode a symbolic call is fixed to, from `apply`'s options; undefined leaves it to the pass. */
export function symbolicTraining(layer: Layer, options: LayerApplyArgs | undefined): boolean | undefined {
  checkOptions(options, APPLY_OPTIONS, `Layer '${layer.name}'.apply`);
  return trainingFlag(options?.training, `Layer '${layer.name}'.apply`);
}

/**
 * `layer.apply` on concrete tensors: builds the layer from the input shapes at its first call (the
 * first dimension is the batch) and runs it as a one-layer model's `predict` on the whole input as
 * one batch, with the layer's weights wherever they live, on the active backend. No symbolic call
 * is recorded.
 */
export function applyConcrete(layer: Layer, inputs: readonly unknown[], options: LayerApplyArgs = {}, masks = 0, maskedInputs?: readonly number[]): Tensor<'float32'> | Tensor<'float32'>[] {
  const where = `Layer '${layer.name}' (${layer.className}).apply`;
  checkOptions(options, APPLY_OPTIONS, `Layer '${layer.name}'.apply`);
  const training = trainingFlag(options.training, where);
  const tensors = inputs.map((x, i) => checkConcreteInput(layer, where, x, i, inputs.length, i >= inputs.length - masks));
  tensors.forEach((t, i) => {
    try {
      checkSameLength(tensors[0], t, 'input 0', `input ${i}`);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message} The first dimension is the batch, which every input of a call shares.`);
    }
  });
  const shapes = tensors.map((t) => t.shape.slice(1));
  const inputShapes = shapes.slice(0, shapes.length - masks);
  const outputShapes = buildForData(layer, inputShapes);
  if (masks > 0) checkExplicitMasks(layer, inputShapes, maskEntries(shapes.slice(-masks), maskedInputs));
  checkNotInCall(where, () => layer.weightSpecs.some((spec) => spec.trainable));
  const runtime = runtimeFor(layer, activeBackend());
  const call = callFor(layer, runtime, shapes, outputShapes, masks, maskedInputs);
  const target = { backend: runtime.backend, graph: call.graph, params: weightStore(layer, runtime), plan: (batch: number) => planFor(runtime, call, batch) };
  // Inside km.variableGrads or optimizer.minimize, recorded for the gradient of the layer's weights.
  const taped = taping() ? tapedApply({ backend: target.backend, graph: target.graph, params: target.params, where }, tensors, training) : null;
  if (taped) return taped.length === 1 ? taped[0] : taped;
  try {
    const outputs = predict(target, tensors, { batchSize: tensors[0].shape[0] }, training);
    return outputs.length === 1 ? outputs[0] : outputs;
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
  }
}

/** Checks input `i` is a live tensor with a batch dimension, float32 unless the layer reads indices; names what was received and the fix. */
function checkConcreteInput(layer: Layer, where: string, x: unknown, i: number, count: number, isMask = false): Tensor {
  const which = isMask ? 'its mask' : count === 1 ? 'its input' : `input ${i}`;
  if (x instanceof SymbolicTensor) {
    throw new Error(
      `${where} received concrete tensors (km.tensor) and symbolic ones (km.input, layer.apply on km.input) together: ${which} is symbolic tensor '${x.name}'. ` +
        `Pass all symbolic tensors (to build a model with km.model) or all km.Tensor data (to compute now), as TensorFlow.js requires too.`,
    );
  }
  if (!(x instanceof Tensor)) throw new Error(`${where} expects km.Tensor data or symbolic tensors from km.input(...), but ${which} is ${describe(x)}. Make a tensor with km.tensor(values, shape).`);
  const t = checkTensor(x, `${where} input ${i}`);
  if (t.rank < 2) {
    throw new Error(
      `${where} treats the first dimension of a tensor as the batch, so ${which} needs at least 2 dimensions, but it has shape [${t.shape.join(', ')}]. ` +
        `Add a batch dimension, e.g. x.reshape([1, ${t.shape.join(', ')}]) for one sample.`,
    );
  }
  if (t.dtype !== 'float32' && isMask) {
    throw new Error(`${where} reads a mask as float32 0/1 values, but its mask is an ${t.dtype} tensor of shape [${t.shape.join(', ')}]. Convert it: km.tensor(Float32Array.from(mask.dataSync()), mask.shape).`);
  }
  if (t.dtype !== 'float32' && !layer.readsIndices) {
    throw new Error(
      `${where} computes in float32, but ${which} is an ${t.dtype} tensor of shape [${t.shape.join(', ')}]. ` +
        `TensorFlow.js casts int32 for some layers (Dense), rejects it for others (Conv2D) and keeps it for others (pooling, merges); kerasm asks for float32 everywhere. ` +
        `Convert it: km.tensor(Float32Array.from(x.dataSync()), x.shape).`,
    );
  }
  return t;
}

/** The layer's runtime on `backend`, made on first use there; one left on an earlier backend is released. */
function runtimeFor(layer: Layer, backend: Backend): ApplyRuntime {
  const existing = runtimes.get(layer);
  if (existing?.backend === backend) return existing;
  if (existing) release(existing);
  const runtime: ApplyRuntime = { backend, calls: new Map(), own: null };
  runtimes.set(layer, runtime);
  return runtime;
}

/**
 * {@link buildForCall} for data: a built layer given other shapes that its weights fit too (an RNN
 * over longer sequences, a convolution over larger images) is rebound to them, as tfjs and Keras run
 * a layer on data of any such size; else the refusal names the shapes it was built for.
 */
function buildForData(layer: Layer, shapes: readonly Shape[]): Shape[] {
  if (layer.built) {
    try {
      layer.ensureBuilt(shapes);
    } catch (refusal) {
      try {
        layer.rebind(shapes);
      } catch {
        throw refusal;
      }
    }
  }
  return buildForCall(layer, shapes);
}

/**
 * The one-node graph of a call with these input shapes, the last `masks` of them explicit masks (for
 * `maskedInputs`, if given), made on first use.
 */
function callFor(layer: Layer, runtime: ApplyRuntime, shapes: readonly Shape[], outputShapes: readonly Shape[], masks: number, maskedInputs?: readonly number[]): ApplyCall {
  const key = `${JSON.stringify(shapes)}:${masks}:${maskedInputs?.join(',') ?? ''}`;
  const existing = runtime.calls.get(key);
  if (existing) {
    runtime.calls.delete(key);
    runtime.calls.set(key, existing);
    return existing;
  }
  const node = {
    layer, inbound: shapes.map((_, k) => modelInputRef(k)), outputShape: outputShapes[0], outputShapes,
    ...(masks > 0 ? { masks } : {}), ...(masks > 0 && maskedInputs ? { maskedInputs } : {}),
  };
  const inputs = shapes.length - masks;
  const names = shapes.map((_, k) => (k >= inputs ? `${layer.name}_mask_${k - inputs}` : inputs === 1 ? `${layer.name}_input` : `${layer.name}_input_${k}`));
  const graph = Graph.fromNodes(shapes, names, [node], outputShapes.map(() => 0), outputShapes.map((_, t) => t));
  const call: ApplyCall = { graph, plans: new Map() };
  runtime.calls.set(key, call);
  if (runtime.calls.size > MAX_APPLY_CALLS) {
    const [oldest, evicted] = runtime.calls.entries().next().value!;
    runtime.calls.delete(oldest);
    for (const plan of evicted.plans.values()) plan.release(runtime.backend);
  }
  return call;
}

/**
 * Where the layer's weights are read: the store of the model on this backend that holds their
 * latest values (no copy), or else the runtime's own store, which takes them over (from a model on
 * another backend, `setWeights`, or drawn from the seeded generator as a model would draw them).
 */
function weightStore(layer: Layer, runtime: ApplyRuntime): ParamStore {
  const home = homeOf(layer);
  if (home instanceof ParamStore && home.backend === runtime.backend) return home;
  checkNotWrapped(layer, `'${layer.name}'.apply on data`);
  runtime.own ??= new ParamStore(runtime.backend, [layer], globalGenerator(), `${layer.name}.apply`);
  runtime.own.claim();
  return runtime.own;
}

function planFor(runtime: ApplyRuntime, call: ApplyCall, batch: number): BatchPlan {
  // One placeholder target value per sample: predict never reads targets.
  const targets = call.graph.outputs.map(() => 1);
  return cachedPlan(call.plans, batch, runtime.backend, MAX_APPLY_PLANS, () => new BatchPlan(runtime.backend, call.graph, batch, targets, targets.map(() => false)));
}

/**
 * Frees what `layer.apply` on data allocated for the layer: its batch plans, and its own weight
 * store with the weights when no model holds them too (as tfjs' `layer.dispose()` frees them).
 */
export function releaseApplied(layer: Layer): void {
  const runtime = runtimes.get(layer);
  if (!runtime) return;
  runtimes.delete(layer);
  const ownedWeights = runtime.own !== null && homeOf(layer) === runtime.own;
  release(runtime);
  if (ownedWeights && homeOf(layer)?.kind === 'freed') moveHome(layer, { kind: 'freed' });
}

/**
 * Frees a runtime left on a backend that is no longer active. Leaving that backend moved the
 * weights its store held to the host first (`beforeLeavingBackend`), so nothing is lost.
 */
function release(runtime: ApplyRuntime): void {
  for (const call of runtime.calls.values()) for (const plan of call.plans.values()) plan.release(runtime.backend);
  runtime.calls.clear();
  runtime.own?.release();
}
