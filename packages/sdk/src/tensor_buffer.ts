import { Tensor, type DType, type TypedArrayFor } from './tensor.js';
import { checkDtype, checkedSize, checkValue } from './tensor_checks.js';
import { rowMajorStrides } from './tensor_slice.js';

/** The caller's typed array when it already has the dtype's type (shared, as tfjs does), else a checked copy. */
function valuesFor<D extends DType>(dtype: D, shape: readonly number[], size: number, values: ArrayLike<number> | undefined): TypedArrayFor<D> {
  const Typed = dtype === 'int32' ? Int32Array : Float32Array;
  if (values === undefined || values === null) return new Typed(size) as TypedArrayFor<D>;
  if (typeof values !== 'object' || typeof values.length !== 'number') {
    throw new Error(`km.buffer(): values must be a typed array or an array of numbers; received ${typeof values}.`);
  }
  if (values.length !== size) {
    throw new Error(`km.buffer(): shape [${shape.join(', ')}] holds ${size} values, but values has ${values.length}. Pass one value per element, flattened in row-major order.`);
  }
  if (values instanceof Typed) return values as TypedArrayFor<D>;
  const copy = new Typed(size);
  for (let i = 0; i < size; i++) copy[i] = checkValue('km.buffer()', `values[${i}]`, values[i], dtype);
  return copy as TypedArrayFor<D>;
}

/**
 * A mutable n-dimensional array of values to fill element by element, then turn into a
 * {@link Tensor} with {@link TensorBuffer.toTensor}, as tfjs' `TensorBuffer`. Make one with
 * {@link buffer}, or from a tensor with `tensor.bufferSync()`. Every location is checked: one index
 * per axis (none for a scalar), each an integer inside its axis, where tfjs' `set` writes `[0, 5]`
 * of shape [2, 3] into `[1, 2]` and a fractional or out-of-range index nowhere.
 *
 * @example
 * ```ts
 * const board = km.buffer([3, 3], 'int32');
 * board.set(1, 0, 2); // row 0, column 2
 * board.get(0, 2);    // 1
 * const x = board.toTensor();
 * ```
 */
export class TensorBuffer<D extends DType = DType> {
  /** The size of each axis, outermost first, as the tensor made from it will have. Frozen. */
  readonly shape: readonly number[];
  /** The element type, `'float32'` or `'int32'`; `set` checks values against it. */
  readonly dtype: D;
  /** The number of values: the product of the shape's axes (1 for a scalar). */
  readonly size: number;
  /** As tfjs' `strides`: the step in `values` along each axis but the last (`[]` below rank 2). */
  readonly strides: readonly number[];
  /** The values in row-major order. Writing to it directly is allowed, as in tfjs. */
  readonly values: TypedArrayFor<D>;

  /**
   * @param values A typed array of the dtype's type is used in place (later writes through the
   *   buffer change it, as in tfjs); any other array of numbers is copied. Default: zeros.
   */
  constructor(shape: readonly number[], dtype: D, values?: ArrayLike<number>) {
    this.size = checkedSize('km.buffer()', shape);
    this.shape = Object.freeze([...shape]);
    this.dtype = checkDtype('km.buffer()', dtype ?? 'float32') as D;
    this.strides = Object.freeze(rowMajorStrides(this.shape).slice(0, -1));
    this.values = valuesFor(this.dtype, this.shape, this.size, values);
  }

  /** Number of dimensions. */
  get rank(): number {
    return this.shape.length;
  }

  /** Writes `value` at the location `locs` (one index per axis). */
  set(value: number, ...locs: number[]): void {
    const index = this.#indexOf('set', locs);
    this.values[index] = checkValue('TensorBuffer.set()', 'value', value, this.dtype);
  }

  /** The value at the location `locs` (one index per axis). */
  get(...locs: number[]): number {
    return this.values[this.#indexOf('get', locs)];
  }

  /** The position in `values` of the location `locs`. */
  locToIndex(locs: readonly number[]): number {
    if (!Array.isArray(locs)) throw new Error(`TensorBuffer.locToIndex() takes the location as one array, e.g. locToIndex([1, 2]); received ${JSON.stringify(locs)}.`);
    return this.#indexOf('locToIndex', locs);
  }

  /** The location (one index per axis) of position `index` in `values`. */
  indexToLoc(index: number): number[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new Error(`TensorBuffer.indexToLoc(): index ${index} is outside the ${this.size} values of shape [${this.shape.join(', ')}]; it must be an integer in [0, ${this.size}).`);
    }
    const locs = new Array<number>(this.rank);
    let rest = index;
    for (let axis = this.rank - 1; axis >= 0; axis--) {
      locs[axis] = rest % this.shape[axis];
      rest = Math.floor(rest / this.shape[axis]);
    }
    return locs;
  }

  /** A tensor of the buffer's values as they are now; later writes to the buffer do not change it. */
  toTensor(): Tensor<D> {
    return new Tensor(this.values.slice() as TypedArrayFor<D>, this.shape, this.dtype);
  }

  #indexOf(method: string, locs: readonly number[]): number {
    const where = `TensorBuffer.${method}()`;
    const shape = `[${this.shape.join(', ')}]`;
    if (locs.length !== this.rank) {
      const zeros = this.shape.map(() => 0).join(', ');
      const call = method === 'locToIndex' ? `locToIndex([${zeros}])` : method === 'set' ? `set(value${this.rank ? ', ' : ''}${zeros})` : `get(${zeros})`;
      const how = this.rank === 0 ? `a scalar buffer takes none: ${call}` : `pass one index per axis, e.g. ${call}`;
      throw new Error(`${where}: got ${locs.length} ${locs.length === 1 ? 'index' : 'indices'} [${locs.join(', ')}] for shape ${shape} (rank ${this.rank}); ${how}.`);
    }
    let index = 0;
    for (let axis = 0; axis < this.rank; axis++) {
      const loc = locs[axis];
      const size = this.shape[axis];
      if (!Number.isInteger(loc) || loc < 0 || loc >= size) {
        const why = size === 0 ? `axis ${axis} has size 0, so the buffer holds no values` : `index ${loc} on axis ${axis} must be an integer in [0, ${size})${loc < 0 ? ' (negative indices do not count from the end)' : ''}`;
        throw new Error(`${where}: location [${locs.join(', ')}] is outside shape ${shape}: ${why}.`);
      }
      index = index * size + loc;
    }
    return index;
  }
}

/**
 * A {@link TensorBuffer} of the given shape, as `tf.buffer`: fill it with `set(value, ...locs)` or
 * through `values`, then call `toTensor()`.
 *
 * @param dtype `'float32'` (default) or `'int32'`.
 * @param values The initial values, flattened in row-major order (default zeros); a typed array of
 *   the dtype's type is used in place, as in tfjs.
 * @example
 * ```ts
 * const b = km.buffer([2, 2]);
 * b.set(3, 0, 0);
 * b.set(5, 1, 0);
 * b.toTensor().arraySync(); // [[3, 0], [5, 0]]
 * ```
 */
export function buffer<D extends DType = 'float32'>(shape: readonly number[], dtype?: D, values?: ArrayLike<number>): TensorBuffer<D> {
  return new TensorBuffer(shape, dtype as D, values);
}
