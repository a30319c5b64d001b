// tfjs' matMul on the host: matrices, or stacks of them with the same leading (batch) axes, each
// product summed in double and stored as float32, with its gradient for km.grad & co.
import { Tensor, type TensorLike } from '../tensor.js';
import { coreFor, onCore } from './core_kernels.js';
import { hostValues, operand } from './operand.js';
import { record, taping } from './tape.js';

/** The rows and columns of each matrix of `shape` as the product reads it (after the transpose). */
function matrixDims(shape: readonly number[], transposed: boolean): [number, number] {
  const [r, c] = shape.slice(-2);
  return transposed ? [c, r] : [r, c];
}

/**
 * `batch` products of `a` ([m, k] each, or [k, m] read transposed) by `b` ([k, n], or [n, k]):
 * entry (i, j) of product p is Σ_q a(i, q)·b(q, j), summed in double in the order of q and rounded
 * once. Loops run along b's rows where b is stored [k, n], along its columns where it is [n, k], so
 * that the innermost loop reads b contiguously; the sums are the same either way.
 */
export function products(a: ArrayLike<number>, b: ArrayLike<number>, batch: number, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): Float32Array {
  const core = coreFor(batch * m * k * n, CORE_PRODUCTS);
  if (core !== null) return onCore(core, [a, b], batch * m * n, ([ia, ib, out]) => core.batchMatMul(ia, ib, out, batch, m, n, k, transposeA, transposeB, false));
  const out = new Float32Array(batch * m * n);
  const [ai, aq] = transposeA ? [1, m] : [k, 1];
  const row = new Float64Array(n);
  for (let p = 0; p < batch; p++) {
    const [ao, bo, oo] = [p * m * k, p * k * n, p * m * n];
    for (let i = 0; i < m; i++) {
      const a0 = ao + i * ai;
      if (transposeB) {
        for (let j = 0; j < n; j++) {
          const b0 = bo + j * k;
          let total = 0;
          for (let q = 0; q < k; q++) total += a[a0 + q * aq] * b[b0 + q];
          out[oo + i * n + j] = total;
        }
        continue;
      }
      row.fill(0);
      for (let q = 0; q < k; q++) {
        const aiq = a[a0 + q * aq];
        const b0 = bo + q * n;
        for (let j = 0; j < n; j++) row[j] += aiq * b[b0 + j];
      }
      out.set(row, oo + i * n);
    }
  }
  return out;
}

/**
 * Products of at least this many multiply-adds run on the WASM core's GEMM kernel when it is the
 * active backend, summed in float32 there (transfers included, 12 times faster than these loops at
 * 16×64×64, 27 times at 64×784×64: BENCHMARKS.md); smaller ones keep tfjs' CPU sums to the bit.
 */
export const CORE_PRODUCTS = 1 << 16;

/**
 * The matrix product `a · b`, as `tf.matMul`: float32 tensors of rank 2, or of a higher rank with
 * the same leading axes, a product per matrix; `transposeA` / `transposeB` read a matrix
 * transposed. Differentiable.
 * @example `km.matMul(x, kernel).add(bias)` (a dense layer's output in a custom layer's call)
 */
export function matMul(a: Tensor | TensorLike, b: Tensor | TensorLike, transposeA = false, transposeB = false): Tensor<'float32'> {
  const fn = 'km.matMul()';
  const ta = operand(fn, 'a', a);
  const tb = operand(fn, 'b', b);
  if (ta.dtype !== 'float32' || tb.dtype !== 'float32') throw new Error(`${fn} multiplies float32 tensors. Cast an int32 one first: km.cast(x, 'float32'). Received: a.dtype='${ta.dtype}', b.dtype='${tb.dtype}'.`);
  const lead = ta.shape.slice(0, -2);
  if (ta.rank < 2 || tb.rank !== ta.rank || tb.shape.slice(0, -2).some((d, i) => d !== lead[i])) {
    throw new Error(`${fn} multiplies matrices (rank 2) or stacks of them with the same leading axes. Received: a.shape=[${ta.shape.join(', ')}], b.shape=[${tb.shape.join(', ')}]. Reshape or expandDims them to match.`);
  }
  const [m, k] = matrixDims(ta.shape, transposeA);
  const [kb, n] = matrixDims(tb.shape, transposeB);
  if (k !== kb) {
    throw new Error(`${fn}: a's columns must equal b's rows (after transposeA=${transposeA}, transposeB=${transposeB}), but they are ${k} and ${kb}. Received: a.shape=[${ta.shape.join(', ')}], b.shape=[${tb.shape.join(', ')}].`);
  }
  const batch = lead.reduce((p, d) => p * d, 1);
  const va = hostValues(fn, ta);
  const vb = hostValues(fn, tb);
  const result = new Tensor(products(va, vb, batch, m, k, n, transposeA, transposeB), [...lead, m, n], 'float32');
  if (taping()) {
    // dA = dC·Bᵀ and dB = Aᵀ·dC, each written in the layout its operand is stored in.
    record(result, [ta, tb], (dy, needed) => [
      needed[0] ? (transposeA ? products(vb, dy, batch, k, n, m, transposeB, true) : products(dy, vb, batch, m, n, k, false, !transposeB)) : null,
      needed[1] ? (transposeB ? products(dy, va, batch, n, m, k, true, transposeA) : products(va, dy, batch, k, m, n, !transposeA, false)) : null,
    ]);
  }
  return result;
}
