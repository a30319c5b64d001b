// tfjs' batchNorm (with its 2d/3d/4d aliases) and localResponseNormalization: each value computed
// in double and stored as float32, as tfjs' CPU kernels do, with tfjs-core's gradients and their
// float32 roundings.
import { Tensor, type TensorLike } from '../tensor.js';
import { broadcastOffsets, broadcastShape, sumToShape } from './binary.js';
import { hostValues, operand } from './operand.js';
import { record, taping } from './tape.js';

const f32 = Math.fround;

/** One of batchNorm's parameters, its values read through broadcast offsets; absent ones are a constant. */
interface Parameter {
  tensor: Tensor | null;
  at: (i: number) => number;
  offsets: Int32Array | null;
}

function parameter(fn: string, name: string, p: Tensor | TensorLike | undefined | null, x: Tensor, absent: number): Parameter {
  if (p == null) return { tensor: null, at: () => absent, offsets: null };
  const t = operand(fn, name, p);
  const shape = broadcastShape(fn, t.shape, x.shape);
  if (shape.length !== x.rank || shape.some((d, i) => d !== x.shape[i])) {
    throw new Error(`${fn}: ${name} must broadcast to x's shape [${x.shape.join(', ')}], e.g. one value per channel, [${x.shape.at(-1) ?? 1}]. Received: ${name}.shape=[${t.shape.join(', ')}].`);
  }
  const values = hostValues(fn, t);
  const offsets = broadcastOffsets(t.shape, x.shape);
  return { tensor: t, at: offsets ? (i) => values[offsets[i]] : (i) => values[i], offsets };
}

/**
 * Normalizes `x` with given statistics, `offset + scale · (x - mean) / √(variance + varianceEpsilon)`,
 * as `tf.batchNorm(x, mean, variance, offset?, scale?, varianceEpsilon = 0.001)`: mean, variance,
 * offset and scale broadcast against x (usually one value per channel, x's last axis). float32 x.
 * Its gradients for all five inputs are tfjs', also without offset or scale (where tfjs' gradient
 * throws). Unlike tfjs, which repeats the parameters' values cyclically, any shape that broadcasts
 * to x's works, e.g. [batch, 1] against [batch, channels].
 * @example `km.batchNorm(x, movingMean, movingVariance, beta, gamma)`
 */
export function batchNorm(x: Tensor | TensorLike, mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset?: Tensor | TensorLike | null, scale?: Tensor | TensorLike | null, varianceEpsilon = 0.001): Tensor<'float32'> {
  return normalizedBatch('km.batchNorm()', x, mean, variance, offset, scale, varianceEpsilon, null);
}

/** {@link batchNorm} for a rank-2 x, as `tf.batchNorm2d`. @example `km.batchNorm2d(x, mean, variance)` */
export function batchNorm2d(x: Tensor | TensorLike, mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset?: Tensor | TensorLike | null, scale?: Tensor | TensorLike | null, varianceEpsilon = 0.001): Tensor<'float32'> {
  return normalizedBatch('km.batchNorm2d()', x, mean, variance, offset, scale, varianceEpsilon, 2);
}

/** {@link batchNorm} for a rank-3 x, as `tf.batchNorm3d`. @example `km.batchNorm3d(x, mean, variance)` */
export function batchNorm3d(x: Tensor | TensorLike, mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset?: Tensor | TensorLike | null, scale?: Tensor | TensorLike | null, varianceEpsilon = 0.001): Tensor<'float32'> {
  return normalizedBatch('km.batchNorm3d()', x, mean, variance, offset, scale, varianceEpsilon, 3);
}

/** {@link batchNorm} for a rank-4 x, as `tf.batchNorm4d`. @example `km.batchNorm4d(images, mean, variance)` */
export function batchNorm4d(x: Tensor | TensorLike, mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset?: Tensor | TensorLike | null, scale?: Tensor | TensorLike | null, varianceEpsilon = 0.001): Tensor<'float32'> {
  return normalizedBatch('km.batchNorm4d()', x, mean, variance, offset, scale, varianceEpsilon, 4);
}

function normalizedBatch(fn: string, x: Tensor | TensorLike, mean: Tensor | TensorLike, variance: Tensor | TensorLike, offset: Tensor | TensorLike | null | undefined, scale: Tensor | TensorLike | null | undefined, varianceEpsilon: number | null | undefined, rank: number | null): Tensor<'float32'> {
  const t = operand(fn, 'x', x);
  if (rank !== null && t.rank !== rank) throw new Error(`${fn} takes a rank-${rank} x; km.batchNorm takes any rank. Received: x.shape=[${t.shape.join(', ')}].`);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes a float32 x. Cast it first: km.cast(x, 'float32'). Received: x.dtype='${t.dtype}'.`);
  const epsilon = varianceEpsilon ?? 0.001;
  if (typeof epsilon !== 'number' || !(epsilon >= 0)) throw new Error(`${fn}: varianceEpsilon must be a number >= 0 (default 0.001), added to the variance. Received: varianceEpsilon=${String(varianceEpsilon)}.`);
  const [m, v, o, s] = [parameter(fn, 'mean', mean, t, 0), parameter(fn, 'variance', variance, t, 1), parameter(fn, 'offset', offset, t, 0), parameter(fn, 'scale', scale, t, 1)];
  const xs = hostValues(fn, t);
  const out = new Float32Array(xs.length);
  for (let i = 0; i < out.length; i++) out[i] = o.at(i) + ((xs[i] - m.at(i)) * s.at(i)) / Math.sqrt(v.at(i) + epsilon);
  const result = new Tensor(out, t.shape, 'float32');
  if (taping()) {
    const params = [m, v, o, s].filter((p) => p.tensor !== null);
    record(result, [t, ...params.map((p) => p.tensor as Tensor)], (dy) => {
      // tfjs' FusedBatchNorm gradient: r = rsqrt(variance + ε) and the products below, each a float32 op.
      const per = { x: new Float32Array(dy.length), mean: new Float32Array(dy.length), variance: new Float32Array(dy.length), offset: dy, scale: new Float32Array(dy.length) };
      const eps = f32(epsilon);
      for (let i = 0; i < dy.length; i++) {
        const r = f32(1 / Math.sqrt(f32(v.at(i) + eps)));
        const centred = f32(xs[i] - m.at(i));
        const dyScaled = f32(dy[i] * s.at(i));
        per.x[i] = f32(dy[i] * r) * s.at(i);
        per.mean[i] = -r * dyScaled;
        per.variance[i] = f32(f32(f32(f32(r * r) * r) * -0.5) * centred) * dyScaled;
        per.scale[i] = dy[i] * f32(centred * r);
      }
      const byParameter = new Map<Parameter, Float32Array>([[m, per.mean], [v, per.variance], [o, per.offset], [s, per.scale]]);
      return [per.x, ...params.map((p) => sumToShape(byParameter.get(p) as Float32Array, p.offsets, (p.tensor as Tensor).shape))];
    });
  }
  return result;
}

/**
 * Local response normalization across channels (x's last axis), as
 * `tf.localResponseNormalization(x, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5)`: each value
 * divided by `(bias + alpha · Σ x²) ** beta`, the sum over the channels within depthRadius of its
 * own. x is [height, width, channels] or [batch, height, width, channels], float32. Its gradient is tfjs'.
 * @example `km.localResponseNormalization(features, 2, 1, 1e-4, 0.75)` (AlexNet's)
 */
export function localResponseNormalization(x: Tensor | TensorLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor<'float32'> {
  const fn = 'km.localResponseNormalization()';
  const t = operand(fn, 'x', x);
  if (t.rank !== 3 && t.rank !== 4) throw new Error(`${fn}: x must be [height, width, channels] or [batch, height, width, channels]. Received: x.shape=[${t.shape.join(', ')}].`);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes a float32 x. Cast it first: km.cast(x, 'float32'). Received: x.dtype='${t.dtype}'.`);
  if (!Number.isInteger(depthRadius) || depthRadius < 0) throw new Error(`${fn}: depthRadius, the channels on each side summed over, must be an integer >= 0. Received: depthRadius=${String(depthRadius)}.`);
  for (const [name, value] of [['bias', bias], ['alpha', alpha], ['beta', beta]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${fn}: ${name} must be a finite number. Received: ${name}=${String(value)}.`);
  }
  const xs = hostValues(fn, t);
  const channels = t.shape[t.rank - 1];
  // The channels of offset i's window, as [first, last + 1) flat offsets.
  const window = (i: number): [number, number] => {
    const c = i % channels;
    return [i - c + Math.max(0, c - depthRadius), i - c + Math.min(channels, c + depthRadius + 1)];
  };
  const squares = (i: number): number => {
    const [begin, end] = window(i);
    let sum = 0;
    for (let k = begin; k < end; k++) sum += xs[k] * xs[k];
    return sum;
  };
  const out = new Float32Array(xs.length);
  for (let i = 0; i < out.length; i++) out[i] = xs[i] * Math.pow(bias + alpha * squares(i), -beta);
  const result = new Tensor(out, t.shape, 'float32');
  if (taping()) {
    record(result, [t], (dy) => {
      // tfjs' LRNGrad kernel, its float32 accumulation included.
      const g = new Float32Array(dy.length);
      for (let i = 0; i < dy.length; i++) {
        const [begin, end] = window(i);
        let norm = 0;
        for (let k = begin; k < end; k++) norm += Math.pow(xs[k], 2);
        norm = alpha * norm + bias;
        for (let k = begin; k < end; k++) {
          let d = (-2 * alpha * beta * xs[k] * out[i]) / norm;
          if (k === i) d += Math.pow(norm, -beta);
          g[k] += d * dy[i];
        }
      }
      return [g];
    });
  }
  return result;
}
