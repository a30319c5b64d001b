// tfjs-core's signal helpers it exports at the top level (tf.enclosingPowerOfTwo, tf.cosineWindow),
// and the window arithmetic km.signal's hannWindow and hammingWindow share.
import { Tensor } from '../tensor.js';

/** `length`, checked to be a positive integer; `fn` names the window function in the error. */
export function checkedWindowLength(fn: string, length: unknown): number {
  if (!Number.isInteger(length) || (length as number) < 1) throw new Error(`${fn}: windowLength must be a positive integer, the number of samples. Received: windowLength=${JSON.stringify(length)}.`);
  return length as number;
}

/**
 * a − b·cos(2πi / N) for i < length, N = length − 1 for odd lengths and length for even (periodic),
 * as tfjs; [1] for a length of 1, as TensorFlow (tfjs' formula divides 0 by 0 there and gives NaN).
 */
export function cosineWindowOf(length: number, a: number, b: number): Tensor<'float32'> {
  if (length === 1) return new Tensor(Float32Array.of(1), [1], 'float32');
  const even = 1 - (length % 2);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = a - b * Math.cos((2 * Math.PI * i) / (length + even - 1));
  return new Tensor(values, [length], 'float32');
}

/**
 * The generalized cosine window a − b·cos(2πi / N) of `windowLength` samples, as `tf.cosineWindow`
 * (hann is a = b = 0.5, hamming a = 0.54, b = 0.46): N is the length for an even length (periodic)
 * and the length − 1 for an odd one (symmetric), as tfjs. A length of 1 gives [1], as TensorFlow
 * (tfjs gives [NaN]); a length below 1 is an error (tfjs gives an empty tensor for 0).
 * @example `km.cosineWindow(512, 0.5, 0.5) // the Hann window, as km.signal.hannWindow(512)`
 */
export function cosineWindow(windowLength: number, a: number, b: number): Tensor<'float32'> {
  const fn = 'km.cosineWindow()';
  const length = checkedWindowLength(fn, windowLength);
  for (const [name, value] of [['a', a], ['b', b]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${fn}: ${name} must be a finite number (the window is a − b·cos(2πi / N); hann is a = b = 0.5). Received: ${name}=${JSON.stringify(value)}.`);
  }
  return cosineWindowOf(length, a, b);
}

/**
 * The smallest power of two at least `value` (2^⌈log₂ value⌉, floored to an integer as tfjs
 * floors it, so values up to 0.5 give 0), as `tf.enclosingPowerOfTwo`, the FFT length for a frame
 * of `value` samples. Exact for every power of two (tfjs' log ratio rounds 2^29 up to 2^30); a value
 * that is not a positive finite number is an error (tfjs gives NaN or 0).
 * @example `km.enclosingPowerOfTwo(400) // 512`
 */
export function enclosingPowerOfTwo(value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new Error(`km.enclosingPowerOfTwo() takes a positive finite number, e.g. a frame length. Received: value=${JSON.stringify(value)}.`);
  }
  let power = 2 ** Math.ceil(Math.log2(value));
  if (power < value) power *= 2;
  else if (power / 2 >= value) power /= 2;
  return Math.floor(power);
}
