// tfjs' linalg.qr: QR decomposition by Householder reflections, written with km ops as tfjs writes
// it with its own, so that it gives tfjs' signs and passes gradients as tfjs' does.
import { Tensor, tensor, type TensorLike } from '../../tensor.js';
import { div, mul, sub } from '../arithmetic.js';
import { greater } from '../compare.js';
import { neg } from '../elementwise.js';
import { concat, stack } from '../join.js';
import { matMul } from '../mat_mul.js';
import { norm } from '../norm.js';
import { operand } from '../operand.js';
import { cast, reshape, slice } from '../shape_ops.js';
import { unstack } from '../split.js';
import { transpose } from '../transpose.js';
import { where } from '../where.js';

function identity(m: number): Tensor<'float32'> {
  const values = new Float32Array(m * m);
  for (let i = 0; i < m; i++) values[i * m + i] = 1;
  return new Tensor(values, [m, m], 'float32');
}

/** Q and R of one [m, n] matrix: one Householder reflection per column, each applied to R and accumulated into Q. */
function householderQr(x: Tensor, fullMatrices: boolean): [Tensor<'float32'>, Tensor<'float32'>] {
  const [m, n] = x.shape;
  const one = tensor([[1]]);
  let q: Tensor = identity(m);
  let r: Tensor = x;
  for (let j = 0; j < Math.min(m, n); j++) {
    const column = slice(r, [j, j], [m - j, 1]);
    const columnNorm = norm(column);
    const pivot = slice(r, [j, j], [1, 1]);
    // The reflection sends the column to −sign(pivot)·‖column‖·e1, which avoids cancellation.
    const s = where(greater(pivot, 0), tensor([[-1]]), tensor([[1]]));
    const u1 = sub(pivot, mul(s, columnNorm));
    const w = m - j === 1 ? one : concat([one, slice(div(column, u1), [1, 0], [m - j - 1, 1])], 0);
    const tauW = mul(neg(div(matMul(s, u1), columnNorm)), w);
    const rows = slice(r, [j, 0], [m - j, n]);
    const reflected = sub(rows, matMul(tauW, matMul(transpose(w), rows)));
    r = j === 0 ? reflected : concat([slice(r, [0, 0], [j, n]), reflected], 0);
    const columns = slice(q, [0, j], [m, m - j]);
    const updated = sub(columns, matMul(matMul(columns, w), transpose(tauW)));
    q = j === 0 ? updated : concat([slice(q, [0, 0], [m, j]), updated], 1);
  }
  if (!fullMatrices && m > n) return [slice(q, [0, 0], [m, n]) as Tensor<'float32'>, slice(r, [0, 0], [n, n]) as Tensor<'float32'>];
  return [q as Tensor<'float32'>, r as Tensor<'float32'>];
}

/**
 * The QR decomposition of each innermost matrix of `x` (`[..., m, n]`), as `tf.linalg.qr`:
 * [q, r] with q's columns orthonormal, r upper-triangular and q·r = x, by Householder reflections
 * (r's diagonal has the sign tfjs gives it). With `fullMatrices` false (default) and m > n, q is
 * `[..., m, n]` and r `[..., n, n]`; otherwise q is `[..., m, m]` and r `[..., m, n]`. float32.
 * Made of km ops, so it passes gradients, as tfjs'. tfjs fails for a batch whose q or r differ in
 * shape from x; kerasm returns them.
 * @example `const [q, r] = km.linalg.qr(km.tensor([[1, 2], [3, 4]]))`
 */
export function qr(x: Tensor | TensorLike, fullMatrices = false): [Tensor<'float32'>, Tensor<'float32'>] {
  const fn = 'km.linalg.qr()';
  const t = operand(fn, 'x', x);
  if (t.rank < 2) throw new Error(`${fn}: x must have rank 2 or more, a matrix or a batch of them. Received: x.shape=[${t.shape.join(', ')}] (rank ${t.rank}).`);
  if (typeof fullMatrices !== 'boolean') throw new Error(`${fn}: fullMatrices must be true or false. Received: fullMatrices=${JSON.stringify(fullMatrices)}.`);
  const f = cast(t, 'float32');
  if (t.rank === 2) return householderQr(f, fullMatrices);
  const [m, n] = t.shape.slice(-2);
  const outer = t.shape.slice(0, -2);
  const pairs = unstack(reshape(f, [-1, m, n])).map((matrix) => householderQr(matrix, fullMatrices));
  const [q, r] = [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  return [reshape(stack(q), [...outer, ...q[0].shape]), reshape(stack(r), [...outer, ...r[0].shape])];
}
