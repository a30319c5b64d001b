// tfjs-core's tensor loss functions without a compile counterpart: they compute a value from tensors
// now, on the host (as km.metrics.confusionMatrix does), rounding to float32 after each of tfjs'
// ops, so they give what tfjs gives.
import { tensor, Tensor, type DType, type TensorLike } from '../tensor.js';

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

/** A tensor's values read on the host; `dtype` defaults to float32. */
export interface HostTensor {
  readonly values: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype?: DType;
}

/** `value` (a km.Tensor or values km.tensor takes) read on the host, or the error naming the argument of `km.losses.<call>`. */
export function hostTensor(value: Tensor | TensorLike, name: string, call: string): HostTensor {
  if (value instanceof Tensor) return { values: value.dataSync(), shape: value.shape, dtype: value.dtype };
  if (typeof value === 'number' || Array.isArray(value) || ArrayBuffer.isView(value)) {
    const t = tensor(value as TensorLike);
    return { values: t.dataSync(), shape: t.shape, dtype: t.dtype };
  }
  const received = value !== null && typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : String(value);
  throw new Error(`km.losses.${call}: ${name} must be a km.Tensor, a number or nested arrays of numbers. Received: ${received}. Make a km.tensor of the values first.`);
}

const f32 = Math.fround;
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** NumPy's broadcast of two shapes, or the error that names both. */
function broadcastShape(a: readonly number[], b: readonly number[], call: string): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new Error(`km.losses.${call}: weights of shape [${b.join(', ')}] do not broadcast against losses of shape [${a.join(', ')}]: each axis, aligned from the last, must be equal or 1. Pass weights shaped like the losses, or with 1 on the axes they share, e.g. [${a.map((d, j) => (j === 0 ? d : 1)).join(', ')}] for one weight per sample.`);
    }
    return Math.max(x, y);
  });
}

/** `a` read at each position of the broadcast shape `out`. */
function broadcastValues(a: HostTensor, out: readonly number[]): Float32Array {
  const result = new Float32Array(sizeOf(out));
  const offset = out.length - a.shape.length;
  const strides = a.shape.map((_, i) => sizeOf(a.shape.slice(i + 1)));
  for (let flat = 0; flat < result.length; flat++) {
    let rest = flat;
    let index = 0;
    for (let axis = out.length - 1; axis >= 0; axis--) {
      const coordinate = rest % out[axis];
      rest = Math.floor(rest / out[axis]);
      const source = axis - offset;
      if (source >= 0 && a.shape[source] !== 1) index += coordinate * strides[source];
    }
    result[flat] = a.values[index];
  }
  return result;
}

/** A float32 sum, accumulated in double as tfjs' cpu backend does. */
function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return f32(total);
}

/** `reduction` if it is one of {@link Reduction}'s values, else the error naming `km.losses.<call>`. */
export function checkReduction(reduction: unknown, call: string): Reduction {
  if ((Object.values(Reduction) as unknown[]).includes(reduction)) return reduction as Reduction;
  throw new Error(`km.losses.${call}: reduction must be one of km.losses.Reduction's values (NONE 0, MEAN 1, SUM 2, SUM_BY_NONZERO_WEIGHTS 3). Received: reduction=${JSON.stringify(reduction)}. Pass e.g. km.losses.Reduction.MEAN.`);
}

/**
 * tfjs' computeWeightedLoss of host values, with its dtypes: int32 losses and weights (or none)
 * stay int32 unreduced and summed, and their MEAN divides as integers, flooring, as tfjs' div does.
 */
export function weightedLoss(losses: HostTensor, weights: HostTensor | null, reduction: Reduction, call = 'computeWeightedLoss'): Tensor {
  const shape = weights ? broadcastShape(losses.shape, weights.shape, call) : [...losses.shape];
  const int = losses.dtype === 'int32' && (!weights || weights.dtype === 'int32');
  const lossValues = broadcastValues(losses, shape);
  const weighted = lossValues;
  if (weights) {
    const w = broadcastValues(weights, shape);
    for (let i = 0; i < weighted.length; i++) weighted[i] = f32(lossValues[i] * w[i]);
  }
  const scalar = (value: number) => tensor(new Float32Array([value]), []);
  if (reduction === Reduction.NONE) return int ? tensor(Int32Array.from(weighted), shape) : tensor(weighted, shape);
  if (reduction === Reduction.SUM) return int ? tensor(Int32Array.from([sum(weighted)]), []) : scalar(sum(weighted));
  const lossesSize = sizeOf(losses.shape);
  if (reduction === Reduction.MEAN) {
    // tfjs' mean divides each value by the count before summing.
    if (!weights) return scalar(sum(Float32Array.from(weighted, (v) => f32(v / f32(weighted.length)))));
    const broadcastFactor = lossesSize / sizeOf(weights.shape);
    if (int) {
      const quotient = Math.floor(sum(weighted) / sum(weights.values)) | 0;
      return broadcastFactor > 1 ? scalar(f32(quotient / f32(broadcastFactor))) : tensor(Int32Array.from([quotient]), []);
    }
    const result = f32(sum(weighted) / sum(weights.values));
    return scalar(broadcastFactor > 1 ? f32(result / f32(broadcastFactor)) : result);
  }
  if (!weights) return scalar(f32(sum(weighted) / lossesSize));
  // tfjs broadcasts the weights to the losses' shape with a product by ones, then counts nonzeros.
  const broadcast = broadcastValues(weights, broadcastShape(weights.shape, losses.shape, call));
  let nonzero = 0;
  for (let i = 0; i < broadcast.length; i++) if (broadcast[i] !== 0) nonzero++;
  return scalar(f32(sum(weighted) / nonzero));
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
  const host = hostTensor(losses, 'losses', 'computeWeightedLoss');
  return weightedLoss(host, weights === undefined || weights === null ? null : hostTensor(weights, 'weights', 'computeWeightedLoss'), checked);
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
  const t = hostTensor(labels, 'labels', call);
  const p = hostTensor(predictions, 'predictions', call);
  if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i])) {
    throw new Error(`km.losses.cosineDistance: labels and predictions must have the same shape. Received: labels [${t.shape.join(', ')}], predictions [${p.shape.join(', ')}]. Reshape one to the other; tfjs does not broadcast them either.`);
  }
  const rank = t.shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(`km.losses.cosineDistance: axis must be an integer in [${-rank}, ${rank - 1}] for rank-${rank} inputs. Received: axis=${JSON.stringify(axis)}. Pass the axis of the vectors, e.g. ${rank - 1} (or -1) for rows.`);
  }
  const a = axis < 0 ? axis + rank : axis;
  const length = t.shape[a];
  const inner = sizeOf(t.shape.slice(a + 1));
  const outer = sizeOf(t.shape.slice(0, a));
  const distances = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let dot = 0;
      for (let k = 0; k < length; k++) {
        const at = (o * length + k) * inner + i;
        dot += f32(t.values[at] * p.values[at]);
      }
      distances[o * inner + i] = f32(1 - f32(dot));
    }
  }
  const shape = t.shape.map((d, i) => (i === a ? 1 : d));
  return weightedLoss({ values: distances, shape }, weights === undefined || weights === null ? null : hostTensor(weights, 'weights', call), checked, call) as Tensor<'float32'>;
}
