// Activations whose derivative is not a function of the output y (swish, gelu, mish): a layer
// keeps their input z, and the backward pass reads it. swish and mish run four lanes at a time in
// f32, written so that no step cancels (1 − σ(x) is σ(−x), 1 − tanh(softplus x) is 2/(n + 2)) and
// exp only ever takes x itself. The others run lane by lane in f64, rounded once to f32: gelu's
// tails take exp of −x²/2 (or of gelu_tanh's cubic), which an f32 argument would already miss by
// more than f32's precision far out, and x − tanh x cancels near 0.
import { fill } from './elementwise';
import { expVector, sigmoidVector } from './simd_math';

export const SWISH: i32 = 0;
export const GELU: i32 = 1;
export const GELU_TANH: i32 = 2;
export const MISH: i32 = 3;
export const HARD_SILU: i32 = 4;
export const TANH_SHRINK: i32 = 5;

const SQRT_HALF: f64 = 0.70710678118654752440;
const INV_SQRT_2PI: f64 = 0.39894228040143267794;
const SQRT_2_OVER_PI: f64 = 0.79788456080286535588;
const GELU_CUBIC: f64 = 0.044715;

/** Logistic function that never overflows: exp is only taken of a non-positive number. */
// @ts-ignore: decorator
@inline
function sigmoid(x: f64): f64 {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * erfc(z) for z ≥ 0 from the Chebyshev fit in Numerical Recipes (§6.2), whose relative error is
 * under 1.2e-7 for every z: unlike 1 − erf(z) it keeps its precision in the tail, where
 * gelu(x) = x·Φ(x) of a very negative x is tiny.
 */
// @ts-ignore: decorator
@inline
function erfcNonNegative(z: f64): f64 {
  const t = 1 / (1 + 0.5 * z);
  const p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return t * Math.exp(-z * z + p);
}

/** The standard normal CDF Φ(x) = erfc(−x/√2)/2, with the small tail always the one computed. */
// @ts-ignore: decorator
@inline
function normalCdf(x: f64): f64 {
  const tail = 0.5 * erfcNonNegative(Math.abs(x) * SQRT_HALF);
  return x >= 0 ? 1 - tail : tail;
}

/**
 * tanh(softplus(x)), written as n / (n + 2) with n = eˣ(eˣ + 2) so that no log is needed; above
 * x = 20 it is 1 to well below f32 precision (and n would overflow further up).
 */
// @ts-ignore: decorator
@inline
function tanhSoftplus(x: f64): f64 {
  if (x > 20) return 1;
  const e = Math.exp(x);
  const n = e * (e + 2);
  return n / (n + 2);
}

/**
 * tanh(x) = sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|), which never overflows: one exp, measured
 * several times faster than Math.tanh here.
 */
// @ts-ignore: decorator
@inline
function tanhByExp(x: f64): f64 {
  const e = Math.exp(-2 * Math.abs(x));
  const t = (1 - e) / (1 + e);
  return x < 0 ? -t : t;
}

/**
 * x − tanh(x): below |x| = 0.1 from tanh's series (x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835), since the
 * difference of two near-equal numbers would lose most of its digits there.
 */
// @ts-ignore: decorator
@inline
function tanhShrink(x: f64): f64 {
  if (Math.abs(x) >= 0.1) return x - tanhByExp(x);
  const x2 = x * x;
  return x * x2 * (1.0 / 3 - x2 * (2.0 / 15 - x2 * (17.0 / 315 - x2 * (62.0 / 2835))));
}

// @ts-ignore: decorator
@inline
function forwardValue(kind: i32, x: f64): f64 {
  if (kind == SWISH) return x * sigmoid(x);
  if (kind == GELU) return x * normalCdf(x);
  if (kind == GELU_TANH) return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x)));
  if (kind == HARD_SILU) return (x * min(max(x + 3, 0), 6)) / 6;
  if (kind == TANH_SHRINK) return tanhShrink(x);
  return x * tanhSoftplus(x);
}

// f'(x): swish σ(1 + x(1 − σ)); gelu Φ + x·φ; gelu_tanh ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²);
// mish t + x(1 − t²)·σ(x) with t = tanh(softplus(x)); hard_silu 0 below −3, 1 above 3, (2x + 3)/6 between;
// tanh_shrink 1 − (1 − tanh²x) = tanh²x.
// @ts-ignore: decorator
@inline
function derivativeValue(kind: i32, x: f64): f64 {
  if (kind == SWISH) {
    const s = sigmoid(x);
    return s * (1 + x * (1 - s));
  }
  if (kind == GELU) return normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  if (kind == GELU_TANH) {
    const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
  }
  if (kind == HARD_SILU) return x <= -3 ? 0 : x >= 3 ? 1 : (2 * x + 3) / 6;
  if (kind == TANH_SHRINK) {
    const th = tanhByExp(x);
    return th * th;
  }
  const t = tanhSoftplus(x);
  return t + x * (1 - t * t) * sigmoid(x);
}

/** Whether the kind has the four-lane f32 form below. */
// @ts-ignore: decorator
@inline
function hasVectorForm(kind: i32): bool {
  return kind == SWISH || kind == MISH;
}

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

/** mish's n = eˣ(eˣ + 2), from x clamped at 20, above which tanh(softplus x) is 1 in f32 and n would overflow. */
// @ts-ignore: decorator
@inline
function mishN(x: v128): v128 {
  const e = expVector(f32x4.min(x, splat(20)));
  return f32x4.mul(e, f32x4.add(e, splat(2)));
}

// @ts-ignore: decorator
@inline
function forwardVector(kind: i32, x: v128): v128 {
  if (kind == SWISH) return f32x4.mul(x, sigmoidVector(x));
  const n = mishN(x);
  return f32x4.mul(x, f32x4.div(n, f32x4.add(n, splat(2))));
}

// f'(x) without cancellation: swish σ(x)(1 + x·σ(−x)); mish t + x(1 − t²)σ(x) with
// 1 − t² = (1 − t)(1 + t) and 1 − t = 2/(n + 2).
// @ts-ignore: decorator
@inline
function derivativeVector(kind: i32, x: v128): v128 {
  if (kind == SWISH) return f32x4.mul(sigmoidVector(x), f32x4.add(splat(1), f32x4.mul(x, sigmoidVector(f32x4.neg(x)))));
  const n = mishN(x);
  const nPlus2 = f32x4.add(n, splat(2));
  const t = f32x4.div(n, nPlus2);
  const oneMinusT2 = f32x4.mul(f32x4.div(splat(2), nPlus2), f32x4.add(splat(1), t));
  return f32x4.add(t, f32x4.mul(f32x4.mul(x, oneMinusT2), sigmoidVector(x)));
}

/** y = f(x) over n values; y may alias x. */
export function inputActivationForward(kind: i32, x: usize, y: usize, n: i32): void {
  if (hasVectorForm(kind)) {
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(y + off, forwardVector(kind, v128.load(x + off)));
    }
    // The tail through the same lanes, so its values have the same bits as in a full vector.
    for (; i < n; i++) {
      const off = <usize>i << 2;
      store<f32>(y + off, f32x4.extract_lane(forwardVector(kind, f32x4.splat(load<f32>(x + off))), 0));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    store<f32>(y + off, <f32>forwardValue(kind, <f64>load<f32>(x + off)));
  }
}

/**
 * dx = dy · f'(x) over rows×cols (dx may alias dy) and, when dBias ≠ 0, dBias = Σ_rows dx
 * (overwritten) in the same pass, adding row after row as colSum does.
 */
export function inputActivationBackward(kind: i32, x: usize, dy: usize, dx: usize, dBias: usize, rows: i32, cols: i32): void {
  if (dBias) fill(dBias, cols, 0);
  if (hasVectorForm(kind)) {
    for (let r = 0; r < rows; r++) {
      const row = <usize>(r * cols) << 2;
      let c = 0;
      for (; c + 4 <= cols; c += 4) {
        const off = row + (<usize>c << 2);
        const d = f32x4.mul(v128.load(dy + off), derivativeVector(kind, v128.load(x + off)));
        v128.store(dx + off, d);
        if (dBias) {
          const b = dBias + (<usize>c << 2);
          v128.store(b, f32x4.add(v128.load(b), d));
        }
      }
      for (; c < cols; c++) {
        const off = row + (<usize>c << 2);
        const d = load<f32>(dy + off) * f32x4.extract_lane(derivativeVector(kind, f32x4.splat(load<f32>(x + off))), 0);
        store<f32>(dx + off, d);
        if (dBias) {
          const b = dBias + (<usize>c << 2);
          store<f32>(b, load<f32>(b) + d);
        }
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const row = <usize>(r * cols) << 2;
    for (let c = 0; c < cols; c++) {
      const off = row + (<usize>c << 2);
      const d = load<f32>(dy + off) * <f32>derivativeValue(kind, <f64>load<f32>(x + off));
      store<f32>(dx + off, d);
      if (dBias) {
        const b = dBias + (<usize>c << 2);
        store<f32>(b, load<f32>(b) + d);
      }
    }
  }
}
