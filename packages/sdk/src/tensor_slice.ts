import { sourceOffsets } from './ops/offsets.js';

/** A slice's start and length on every axis. */
export interface SliceBox {
  begin: number[];
  size: number[];
}

/**
 * Resolves `tf.slice`'s arguments against a shape: a number `begin` starts axis 0 and the other axes
 * at 0; a number `size` covers axis 0 and the whole of the others; a short list is filled out the
 * same way; a size of -1 (or none) runs to the end of its axis.
 */
export function sliceBox(shape: readonly number[], begin: number | readonly number[], size: number | readonly number[] | undefined): SliceBox {
  const call = `slice(${JSON.stringify(begin)}${size === undefined ? '' : `, ${JSON.stringify(size)}`})`;
  if (shape.length === 0) throw new Error(`Cannot ${call} a scalar tensor: it has no axes.`);
  const begins = typeof begin === 'number' ? [begin] : [...begin];
  const sizes = size === undefined ? [] : typeof size === 'number' ? [size] : [...size];
  if (begins.length > shape.length || sizes.length > shape.length) {
    throw new Error(`${call} gives more axes than the tensor's ${shape.length} (shape [${shape.join(', ')}]). Give at most one begin and one size per axis.`);
  }
  const box: SliceBox = { begin: [], size: [] };
  shape.forEach((dim, axis) => {
    const b = begins[axis] ?? 0;
    const s = sizes[axis] ?? -1;
    const length = s === -1 ? dim - b : s;
    if (!Number.isInteger(b) || !Number.isInteger(length) || b < 0 || length < 0 || b + length > dim) {
      throw new Error(`${call} is out of range on axis ${axis}, which has ${dim} entries (shape [${shape.join(', ')}]): use 0 <= begin and begin + size <= ${dim}, or size -1 for the rest of the axis.`);
    }
    box.begin.push(b);
    box.size.push(length);
  });
  return box;
}

/** Copies the box out of row-major `values` of `shape`, in runs along the last axis. */
export function sliceValues<T extends Float32Array | Int32Array>(values: T, shape: readonly number[], box: SliceBox): T {
  const rank = shape.length;
  const strides = rowMajorStrides(shape);
  const out = new (values.constructor as new (n: number) => T)(box.size.reduce((a, b) => a * b, 1));
  let at = 0;
  const run = box.size[rank - 1];
  const copy = (axis: number, offset: number): void => {
    if (axis === rank - 1) {
      const start = offset + box.begin[axis];
      out.set(values.subarray(start, start + run), at);
      at += run;
      return;
    }
    for (let i = 0; i < box.size[axis]; i++) copy(axis + 1, offset + (box.begin[axis] + i) * strides[axis]);
  };
  if (out.length > 0) copy(0, 0);
  return out;
}

/** Elements between neighbours along each axis of a row-major array of `shape`. */
/** The inverse of {@link sliceValues} for a cotangent: zeros of `shape` with `values` (the box's) in the box. */
export function unsliceValues(values: Float32Array, shape: readonly number[], box: SliceBox): Float32Array {
  const strides = rowMajorStrides(shape);
  const start = box.begin.reduce((n, b, axis) => n + b * strides[axis], 0);
  const at = sourceOffsets(box.size, strides);
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < at.length; i++) out[start + at[i]] = values[i];
  return out;
}

export function rowMajorStrides(shape: readonly number[]): number[] {
  return shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
}
