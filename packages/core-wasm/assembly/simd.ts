// Shared SIMD helpers. Every kernel file takes its fused multiply-add from here so the
// relaxed build differs from the plain one in exactly one place.

/** a*b + c; one instruction with relaxed SIMD, a mul and an add otherwise. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  else return f32x4.add(f32x4.mul(a, b), c);
}

/** Horizontal sum of the four lanes. */
// @ts-ignore: decorator
@inline
export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Horizontal max of the four lanes. */
// @ts-ignore: decorator
@inline
export function hmax(v: v128): f32 {
  return max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
}

/** The smallest positive normal float32. */
export const MIN_NORMAL: f32 = 1.17549435e-38;

// Optimizer state that decays geometrically (moments, velocities) would otherwise sink into
// subnormal numbers, which x86 CPUs process through a microcode assist tens of times slower (Adam
// slowed 3-5x within a few MNIST epochs), and WebAssembly cannot switch on flush-to-zero.
// TensorFlow's CPU kernels run with flush-to-zero, so storing these as 0 follows Keras on TF.
/** Each lane, or 0 where it is subnormal. */
// @ts-ignore: decorator
@inline
export function flushSubnormal(x: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), f32x4.splat(MIN_NORMAL)));
}

/** x, or 0 when it is subnormal. */
// @ts-ignore: decorator
@inline
export function flushSubnormalScalar(x: f32): f32 {
  return Mathf.abs(x) < MIN_NORMAL ? 0 : x;
}
