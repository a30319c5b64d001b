// tfjs-core's tensor loss functions without a compile counterpart: they compute a value from tensors
// now, composed of km's host ops in tfjs' order, so they give what tfjs gives and km.grad
// differentiates them.
import { div, mul, sub } from '../ops/arithmetic.js';
import { mean, sum } from '../ops/reduce.js';
import { tensor, Tensor, type TensorLike } from '../tensor.js';

/**
 * How {@link computeWeightedLoss} reduces the weighted losses: tfjs-core's `tf.Reduction`, with its
 * values, so `tf.Reduction.MEAN` works here too.
 */
export const Reduction = Object.freeze({
  /** The weighted losses, unreduced. */
  NONE: 0,
  /** Σ weighted losses / Σ weights (divided again by how many times the weights were broadcast). */
  MEAN: 1,
  /** Σ weighted losses. */
  SUM: 2,
  /** Σ weighted losses / the number of nonzero weights, broadcast to the losses' shape (the default). */
  SUM_BY_NONZERO_WEIGHTS: 3,
} as const);
/** One of {@link Reduction}'s values. */
export type Reduction = (typeof Reduction)[keyof typeof Reduction];

/** `value` (a km.Tensor or values km.tensor takes) as a km.Tensor, or the error naming the argument of `km.losses.<call>`. */
export function tensorOf(value: Tensor | TensorLike, name: string, call: string): Tensor {
  if (value instanceof Tensor) return value;
  if (typeof value === 'number' || Array.isArray(value) || ArrayBuffer.isView(value)) return tensor(value as TensorLike);
  const received = value !== null && typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : String(value);
  throw new Error(`km.losses.${call}: ${name} must be a km.Tensor, a number or nested arrays of numbers. Received: ${received}. Make a km.tensor of the values first.`);
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Throws, naming both shapes and the fix, unless the weights broadcast against the losses (NumPy's rule). */
function checkBroadcast(losses: readonly number[], weights: readonly number[], call: string): void {
  const rank = Math.max(losses.length, weights.length);
  for (let i = 0; i < rank; i++) {
    const x = losses[losses.length - rank + i] ?? 1;
    const y = weights[weights.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`km.losses.${call}: weights of shape [${weights.join(', ')}] do not broadcast against losses of shape [${losses.join(', ')}]: each axis, aligned from the last, must be equal or 1. Pass weights shaped like the losses, or with 1 on the axes they share, e.g. [${losses.map((d, j) => (j === 0 ? d : 1)).join(', ')}] for one weight per sample.`);
    }
  }
}

/** `reduction` if it is one of {@link Reduction}'s values, else the error naming `km.losses.<call>`. */
export function checkReduction(reduction: unknown, call: string): Reduction {
  if ((Object.values(Reduction) as unknown[]).includes(reduction)) return reduction as Reduction;
  throw new Error(`km.losses.${call}: reduction must be one of km.losses.Reduction's values (NONE 0, MEAN 1, SUM 2, SUM_BY_NONZERO_WEIGHTS 3). Received: reduction=${JSON.stringify(reduction)}. Pass e.g. km.losses.Reduction.MEAN.`);
}

/**
 * tfjs' computeWeightedLoss, op for op: the losses times the weights (broadcast), reduced as
 * `reduction` says, with tfjs' dtypes (int32 losses and weights stay int32 unreduced and summed,
 * and their MEAN divides as integers, flooring, as tfjs' div does).
 */
export function weightedLoss(losses: Tensor, weights: Tensor | null, reduction: Reduction, call = 'computeWeightedLoss'): Tensor {
  if (weights) checkBroadcast(losses.shape, weights.shape, call);
  const weighted = weights ? mul(losses, weights) : losses;
  if (reduction === Reduction.NONE) return weighted;
  if (reduction === Reduction.SUM) return sum(weighted);
  if (reduction === Reduction.MEAN) {
    if (!weights) return mean(weighted);
    const broadcastFactor = losses.size / weights.size;
    const result = div(sum(weighted), sum(weights));
    return broadcastFactor > 1 ? div(result, broadcastFactor) : result;
  }
  if (!weights) return div(sum(weighted), losses.size);
  // tfjs counts the nonzero weights broadcast to the losses' shape; the count passes no gradient.
  const broadcast = mul(weights, tensor(new Float32Array(sizeOf(losses.shape)).fill(1), losses.shape)).dataSync();
  let nonzero = 0;
  for (let i = 0; i < broadcast.length; i++) if (broadcast[i] !== 0) nonzero++;
  return div(sum(weighted), nonzero);
}

/**
 * tfjs-core's `tf.losses.computeWeightedLoss(losses, weights?, reduction?)`: the losses times the
 * weights (broadcast), reduced as `reduction` says (default `Reduction.SUM_BY_NONZERO_WEIGHTS`).
 * It computes a value now, like a tfjs op; a loss for `compile` comes from the other km.losses factories.
 * @example
 * ```ts
 * const perSample = km.tensor([0.5, 2, 1]);
 * km.losses.computeWeightedLoss(perSample, km.tensor([1, 0, 1])).dataSync(); // [0.75]
 * km.losses.computeWeightedLoss(perSample, undefined, km.losses.Reduction.SUM).dataSync(); // [3.5]
 * ```
 */
export function computeWeightedLoss(losses: Tensor | TensorLike, weights?: Tensor | TensorLike | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  const checked = checkReduction(reduction, 'computeWeightedLoss');
  const weightsTensor = weights === undefined || weights === null ? null : tensorOf(weights, 'weights', 'computeWeightedLoss');
  return weightedLoss(tensorOf(losses, 'losses', 'computeWeightedLoss'), weightsTensor, checked);
}

/**
 * tfjs-core's `tf.losses.cosineDistance(labels, predictions, axis, weights?, reduction?)`:
 * 1 − Σ labels·predictions along `axis` (kept as size 1), weighted and reduced as
 * {@link computeWeightedLoss} does. The rows are not normalised: pass unit vectors for the cosine
 * distance. For a loss to train with, compile `'cosineSimilarity'` (Keras' −cos of normalised rows).
 * @example `km.losses.cosineDistance(km.tensor([[1, 0], [0, 1]]), km.tensor([[0.6, 0.8], [0.6, 0.8]]), 1).dataSync() // [0.3]`
 */
export function cosineDistance(labels: Tensor | TensorLike, predictions: Tensor | TensorLike, axis: number, weights?: Tensor | TensorLike | null, reduction: Reduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor<'float32'> {
  const call = 'cosineDistance';
  const checked = checkReduction(reduction, call);
  const t = tensorOf(labels, 'labels', call);
  const p = tensorOf(predictions, 'predictions', call);
  if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`km.losses.cosineDistance: labels and predictions must have the same shape. Received: labels [${t.shape.join(', ')}], predictions [${p.shape.join(', ')}]. Reshape one to the other; tfjs does not broadcast them either.`);
  }
  const rank = t.shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`km.losses.cosineDistance: axis must be an integer in [${-rank}, ${rank - 1}] for rank-${rank} inputs. Received: axis=${JSON.stringify(axis)}. Pass the axis of the vectors, e.g. ${rank - 1} (or -1) for rows.`);
  }
  const distances = sub(1, sum(mul(t, p), axis, true));
  const weightsTensor = weights === undefined || weights === null ? null : tensorOf(weights, 'weights', call);
  return weightedLoss(distances, weightsTensor, checked, call) as Tensor<'float32'>;
}
