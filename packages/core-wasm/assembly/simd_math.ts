// exp, sigmoid and tanh four lanes at a time. AssemblyScript's Mathf.exp and Mathf.tanh take one
// value per call through a software routine, and recurrent cells spend most of a step there.
// Polynomials are evaluated with mul then add (not madd) so both SIMD builds give the same bits.

// @ts-ignore: decorator
@inline
function splat(v: f32): v128 {
  return f32x4.splat(v);
}

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split in two so that n·LN2_HI is exact for the n that occur.
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
// Below e^EXP_MIN the result would be subnormal: it is 0, as on TensorFlow's flush-to-zero CPU
// kernels. Above e^EXP_MAX it is clamped there, which keeps 2^n a normal number.
const EXP_MIN: f32 = -87.33654475;
const EXP_MAX: f32 = 88.0;

/** e^x in each lane to a few ulp (sigmoid and tanh over it are tested within 3); 0 below e^-87.3, e^88 above it, NaN stays NaN. */
// @ts-ignore: decorator
@inline
export function expVector(x: v128): v128 {
  const normal = f32x4.ge(x, splat(EXP_MIN));
  const xc = f32x4.min(f32x4.max(x, splat(EXP_MIN)), splat(EXP_MAX));
  const n = f32x4.nearest(f32x4.mul(xc, splat(LOG2E)));
  // r = x - n·ln2, |r| ≤ ln2/2, and e^x = 2^n · e^r with e^r from Cephes' minimax polynomial.
  const r = f32x4.sub(f32x4.sub(xc, f32x4.mul(n, splat(LN2_HI))), f32x4.mul(n, splat(LN2_LO)));
  let p = splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), splat(5.0000001201e-1));
  const er = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), splat(1));
  const twoToN = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const y = f32x4.mul(er, twoToN);
  // NaN fails the ≥ test too: keep it rather than zero it.
  return v128.bitselect(y, f32x4.splat(0), v128.or(normal, f32x4.ne(x, x)));
}

/** The logistic function in each lane; exp is only taken of -|x|, so it never overflows. */
// @ts-ignore: decorator
@inline
export function sigmoidVector(x: v128): v128 {
  const e = expVector(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(splat(1), f32x4.add(splat(1), e));
  return v128.bitselect(s, f32x4.mul(e, s), f32x4.ge(x, splat(0)));
}

/** tanh in each lane: an odd polynomial near 0, (1 - e^-2|x|) / (1 + e^-2|x|) beyond, sign restored. */
// @ts-ignore: decorator
@inline
export function tanhVector(x: v128): v128 {
  const a = f32x4.abs(x);
  const e = expVector(f32x4.mul(a, splat(-2)));
  const far = f32x4.div(f32x4.sub(splat(1), e), f32x4.add(splat(1), e));
  // Cephes' minimax polynomial for |x| < 0.625, where 1 - e would lose digits.
  const z = f32x4.mul(a, a);
  let p = splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), splat(-3.33332819422e-1));
  const near = f32x4.add(f32x4.mul(f32x4.mul(p, z), a), a);
  const t = v128.bitselect(near, far, f32x4.lt(a, splat(0.625)));
  const signBit = v128.and(x, i32x4.splat(0x80000000));
  return v128.or(t, signBit);
}

/** sigmoidVector for one value, so a row's tail gets the same bits as its vector lanes. */
// @ts-ignore: decorator
@inline
export function sigmoidScalar(x: f32): f32 {
  return f32x4.extract_lane(sigmoidVector(f32x4.splat(x)), 0);
}

/** tanhVector for one value, so a row's tail gets the same bits as its vector lanes. */
// @ts-ignore: decorator
@inline
export function tanhScalar(x: f32): f32 {
  return f32x4.extract_lane(tanhVector(f32x4.splat(x)), 0);
}

const LOG2E_F64: f64 = 1.4426950408889634;
// ln 2 split in two (fdlibm's) so that n·LN2_HI_F64 is exact.
const LN2_HI_F64: f64 = 6.93147180369123816490e-01;
const LN2_LO_F64: f64 = 1.90821492927058770002e-10;
// e^-700 is hundreds of orders of magnitude below f32's smallest subnormal, and keeps 2^n normal.
const EXP_MIN_F64: f64 = -700;

/**
 * e^x in two f64 lanes, to about 1e-14 relative, for the kernels that round an f64 result to f32.
 * Lanes below −700 give e^−700 (0 once rounded to f32); x must stay below 709, where 2^n would
 * overflow (callers pass x ≤ 0 or barely above).
 */
// @ts-ignore: decorator
@inline
export function expPair(x: v128): v128 {
  const xc = f64x2.max(x, f64x2.splat(EXP_MIN_F64));
  const n = f64x2.nearest(f64x2.mul(xc, f64x2.splat(LOG2E_F64)));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(n, f64x2.splat(LN2_HI_F64))), f64x2.mul(n, f64x2.splat(LN2_LO_F64)));
  // e^r from its Taylor series through r^11/11!: with |r| ≤ ln2/2 the first term left out is below 1e-14.
  let p = f64x2.splat(1.0 / 39916800);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1));
  const er = f64x2.add(f64x2.mul(p, r), f64x2.splat(1));
  const twoToN = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n)), i64x2.splat(1023)), 52);
  return f64x2.mul(er, twoToN);
}
