// Optimizer updates over flat parameter buffers, one SIMD sweep each (Keras formulas). Decaying
// state is flushed to zero below float32's normal range (see simd.ts' flushSubnormal). Decay rates
// (β, ρ) arrive as f64 so that 1−β is formed from the double and then rounded, as Keras and tfjs
// do: 1 − f32(0.999) is 9.9998713e-4, 1.3e-5 below f32(0.001).
import { firstMoment, firstMomentScalar, oneMinus, secondMoment, secondMomentScalar } from './moments';
import { flushSubnormal, flushSubnormalScalar } from './simd';

/** m += (g − m)·(1−β1); v += (g² − v)·(1−β2); p −= lrT·m/(√v + ε). lrT carries the bias correction. */
export function adamUpdate(
  params: usize, grads: usize, m: usize, v: usize, n: i32,
  lrT: f32, beta1: f64, beta2: f64, epsilon: f32,
): void {
  adamSweep(params, grads, m, v, 0, n, lrT, beta1, beta2, epsilon);
}

/** Adam's sweep; with a non-zero `vHat` (AMSGrad) v̂ = max(v̂, v) takes v's place in the step. */
// @ts-ignore: decorator
@inline
export function adamSweep(
  params: usize, grads: usize, m: usize, v: usize, vHat: usize, n: i32,
  lrT: f32, beta1: f64, beta2: f64, epsilon: f32,
): void {
  const rest1 = oneMinus(beta1), rest2 = oneMinus(beta2);
  const c1 = f32x4.splat(rest1), c2 = f32x4.splat(rest2);
  const lr = f32x4.splat(lrT), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const mv = firstMoment(m + off, g, c1);
    let vv = secondMoment(v + off, g, c2);
    if (vHat != 0) {
      vv = f32x4.max(v128.load(vHat + off), vv);
      v128.store(vHat + off, vv);
    }
    const step = f32x4.div(f32x4.mul(lr, mv), f32x4.add(f32x4.sqrt(vv), eps));
    v128.store(params + off, f32x4.sub(v128.load(params + off), step));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const mv = firstMomentScalar(m + off, g, rest1);
    let vv = secondMomentScalar(v + off, g, rest2);
    if (vHat != 0) {
      vv = max(load<f32>(vHat + off), vv);
      store<f32>(vHat + off, vv);
    }
    store<f32>(params + off, load<f32>(params + off) - lrT * mv / (Mathf.sqrt(vv) + epsilon));
  }
}

/** SGD: p −= lr·g, or with momentum v = μv − lr·g; p += nesterov ? μv − lr·g : v. */
export function sgdUpdate(
  params: usize, grads: usize, velocity: usize, n: i32, lr: f32, momentum: f32, nesterov: bool,
): void {
  const vlr = f32x4.splat(lr);
  let i = 0;
  if (momentum == 0) {
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.mul(vlr, v128.load(grads + off))));
    }
    for (; i < n; i++) {
      const off = <usize>i << 2;
      store<f32>(params + off, load<f32>(params + off) - lr * load<f32>(grads + off));
    }
    return;
  }
  const mu = f32x4.splat(momentum);
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const lg = f32x4.mul(vlr, v128.load(grads + off));
    const vel = flushSubnormal(f32x4.sub(f32x4.mul(mu, v128.load(velocity + off)), lg));
    v128.store(velocity + off, vel);
    const step = nesterov ? f32x4.sub(f32x4.mul(mu, vel), lg) : vel;
    v128.store(params + off, f32x4.add(v128.load(params + off), step));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const lg = lr * load<f32>(grads + off);
    const vel = flushSubnormalScalar(momentum * load<f32>(velocity + off) - lg);
    store<f32>(velocity + off, vel);
    store<f32>(params + off, load<f32>(params + off) + (nesterov ? momentum * vel - lg : vel));
  }
}

/**
 * Lion (Keras 3): p −= lr·sign(β1·m + (1−β1)·g), then m = β2·m + (1−β2)·g. sign(0) is 0, so a
 * weight whose momentum and gradient are both zero stays where it is. Keras' Lion casts β to
 * float32 before 1 − β; like Adam, this forms 1 − β from the double.
 */
export function lionUpdate(params: usize, grads: usize, m: usize, n: i32, lr: f32, beta1: f64, beta2: f64): void {
  const beta1f = <f32>beta1, rest1 = oneMinus(beta1), beta2f = <f32>beta2, rest2 = oneMinus(beta2);
  const b1 = f32x4.splat(beta1f), c1 = f32x4.splat(rest1);
  const b2 = f32x4.splat(beta2f), c2 = f32x4.splat(rest2);
  const vlr = f32x4.splat(lr), zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const mv = v128.load(m + off);
    const c = f32x4.add(f32x4.mul(b1, mv), f32x4.mul(c1, g));
    // ±lr where c is positive/negative, 0 where it is zero: the comparison masks select lr's bits.
    const step = f32x4.sub(v128.and(f32x4.gt(c, zero), vlr), v128.and(f32x4.lt(c, zero), vlr));
    v128.store(params + off, f32x4.sub(v128.load(params + off), step));
    v128.store(m + off, flushSubnormal(f32x4.add(f32x4.mul(b2, mv), f32x4.mul(c2, g))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const mv = load<f32>(m + off);
    const c = beta1f * mv + rest1 * g;
    const step: f32 = c > 0 ? lr : c < 0 ? -lr : 0;
    store<f32>(params + off, load<f32>(params + off) - step);
    store<f32>(m + off, flushSubnormalScalar(beta2f * mv + rest2 * g));
  }
}
