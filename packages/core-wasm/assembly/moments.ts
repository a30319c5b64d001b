// Adam's running moments, shared by the Adam family's update kernels (Adam, AMSGrad, Nadam,
// Adamax, Lamb): each updates one lane group (or one value) of a moment buffer in place and
// returns it, flushed to zero below float32's normal range (see simd.ts' flushSubnormal).
import { flushSubnormal, flushSubnormalScalar } from './simd';

/** m = β·m + (1−β)·g at `at`; `beta` and `rest` are β and 1−β splatted. */
// @ts-ignore: decorator
@inline
export function firstMoment(at: usize, g: v128, beta: v128, rest: v128): v128 {
  const m = flushSubnormal(f32x4.add(f32x4.mul(beta, v128.load(at)), f32x4.mul(rest, g)));
  v128.store(at, m);
  return m;
}

/** v = β·v + (1−β)·g² at `at`; `beta` and `rest` are β and 1−β splatted. */
// @ts-ignore: decorator
@inline
export function secondMoment(at: usize, g: v128, beta: v128, rest: v128): v128 {
  const v = flushSubnormal(f32x4.add(f32x4.mul(beta, v128.load(at)), f32x4.mul(rest, f32x4.mul(g, g))));
  v128.store(at, v);
  return v;
}

/** The scalar tail of {@link firstMoment}. */
// @ts-ignore: decorator
@inline
export function firstMomentScalar(at: usize, g: f32, beta: f32): f32 {
  const m = flushSubnormalScalar(beta * load<f32>(at) + (1 - beta) * g);
  store<f32>(at, m);
  return m;
}

/** The scalar tail of {@link secondMoment}. */
// @ts-ignore: decorator
@inline
export function secondMomentScalar(at: usize, g: f32, beta: f32): f32 {
  const v = flushSubnormalScalar(beta * load<f32>(at) + (1 - beta) * g * g);
  store<f32>(at, v);
  return v;
}
