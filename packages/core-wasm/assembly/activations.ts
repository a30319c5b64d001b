// Activation forward/backward. Backward passes take the forward OUTPUT y, which is all any
// of these need and lets y overwrite x in place.
import { hmax, hsum } from './simd';
import { sigmoidScalar, sigmoidVector, tanhScalar, tanhVector } from './simd_math';
import { colSum, fill } from './elementwise';
import { sparsemaxBackwardRow, sparsemaxRow } from './sparsemax';

export const LINEAR: i32 = 0;
export const RELU: i32 = 1;
export const SIGMOID: i32 = 2;
export const TANH: i32 = 3;
export const SOFTMAX: i32 = 4;
export const ELU: i32 = 5;
export const SELU: i32 = 6;
export const SOFTPLUS: i32 = 7;
export const SOFTSIGN: i32 = 8;
export const RELU6: i32 = 9;
export const EXPONENTIAL: i32 = 10;
export const HARD_SIGMOID: i32 = 11;
export const LEAKY_RELU: i32 = 12;
export const HARD_TANH: i32 = 13;
export const LOG_SIGMOID: i32 = 14;
export const LOG_SOFTMAX: i32 = 15;
export const SQUAREPLUS: i32 = 16;
export const SOFT_SHRINK: i32 = 17;
export const HARD_SHRINK: i32 = 18;
export const SPARSE_PLUS: i32 = 19;
export const SPARSEMAX: i32 = 20;

// Keras 3's defaults: squareplus' b and the shrink activations' threshold.
const SQUAREPLUS_B: f32 = 4;
const SHRINK_THRESHOLD: f32 = 0.5;

// Keras 3's `leaky_relu` activation: its default negative slope (the LeakyReLU layer's is 0.3).
const LEAKY_SLOPE: f32 = 0.2;

// SELU's constants from Klambauer et al. (2017), as Keras and TensorFlow.js use them.
const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
const SELU_ALPHA: f32 = 1.6732632423543772848170429916717;
const SELU_SCALE_ALPHA: f32 = SELU_SCALE * SELU_ALPHA;

/** Numerically stable softmax of one row (subtracts the row max); y may alias x. */
export function softmaxRow(x: usize, y: usize, cols: i32): void {
  let c = 0;
  let mx: f32 = -Infinity;
  if (cols >= 4) {
    let vm = v128.load(x);
    for (c = 4; c + 4 <= cols; c += 4) vm = f32x4.max(vm, v128.load(x + (<usize>c << 2)));
    mx = hmax(vm);
  }
  for (; c < cols; c++) mx = max(mx, load<f32>(x + (<usize>c << 2)));
  let sum: f32 = 0;
  for (c = 0; c < cols; c++) {
    const e = Mathf.exp(load<f32>(x + (<usize>c << 2)) - mx);
    store<f32>(y + (<usize>c << 2), e);
    sum += e;
  }
  const inv = f32x4.splat(1 / sum);
  c = 0;
  for (; c + 4 <= cols; c += 4) {
    const off = <usize>c << 2;
    v128.store(y + off, f32x4.mul(v128.load(y + off), inv));
  }
  for (; c < cols; c++) store<f32>(y + (<usize>c << 2), load<f32>(y + (<usize>c << 2)) / sum);
}

/** Log-softmax of one row: x − max − log Σ e^(x − max); y may alias x. */
function logSoftmaxRow(x: usize, y: usize, cols: i32): void {
  let mx: f32 = -Infinity;
  for (let c = 0; c < cols; c++) mx = max(mx, load<f32>(x + (<usize>c << 2)));
  let sum: f32 = 0;
  for (let c = 0; c < cols; c++) sum += Mathf.exp(load<f32>(x + (<usize>c << 2)) - mx);
  const shift = mx + Mathf.log(sum);
  for (let c = 0; c < cols; c++) store<f32>(y + (<usize>c << 2), load<f32>(x + (<usize>c << 2)) - shift);
}

/** Whether the kind normalizes whole rows (softmax, log-softmax) rather than acting element by element. */
// @ts-ignore: decorator
@inline
function isRowwise(kind: i32): bool {
  return kind == SOFTMAX || kind == LOG_SOFTMAX || kind == SPARSEMAX;
}

/** y = f(x) over rows×cols; softmax and log-softmax are taken along each row. y may alias x. */
export function activationForward(kind: i32, x: usize, y: usize, rows: i32, cols: i32): void {
  if (isRowwise(kind)) {
    const rowBytes = <usize>cols << 2;
    for (let r = 0; r < rows; r++) {
      if (kind == SOFTMAX) softmaxRow(x + <usize>r * rowBytes, y + <usize>r * rowBytes, cols);
      else if (kind == SPARSEMAX) sparsemaxRow(x + <usize>r * rowBytes, y + <usize>r * rowBytes, cols);
      else logSoftmaxRow(x + <usize>r * rowBytes, y + <usize>r * rowBytes, cols);
    }
    return;
  }
  activateRange(kind, x, y, rows * cols);
}

/** y = f(x) over n contiguous values for the element-wise kinds (not softmax); y may alias x. */
export function activateRange(kind: i32, x: usize, y: usize, n: i32): void {
  if (kind == LINEAR) {
    if (x != y && n > 0) memory.copy(y, x, <usize>n << 2);
    return;
  }
  let i = 0;
  if (kind == RELU) {
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(y + off, f32x4.max(v128.load(x + off), zero));
    }
    for (; i < n; i++) store<f32>(y + (<usize>i << 2), max(load<f32>(x + (<usize>i << 2)), 0));
  } else if (kind == SIGMOID) {
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(y + off, sigmoidVector(v128.load(x + off)));
    }
    for (; i < n; i++) store<f32>(y + (<usize>i << 2), sigmoidScalar(load<f32>(x + (<usize>i << 2))));
  } else if (kind == TANH) {
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(y + off, tanhVector(v128.load(x + off)));
    }
    for (; i < n; i++) store<f32>(y + (<usize>i << 2), tanhScalar(load<f32>(x + (<usize>i << 2))));
  } else {
    if (hasVectorForward(kind)) {
      for (; i + 4 <= n; i += 4) {
        const off = <usize>i << 2;
        v128.store(y + off, forwardVector(kind, v128.load(x + off)));
      }
    }
    for (; i < n; i++) store<f32>(y + (<usize>i << 2), forwardScalar(kind, load<f32>(x + (<usize>i << 2))));
  }
}

/** Whether {@link forwardVector} covers the kind; the exp-based kinds run lane by lane. */
// @ts-ignore: decorator
@inline
function hasVectorForward(kind: i32): bool {
  return kind == SOFTSIGN || kind == RELU6 || kind == HARD_SIGMOID || kind == LEAKY_RELU || kind == HARD_TANH
    || kind == SQUAREPLUS || kind == SOFT_SHRINK || kind == HARD_SHRINK || kind == SPARSE_PLUS;
}

/**
 * squareplus (x + √(x² + b))/2 without overflow or cancellation: √(x² + b) as |x|·√(1 + b/x²) once
 * |x| > 1, and for x < 0 the equal b / (2(√(x² + b) − x)), which has no difference of near-equal terms.
 */
// @ts-ignore: decorator
@inline
function squareplusVector(v: v128): v128 {
  const b = f32x4.splat(SQUAREPLUS_B);
  const a = f32x4.abs(v);
  const square = f32x4.mul(v, v);
  const root = v128.bitselect(
    f32x4.mul(a, f32x4.sqrt(f32x4.add(f32x4.splat(1), f32x4.div(b, square)))),
    f32x4.sqrt(f32x4.add(square, b)),
    f32x4.gt(a, f32x4.splat(1)),
  );
  const half = f32x4.splat(0.5);
  const positive = f32x4.add(f32x4.mul(v, half), f32x4.mul(root, half));
  // (b/4) / ((√ − x)/2), halved before the subtraction so that it cannot overflow near f32's limit.
  const negative = f32x4.div(f32x4.splat(SQUAREPLUS_B / 4), f32x4.sub(f32x4.mul(root, half), f32x4.mul(v, half)));
  return v128.bitselect(positive, negative, f32x4.ge(v, f32x4.splat(0)));
}

/** f(x) of the kinds added after tanh, four lanes at a time (those with hasVectorForward). */
// @ts-ignore: decorator
@inline
function forwardVector(kind: i32, v: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (kind == SOFTSIGN) return f32x4.div(v, f32x4.add(one, f32x4.abs(v)));
  if (kind == RELU6) return f32x4.min(f32x4.max(v, zero), f32x4.splat(6));
  // max(x, slope·x) is x above 0 and slope·x below, for a slope under 1.
  if (kind == LEAKY_RELU) return f32x4.max(v, f32x4.mul(v, f32x4.splat(LEAKY_SLOPE)));
  if (kind == HARD_TANH) return f32x4.min(f32x4.max(v, f32x4.splat(-1)), one);
  if (kind == SQUAREPLUS) return squareplusVector(v);
  // x − clip(x, −t, t): x − t above t, x + t below −t, 0 between.
  if (kind == SOFT_SHRINK) return f32x4.sub(v, f32x4.min(f32x4.max(v, f32x4.splat(-SHRINK_THRESHOLD)), f32x4.splat(SHRINK_THRESHOLD)));
  if (kind == HARD_SHRINK) return v128.and(v, f32x4.gt(f32x4.abs(v), f32x4.splat(SHRINK_THRESHOLD)));
  if (kind == SPARSE_PLUS) {
    // (c + 1)²/4 with c = clip(x, −1, 1) is 0 below −1 and the quadratic between; x itself from 1 up.
    const c1 = f32x4.add(f32x4.min(f32x4.max(v, f32x4.splat(-1)), one), one);
    return v128.bitselect(v, f32x4.mul(f32x4.mul(c1, c1), f32x4.splat(0.25)), f32x4.ge(v, one));
  }
  // HARD_SIGMOID, mul then add (not madd) so both SIMD builds give the same bits.
  return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(v, f32x4.splat(0.2)), f32x4.splat(0.5)), zero), one);
}

/** f(x) of the kinds added after tanh, one value. */
// @ts-ignore: decorator
@inline
function forwardScalar(kind: i32, v: f32): f32 {
  // expm1 keeps ELU/SELU accurate near 0 and exactly -1 (·scale·alpha) for very negative x.
  if (kind == ELU) return v > 0 ? v : Mathf.expm1(v);
  if (kind == SELU) return v > 0 ? SELU_SCALE * v : SELU_SCALE_ALPHA * Mathf.expm1(v);
  // Stable softplus: exp is only taken of -|x|, so neither branch overflows.
  if (kind == SOFTPLUS) return max(v, 0) + Mathf.log1p(Mathf.exp(-Mathf.abs(v)));
  if (kind == EXPONENTIAL) return Mathf.exp(v);
  if (kind == SOFTSIGN) return v / (1 + Mathf.abs(v));
  if (kind == RELU6) return min(max(v, 0), 6);
  if (kind == LEAKY_RELU) return max(v, v * LEAKY_SLOPE);
  if (kind == HARD_TANH) return min(max(v, -1), 1);
  // log σ(x) = −softplus(−x), in the same overflow-free form.
  if (kind == LOG_SIGMOID) return min(v, 0) - Mathf.log1p(Mathf.exp(-Mathf.abs(v)));
  // The vector forms, one lane, so a row's tail gets the same bits as its vector lanes.
  if (kind == SQUAREPLUS || kind == SOFT_SHRINK || kind == HARD_SHRINK || kind == SPARSE_PLUS) {
    return f32x4.extract_lane(forwardVector(kind, f32x4.splat(v)), 0);
  }
  return min(max(v * 0.2 + 0.5, 0), 1);
}

/** dx = dy · f'(x) expressed through y = f(x). dx may alias dy. */
export function activationBackward(kind: i32, y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  const n = rows * cols;
  if (kind == LINEAR) {
    if (dx != dy && n > 0) memory.copy(dx, dy, <usize>n << 2);
    return;
  }
  if (kind == LOG_SOFTMAX) {
    // dx = dy − e^y·Σ dy, row by row (e^y is the softmax).
    for (let r = 0; r < rows; r++) {
      const base = <usize>(r * cols) << 2;
      let total: f32 = 0;
      for (let c = 0; c < cols; c++) total += load<f32>(dy + base + (<usize>c << 2));
      for (let c = 0; c < cols; c++) {
        const off = base + (<usize>c << 2);
        store<f32>(dx + off, load<f32>(dy + off) - Mathf.exp(load<f32>(y + off)) * total);
      }
    }
    return;
  }
  if (kind == SPARSEMAX) {
    for (let r = 0; r < rows; r++) {
      const off = <usize>(r * cols) << 2;
      sparsemaxBackwardRow(y + off, dy + off, dx + off, cols);
    }
    return;
  }
  if (kind == SOFTMAX) {
    const zero = f32x4.splat(0);
    // dx = y ⊙ (dy − Σ dy⊙y), row by row.
    for (let r = 0; r < rows; r++) {
      const base = <usize>(r * cols) << 2;
      let c = 0;
      let acc = zero;
      for (; c + 4 <= cols; c += 4) {
        const off = base + (<usize>c << 2);
        acc = f32x4.add(acc, f32x4.mul(v128.load(dy + off), v128.load(y + off)));
      }
      let s = hsum(acc);
      for (; c < cols; c++) {
        const off = base + (<usize>c << 2);
        s += load<f32>(dy + off) * load<f32>(y + off);
      }
      const vs = f32x4.splat(s);
      c = 0;
      for (; c + 4 <= cols; c += 4) {
        const off = base + (<usize>c << 2);
        v128.store(dx + off, f32x4.mul(v128.load(y + off), f32x4.sub(v128.load(dy + off), vs)));
      }
      for (; c < cols; c++) {
        const off = base + (<usize>c << 2);
        store<f32>(dx + off, load<f32>(y + off) * (load<f32>(dy + off) - s));
      }
    }
    return;
  }
  derivativeRow(kind, y, dy, dx, 0, rows * cols);
}

/**
 * activationBackward, and dBias = (accumulate ? dBias : 0) + Σ_rows dx in the same pass over
 * the rows (what a layer with a bias needs, with the same additions in the same order as colSum).
 */
export function activationBackwardBias(kind: i32, y: usize, dy: usize, dx: usize, dBias: usize, rows: i32, cols: i32, accumulate: bool): void {
  if (isRowwise(kind)) {
    activationBackward(kind, y, dy, dx, rows, cols);
    colSum(dx, dBias, rows, cols, accumulate);
    return;
  }
  if (!accumulate) fill(dBias, cols, 0);
  for (let r = 0; r < rows; r++) {
    const off = <usize>(r * cols) << 2;
    derivativeRow(kind, y + off, dy + off, dx + off, dBias, cols);
  }
}

/** dx = dy · f'(y) over `cols` values of an element-wise kind; when sum ≠ 0, also sum[c] += dx[c]. */
// @ts-ignore: decorator
@inline
function derivativeRow(kind: i32, y: usize, dy: usize, dx: usize, sum: usize, cols: i32): void {
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  let c = 0;
  // Softplus' and log-sigmoid's derivatives need exp: their rows go lane by lane.
  const vectorCols = hasVectorSlope(kind) ? cols : 0;
  for (; c + 4 <= vectorCols; c += 4) {
    const off = <usize>c << 2;
    const yv = v128.load(y + off);
    const g = v128.load(dy + off);
    let d: v128;
    if (kind == LINEAR) d = g;
    else if (kind == RELU) d = v128.and(g, f32x4.gt(yv, zero));
    else if (kind == SIGMOID) d = f32x4.mul(g, f32x4.mul(yv, f32x4.sub(one, yv)));
    else if (kind == TANH) d = f32x4.mul(g, f32x4.sub(one, f32x4.mul(yv, yv)));
    else d = f32x4.mul(g, derivativeVector(kind, yv));
    v128.store(dx + off, d);
    if (sum) v128.store(sum + off, f32x4.add(v128.load(sum + off), d));
  }
  for (; c < cols; c++) {
    const off = <usize>c << 2;
    const yv = load<f32>(y + off);
    const g = load<f32>(dy + off);
    let d: f32;
    if (kind == LINEAR) d = g;
    else if (kind == RELU) d = yv > 0 ? g : 0;
    else if (kind == SIGMOID) d = g * (yv * (1 - yv));
    else if (kind == TANH) d = g * (1 - yv * yv);
    else d = g * derivativeScalar(kind, yv);
    store<f32>(dx + off, d);
    if (sum) store<f32>(sum + off, load<f32>(sum + off) + d);
  }
}

// f'(x) written through y = f(x), for the kinds added after tanh:
//   elu: 1 (y > 0) or y + 1;  selu: scale (y > 0) or y + scale·alpha;  softplus: 1 − e^(−y);
//   softsign: (1 − |y|)²;  relu6: 1 inside (0, 6);  exponential: y;  hardSigmoid: 0.2 inside (0, 1);
//   leakyRelu: 1 (y > 0) or the slope;  hardTanh: 1 inside (−1, 1);  logSigmoid: 1 − σ(x) = 1 − e^y;
//   squareplus: y²/(y² + b/4) (from x = y − b/(4y)), as 1/(1 + (b/4)/y²) so that neither a huge nor a
//   tiny y overflows;  softShrink, hardShrink: 1 where y ≠ 0;  sparsePlus: (x + 1)/2 = √y below y = 1, then 1.

/** Whether {@link slopeVector} covers the kind: all element-wise kinds but those whose slope needs exp. */
// @ts-ignore: decorator
@inline
export function hasVectorSlope(kind: i32): bool {
  return kind != SOFTPLUS && kind != LOG_SIGMOID;
}

/** f'(x) from y, four lanes at a time (every kind here but softplus). */
// @ts-ignore: decorator
@inline
function derivativeVector(kind: i32, yv: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  if (kind == ELU) return v128.bitselect(one, f32x4.add(yv, one), f32x4.gt(yv, zero));
  if (kind == SELU) return v128.bitselect(f32x4.splat(SELU_SCALE), f32x4.add(yv, f32x4.splat(SELU_SCALE_ALPHA)), f32x4.gt(yv, zero));
  if (kind == SOFTSIGN) {
    const t = f32x4.sub(one, f32x4.abs(yv));
    return f32x4.mul(t, t);
  }
  if (kind == RELU6) return v128.and(one, v128.and(f32x4.gt(yv, zero), f32x4.lt(yv, f32x4.splat(6))));
  if (kind == EXPONENTIAL) return yv;
  if (kind == LEAKY_RELU) return v128.bitselect(one, f32x4.splat(LEAKY_SLOPE), f32x4.gt(yv, zero));
  if (kind == HARD_TANH) return v128.and(one, v128.and(f32x4.gt(yv, f32x4.splat(-1)), f32x4.lt(yv, one)));
  if (kind == SQUAREPLUS) return f32x4.div(one, f32x4.add(one, f32x4.div(f32x4.splat(SQUAREPLUS_B / 4), f32x4.mul(yv, yv))));
  if (kind == SOFT_SHRINK || kind == HARD_SHRINK) return v128.and(one, f32x4.ne(yv, zero));
  if (kind == SPARSE_PLUS) return f32x4.min(f32x4.sqrt(yv), one);
  return v128.and(f32x4.splat(0.2), v128.and(f32x4.gt(yv, zero), f32x4.lt(yv, one)));
}

/** f'(x) from y, one value. */
// @ts-ignore: decorator
@inline
function derivativeScalar(kind: i32, yv: f32): f32 {
  if (kind == ELU) return yv > 0 ? 1 : yv + 1;
  if (kind == SELU) return yv > 0 ? SELU_SCALE : yv + SELU_SCALE_ALPHA;
  // −expm1(−y) rather than 1 − e^(−y): for very negative x, y ≈ e^x is tiny and the subtraction would lose it.
  if (kind == SOFTPLUS) return -Mathf.expm1(-yv);
  if (kind == SOFTSIGN) {
    const t: f32 = <f32>1 - Mathf.abs(yv);
    return t * t;
  }
  if (kind == RELU6) return yv > 0 && yv < 6 ? 1 : 0;
  if (kind == EXPONENTIAL) return yv;
  if (kind == LEAKY_RELU) return yv > 0 ? 1 : LEAKY_SLOPE;
  if (kind == HARD_TANH) return yv > -1 && yv < 1 ? 1 : 0;
  // −expm1(y) rather than 1 − e^y: for large x, y ≈ −e^(−x) is tiny and the subtraction would lose it.
  if (kind == LOG_SIGMOID) return -Mathf.expm1(yv);
  if (kind == SQUAREPLUS || kind == SOFT_SHRINK || kind == HARD_SHRINK || kind == SPARSE_PLUS) {
    return f32x4.extract_lane(derivativeVector(kind, f32x4.splat(yv)), 0);
  }
  return yv > 0 && yv < 1 ? 0.2 : 0;
}

/** f'(x) written through y = f(x), one value, for every element-wise kind (not softmax): what the recurrent cells' backward passes need per gate. */
export function slopeFromOutput(kind: i32, y: f32): f32 {
  if (kind == LINEAR) return 1;
  if (kind == RELU) return y > 0 ? 1 : 0;
  if (kind == SIGMOID) return y * (1 - y);
  if (kind == TANH) return 1 - y * y;
  return derivativeScalar(kind, y);
}

/** {@link slopeFromOutput}, four lanes at a time, for the kinds {@link hasVectorSlope} covers. */
// @ts-ignore: decorator
@inline
export function slopeVector(kind: i32, y: v128): v128 {
  const one = f32x4.splat(1);
  if (kind == LINEAR) return one;
  if (kind == RELU) return v128.and(one, f32x4.gt(y, f32x4.splat(0)));
  if (kind == SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (kind == TANH) return f32x4.sub(one, f32x4.mul(y, y));
  return derivativeVector(kind, y);
}
