// tfjs' stridedSlice: NumPy's x[begin:end:stride, ...] with TensorFlow's masks (whole axes, an
// ellipsis, new axes, indexed axes that go away), resolved as TensorFlow resolves them.
import type { Tensor, DType, TensorLike } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { sourceOffsets } from './offsets.js';
import { operand } from './operand.js';
import { selected } from './selection.js';

/** What one axis of x contributes: its first index, step and length (1 for an axis shrinkAxisMask drops). */
interface AxisRange {
  begin: number;
  stride: number;
  size: number;
}

/** The output's axes in order: an axis of x (its index) or a new axis of size 1 ('new'). */
type OutputAxis = number | 'new';

function isIntegerList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((n) => Number.isInteger(n));
}

/** Where along an axis of `dim` entries `index` (maybe negative, maybe past the ends) lands, clamped as TensorFlow clamps it. */
function canonical(index: number, masked: boolean, isEnd: boolean, stride: number, dim: number): number {
  const [low, high] = stride > 0 ? [0, dim] : [-1, dim - 1];
  if (masked) return stride > 0 === isEnd ? high : low;
  const forward = index < 0 ? dim + index : index;
  return Math.min(Math.max(forward, low), high);
}

/**
 * The range on each axis of x and the output's axes, from tfjs' (and TensorFlow's) sparse spec: one
 * entry per element of begin, an entry with its ellipsis bit standing for as many whole axes as
 * the other entries leave over (an ellipsis is implied at the end when none is given).
 */
function resolve(fn: string, shape: readonly number[], begin: number[], end: number[], strides: number[], masks: number[]): { ranges: AxisRange[]; axes: OutputAxis[] } {
  const [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask] = masks;
  const bit = (mask: number, i: number): boolean => Math.floor(mask / 2 ** i) % 2 === 1;
  const entries = begin.length;
  const explicitEllipsis = begin.findIndex((_, i) => bit(ellipsisMask, i));
  const ellipsis = explicitEllipsis >= 0 ? explicitEllipsis : entries;
  const ranges: AxisRange[] = [];
  const axes: OutputAxis[] = [];
  for (let i = 0; i <= entries; i++) {
    if (i === ellipsis) {
      // The entries after the ellipsis that take an axis of x each.
      const after = begin.slice(i + 1).filter((_, j) => !bit(newAxisMask, i + 1 + j)).length;
      while (ranges.length < shape.length - after) {
        axes.push(ranges.length);
        ranges.push({ begin: 0, stride: 1, size: shape[ranges.length] });
      }
    } else if (i === entries) {
      break;
    } else if (bit(newAxisMask, i)) {
      axes.push('new');
    } else {
      const axis = ranges.length;
      if (axis === shape.length) {
        throw new Error(`${fn}: begin has more entries than x has axes: entry ${i} would index axis ${axis} of shape [${shape.join(', ')}]. Drop entries, or mark new axes with newAxisMask. Received: begin=${JSON.stringify(begin)}.`);
      }
      const dim = shape[axis];
      const stride = strides[i];
      if (bit(shrinkAxisMask, i)) {
        const at = begin[i] < 0 ? dim + begin[i] : begin[i];
        if (at < 0 || at >= dim) throw new Error(`${fn}: begin[${i}] = ${begin[i]} indexes axis ${axis} (shrinkAxisMask), which has ${dim} entries: use an index from ${-dim} to ${dim - 1}. Received: x.shape=[${shape.join(', ')}].`);
        if (stride <= 0) throw new Error(`${fn}: an axis picked by shrinkAxisMask (entry ${i}) needs a positive stride. Received: strides[${i}]=${stride}.`);
        ranges.push({ begin: at, stride: 1, size: 1 });
        continue;
      }
      const from = canonical(begin[i], bit(beginMask, i), false, stride, dim);
      const to = canonical(end[i], bit(endMask, i), true, stride, dim);
      const span = to - from;
      const size = span === 0 || span < 0 !== stride < 0 ? 0 : Math.ceil(span / stride);
      axes.push(axis);
      ranges.push({ begin: from, stride, size });
    }
  }
  return { ranges, axes };
}

/**
 * The strided slice `x[begin[0]:end[0]:strides[0], ...]`, as `tf.stridedSlice`, with TensorFlow's
 * rules: negative indices count from the end, indices past the ends are clamped, a negative stride
 * walks backward; bit i of `beginMask` / `endMask` ignores begin[i] / end[i] (the whole axis that
 * way), of `ellipsisMask` (one bit at most) stands for all the axes no other entry takes, of
 * `newAxisMask` inserts an axis of size 1, of `shrinkAxisMask` takes the single index begin[i]
 * and drops the axis. Axes after the last entry are taken whole. Keeps x's dtype. Its gradient
 * (tfjs has none) puts dy where each value came from, zeros elsewhere. Results follow TensorFlow
 * where tfjs 4.22's CPU kernel departs from it: begin past end with stride 1 gives an empty slice
 * (tfjs throws), and an axis picked by shrinkAxisMask beside a stride other than 1 takes the right
 * element (tfjs reads another one, or throws).
 * @example `km.stridedSlice(x, [0, 1], [0, 0], [1, 2], 1, 2)` (every row, odd columns: x[:, 1::2])
 */
export function stridedSlice<D extends DType>(
  x: Tensor<D> | TensorLike,
  begin: readonly number[],
  end: readonly number[],
  strides?: readonly number[],
  beginMask = 0,
  endMask = 0,
  ellipsisMask = 0,
  newAxisMask = 0,
  shrinkAxisMask = 0,
): Tensor<D> {
  const fn = 'km.stridedSlice()';
  const t = operand<D>(fn, 'x', x);
  const steps = strides ?? begin.map(() => 1);
  if (!isIntegerList(begin) || !isIntegerList(end) || !isIntegerList(steps) || end.length !== begin.length || steps.length !== begin.length) {
    throw new Error(`${fn}: begin, end and strides must be lists of integers of one length (strides defaults to 1s). Received: begin=${JSON.stringify(begin)}, end=${JSON.stringify(end)}, strides=${JSON.stringify(strides)}.`);
  }
  const zero = steps.indexOf(0);
  if (zero >= 0) throw new Error(`${fn}: strides[${zero}] is 0; a stride is a step along the axis: use a positive one (forward) or a negative one (backward). Received: strides=${JSON.stringify(steps)}.`);
  const masks = [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask];
  const names = ['beginMask', 'endMask', 'ellipsisMask', 'newAxisMask', 'shrinkAxisMask'];
  masks.forEach((m, k) => {
    if (!Number.isInteger(m) || m < 0 || m >= 2 ** 31) throw new Error(`${fn}: ${names[k]} must be a bit mask, a non-negative integer (bit i for entry i). Received: ${names[k]}=${String(m)}.`);
  });
  if ((ellipsisMask & (ellipsisMask - 1)) !== 0) throw new Error(`${fn}: ellipsisMask may set one bit (one ellipsis) only. Received: ellipsisMask=${ellipsisMask} (binary ${ellipsisMask.toString(2)}).`);
  const { ranges, axes } = resolve(fn, t.shape, [...begin], [...end], [...steps], masks);
  const xStrides = rowMajorStrides(t.shape);
  const base = ranges.reduce((n, r, k) => n + (r.size > 0 ? r.begin * xStrides[k] : 0), 0);
  const sources = sourceOffsets(ranges.map((r) => r.size), ranges.map((r, k) => r.stride * xStrides[k]));
  for (let i = 0; i < sources.length; i++) sources[i] += base;
  const shape = axes.map((a) => (a === 'new' ? 1 : ranges[a].size));
  return selected(fn, t, shape, sources);
}
