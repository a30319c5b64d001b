import { Tensor, tensor } from '../tensor.js';
import { checkOptions, optionNames } from './options.js';

/** Options of {@link padSequences}. */
export interface PadSequencesOptions {
  /** Steps of the result; default the longest sequence's length. */
  maxlen?: number;
  /** `'int32'` (default, token ids) or `'float32'`. */
  dtype?: 'int32' | 'float32';
  /** Where the padding goes: `'pre'` (default, before the values) or `'post'` (after them). */
  padding?: 'pre' | 'post';
  /** Which end of a sequence longer than `maxlen` is cut: `'pre'` (default, its start) or `'post'` (its end). */
  truncating?: 'pre' | 'post';
  /** The padding value (default 0, which `embedding({ maskZero: true })` masks). */
  value?: number;
}

const OPTIONS = optionNames<PadSequencesOptions>({ maxlen: true, dtype: true, padding: true, truncating: true, value: true });

/** A typed array of numbers, read as a sequence of numbers (e.g. `textVectorization({ ragged: true })`'s rows). */
export type NumericTypedArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** A sequence padSequences reads: a list of steps, or a typed array of numbers. */
export type PadSequence = readonly unknown[] | NumericTypedArray;

const isTypedArray = (value: unknown): value is NumericTypedArray => ArrayBuffer.isView(value) && !(value instanceof DataView);

/** The shape of one step: [] for a number, [k] for a vector of k, and so on. */
function stepShape(step: unknown): number[] {
  return Array.isArray(step) ? [step.length, ...stepShape(step[0])] : [];
}

/**
 * Pads (and truncates) sequences of different lengths into one tensor `[n, maxlen]`, like Keras'
 * `keras.utils.pad_sequences`, with Keras' defaults: padding and truncating at the start, so that a
 * recurrent layer reads each sequence's last steps last. A sequence is a list or a typed array of
 * numbers (such as the Int32Arrays of `textVectorization({ ragged: true })`), and lists and typed
 * arrays may be mixed. Steps may be vectors of one shape (in lists), giving `[n, maxlen, ...stepShape]`.
 *
 * @example
 * ```ts
 * km.utils.padSequences([[1], [2, 3], [4, 5, 6]]).arraySync();
 * // [[0, 0, 1], [0, 2, 3], [4, 5, 6]]
 * km.utils.padSequences([[1], [2, 3], [4, 5, 6]], { maxlen: 2, padding: 'post' }).arraySync();
 * // [[1, 0], [2, 3], [5, 6]]
 * ```
 */
export function padSequences(sequences: readonly PadSequence[], options?: PadSequencesOptions & { dtype?: 'int32' }): Tensor<'int32'>;
/** The sequences padded into a float32 tensor (see the first overload). */
export function padSequences(sequences: readonly PadSequence[], options: PadSequencesOptions & { dtype: 'float32' }): Tensor<'float32'>;
/** The sequences padded into a tensor of `options.dtype` (see the first overload). */
export function padSequences(sequences: readonly PadSequence[], options?: PadSequencesOptions): Tensor;
export function padSequences(sequences: readonly PadSequence[], options: PadSequencesOptions = {}): Tensor {
  checkOptions(options, OPTIONS, 'km.utils.padSequences');
  if (!Array.isArray(sequences) || !sequences.every((s) => Array.isArray(s) || isTypedArray(s))) {
    throw new Error(`padSequences expects a list of sequences, each a list of values or a typed array of numbers (e.g. token ids: [[1, 2], [3]], or [Int32Array.of(1, 2)]). Received: ${Array.isArray(sequences) ? 'a list holding a non-list' : typeof sequences}.`);
  }
  const { dtype = 'int32', padding = 'pre', truncating = 'pre', value = 0 } = options;
  for (const [name, given] of [['padding', padding], ['truncating', truncating]] as const) {
    if (given !== 'pre' && given !== 'post') throw new Error(`padSequences: ${name} must be 'pre' or 'post'. Received: ${name}=${JSON.stringify(given)}.`);
  }
  if (dtype !== 'int32' && dtype !== 'float32') throw new Error(`padSequences: dtype must be 'int32' or 'float32'. Received: dtype=${JSON.stringify(dtype)}.`);
  const maxlen = options.maxlen ?? Math.max(0, ...sequences.map((s) => s.length));
  if (!Number.isInteger(maxlen) || maxlen < 1) throw new Error(`padSequences: maxlen must be a positive integer (or left out for the longest sequence's length). Received: maxlen=${options.maxlen ?? maxlen}.`);
  if (typeof value !== 'number' || !Number.isFinite(value) || (dtype === 'int32' && !Number.isInteger(value))) {
    throw new Error(`padSequences: value must be a finite number${dtype === 'int32' ? ' and an integer for dtype int32' : ''}. Received: value=${JSON.stringify(value)}.`);
  }

  const first = sequences.find((s) => s.length > 0)?.[0];
  const shape = stepShape(first);
  const shapeKey = shape.join(',');
  const stepSize = shape.reduce((a, b) => a * b, 1);
  const out = (dtype === 'int32' ? new Int32Array(sequences.length * maxlen * stepSize) : new Float32Array(sequences.length * maxlen * stepSize)).fill(value);
  const put = (v: unknown, at: number, i: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || (dtype === 'int32' && !Number.isInteger(v))) {
      throw new Error(`padSequences: sequence ${i} holds ${JSON.stringify(v)}, which dtype ${dtype} cannot hold. ${dtype === 'int32' ? "Pass dtype: 'float32' for real values, or map them to integer ids first." : 'Replace it with a finite number.'}`);
    }
    out[at] = v;
  };
  const badShape = (i: number, step: unknown) =>
    new Error(`padSequences: sequence ${i} has a step of shape [${stepShape(step).join(', ')}], but the first step has shape [${shape.join(', ')}]; every step must have the same shape.`);
  for (let i = 0; i < sequences.length; i++) {
    const given = sequences[i];
    // BigInt64Array and BigUint64Array hold bigints: read as numbers, which the checks below then test.
    const sequence: ArrayLike<unknown> & { slice(start?: number, end?: number): ArrayLike<unknown> } =
      given instanceof BigInt64Array || given instanceof BigUint64Array ? Array.from(given, Number) : given;
    const kept = sequence.length <= maxlen ? sequence : truncating === 'pre' ? sequence.slice(-maxlen) : sequence.slice(0, maxlen);
    const offset = padding === 'pre' ? maxlen - kept.length : 0;
    for (let t = 0; t < kept.length; t++) {
      const step = kept[t];
      const at = (i * maxlen + offset + t) * stepSize;
      // Token ids, the common case, are checked without building a shape per step.
      if (shape.length === 0) {
        if (Array.isArray(step)) throw badShape(i, step);
        put(step, at, i);
        continue;
      }
      const values = [step].flat(Infinity) as unknown[];
      if (stepShape(step).join(',') !== shapeKey || values.length !== stepSize) throw badShape(i, step);
      for (let k = 0; k < stepSize; k++) put(values[k], at + k, i);
    }
  }
  return tensor(out, [sequences.length, maxlen, ...shape], dtype);
}
