// The argument checks of the functions that make tensors and buffers (km.zeros, km.fill, km.buffer,
// TensorBuffer.set...), so the same mistake gets the same message wherever it is made. `fn` names
// the function in the message, e.g. 'km.fill()'; `name` names the argument, e.g. 'value'.
import type { DType } from './tensor.js';

const DTYPE_FIXES: Record<string, string> = {
  bool: "For a mask, use 'int32' with 0 and 1.",
  string: "kerasm tensors hold numbers: store each string's integer id (e.g. its index in a vocabulary) as 'int32'.",
  complex64: "Keep the real and imaginary parts in two 'float32' tensors.",
};

export function checkDtype(fn: string, dtype: unknown): DType {
  if (dtype === 'float32' || dtype === 'int32') return dtype;
  const fix = typeof dtype === 'string' ? DTYPE_FIXES[dtype] ?? '' : '';
  throw new Error(`${fn}: dtype must be 'float32' or 'int32', the dtypes kerasm supports; received ${JSON.stringify(dtype)}. ${fix}`.trimEnd());
}

/** The number of values a tensor of `shape` holds. */
export function checkedSize(fn: string, shape: unknown): number {
  if (!Array.isArray(shape)) {
    throw new Error(`${fn}: shape must be an array of dimensions, e.g. [2, 3]; received ${JSON.stringify(shape)}.`);
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${fn}: shape dimensions must be non-negative integers; received [${shape.join(', ')}].`);
  }
  return shape.reduce((a: number, b: number) => a * b, 1);
}

export function checkFinite(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${fn}: ${name} must be a finite number; received ${name}=${String(value)}.`);
  }
}

export function checkInt32(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
    throw new Error(`${fn}: ${name} must be a 32-bit integer for dtype 'int32'; received ${name}=${String(value)}. Round it, or use dtype 'float32'.`);
  }
}

/**
 * A value a tensor of `dtype` holds as given: any float32 number (NaN and ±Infinity included, as
 * tf.buffer takes them) or an int32 integer. Functions that make values up use
 * {@link checkValueNotNaN} instead.
 */
export function checkValue(fn: string, name: string, value: unknown, dtype: DType): number {
  if (typeof value !== 'number') throw notANumber(fn, name, value);
  if (dtype === 'int32') checkInt32(fn, name, value);
  return value;
}

/**
 * As {@link checkValue}, but NaN is refused: a fill or one-hot value of NaN (which tfjs takes
 * silently) is a bug upstream, not data. ±Infinity stays a fine float32 value, e.g. for an attention mask.
 */
export function checkValueNotNaN(fn: string, name: string, value: unknown, dtype: DType): number {
  if (Number.isNaN(value)) throw notANumber(fn, name, value);
  return checkValue(fn, name, value, dtype);
}

function notANumber(fn: string, name: string, value: unknown): Error {
  const received = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new Error(`${fn}: ${name} must be a number; received ${name}=${received}. kerasm tensors hold float32 or int32 numbers.`);
}
