import { firstNonFinite } from '../backend/non_finite.js';
import { Tensor } from '../tensor.js';
import { isPlainObject } from '../utils/plain_object.js';
import { describeNonTensor, isNumberArray } from './foreign_values.js';

/** Checks an argument is a live tensor; names the argument when it is not. */
export function checkTensor(value: unknown, what: string): Tensor {
  if (!(value instanceof Tensor)) {
    throw new Error(`${what} must be a km.Tensor; received ${describeNonTensor(value)}.`);
  }
  if (value.isDisposed) throw new Error(`${what} was disposed; pass a tensor that is still alive.`);
  if (value.rank === 0) throw new Error(`${what} must have a leading sample dimension; received a scalar.`);
  return value;
}

/**
 * Reads the values of every live tensor in `specs` (tensors, lists or objects of them) without
 * blocking, so the synchronous checks and batching that follow find them on the host.
 */
export async function readTensors(specs: readonly unknown[]): Promise<void> {
  const tensors: Tensor[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Tensor) {
      if (!value.isDisposed) tensors.push(value);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (isPlainObject(value)) Object.values(value).forEach(collect);
  };
  specs.forEach(collect);
  await Promise.all(tensors.map((t) => t.data()));
}

/** Throws on NaN or ±Infinity, naming the first bad entry's sample and position. */
export function checkFinite(t: Tensor, what: string): void {
  const values = t.dataSync();
  const i = firstNonFinite(values);
  if (i >= 0) throw nonFiniteError(what, values, i, t.size / t.shape[0]);
}

/** The error for the non-finite value at flat index `i` of `values` (samples of `perSample` values). */
export function nonFiniteError(what: string, values: ArrayLike<number>, i: number, perSample: number): Error {
  return new Error(
    `${what} contains ${values[i]} at sample ${Math.floor(i / perSample)} (flat index ${i}). ` +
      `Remove or replace non-finite values before training (e.g. impute missing values).`,
  );
}

/** Checks x and y describe the same number of samples. */
export function checkSameLength(x: Tensor, y: Tensor, xName: string, yName: string): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(
      `${xName} and ${yName} must have the same number of samples, but ${xName} has ${x.shape[0]} (shape [${x.shape.join(', ')}]) and ${yName} has ${y.shape[0]} (shape [${y.shape.join(', ')}]).`,
    );
  }
}

/** Checks a count option is a positive integer. */
export function checkPositiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer. Received: ${name}=${shown(value)}.`);
  return value;
}

/** A received option value as written, so that a string reads as one ("32", not 32). */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** fit's `epochs` (default 1) and `initialEpoch` (default 0), the 0-based epoch to start from. */
export function checkEpochs(args: { epochs?: number; initialEpoch?: number }): { epochs: number; initialEpoch: number } {
  const { epochs = 1, initialEpoch = 0 } = args;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`epochs must be a non-negative integer. Received: epochs=${shown(epochs)}.`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`initialEpoch must be a non-negative integer: the 0-based epoch to start from (2 resumes after 2 finished epochs). Received: initialEpoch=${shown(initialEpoch)}.`);
  return { epochs, initialEpoch };
}

/** fit's shuffling seed, an unsigned 32-bit integer, or undefined for a draw from the global generator. */
export function checkSeed(seed: unknown): number | undefined {
  if (seed === undefined) return undefined;
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > 0xffffffff) throw new Error(`fit's seed must be an integer from 0 to 4294967295. Received: seed=${shown(seed)}.`);
  return seed as number;
}

/** The host values of the features of an input declared float32, which must be float32. */
export function featureValues(x: Tensor, what: string): Float32Array {
  if (x.dtype !== 'float32') {
    throw new Error(
      `${what} must be float32 but is ${x.dtype}. Convert it with km.tensor(Float32Array.from(${what}.dataSync()), ${what}.shape), ` +
        "or declare the model's input int32 (km.input({ shape, dtype: 'int32' }), or inputDType: 'int32' on the first layer), which then takes int32 tensors as tfjs does.",
    );
  }
  return x.dataSync() as Float32Array;
}

/** The first input tensor of `x` (one tensor, a list or an object of them). */
export function firstInput(x: unknown): Tensor {
  const first = Array.isArray(x) && !isNumberArray(x) ? x[0] : isPlainObject(x) ? Object.values(x)[0] : x;
  return checkTensor(first, 'x');
}
