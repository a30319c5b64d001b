// Adaptive optimizer updates over flat parameter buffers (Keras 3 formulas), one SIMD sweep each.
// Scalars that depend only on the step (bias corrections) are computed by the caller. Decaying
// state is flushed to zero below float32's normal range (see simd.ts' flushSubnormal). Decay rates
// arrive as f64 and 1−β (1−ρ) is formed from the double, as in optimizers.ts.
import { adamSweep } from './optimizers';
import { firstMoment, firstMomentScalar, oneMinus, secondMoment, secondMomentScalar } from './moments';
import { flushSubnormal, flushSubnormalScalar } from './simd';

/** Adam with AMSGrad: v̂ = max(v̂, v) and the step uses v̂. lrT carries the bias correction. */
export function amsgradUpdate(
  params: usize, grads: usize, m: usize, v: usize, vHat: usize, n: i32,
  lrT: f32, beta1: f64, beta2: f64, epsilon: f32,
): void {
  adamSweep(params, grads, m, v, vHat, n, lrT, beta1, beta2, epsilon);
}

/**
 * Nadam: m and v as Adam; p −= lr·(mCoef·m + gCoef·g)/(√(v·vScale) + ε), where the caller folds
 * the momentum schedule into mCoef = u_{t+1}/(1 − Πu_{..t+1}), gCoef = (1 − u_t)/(1 − Πu_{..t})
 * and vScale = 1/(1 − β2ᵗ).
 */
export function nadamUpdate(
  params: usize, grads: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f64, beta2: f64, epsilon: f32, mCoef: f32, gCoef: f32, vScale: f32,
): void {
  const rest1 = oneMinus(beta1), rest2 = oneMinus(beta2);
  const c1 = f32x4.splat(rest1), c2 = f32x4.splat(rest2);
  const vlr = f32x4.splat(lr), eps = f32x4.splat(epsilon);
  const mc = f32x4.splat(mCoef), gc = f32x4.splat(gCoef), vs = f32x4.splat(vScale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const mv = firstMoment(m + off, g, c1);
    const vv = secondMoment(v + off, g, c2);
    const mHat = f32x4.add(f32x4.mul(mc, mv), f32x4.mul(gc, g));
    const step = f32x4.div(f32x4.mul(vlr, mHat), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vs)), eps));
    v128.store(params + off, f32x4.sub(v128.load(params + off), step));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const mv = firstMomentScalar(m + off, g, rest1);
    const vv = secondMomentScalar(v + off, g, rest2);
    const mHat = mCoef * mv + gCoef * g;
    store<f32>(params + off, load<f32>(params + off) - lr * mHat / (Mathf.sqrt(vv * vScale) + epsilon));
  }
}

/** Adamax: m += (g − m)·(1−β1); u = max(β2·u, |g|); p −= lrT·m/(u + ε), lrT = lr/(1 − β1ᵗ). */
export function adamaxUpdate(
  params: usize, grads: usize, m: usize, u: usize, n: i32, lrT: f32, beta1: f64, beta2: f32, epsilon: f32,
): void {
  const rest1 = oneMinus(beta1);
  const c1 = f32x4.splat(rest1), b2 = f32x4.splat(beta2);
  const lr = f32x4.splat(lrT), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const mv = firstMoment(m + off, g, c1);
    const uv = flushSubnormal(f32x4.max(f32x4.mul(b2, v128.load(u + off)), f32x4.abs(g)));
    v128.store(u + off, uv);
    v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.div(f32x4.mul(lr, mv), f32x4.add(uv, eps))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const mv = firstMomentScalar(m + off, g, rest1);
    const uv = flushSubnormalScalar(max(beta2 * load<f32>(u + off), Mathf.abs(g)));
    store<f32>(u + off, uv);
    store<f32>(params + off, load<f32>(params + off) - lrT * mv / (uv + epsilon));
  }
}

/** Adagrad: a += g²; p −= lr·g/√(a + ε). */
export function adagradUpdate(params: usize, grads: usize, accum: usize, n: i32, lr: f32, epsilon: f32): void {
  const vlr = f32x4.splat(lr), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const a = f32x4.add(v128.load(accum + off), f32x4.mul(g, g));
    v128.store(accum + off, a);
    v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.div(f32x4.mul(vlr, g), f32x4.sqrt(f32x4.add(a, eps)))));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const a = load<f32>(accum + off) + g * g;
    store<f32>(accum + off, a);
    store<f32>(params + off, load<f32>(params + off) - lr * g / Mathf.sqrt(a + epsilon));
  }
}

/**
 * RMSprop: s = ρ·s + (1−ρ)·g²; centered: ḡ = ρ·ḡ + (1−ρ)·g and the denominator is √(s − ḡ² + ε),
 * else √(s + ε); inc = lr·g/denominator; with momentum: b = μ·b + inc, p −= b; else p −= inc.
 * avgGrad and mom are 0 when unused.
 */
export function rmspropUpdate(
  params: usize, grads: usize, velocity: usize, avgGrad: usize, mom: usize, n: i32,
  lr: f32, rho: f64, momentum: f32, epsilon: f32,
): void {
  const rhoF = <f32>rho, rest = oneMinus(rho);
  const r = f32x4.splat(rhoF), c = f32x4.splat(rest), vlr = f32x4.splat(lr);
  const eps = f32x4.splat(epsilon), mu = f32x4.splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const s = flushSubnormal(f32x4.add(f32x4.mul(r, v128.load(velocity + off)), f32x4.mul(c, f32x4.mul(g, g))));
    v128.store(velocity + off, s);
    let denom = f32x4.add(s, eps);
    if (avgGrad != 0) {
      const a = flushSubnormal(f32x4.add(f32x4.mul(r, v128.load(avgGrad + off)), f32x4.mul(c, g)));
      v128.store(avgGrad + off, a);
      denom = f32x4.sub(denom, f32x4.mul(a, a));
    }
    let inc = f32x4.div(f32x4.mul(vlr, g), f32x4.sqrt(denom));
    if (mom != 0) {
      inc = flushSubnormal(f32x4.add(f32x4.mul(mu, v128.load(mom + off)), inc));
      v128.store(mom + off, inc);
    }
    v128.store(params + off, f32x4.sub(v128.load(params + off), inc));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const s = flushSubnormalScalar(rhoF * load<f32>(velocity + off) + rest * g * g);
    store<f32>(velocity + off, s);
    let denom = s + epsilon;
    if (avgGrad != 0) {
      const a = flushSubnormalScalar(rhoF * load<f32>(avgGrad + off) + rest * g);
      store<f32>(avgGrad + off, a);
      denom -= a * a;
    }
    let inc = lr * g / Mathf.sqrt(denom);
    if (mom != 0) {
      inc = flushSubnormalScalar(momentum * load<f32>(mom + off) + inc);
      store<f32>(mom + off, inc);
    }
    store<f32>(params + off, load<f32>(params + off) - inc);
  }
}

/**
 * Adadelta (Keras 3): a = ρ·a + (1−ρ)·g²; d = g·√(D + ε)/√(a + ε) with the new a;
 * D = ρ·D + (1−ρ)·d²; p −= lr·d. (tfjs divides by the previous a instead.)
 */
export function adadeltaUpdate(
  params: usize, grads: usize, accumGrad: usize, accumDelta: usize, n: i32, lr: f32, rho: f64, epsilon: f32,
): void {
  const rhoF = <f32>rho, rest = oneMinus(rho);
  const r = f32x4.splat(rhoF), c = f32x4.splat(rest), vlr = f32x4.splat(lr), eps = f32x4.splat(epsilon);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const g = v128.load(grads + off);
    const a = flushSubnormal(f32x4.add(f32x4.mul(r, v128.load(accumGrad + off)), f32x4.mul(c, f32x4.mul(g, g))));
    const dPrev = v128.load(accumDelta + off);
    const delta = f32x4.div(f32x4.mul(g, f32x4.sqrt(f32x4.add(dPrev, eps))), f32x4.sqrt(f32x4.add(a, eps)));
    v128.store(accumGrad + off, a);
    v128.store(accumDelta + off, flushSubnormal(f32x4.add(f32x4.mul(r, dPrev), f32x4.mul(c, f32x4.mul(delta, delta)))));
    v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.mul(vlr, delta)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const a = flushSubnormalScalar(rhoF * load<f32>(accumGrad + off) + rest * g * g);
    const dPrev = load<f32>(accumDelta + off);
    const delta = g * Mathf.sqrt(dPrev + epsilon) / Mathf.sqrt(a + epsilon);
    store<f32>(accumGrad + off, a);
    store<f32>(accumDelta + off, flushSubnormalScalar(rhoF * dPrev + rest * delta * delta));
    store<f32>(params + off, load<f32>(params + off) - lr * delta);
  }
}
