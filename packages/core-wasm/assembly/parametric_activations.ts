// Activations with parameters, for the standalone activation layers (ReLU, LeakyReLU,
// ThresholdedReLU, ELU, PReLU). Unlike activations.ts, whose backward passes read the forward
// output so that Dense can overwrite x, these read the forward INPUT x, which a standalone layer
// keeps: the gradient then depends on where x sits relative to each breakpoint, as in Keras.
import { fill } from './elementwise';

/**
 * y = clamp(x > t ? x : 0, lo, hi) − slope·max(t − x, 0): Keras' ReLU(max_value, negative_slope,
 * threshold) with lo = 0 and hi = max_value (lo = −∞, hi = +∞ without one); LeakyReLU is t = 0,
 * slope = alpha; ThresholdedReLU is t = theta, slope = 0. y may alias x.
 */
export function piecewiseLinearForward(x: usize, y: usize, n: i32, t: f32, slope: f32, lo: f32, hi: f32): void {
  const vt = f32x4.splat(t), vs = f32x4.splat(slope), vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const zero = f32x4.splat(0);
  // Without a negative part it is skipped, so that x = −∞ gives 0 rather than 0·∞ = NaN.
  const leaky = slope != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const v = v128.load(x + off);
    let out = f32x4.min(f32x4.max(v128.and(v, f32x4.gt(v, vt)), vlo), vhi);
    if (leaky) out = f32x4.sub(out, f32x4.mul(vs, f32x4.max(f32x4.sub(vt, v), zero)));
    v128.store(y + off, out);
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const v = load<f32>(x + off);
    let out = min(max(v > t ? v : <f32>0, lo), hi);
    if (leaky) out -= slope * max(t - v, <f32>0);
    store<f32>(y + off, out);
  }
}

/**
 * dx = dy · f'(x) of piecewiseLinearForward: 1 where x > t and lo ≤ x ≤ hi (the clip passes its
 * bounds, as tf.clipByValue's gradient does), plus slope where x ≤ t (LeakyReLU's alpha at 0, as
 * tfjs and TensorFlow give it). dx may alias dy.
 */
export function piecewiseLinearBackward(x: usize, dy: usize, dx: usize, n: i32, t: f32, slope: f32, lo: f32, hi: f32): void {
  const vt = f32x4.splat(t), vs = f32x4.splat(slope), vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const off = <usize>i << 2;
    const v = v128.load(x + off);
    const inside = v128.and(f32x4.gt(v, vt), v128.and(f32x4.ge(v, vlo), f32x4.le(v, vhi)));
    const d = f32x4.add(v128.and(one, inside), v128.and(vs, f32x4.le(v, vt)));
    v128.store(dx + off, f32x4.mul(v128.load(dy + off), d));
  }
  for (; i < n; i++) {
    const off = <usize>i << 2;
    const v = load<f32>(x + off);
    const d: f32 = (v > t && v >= lo && v <= hi ? <f32>1 : <f32>0) + (v <= t ? slope : <f32>0);
    store<f32>(dx + off, load<f32>(dy + off) * d);
  }
}

/** y = x > 0 ? x : alpha·(eˣ − 1), with expm1 so that it stays accurate near 0. y may alias x. */
export function eluForward(x: usize, y: usize, n: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const v = load<f32>(x + off);
    store<f32>(y + off, v > 0 ? v : alpha * Mathf.expm1(v));
  }
}

/** dx = dy · (x > 0 ? 1 : alpha·eˣ). dx may alias dy. */
export function eluBackward(x: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const off = <usize>i << 2;
    const v = load<f32>(x + off);
    const g = load<f32>(dy + off);
    store<f32>(dx + off, v > 0 ? g : g * alpha * Mathf.exp(v));
  }
}

/**
 * PReLU over x viewed as [batch, outer, shared, inner] with alpha [outer, inner] (alpha is shared
 * along the `shared` axis): y = x < 0 ? alpha·x : x. y may alias x.
 */
export function preluForward(x: usize, alpha: usize, y: usize, batch: i32, outer: i32, shared: i32, inner: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>inner << 2;
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outer; o++) {
      const a = alpha + <usize>o * rowBytes;
      for (let s = 0; s < shared; s++) {
        const base = <usize>((b * outer + o) * shared + s) * rowBytes;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const off = <usize>i << 2;
          const v = v128.load(x + base + off);
          v128.store(y + base + off, v128.bitselect(f32x4.mul(v128.load(a + off), v), v, f32x4.lt(v, zero)));
        }
        for (; i < inner; i++) {
          const off = <usize>i << 2;
          const v = load<f32>(x + base + off);
          store<f32>(y + base + off, v < 0 ? load<f32>(a + off) * v : v);
        }
      }
    }
  }
}

/**
 * PReLU's gradients, as tfjs' Prelu gradient defines them: dx = x > 0 ? dy : alpha·dy (skipped
 * when dx is 0; dx may alias dy) and dAlpha[o, i] = Σ over batch and shared of (x > 0 ? 0 : dy·x),
 * overwritten (skipped when dAlpha is 0, for a frozen layer).
 */
export function preluBackward(x: usize, alpha: usize, dy: usize, dx: usize, dAlpha: usize, batch: i32, outer: i32, shared: i32, inner: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>inner << 2;
  if (dAlpha) fill(dAlpha, outer * inner, 0);
  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outer; o++) {
      const a = alpha + <usize>o * rowBytes;
      const da = dAlpha + <usize>o * rowBytes;
      for (let s = 0; s < shared; s++) {
        const base = <usize>((b * outer + o) * shared + s) * rowBytes;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const off = <usize>i << 2;
          const v = v128.load(x + base + off);
          const g = v128.load(dy + base + off);
          const positive = f32x4.gt(v, zero);
          if (dAlpha) v128.store(da + off, f32x4.add(v128.load(da + off), v128.andnot(f32x4.mul(g, v), positive)));
          if (dx) v128.store(dx + base + off, v128.bitselect(g, f32x4.mul(g, v128.load(a + off)), positive));
        }
        for (; i < inner; i++) {
          const off = <usize>i << 2;
          const v = load<f32>(x + base + off);
          const g = load<f32>(dy + base + off);
          if (dAlpha && v <= 0) store<f32>(da + off, load<f32>(da + off) + g * v);
          if (dx) store<f32>(dx + base + off, v > 0 ? g : g * load<f32>(a + off));
        }
      }
    }
  }
}
