// Activations whose derivative is not a function of the output y (swish, gelu, mish): a layer
// keeps their input z, and the backward pass reads it. Every kind runs four values at a time.
// swish and mish run in f32 lanes, written so that no step cancels (1 − σ(x) is σ(−x),
// 1 − tanh(softplus x) is 2/(n + 2)) and exp only ever takes x itself. The others run in two f64
// lanes per half, rounded once to f32: gelu's tails take exp of −x²/2 (or of gelu_tanh's cubic),
// which an f32 argument would already miss by more than f32's precision far out, and x − tanh x
// cancels near 0.
import { fill } from './elementwise';
import { expPair, expVector, sigmoidVector } from './simd_math';

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

// @ts-ignore: decorator
@inline
function splatPair(v: f64): v128 {
  return f64x2.splat(v);
}

/**
 * erfc(z) for z ≥ 0 from the Chebyshev fit in Numerical Recipes (§6.2), whose relative error is
 * under 1.2e-7 for every z: unlike 1 − erf(z) it keeps its precision in the tail, where
 * gelu(x) = x·Φ(x) of a very negative x is tiny.
 */
// @ts-ignore: decorator
@inline
function erfcNonNegative(z: v128): v128 {
  const t = f64x2.div(splatPair(1), f64x2.add(splatPair(1), f64x2.mul(splatPair(0.5), z)));
  let p = splatPair(0.17087277);
  p = f64x2.add(f64x2.mul(p, t), splatPair(-0.82215223));
  p = f64x2.add(f64x2.mul(p, t), splatPair(1.48851587));
  p = f64x2.add(f64x2.mul(p, t), splatPair(-1.13520398));
  p = f64x2.add(f64x2.mul(p, t), splatPair(0.27886807));
  p = f64x2.add(f64x2.mul(p, t), splatPair(-0.18628806));
  p = f64x2.add(f64x2.mul(p, t), splatPair(0.09678418));
  p = f64x2.add(f64x2.mul(p, t), splatPair(0.37409196));
  p = f64x2.add(f64x2.mul(p, t), splatPair(1.00002368));
  p = f64x2.add(f64x2.mul(p, t), splatPair(-1.26551223));
  return f64x2.mul(t, expPair(f64x2.sub(p, f64x2.mul(z, z))));
}

/** The standard normal CDF Φ(x) = erfc(−x/√2)/2, with the small tail always the one computed. */
// @ts-ignore: decorator
@inline
function normalCdf(x: v128): v128 {
  const tail = f64x2.mul(splatPair(0.5), erfcNonNegative(f64x2.mul(f64x2.abs(x), splatPair(SQRT_HALF))));
  return v128.bitselect(f64x2.sub(splatPair(1), tail), tail, f64x2.ge(x, splatPair(0)));
}

/** tanh(x) = sign(x)·(1 − e)/(1 + e) with e = e^(−2|x|), which never overflows. */
// @ts-ignore: decorator
@inline
function tanhByExp(x: v128): v128 {
  const e = expPair(f64x2.mul(f64x2.abs(x), splatPair(-2)));
  const t = f64x2.div(f64x2.sub(splatPair(1), e), f64x2.add(splatPair(1), e));
  return v128.or(t, v128.and(x, i64x2.splat(0x8000000000000000)));
}

/**
 * x − tanh(x): below |x| = 0.1 from tanh's series (x³/3 − 2x⁵/15 + 17x⁷/315 − 62x⁹/2835), since the
 * difference of two near-equal numbers would lose most of its digits there.
 */
// @ts-ignore: decorator
@inline
function tanhShrink(x: v128): v128 {
  const x2 = f64x2.mul(x, x);
  let p = splatPair(62.0 / 2835);
  p = f64x2.sub(splatPair(17.0 / 315), f64x2.mul(x2, p));
  p = f64x2.sub(splatPair(2.0 / 15), f64x2.mul(x2, p));
  p = f64x2.sub(splatPair(1.0 / 3), f64x2.mul(x2, p));
  const near = f64x2.mul(f64x2.mul(x, x2), p);
  return v128.bitselect(f64x2.sub(x, tanhByExp(x)), near, f64x2.ge(f64x2.abs(x), splatPair(0.1)));
}

/** gelu_tanh's u = √(2/π)(x + 0.044715x³). */
// @ts-ignore: decorator
@inline
function geluTanhU(x: v128): v128 {
  return f64x2.mul(splatPair(SQRT_2_OVER_PI), f64x2.add(x, f64x2.mul(splatPair(GELU_CUBIC), f64x2.mul(f64x2.mul(x, x), x))));
}

/** 2e/(1 + e) with e = e^(−2|u|): 1 + tanh u for u < 0 and 1 − tanh u for u ≥ 0, the side that 1 ± tanh would cancel. */
// @ts-ignore: decorator
@inline
function tanhGapSmall(u: v128): v128 {
  const e = expPair(f64x2.mul(f64x2.abs(u), splatPair(-2)));
  return f64x2.div(f64x2.mul(splatPair(2), e), f64x2.add(splatPair(1), e));
}

// @ts-ignore: decorator
@inline
function forwardPair(kind: i32, x: v128): v128 {
  if (kind == GELU) return f64x2.mul(x, normalCdf(x));
  if (kind == GELU_TANH) {
    // ½x(1 + tanh u); 1 + tanh u is 2 − gap where u ≥ 0, the gap itself below, without cancelling.
    const u = geluTanhU(x);
    const gap = tanhGapSmall(u);
    return f64x2.mul(f64x2.mul(splatPair(0.5), x), v128.bitselect(f64x2.sub(splatPair(2), gap), gap, f64x2.ge(u, splatPair(0))));
  }
  if (kind == HARD_SILU) return f64x2.div(f64x2.mul(x, f64x2.min(f64x2.max(f64x2.add(x, splatPair(3)), splatPair(0)), splatPair(6))), splatPair(6));
  return tanhShrink(x);
}

// f'(x): gelu Φ + x·φ; gelu_tanh ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²); hard_silu 0 below
// −3, 1 above 3, (2x + 3)/6 between; tanh_shrink 1 − (1 − tanh²x) = tanh²x.
// @ts-ignore: decorator
@inline
function derivativePair(kind: i32, x: v128): v128 {
  if (kind == GELU) return f64x2.add(normalCdf(x), f64x2.mul(f64x2.mul(x, splatPair(INV_SQRT_2PI)), expPair(f64x2.mul(splatPair(-0.5), f64x2.mul(x, x)))));
  if (kind == GELU_TANH) {
    // 1 − t² = (1 + t)(1 − t): the small gap times 2 − gap.
    const u = geluTanhU(x);
    const gap = tanhGapSmall(u);
    const wide = f64x2.sub(splatPair(2), gap);
    const onePlusT = v128.bitselect(wide, gap, f64x2.ge(u, splatPair(0)));
    const slope = f64x2.mul(splatPair(SQRT_2_OVER_PI), f64x2.add(splatPair(1), f64x2.mul(splatPair(3 * GELU_CUBIC), f64x2.mul(x, x))));
    return f64x2.add(f64x2.mul(splatPair(0.5), onePlusT), f64x2.mul(f64x2.mul(f64x2.mul(splatPair(0.5), x), f64x2.mul(gap, wide)), slope));
  }
  if (kind == HARD_SILU) {
    const between = f64x2.div(f64x2.add(f64x2.mul(splatPair(2), x), splatPair(3)), splatPair(6));
    return v128.bitselect(splatPair(0), v128.bitselect(splatPair(1), between, f64x2.ge(x, splatPair(3))), f64x2.le(x, splatPair(-3)));
  }
  const th = tanhByExp(x);
  return f64x2.mul(th, th);
}

/** Runs a two-lane f64 form over four f32 values: each half widened, computed, and rounded once to f32. */
// @ts-ignore: decorator
@inline
function throughPairs(kind: i32, x: v128, derivative: bool): v128 {
  const low = f64x2.promote_low_f32x4(x);
  const high = f64x2.promote_low_f32x4(v128.shuffle<i64>(x, x, 1, 1));
  const lowOut = f32x4.demote_f64x2_zero(derivative ? derivativePair(kind, low) : forwardPair(kind, low));
  const highOut = f32x4.demote_f64x2_zero(derivative ? derivativePair(kind, high) : forwardPair(kind, high));
  return v128.shuffle<i64>(lowOut, highOut, 0, 2);
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
  if (kind != MISH) return throughPairs(kind, x, false);
  const n = mishN(x);
  return f32x4.mul(x, f32x4.div(n, f32x4.add(n, splat(2))));
}

// f'(x) without cancellation: swish σ(x)(1 + x·σ(−x)); mish t + x(1 − t²)σ(x) with
// 1 − t² = (1 − t)(1 + t) and 1 − t = 2/(n + 2).
// @ts-ignore: decorator
@inline
function derivativeVector(kind: i32, x: v128): v128 {
  if (kind == SWISH) return f32x4.mul(sigmoidVector(x), f32x4.add(splat(1), f32x4.mul(x, sigmoidVector(f32x4.neg(x)))));
  if (kind != MISH) return throughPairs(kind, x, true);
  const n = mishN(x);
  const nPlus2 = f32x4.add(n, splat(2));
  const t = f32x4.div(n, nPlus2);
  const oneMinusT2 = f32x4.mul(f32x4.div(splat(2), nPlus2), f32x4.add(splat(1), t));
  return f32x4.add(t, f32x4.mul(f32x4.mul(x, oneMinusT2), sigmoidVector(x)));
}

/** y = f(x) over n values; y may alias x. */
export function inputActivationForward(kind: i32, x: usize, y: usize, n: i32): void {
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
}

/**
 * dx = dy · f'(x) over rows×cols (dx may alias dy) and, when dBias ≠ 0, dBias = Σ_rows dx
 * (overwritten) in the same pass, adding row after row as colSum does.
 */
export function inputActivationBackward(kind: i32, x: usize, dy: usize, dx: usize, dBias: usize, rows: i32, cols: i32): void {
  if (dBias) fill(dBias, cols, 0);
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
}
