// Adafactor (Keras 3) over one weight tensor. A weight of rank ≥ 2 is seen as `batches` matrices
// of rows × cols (its last two axes) whose second moment is factored into row means r
// [batches·rows] and column means c [batches·cols]; a vector keeps a full second moment v. The
// gradients' square carries ε1 (1e-30 by default), so these accumulators stay normal numbers and
// need no subnormal flush.
import { sumSquares } from './clipping';
import { oneMinus } from './moments';
import { hsum } from './simd';

/** v = β·v + (1−β)·(g² + ε1) over n values; `rest` is 1−β. */
function unfactoredMoment(grads: usize, v: usize, n: i32, beta: f32, rest: f32, epsilon1: f32): void {
  const vb = f32x4.splat(beta), vc = f32x4.splat(rest), e1 = f32x4.splat(epsilon1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    v128.store(v + off, f32x4.add(f32x4.mul(vb, v128.load(v + off)), f32x4.mul(vc, f32x4.add(f32x4.mul(g, g), e1))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    store<f32>(v + off, beta * load<f32>(v + off) + rest * (g * g + epsilon1));
  }
}

/**
 * One rows × cols matrix: r = β·r + (1−β)·mean over columns of (g² + ε1), c likewise over rows,
 * then v = (r / mean(r)) ⊗ c, Keras' rank-one estimate of the second moment. `rest` is 1−β.
 */
function factoredMoment(grads: usize, r: usize, c: usize, v: usize, rows: i32, cols: i32, beta: f32, rest: f32, epsilon1: f32): void {
  const vb = f32x4.splat(beta), e1 = f32x4.splat(epsilon1);
  const rowScale: f32 = rest / <f32>cols;
  const colScale = f32x4.splat(rest / <f32>rows);
  let j = 0;
  for (; j + 4 <= cols; j += 4) v128.store(c + (<usize>j << 2), f32x4.mul(vb, v128.load(c + (<usize>j << 2))));
  for (; j < cols; j++) store<f32>(c + (<usize>j << 2), beta * load<f32>(c + (<usize>j << 2)));
  let rowTotal: f32 = 0;
  for (let i = 0; i < rows; i++) {
    const row = grads + ((<usize>i * <usize>cols) << 2);
    let acc = f32x4.splat(0);
    let tail: f32 = 0;
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const g = v128.load(row + (<usize>j << 2));
      const sq = f32x4.add(f32x4.mul(g, g), e1);
      acc = f32x4.add(acc, sq);
      v128.store(c + (<usize>j << 2), f32x4.add(v128.load(c + (<usize>j << 2)), f32x4.mul(colScale, sq)));
    }
    for (; j < cols; j++) {
      const g = load<f32>(row + (<usize>j << 2));
      const sq = g * g + epsilon1;
      tail += sq;
      store<f32>(c + (<usize>j << 2), load<f32>(c + (<usize>j << 2)) + f32x4.extract_lane(colScale, 0) * sq);
    }
    const ri = beta * load<f32>(r + (<usize>i << 2)) + rowScale * (hsum(acc) + tail);
    store<f32>(r + (<usize>i << 2), ri);
    rowTotal += ri;
  }
  const rowMean = rowTotal / <f32>rows;
  for (let i = 0; i < rows; i++) {
    const out = v + ((<usize>i * <usize>cols) << 2);
    const s = load<f32>(r + (<usize>i << 2)) / rowMean;
    const vs = f32x4.splat(s);
    j = 0;
    for (; j + 4 <= cols; j += 4) v128.store(out + (<usize>j << 2), f32x4.mul(vs, v128.load(c + (<usize>j << 2))));
    for (; j < cols; j++) store<f32>(out + (<usize>j << 2), s * load<f32>(c + (<usize>j << 2)));
  }
}

/** Σ g²/v over n values: the squared norm of the step direction g/√v. */
function directionSquares(grads: usize, v: usize, n: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + 1024);
    let acc = f32x4.splat(0);
    for (; i < end; i += 4) {
      const g = v128.load(grads + (<usize>i << 2));
      acc = f32x4.add(acc, f32x4.div(f32x4.mul(g, g), v128.load(v + (<usize>i << 2))));
    }
    total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  }
  for (; i < n; i++) {
    const g = load<f32>(grads + (<usize>i << 2));
    total += <f64>(g * g / load<f32>(v + (<usize>i << 2)));
  }
  return total;
}

/**
 * Keras 3's Adafactor step on one weight of batches·rows·cols values: the second moment as above
 * (factored when `factored`, else full in v), u = g/√v, then
 * p −= max(ε2, rms(p))·ρ · u / max(1, rms(u)/clipThreshold). ρ = min(lr, 1/√t) and
 * β = 1 − t^beta2Decay come from the caller; β is an f64 so that 1−β = t^beta2Decay is rounded from
 * the double (1 − f32(β) loses up to 5e-5 of it once β nears 1, by t ≈ 10⁴).
 */
export function adafactorUpdate(
  params: usize, grads: usize, r: usize, c: usize, v: usize, batches: i32, rows: i32, cols: i32, factored: bool,
  rho: f32, beta: f64, epsilon1: f32, epsilon2: f32, clipThreshold: f32,
): void {
  const betaF = <f32>beta, rest = oneMinus(beta);
  const n = batches * rows * cols;
  const alpha = max(epsilon2, <f32>Math.sqrt(sumSquares(params, n) / <f64>n)) * rho;
  if (factored) {
    for (let b = 0; b < batches; b++) {
      const matrix = <usize>b * <usize>rows * <usize>cols;
      factoredMoment(grads + (matrix << 2), r + ((<usize>b * <usize>rows) << 2), c + ((<usize>b * <usize>cols) << 2), v + (matrix << 2), rows, cols, betaF, rest, epsilon1);
    }
  } else {
    unfactoredMoment(grads, v, n, betaF, rest, epsilon1);
  }
  const rmsU = <f32>Math.sqrt(directionSquares(grads, v, n) / <f64>n);
  const step: f32 = alpha / max(<f32>1, rmsU / clipThreshold);
  const vs = f32x4.splat(step);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const u = f32x4.div(v128.load(grads + off), f32x4.sqrt(v128.load(v + off)));
    v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.mul(vs, u)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(params + off, load<f32>(params + off) - step * load<f32>(grads + off) / Mathf.sqrt(load<f32>(v + off)));
  }
}
