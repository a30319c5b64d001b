// tfjs' tensor creation functions (zeros, fill, oneHot, range, random draws...) with its names,
// argument order and defaults. Random draws come from kerasm's seeded generator, so
// `km.utils.setRandomSeed` makes them repeat; tfjs draws from Math.random.
import { getInitializer } from './initializers/initializers.js';
import { Tensor, tensor, type DType, type TensorLike } from './tensor.js';
import type { Tensor1D } from './tensor_ranked.js';
import { checkDtype, checkedSize, checkFinite, checkInt32, checkValueNotNaN } from './tensor_checks.js';
import { globalGenerator, Random } from './utils/random.js';

function filled(shape: readonly number[], size: number, value: number, dtype: DType): Tensor {
  const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  return new Tensor(values.fill(value), shape, dtype);
}

/**
 * A tensor of zeros, as `tf.zeros`.
 * @param dtype `'float32'` (default) or `'int32'`.
 * @example
 * ```ts
 * const h0 = km.zeros([batchSize, 64]); // an initial RNN state
 * ```
 */
export function zeros<D extends DType = 'float32'>(shape: readonly number[], dtype: D = 'float32' as D): Tensor<D> {
  const size = checkedSize('km.zeros()', shape);
  return filled(shape, size, 0, checkDtype('km.zeros()', dtype)) as Tensor<D>;
}

/**
 * A tensor of ones, as `tf.ones`.
 * @param dtype `'float32'` (default) or `'int32'`.
 * @example
 * ```ts
 * const realLabels = km.ones([batchSize, 1]); // a GAN discriminator's targets for real images
 * ```
 */
export function ones<D extends DType = 'float32'>(shape: readonly number[], dtype: D = 'float32' as D): Tensor<D> {
  const size = checkedSize('km.ones()', shape);
  return filled(shape, size, 1, checkDtype('km.ones()', dtype)) as Tensor<D>;
}

/**
 * A tensor with every value set to `value`, as `tf.fill`. An int32 value must be an integer (tfjs
 * truncates 2.7 to 2 silently); NaN is refused.
 * @param dtype `'float32'` (default) or `'int32'`.
 * @example
 * ```ts
 * const mask = km.fill([4, 4], -Infinity);
 * const padding = km.fill([2, 10], -1, 'int32');
 * ```
 */
export function fill<D extends DType = 'float32'>(shape: readonly number[], value: number, dtype: D = 'float32' as D): Tensor<D> {
  const size = checkedSize('km.fill()', shape);
  const checked = checkDtype('km.fill()', dtype);
  checkValueNotNaN('km.fill()', 'value', value, checked);
  return filled(shape, size, value, checked) as Tensor<D>;
}

/**
 * A tensor of one value and shape `[]`, as `tf.scalar`.
 * @example `km.mul(loss, km.scalar(0.5))`
 */
export function scalar<D extends DType = 'float32'>(value: number, dtype: D = 'float32' as D): Tensor<D> {
  if (typeof value !== 'number') throw new Error(`km.scalar() takes a number. Received: ${typeof value} ${JSON.stringify(value)}.`);
  return tensor([value], [], checkDtype('km.scalar()', dtype)) as Tensor<D>;
}

/** The tensor whose shape and dtype a `...Like` function copies. */
function template(fn: string, x: Tensor | TensorLike): Tensor {
  if (!(x instanceof Tensor)) return tensor(x);
  if (x.isDisposed) throw new Error(`${fn}: the tensor was disposed, as tfjs refuses too. Call ${fn} before dispose().`);
  return x;
}

/**
 * Zeros of the shape and dtype of `x`, as `tf.zerosLike`.
 * @example
 * ```ts
 * const fakeLabels = km.zerosLike(realLabels);
 * ```
 */
export function zerosLike<D extends DType>(x: Tensor<D>): Tensor<D>;
/** Zeros of the shape and dtype `km.tensor(x)` would have (see the first overload). */
export function zerosLike(x: Tensor | TensorLike): Tensor;
export function zerosLike(x: Tensor | TensorLike): Tensor {
  const t = template('km.zerosLike()', x);
  return filled(t.shape, t.size, 0, t.dtype);
}

/**
 * Ones of the shape and dtype of `x`, as `tf.onesLike`.
 * @example
 * ```ts
 * const weights = km.onesLike(labels);
 * ```
 */
export function onesLike<D extends DType>(x: Tensor<D>): Tensor<D>;
/** Ones of the shape and dtype `km.tensor(x)` would have (see the first overload). */
export function onesLike(x: Tensor | TensorLike): Tensor;
export function onesLike(x: Tensor | TensorLike): Tensor {
  const t = template('km.onesLike()', x);
  return filled(t.shape, t.size, 1, t.dtype);
}

/**
 * One-hot rows for integer class indices, as `tf.oneHot`: shape `[...indices.shape, depth]`, int32
 * by default. Two differences: an index >= depth is an error (tfjs gives a row of `offValue`,
 * hiding an off-by-one such as labels 1..depth), and depth 1 is allowed (tfjs asks for 2). A
 * negative index gives a row of `offValue`, as in TensorFlow and tfjs (TF's way to mark "no class").
 * Indices may be a float32 tensor of whole numbers (km.tensor's default dtype).
 * @param onValue The value at each index (default 1).
 * @param offValue The value elsewhere (default 0).
 * @param dtype `'int32'` (default) or `'float32'`.
 * @example
 * ```ts
 * km.oneHot([0, 2, 1], 3).arraySync(); // [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
 * ```
 */
export function oneHot<D extends DType = 'int32'>(indices: Tensor | TensorLike, depth: number, onValue = 1, offValue = 0, dtype: D = 'int32' as D): Tensor<D> {
  const fn = 'km.oneHot()';
  if (!Number.isInteger(depth) || depth < 1) {
    throw new Error(`${fn}: depth, the number of classes, must be an integer >= 1; received depth=${String(depth)}.`);
  }
  const checked = checkDtype(fn, dtype);
  checkValueNotNaN(fn, 'onValue', onValue, checked);
  checkValueNotNaN(fn, 'offValue', offValue, checked);
  const t = indices instanceof Tensor ? indices : tensor(indices);
  const ids = t.dataSync();
  const values = checked === 'int32' ? new Int32Array(ids.length * depth) : new Float32Array(ids.length * depth);
  values.fill(offValue);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id)) throw new Error(`${fn}: indices must be integers, but index ${i} is ${id}. Round the indices, or check they are class ids.`);
    if (id >= depth) throw new Error(`${fn}: index ${i} is ${id}, but depth ${depth} allows 0 to ${depth - 1}. Use depth ${id + 1}, or subtract 1 from labels that start at 1.`);
    if (id >= 0) values[i * depth + id] = onValue;
  }
  return new Tensor(values, [...t.shape, depth], checked) as Tensor<D>;
}

/**
 * The numbers from `start` up to, not including, `stop`, `step` apart, as `tf.range`; a default step
 * counts down when `stop < start`, as in tfjs. A step that points away from `stop` gives an empty
 * tensor. Values are `start + i * step` and there are `ceil((stop - start) / step)` of them, as in
 * TensorFlow and NumPy: tfjs' CPU kernel adds the step again and again, drifting by float32
 * rounding (`range(0, 10, 0.1)` ends at 9.9000015), and miscounts `range(5, 0.5)` and
 * `range(5, 0, 0.5)`.
 * @param dtype `'float32'` (default) or `'int32'`, which needs an integer start and step.
 * @example
 * ```ts
 * km.range(0, 5).arraySync();           // [0, 1, 2, 3, 4]
 * km.range(5, 0).arraySync();           // [5, 4, 3, 2, 1]
 * km.range(0, 1, 0.25).arraySync();     // [0, 0.25, 0.5, 0.75]
 * const positions = km.range(0, 10, 1, 'int32');
 * ```
 */
export function range<D extends DType = 'float32'>(start: number, stop: number, step = 1, dtype: D = 'float32' as D): Tensor1D<D> {
  const fn = 'km.range()';
  const checked = checkDtype(fn, dtype);
  checkFinite(fn, 'start', start);
  checkFinite(fn, 'stop', stop);
  checkFinite(fn, 'step', step);
  if (step === 0) throw new Error(`${fn}: step must not be 0, or the range never reaches stop; received step=0. Use a positive step to count up, a negative one to count down.`);
  if (checked === 'int32') {
    checkInt32(fn, 'start', start);
    checkInt32(fn, 'step', step);
  }
  const by = stop < start && step === 1 ? -1 : step;
  const count = Math.max(0, Math.ceil((stop - start) / by));
  const values = checked === 'int32' ? new Int32Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = start + i * by;
  return new Tensor(values, [count], checked) as Tensor1D<D>;
}

/**
 * `num` evenly spaced float32 values from `start` to `stop`, both included, as `tf.linspace`. Values
 * are `start + i * step` and the last is `stop` exactly, as in TensorFlow and NumPy, where tfjs'
 * CPU kernel adds the step again and again (`linspace(-1, 1, 100)` ends at 1.0000008).
 * @example
 * ```ts
 * km.linspace(0, 1, 5).arraySync(); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, stop: number, num: number): Tensor1D<'float32'> {
  const fn = 'km.linspace()';
  checkFinite(fn, 'start', start);
  checkFinite(fn, 'stop', stop);
  if (!Number.isInteger(num) || num < 1) throw new Error(`${fn}: num, the number of values, must be an integer >= 1; received num=${String(num)}.`);
  const step = (stop - start) / (num - 1);
  // Testing i === 0 first gives num 1 its one value, start, as tfjs does (step is then 0/0 or ±Infinity).
  const values = Float32Array.from({ length: num }, (_, i) => (i === 0 ? start : i === num - 1 ? stop : start + i * step));
  return new Tensor(values, [num], 'float32') as Tensor1D<'float32'>;
}

/** The seed's own generator, or kerasm's global one (which `km.utils.setRandomSeed` seeds) without a seed. */
export function generator(fn: string, seed: number | undefined): Random {
  if (seed == null) return globalGenerator();
  if (!Number.isInteger(seed)) throw new Error(`${fn}: seed must be an integer; received seed=${JSON.stringify(seed)}.`);
  return new Random(seed);
}

/** Draws through the RandomNormal or TruncatedNormal initializer, so these are the numbers a layer's weights get. */
export function gaussian(fn: string, className: string, shape: readonly number[], mean: number, stdDev: number, dtype: DType | undefined, seed: number | undefined): Tensor {
  checkedSize(fn, shape);
  const checked = checkDtype(fn, dtype ?? 'float32');
  checkFinite(fn, 'mean', mean);
  checkFinite(fn, 'stdDev', stdDev);
  // tfjs takes a negative stdDev silently (and truncatedNormal then loops forever, finding no value within 2 of them).
  if (stdDev < 0) throw new Error(`${fn}: stdDev must be >= 0; received stdDev=${stdDev}. Did you mean ${-stdDev}?`);
  const draws = getInitializer({ className, config: { mean, stddev: stdDev } })(shape, generator(fn, seed));
  // Rounded to the nearest integer for int32, as tfjs does.
  return checked === 'int32' ? new Tensor(Int32Array.from(draws, (v) => Math.round(v)), shape, 'int32') : new Tensor(draws, shape, 'float32');
}

/**
 * Values drawn from a normal distribution, as `tf.randomNormal`. Without a seed they come from
 * kerasm's global generator, so `km.utils.setRandomSeed` makes them repeat; a seed gives its own
 * sequence, the same for the same seed (0 included, where tfjs draws a random seed for 0).
 * int32 values are rounded, as in tfjs.
 * @param dtype `'float32'` (default) or `'int32'`.
 * @param seed An integer.
 * @example
 * ```ts
 * const noise = km.randomNormal([batchSize, 100]); // a GAN generator's input
 * ```
 */
export function randomNormal<D extends DType = 'float32'>(shape: readonly number[], mean = 0, stdDev = 1, dtype?: D, seed?: number): Tensor<D> {
  return gaussian('km.randomNormal()', 'RandomNormal', shape, mean, stdDev, dtype, seed) as Tensor<D>;
}

/**
 * Values drawn from a normal distribution and redrawn until they lie within two standard
 * deviations of the mean, as `tf.truncatedNormal`. Seeds and dtypes work as in {@link randomNormal}.
 * @example
 * ```ts
 * const w = km.truncatedNormal([784, 64], 0, 0.05, 'float32', 42);
 * ```
 */
export function truncatedNormal<D extends DType = 'float32'>(shape: readonly number[], mean = 0, stdDev = 1, dtype?: D, seed?: number): Tensor<D> {
  return gaussian('km.truncatedNormal()', 'TruncatedNormal', shape, mean, stdDev, dtype, seed) as Tensor<D>;
}

/**
 * Values drawn uniformly from `[minval, maxval)`, as `tf.randomUniform`; seeds work as in
 * {@link randomNormal}. `minval >= maxval` is an error (tfjs draws from the reversed range, or
 * gives a constant). int32 values are uniform over the integers in `[minval, maxval)`, which must
 * be integers, as in TensorFlow: tfjs truncates float draws toward zero, so `[-5, 5)` never gives
 * -5 and gives 0 twice as often as any other value.
 * @param dtype `'float32'` (default) or `'int32'`.
 * @param seed An integer.
 * @example
 * ```ts
 * const dropMask = km.randomUniform([batchSize, 10]);
 * const tokens = km.randomUniform([batchSize, 20], 0, vocabSize, 'int32');
 * ```
 */
export function randomUniform<D extends DType = 'float32'>(shape: readonly number[], minval = 0, maxval = 1, dtype: D = 'float32' as D, seed?: number): Tensor<D> {
  return uniform('km.randomUniform()', shape, minval, maxval, dtype, seed) as Tensor<D>;
}

/** {@link randomUniform}'s draws, its errors naming `fn` (km.randomUniformInt draws through it too). */
export function uniform(fn: string, shape: readonly number[], minval: number, maxval: number, dtype: DType, seed: number | undefined): Tensor {
  const size = checkedSize(fn, shape);
  const checked = checkDtype(fn, dtype);
  checkFinite(fn, 'minval', minval);
  checkFinite(fn, 'maxval', maxval);
  if (minval >= maxval) throw new Error(`${fn}: minval must be less than maxval; received minval=${minval}, maxval=${maxval}. Swap them, or use km.fill for a constant.`);
  if (checked === 'int32') {
    checkInt32(fn, 'minval', minval);
    checkInt32(fn, 'maxval', maxval);
  }
  const random = generator(fn, seed);
  if (checked === 'int32') return new Tensor(Int32Array.from({ length: size }, () => Math.floor(random.uniform(minval, maxval))), shape, 'int32');
  return new Tensor(getInitializer({ className: 'RandomUniform', config: { minval, maxval } })(shape, random), shape, 'float32');
}
