// tfjs' raggedTensorToTensor: a ragged tensor (row partitions and values) as a dense, padded tensor.
import { Tensor, tensor, type DType, type TensorLike } from '../../tensor.js';
import { broadcastTo } from '../broadcast_to.js';
import { indicesOf } from '../gather.js';
import { hostValues, operand, typedArray } from '../operand.js';
import { preview, rowSplitsOf } from './row_splits.js';

/**
 * How a row partition tensor describes a ragged axis, as tfjs' CPU kernel takes them: 'ROW_SPLITS'
 * (row r holds positions splits[r] to splits[r + 1]), 'VALUE_ROWIDS' (each entry's row, in order)
 * and 'FIRST_DIM_SIZE' (first only: a scalar, how many rows; a first-axis VALUE_ROWIDS needs it).
 */
export type RowPartitionType = 'ROW_SPLITS' | 'VALUE_ROWIDS' | 'FIRST_DIM_SIZE';

/**
 * The ragged tensor given by `rowPartitionTensors` (one per ragged axis, outermost first, of the
 * kinds `rowPartitionTypes` names) over `values` [n, ...] as a dense tensor of `shape`, padded with
 * `defaultValue`, as `tf.raggedTensorToTensor(shape, values, defaultValue, rowPartitionTensors,
 * rowPartitionTypes)`. `shape` (int32) has one size per ragged axis plus values' rank; -1 means the
 * natural size (the most the ragged tensor needs there); a smaller size cuts rows off, a larger one
 * pads. The axes of values after the first are dense: their sizes must be -1 or values'. The result
 * has values' dtype; defaultValue (values' dtype) is a scalar or broadcasts to values.shape.slice(1).
 * Values equal tfjs' CPU kernel's where it is right; kerasm departs where it is not: a defaultValue
 * of more than one value fills the padding (tfjs leaves 0s), values of rank 3 or more, or of rank 2
 * with an inner size other than the ragged rank + 1, come out right (tfjs mixes up the dense axes),
 * and `shape` -1 or [] gives the natural shape, as TensorFlow documents (tfjs throws). A partition
 * may describe fewer rows than the axis above has entries (the rest are empty), and values may
 * outnumber the innermost entries (the rest are left out), as in tfjs; kerasm refuses fewer values,
 * VALUE_ROWIDS out of order or negative (tfjs misplaces or reads past them), and the partition types
 * tfjs cannot handle. No gradient (tfjs has none).
 * @example `km.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [[0, 2, 2, 3]], ['ROW_SPLITS'])` ([[1, 2], [0, 0], [3, 0]])
 */
export function raggedTensorToTensor<D extends DType = 'float32'>(shape: Tensor | TensorLike, values: Tensor<D> | TensorLike, defaultValue: Tensor<D> | TensorLike, rowPartitionTensors: readonly (Tensor | TensorLike)[], rowPartitionTypes: readonly RowPartitionType[]): Tensor<D> {
  const fn = 'km.raggedTensorToTensor()';
  const v = operand<D>(fn, 'values', values);
  if (v.rank === 0) throw new Error(`${fn}: values must have rank 1 or more (one entry per innermost position). Received: values.shape=[].`);
  const types = checkedTypes(fn, rowPartitionTensors, rowPartitionTypes);
  const [rowsOf, partitions] = types[0] === 'FIRST_DIM_SIZE' ? [firstDimSize(fn, rowPartitionTensors[0]), types.slice(1)] : [-1, types];
  // Each ragged axis as row splits over all the entries of the axis above.
  let entries = rowsOf;
  const splits = partitions.map((type, axis) => {
    const i = axis + types.length - partitions.length;
    const name = `rowPartitionTensors[${i}]`;
    const s = type === 'ROW_SPLITS' ? rowSplitsOf(fn, name, rowPartitionTensors[i]) : splitsFromRowIds(fn, name, rowPartitionTensors[i], entries);
    if (entries < 0) entries = s.length - 1;
    if (s[0] !== 0) throw new Error(`${fn}: ${name} (ROW_SPLITS) must start at 0, where the first row begins. Received: ${name}=${preview(s)}.`);
    if (s.length - 1 > entries) {
      throw new Error(`${fn}: ${name} (ROW_SPLITS) describes ${s.length - 1} rows, but the axis above has ${entries} entries, one per row: pass at most ${entries + 1} splits. Received: ${name}=${preview(s)}.`);
    }
    const full = new Int32Array(entries + 1).fill(s[s.length - 1]);
    full.set(s);
    entries = full[entries];
    return full;
  });
  if (entries < 0) entries = rowsOf;
  if (v.shape[0] < entries) {
    throw new Error(`${fn}: values must have at least one entry per innermost position: the partitions describe ${entries}. Received: values.shape=[${v.shape.join(', ')}].`);
  }
  const dense = v.shape.slice(1);
  const natural = [rowsOf >= 0 ? rowsOf : splits[0].length - 1, ...splits.map(widest), ...dense];
  const outShape = outputShape(fn, shape, natural, splits.length);
  const fill = defaultFill(fn, defaultValue, v.dtype, dense);
  const inner = dense.reduce((n, d) => n * d, 1);
  const out = typedArray(v.dtype, outShape.reduce((n, d) => n * d, 1));
  for (let at = 0; at < out.length; at += inner) out.set(fill, at);
  // Where each entry of each axis lands in the output (a flat position counted in dense elements), or -1.
  const strides = outShape.map((_, axis) => outShape.slice(axis + 1).reduce((n, d) => n * d, 1));
  let landing = Int32Array.from({ length: natural[0] }, (_, r) => (r < outShape[0] ? r * strides[0] : -1));
  splits.forEach((s, axis) => {
    const next = new Int32Array(s[s.length - 1]);
    for (let row = 0; row + 1 < s.length; row++) {
      for (let j = s[row]; j < s[row + 1]; j++) {
        const column = j - s[row];
        next[j] = landing[row] >= 0 && column < outShape[axis + 1] ? landing[row] + column * strides[axis + 1] : -1;
      }
    }
    landing = next;
  });
  const source = hostValues(fn, v);
  landing.forEach((to, from) => {
    if (to >= 0) out.set(source.subarray(from * inner, (from + 1) * inner), to);
  });
  return new Tensor(out, outShape, v.dtype);
}

function checkedTypes(fn: string, tensors: readonly unknown[], types: readonly string[]): RowPartitionType[] {
  const received = `Received: rowPartitionTypes=${JSON.stringify(types)}, ${Array.isArray(tensors) ? `${tensors.length} rowPartitionTensors` : `rowPartitionTensors=${String(tensors)}`}.`;
  if (!Array.isArray(types) || !Array.isArray(tensors) || types.length !== tensors.length || types.length === 0) {
    throw new Error(`${fn}: pass rowPartitionTensors and rowPartitionTypes as arrays of the same non-zero length, a type per partition tensor. ${received}`);
  }
  types.forEach((type, i) => {
    const allowed = i === 0 ? ['ROW_SPLITS', 'FIRST_DIM_SIZE'] : ['ROW_SPLITS', 'VALUE_ROWIDS'];
    if (!allowed.includes(type)) {
      throw new Error(`${fn}: rowPartitionTypes[${i}] must be ${allowed.map((a) => `'${a}'`).join(' or ')}: tfjs' kernel takes 'ROW_SPLITS', 'VALUE_ROWIDS' (for the first axis only after 'FIRST_DIM_SIZE') and 'FIRST_DIM_SIZE' (first only). Convert other partitions (ROW_LENGTHS, ...) to row splits. ${received}`);
    }
  });
  return types as RowPartitionType[];
}

function firstDimSize(fn: string, t: Tensor | TensorLike): number {
  const size = indicesOf(fn, t, 'rowPartitionTensors[0]');
  const n = size.size === 1 ? hostValues(fn, size)[0] : -1;
  if (n < 0) throw new Error(`${fn}: rowPartitionTensors[0] (FIRST_DIM_SIZE) must be one non-negative int32 number, the rows of the first axis. Received: shape=[${size.shape.join(', ')}], values=${preview(hostValues(fn, size))}.`);
  return n;
}

/** VALUE_ROWIDS (each entry's row, non-decreasing, below `rows`) as row splits over `rows` rows. */
function splitsFromRowIds(fn: string, name: string, rowIds: Tensor | TensorLike, rows: number): Int32Array {
  const t = indicesOf(fn, rowIds, name);
  const ids = t.rank === 1 ? hostValues(fn, t) : null;
  const bad = ids ? ids.findIndex((r, i) => r < 0 || r >= rows || (i > 0 && r < ids[i - 1])) : -1;
  if (!ids || bad >= 0) {
    throw new Error(`${fn}: ${name} (VALUE_ROWIDS) must be an int32 vector of each entry's row, in order (non-decreasing) and from 0 to ${rows - 1}, the rows of the axis above.${bad >= 0 ? ` Entry ${bad} is ${ids![bad]}.` : ''} Received: ${name}.shape=[${t.shape.join(', ')}]${ids ? `, ${name}=${preview(ids)}` : ''}.`);
  }
  const splits = new Int32Array(rows + 1);
  for (const r of ids) splits[r + 1]++;
  for (let r = 0; r < rows; r++) splits[r + 1] += splits[r];
  return splits;
}

/** The longest row of a partition: the natural size of the axis it makes. */
function widest(splits: Int32Array): number {
  let most = 0;
  for (let r = 0; r + 1 < splits.length; r++) most = Math.max(most, splits[r + 1] - splits[r]);
  return most;
}

function outputShape(fn: string, shape: Tensor | TensorLike, natural: readonly number[], raggedRank: number): number[] {
  const s = indicesOf(fn, shape, 'shape');
  const sizes = Array.from(hostValues(fn, s));
  if ((s.rank === 0 && sizes[0] === -1) || (s.rank === 1 && s.size === 0)) return [...natural];
  const received = `Received: shape=${s.rank === 0 ? sizes[0] : preview(sizes)}; the natural shape is [${natural.join(', ')}].`;
  if (s.rank !== 1 || sizes.length !== natural.length) {
    throw new Error(`${fn}: shape must be an int32 vector of ${natural.length} sizes (one per ragged axis, ${raggedRank + 1} with the rows, then values' axes after the first), -1 for the natural size, or -1 alone for the natural shape. ${received}`);
  }
  const bad = sizes.findIndex((d, axis) => d < -1 || (axis > raggedRank && d !== -1 && d !== natural[axis]));
  if (bad >= 0) {
    throw new Error(`${fn}: shape[${bad}] must be ${bad > raggedRank ? `-1 or ${natural[bad]}: it is a dense axis of values, which the shape cannot change` : 'a size (0 or more) or -1 for the natural size'}. ${received}`);
  }
  return sizes.map((d, axis) => (d === -1 ? natural[axis] : d));
}

/** defaultValue broadcast to one dense element (values.shape.slice(1)), flat. */
function defaultFill<D extends DType>(fn: string, defaultValue: Tensor<D> | TensorLike, dtype: D, dense: readonly number[]): ArrayLike<number> {
  const d = defaultValue instanceof Tensor ? operand<D>(fn, 'defaultValue', defaultValue) : tensor(defaultValue, undefined, dtype);
  const fits = d.rank <= dense.length && d.shape.every((n, i) => n === 1 || n === dense[dense.length - d.rank + i]);
  if (d.dtype !== dtype || !fits) {
    throw new Error(`${fn}: defaultValue must have values' dtype ('${dtype}') and broadcast to one element of values, shape [${dense.join(', ')}] (a scalar always does). Received: defaultValue.shape=[${d.shape.join(', ')}], defaultValue.dtype='${d.dtype}'.`);
  }
  return hostValues(fn, broadcastTo(d, dense));
}
