// tfjs' random draws beyond km.randomNormal / randomUniform / truncatedNormal (tensor_create.ts):
// randomStandardNormal, randomUniformInt, rand, randomGamma and multinomial. They draw from
// kerasm's seeded generator, as those do, so they cannot repeat tfjs' streams: the same seed gives
// the same draws in kerasm, and without a seed `km.utils.setRandomSeed` makes them repeat.
import { Tensor, type DType, type TensorLike } from '../tensor.js';
import { checkDtype, checkedSize, checkFinite } from '../tensor_checks.js';
import { gaussian, generator, uniform } from '../tensor_create.js';
import { describeValue, hostValues, operand, typedArray } from './operand.js';
import { softmax } from './softmax.js';

/**
 * Values from the standard normal distribution (mean 0, standard deviation 1), as
 * `tf.randomStandardNormal(shape, dtype?, seed?)`: `km.randomNormal(shape, 0, 1, dtype, seed)`.
 * int32 values are rounded, as in tfjs; `seed` is an integer.
 * @example `km.randomStandardNormal([batchSize, latentDim])`
 */
export function randomStandardNormal<D extends DType = 'float32'>(shape: readonly number[], dtype?: D, seed?: number): Tensor<D> {
  return gaussian('km.randomStandardNormal()', 'RandomNormal', shape, 0, 1, dtype, seed) as Tensor<D>;
}

/**
 * int32 values drawn uniformly from the integers in `[minval, maxval)`, as
 * `tf.randomUniformInt(shape, minval, maxval, seed?)`: `km.randomUniform(shape, minval, maxval,
 * 'int32', seed)`. The bounds must be integers with minval < maxval (tfjs truncates float draws,
 * so that 0 comes twice as often as other values in a range around it).
 * @example `km.randomUniformInt([batchSize], 0, numClasses)`
 */
export function randomUniformInt(shape: readonly number[], minval: number, maxval: number, seed?: number): Tensor<'int32'> {
  return uniform('km.randomUniformInt()', shape, minval, maxval, 'int32', seed) as Tensor<'int32'>;
}

/**
 * A tensor of `shape` filled by calling `randFunction()` once per value, in row-major order, as
 * `tf.rand(shape, randFunction, dtype?)`; int32 values are truncated, as in tfjs.
 * @example `km.rand([3, 3], () => Math.random() < 0.5 ? -1 : 1)` (random signs)
 */
export function rand<D extends DType = 'float32'>(shape: readonly number[], randFunction: () => number, dtype: D = 'float32' as D): Tensor<D> {
  const fn = 'km.rand()';
  const size = checkedSize(fn, shape);
  const checked = checkDtype(fn, dtype ?? 'float32') as D;
  if (typeof randFunction !== 'function') throw new Error(`${fn}: randFunction must be a function returning a number, called once per value, e.g. () => Math.random(). Received: randFunction=${describeValue(randFunction)}.`);
  const values = typedArray(checked, size);
  for (let i = 0; i < size; i++) {
    const v = randFunction();
    if (typeof v !== 'number') throw new Error(`${fn}: randFunction must return a number; call ${i + 1} returned ${describeValue(v)}.`);
    values[i] = v;
  }
  return new Tensor(values, shape, checked);
}

/**
 * Values from the gamma distribution with shape `alpha` and scale `beta` (default 1), as
 * `tf.randomGamma(shape, alpha, beta?, dtype?, seed?)`: mean alpha·beta, variance alpha·beta² (tfjs'
 * docs call beta a rate, but its draws scale by it). int32 values are rounded, as in tfjs.
 * alpha and beta must be positive, where tfjs gives NaN or loops.
 * @example `km.randomGamma([1000], 2, 0.5)` (mean 1)
 */
export function randomGamma<D extends DType = 'float32'>(shape: readonly number[], alpha: number, beta = 1, dtype: D = 'float32' as D, seed?: number): Tensor<D> {
  const fn = 'km.randomGamma()';
  const size = checkedSize(fn, shape);
  const checked = checkDtype(fn, dtype ?? 'float32') as D;
  for (const [name, value] of [['alpha', alpha], ['beta', beta ?? 1]] as const) {
    checkFinite(fn, name, value);
    if (value <= 0) throw new Error(`${fn}: ${name} must be > 0 (alpha is the shape, beta the scale). Received: ${name}=${value}.`);
  }
  const random = generator(fn, seed);
  const values = typedArray(checked, size);
  const scale = beta ?? 1;
  for (let i = 0; i < size; i++) {
    const v = scale * random.gamma(alpha);
    values[i] = checked === 'int32' ? Math.round(v) : v;
  }
  return new Tensor(values, shape, checked);
}

/**
 * `numSamples` class indices drawn for each row of `logits` ([classes], or [batch, classes] for one
 * draw per row), as `tf.multinomial(logits, numSamples, seed?, normalized?)`: class i with
 * probability softmax(logits)[i], or logits[i] itself when `normalized` (rows of probabilities that
 * sum to 1). int32 result, [numSamples] or [batch, numSamples]. Unlike tfjs, whose rows all draw the
 * same random numbers for one seed, each row gets its own draws.
 * @example `km.multinomial(logits, 1)` (sample the next token of each sequence)
 */
export function multinomial(logits: Tensor | TensorLike, numSamples: number, seed?: number, normalized = false): Tensor<'int32'> {
  const fn = 'km.multinomial()';
  const t = operand(fn, 'logits', logits);
  if (t.rank !== 1 && t.rank !== 2) throw new Error(`${fn}: logits must be [classes] or [batch, classes]. Received: logits.shape=[${t.shape.join(', ')}].`);
  if (t.dtype !== 'float32') throw new Error(`${fn} takes float32 logits (or probabilities). Cast them first: km.cast(logits, 'float32'). Received: logits.dtype='${t.dtype}'.`);
  const classes = t.shape[t.rank - 1];
  if (classes < 2) throw new Error(`${fn}: there must be at least 2 classes to draw from. Received: logits.shape=[${t.shape.join(', ')}].`);
  if (!Number.isInteger(numSamples) || numSamples < 0) throw new Error(`${fn}: numSamples must be a non-negative integer. Received: numSamples=${String(numSamples)}.`);
  const random = generator(fn, seed);
  const probabilities = hostValues(fn, normalized ? t : softmax(t));
  const rows = probabilities.length / classes;
  const out = new Int32Array(rows * numSamples);
  // tfjs' sampling: the float32 running sum of the first classes - 1 probabilities; the last class takes the rest.
  const cdf = new Float32Array(classes - 1);
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < cdf.length; c++) cdf[c] = (c === 0 ? 0 : cdf[c - 1]) + probabilities[row * classes + c];
    for (let s = 0; s < numSamples; s++) {
      const r = random.next();
      let drawn = 0;
      while (drawn < cdf.length && !(r < cdf[drawn])) drawn++;
      out[row * numSamples + s] = drawn;
    }
  }
  return new Tensor(out, t.rank === 1 ? [numSamples] : [rows, numSamples], 'int32');
}
