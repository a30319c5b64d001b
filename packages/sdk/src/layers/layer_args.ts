// The options every layer accepts, and the checks the Layer constructor runs on them.
import type { SampleShape } from '../engine/unknown_dims.js';
import { Tensor } from '../tensor.js';

/** Options every layer accepts. */
export interface LayerArgs {
  /** A unique name; defaults to the class name in snake case with a counter (`dense_1`). */
  name?: string;
  /**
   * Shape of one input sample (no batch dimension); required on the first layer of a model. null
   * leaves a dimension's size to the data, as Keras' None: `[null]` for token sequences of any length.
   */
  inputShape?: readonly (number | null)[];
  /** Shape of the input with a leading batch dimension (`null` for any batch size). */
  batchInputShape?: readonly (number | null)[];
  /**
   * The batch size, with `inputShape`: `{ inputShape: [3], batchSize: 4 }` is
   * `{ batchInputShape: [4, 3] }`, as in tfjs. Only a stateful recurrent layer needs one (it keeps
   * each sample's states from batch to batch, so every batch must have this many samples); other
   * models take any batch size.
   */
  batchSize?: number;
  /**
   * tfjs' dtype of the input a Sequential model's first layer declares with `inputShape`:
   * `'int32'` for the ids an Embedding reads, as `km.input({ shape, dtype: 'int32' })` declares
   * them (kerasm feeds them as float32 either way). Unlike tfjs, it leaves the layer's own dtype
   * (its weights, its config) float32. Default `'float32'`.
   */
  inputDType?: 'float32' | 'int32';
  /** Whether the layer's weights are updated by training (default true). */
  trainable?: boolean;
  /** Element type of the layer's weights and outputs; kerasm computes in `'float32'` only. */
  dtype?: 'float32';
  /**
   * Initial values of the layer's weights, set when it is built, in the order and shapes
   * `getWeights()` returns them (tfjs' `weights` option); a list of the wrong length or shapes is
   * an error naming the weight. Not part of `getConfig()`, as in tfjs.
   *
   * @example
   * ```ts
   * // A pretrained embedding matrix of 1000 words by 50 values, kept fixed.
   * km.layers.embedding({ inputDim: 1000, outputDim: 50, weights: [km.tensor(matrix)], trainable: false });
   * ```
   */
  weights?: readonly Tensor[];
}

/** What a layer's options declare about its input, and its `weights` option, once checked. */
export interface DeclaredInput {
  readonly inputShape?: SampleShape;
  readonly batchSize?: number;
  readonly inputDType?: 'float32' | 'int32';
  readonly initialWeights?: readonly Tensor[];
}

/**
 * Checks the options every layer accepts but `name` and `trainable` (which the constructor sets
 * first), in the order the errors should come, and returns what they declare. `layer` is the
 * layer's name, for the messages.
 */
export function checkLayerArgs(args: LayerArgs, layer: string): DeclaredInput {
  if (args.inputShape && args.batchInputShape) {
    throw new Error(`Layer '${layer}': give inputShape or batchInputShape, not both.`);
  }
  if (args.dtype !== undefined && args.dtype !== 'float32') {
    throw new Error(`Layer '${layer}': kerasm computes in float32 only. Received: dtype=${JSON.stringify(args.dtype)}. Remove dtype or set it to 'float32'.`);
  }
  const batchSize = checkBatchSize(args, layer);
  for (const key of ['inputShape', 'batchInputShape'] as const) {
    const given: unknown = args[key];
    if (given !== undefined && given !== null && !Array.isArray(given)) {
      throw new Error(`Layer '${layer}': ${key} is a list of dimensions${key === 'batchInputShape' ? ' with the batch size (or null) first' : ' without the batch'}, such as ${key === 'inputShape' ? `[${JSON.stringify(given)}]` : `[null, ${JSON.stringify(given)}]`}. Received: ${key}=${JSON.stringify(given)}.`);
    }
  }
  const shape = args.inputShape ?? args.batchInputShape?.slice(1);
  if (shape && !shape.every((d) => d === null || (Number.isInteger(d) && (d as number) > 0))) {
    throw new Error(`Layer '${layer}': input shape dimensions must be positive integers, or null for a dimension of any size (Keras' None), e.g. inputShape: [null, 8] for sequences of any length. Received: inputShape=${JSON.stringify(shape)}.`);
  }
  if (args.inputDType !== undefined && args.inputDType !== 'float32' && args.inputDType !== 'int32') {
    throw new Error(`Layer '${layer}': inputDType must be 'float32' or 'int32' (ids for an Embedding), the dtypes of kerasm's inputs. Received: inputDType=${JSON.stringify(args.inputDType)}.`);
  }
  return {
    inputShape: shape ? (shape as SampleShape) : undefined,
    batchSize,
    inputDType: args.inputDType,
    initialWeights: args.weights !== undefined ? initialWeightsOf(args.weights, layer) : undefined,
  };
}

/** `batchSize`, else a number as `batchInputShape[0]`, checked to be a positive integer that the two agree on. */
function checkBatchSize(args: LayerArgs, layer: string): number | undefined {
  const batchSize = args.batchSize ?? args.batchInputShape?.[0] ?? undefined;
  if (batchSize === undefined) return undefined;
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1) {
    throw new Error(`Layer '${layer}': the batch size must be a positive integer. Received: batchSize=${JSON.stringify(batchSize)}. Give batchSize: 32, or batchInputShape: [32, ...inputShape].`);
  }
  if (args.batchSize !== undefined && args.batchInputShape?.[0] != null && args.batchInputShape[0] !== args.batchSize) {
    throw new Error(`Layer '${layer}': batchSize ${args.batchSize} and batchInputShape[0] ${args.batchInputShape[0]} disagree. Give one of them.`);
  }
  return batchSize as number;
}

/** The `weights` option, checked to be a list of km.Tensor; their shapes are checked when the layer is built. */
function initialWeightsOf(weights: unknown, layer: string): readonly Tensor[] {
  const bad = Array.isArray(weights) ? weights.findIndex((w) => !(w instanceof Tensor)) : -1;
  if (!Array.isArray(weights) || bad >= 0) {
    const received = Array.isArray(weights) ? `item ${bad} is ${describeValue(weights[bad])}` : describeValue(weights);
    throw new Error(`Layer '${layer}': weights takes a list of km.Tensor, one per weight in the order getWeights() returns them, e.g. weights: [km.tensor(matrix)] for an Embedding. Received: ${received}.`);
  }
  return [...weights];
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return Array.isArray(value) ? 'an array (wrap it: km.tensor(values))' : `a ${value.constructor?.name ?? 'object'}`;
}
