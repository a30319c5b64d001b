// Lamb (Keras 3) over one weight tensor: its trust ratio ‖w‖/‖update‖ is a norm over the whole
// tensor, so the caller runs this once per weight, not once over the flat parameter buffer.
import { firstMoment, firstMomentScalar, oneMinus, secondMoment, secondMomentScalar } from './moments';

// Norms are summed in f32 lanes and carried into f64 every BLOCK values (as sumSquares does), so a
// large weight's ratio keeps float32 accuracy.
const BLOCK = 1024;

/** Lanes of (m/bias1) / (√(v/bias2) + ε): Keras' update direction before the trust ratio. */
// @ts-ignore: decorator
@inline
function direction(m: v128, v: v128, invBias1: v128, invBias2: v128, eps: v128): v128 {
  return f32x4.div(f32x4.mul(m, invBias1), f32x4.add(f32x4.sqrt(f32x4.mul(v, invBias2)), eps));
}

/**
 * m += (g − m)·(1−β1); v += (g² − v)·(1−β2) (1−β formed from the double β); u = (m/bias1)/(√(v/bias2) + ε);
 * p −= lr·r·u with r = ‖p‖/‖u‖ (1 when either norm is 0). bias1 = 1−β1ᵗ, bias2 = 1−β2ᵗ.
 * Two sweeps: the first updates the moments and sums both norms, the second recomputes u from
 * them and steps, which costs less than a scratch buffer for u.
 */
export function lambUpdate(
  params: usize, grads: usize, m: usize, v: usize, n: i32,
  lr: f32, beta1: f64, beta2: f64, epsilon: f32, bias1: f32, bias2: f32,
): void {
  const rest1 = oneMinus(beta1), rest2 = oneMinus(beta2);
  const c1 = f32x4.splat(rest1), c2 = f32x4.splat(rest2);
  const invBias1: f32 = 1 / bias1, invBias2: f32 = 1 / bias2;
  const ib1 = f32x4.splat(invBias1), ib2 = f32x4.splat(invBias2), eps = f32x4.splat(epsilon);
  let wSq: f64 = 0, uSq: f64 = 0;
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n & ~3, i + BLOCK);
    let wAcc = f32x4.splat(0), uAcc = f32x4.splat(0);
    for (; i < end; i += 4) {
      const off = <usize>i << 2;
      const g = v128.load(grads + off);
      const mv = firstMoment(m + off, g, c1);
      const vv = secondMoment(v + off, g, c2);
      const p = v128.load(params + off);
      const u = direction(mv, vv, ib1, ib2, eps);
      wAcc = f32x4.add(wAcc, f32x4.mul(p, p));
      uAcc = f32x4.add(uAcc, f32x4.mul(u, u));
    }
    wSq += <f64>f32x4.extract_lane(wAcc, 0) + <f64>f32x4.extract_lane(wAcc, 1) + <f64>f32x4.extract_lane(wAcc, 2) + <f64>f32x4.extract_lane(wAcc, 3);
    uSq += <f64>f32x4.extract_lane(uAcc, 0) + <f64>f32x4.extract_lane(uAcc, 1) + <f64>f32x4.extract_lane(uAcc, 2) + <f64>f32x4.extract_lane(uAcc, 3);
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const g = load<f32>(grads + off);
    const mv = firstMomentScalar(m + off, g, rest1);
    const vv = secondMomentScalar(v + off, g, rest2);
    const p = <f64>load<f32>(params + off);
    const u = <f64>(mv * invBias1 / (Mathf.sqrt(vv * invBias2) + epsilon));
    wSq += p * p;
    uSq += u * u;
  }
  const ratio: f32 = wSq > 0 && uSq > 0 ? <f32>Math.sqrt(wSq / uSq) : 1;
  const step = f32x4.splat(lr * ratio);
  i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const u = direction(v128.load(m + off), v128.load(v + off), ib1, ib2, eps);
    v128.store(params + off, f32x4.sub(v128.load(params + off), f32x4.mul(step, u)));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const u = load<f32>(m + off) * invBias1 / (Mathf.sqrt(load<f32>(v + off) * invBias2) + epsilon);
    store<f32>(params + off, load<f32>(params + off) - lr * ratio * u);
  }
}
