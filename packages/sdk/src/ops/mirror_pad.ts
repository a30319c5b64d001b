// tfjs' mirrorPad: a tensor padded with its own reflection along each axis.
import type { Tensor, DType, TensorLike } from '../tensor.js';
import { rowMajorStrides } from '../tensor_slice.js';
import { operand } from './operand.js';
import { selected } from './selection.js';

/** For each index along a padded axis, the index of x it mirrors; `edge` is 0 for 'reflect' (the edge is not repeated), 1 for 'symmetric'. */
function mirroredIndices(dim: number, before: number, after: number, edge: number): Int32Array {
  return Int32Array.from({ length: before + dim + after }, (_, o) => {
    const i = o - before;
    if (i < 0) return -i - edge;
    return i >= dim ? 2 * dim - 2 + edge - i : i;
  });
}

/**
 * `x` with `paddings[i] = [before, after]` entries added along each axis i, mirroring x, as
 * `tf.mirrorPad`: 'reflect' mirrors about the edge entry ([1, 2, 3] padded by 2 before gives
 * [3, 2, 1, 2, 3]), 'symmetric' repeats it ([2, 1, 1, 2, 3]); so padding may reach dim - 1 entries
 * ('reflect') or dim ('symmetric'). Keeps x's dtype. Its gradient adds the cotangent of every
 * copy of an entry (tfjs' takes only the middle's, dropping the mirrored copies' share).
 * @example `km.mirrorPad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect')` (before a 3×3 convolution)
 */
export function mirrorPad<D extends DType>(x: Tensor<D> | TensorLike, paddings: readonly (readonly [number, number])[], mode: 'reflect' | 'symmetric'): Tensor<D> {
  const fn = 'km.mirrorPad()';
  if (mode !== 'reflect' && mode !== 'symmetric') throw new Error(`${fn}: mode must be 'reflect' (mirror about the edge) or 'symmetric' (repeat the edge). Received: mode=${JSON.stringify(mode)}.`);
  const t = operand<D>(fn, 'x', x);
  if (t.rank === 0) throw new Error(`${fn} pads along axes, and a scalar has none. Reshape it first, e.g. t.reshape([1]).`);
  const edge = mode === 'reflect' ? 0 : 1;
  const valid = Array.isArray(paddings) && paddings.length === t.rank && paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0));
  if (!valid) {
    throw new Error(`${fn}: paddings must hold one [before, after] pair of non-negative integers per axis of x (rank ${t.rank}), e.g. [${t.shape.map(() => '[1, 1]').join(', ')}]. Received: paddings=${JSON.stringify(paddings)}, x.shape=[${t.shape.join(', ')}].`);
  }
  const tooWide = paddings.findIndex((p, i) => Math.max(...p) > t.shape[i] - 1 + edge);
  if (tooWide >= 0) {
    throw new Error(
      `${fn}: paddings[${tooWide}] = [${paddings[tooWide].join(', ')}] reaches past the ${t.shape[tooWide]} entries of axis ${tooWide} to mirror: in '${mode}' mode each side may add at most ${t.shape[tooWide] - 1 + edge}. ` +
        `Pad less, ${mode === 'reflect' ? "use 'symmetric' (one more), " : ''}or pad twice. Received: x.shape=[${t.shape.join(', ')}].`,
    );
  }
  const shape = t.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
  const maps = t.shape.map((d, i) => mirroredIndices(d, paddings[i][0], paddings[i][1], edge));
  const xStrides = rowMajorStrides(t.shape);
  const sources = new Int32Array(shape.reduce((a, b) => a * b, 1));
  // Row-major over the output: the source offset is the sum of each axis' mirrored index times its stride.
  const at = shape.map(() => 0);
  for (let i = 0; i < sources.length; i++) {
    sources[i] = at.reduce((n, o, k) => n + maps[k][o] * xStrides[k], 0);
    for (let k = shape.length - 1; k >= 0 && ++at[k] === shape[k]; k--) at[k] = 0;
  }
  return selected(fn, t, shape, sources);
}
