// Adam's running moments, shared by the Adam family's update kernels (Adam, AMSGrad, Nadam,
// Adamax, Lamb): each updates one lane group (or one value) of a moment buffer in place and
// returns it, flushed to zero below float32's normal range (see simd.ts' flushSubnormal).
//
// The update is Keras' m += (g − m)·(1−β), not β·m + (1−β)·g: with (1−β) rounded to float32 from
// the double, f32(β) + f32(1−β) is not 1 (0.999: 1 + 1.3e-8), and a running mean built from both
// settles 1.3e-5 away from g², where Keras' form needs only (1−β) and settles on it.
import { flushSubnormal, flushSubnormalScalar } from './simd';

/** (1−β) in float32, formed from the double β as Keras does (1 − f32(0.999) would be 1.3e-5 low). */
// @ts-ignore: decorator
@inline
export function oneMinus(beta: f64): f32 {
  return <f32>(1 - beta);
}

/** m += (g − m)·(1−β) at `at`; `rest` is 1−β splatted. */
// @ts-ignore: decorator
@inline
export function firstMoment(at: usize, g: v128, rest: v128): v128 {
  const m0 = v128.load(at);
  const m = flushSubnormal(f32x4.add(m0, f32x4.mul(f32x4.sub(g, m0), rest)));
  v128.store(at, m);
  return m;
}

/** v += (g² − v)·(1−β) at `at`; `rest` is 1−β splatted. */
// @ts-ignore: decorator
@inline
export function secondMoment(at: usize, g: v128, rest: v128): v128 {
  const v0 = v128.load(at);
  const v = flushSubnormal(f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(g, g), v0), rest)));
  v128.store(at, v);
  return v;
}

/** The scalar tail of {@link firstMoment}. */
// @ts-ignore: decorator
@inline
export function firstMomentScalar(at: usize, g: f32, rest: f32): f32 {
  const m0 = load<f32>(at);
  const m = flushSubnormalScalar(m0 + (g - m0) * rest);
  store<f32>(at, m);
  return m;
}

/** The scalar tail of {@link secondMoment}. */
// @ts-ignore: decorator
@inline
export function secondMomentScalar(at: usize, g: f32, rest: f32): f32 {
  const v0 = load<f32>(at);
  const v = flushSubnormalScalar(v0 + (g * g - v0) * rest);
  store<f32>(at, v);
  return v;
}
