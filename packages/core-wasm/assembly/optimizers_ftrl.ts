// FTRL-Proximal (Keras 3's Ftrl) over flat parameter buffers. The accumulator's power is usually
// 0.5 (learning_rate_power −0.5): that case is one SIMD sweep with sqrt; any other power needs
// pow per element, which has no SIMD instruction, so it takes the scalar loop.

// @ts-ignore: decorator
@inline
function ftrlScalar(params: usize, grads: usize, accum: usize, linear: usize, off: usize, lr: f32, power: f32, l1: f32, l2: f32, l2Shrinkage: f32): void {
  const g = load<f32>(grads + off);
  const p = load<f32>(params + off);
  const a = load<f32>(accum + off);
  const aNew = a + g * g;
  const rootNew = Mathf.pow(aNew, power);
  const l = load<f32>(linear + off) + g + 2 * l2Shrinkage * p - (rootNew - Mathf.pow(a, power)) / lr * p;
  const clipped = min(max(l, -l1), l1);
  store<f32>(linear + off, l);
  store<f32>(accum + off, aNew);
  store<f32>(params + off, (clipped - l) / (rootNew / lr + 2 * l2));
}

/**
 * Ftrl: a' = a + g²; linear += g + 2·l2Shrinkage·p − (a'^power − a^power)/lr·p;
 * p = (clip(linear, −l1, l1) − linear)/(a'^power/lr + 2·l2), with power = −learning_rate_power
 * and l2 already holding Keras' beta/(2·lr).
 */
export function ftrlUpdate(
  params: usize, grads: usize, accum: usize, linear: usize, n: i32,
  lr: f32, power: f32, l1: f32, l2: f32, l2Shrinkage: f32,
): void {
  let i = 0;
  if (power == 0.5) {
    const vlr = f32x4.splat(lr), vl1 = f32x4.splat(l1), negL1 = f32x4.splat(-l1);
    const twoL2 = f32x4.splat(2 * l2), shrink = f32x4.splat(2 * l2Shrinkage);
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      const g = v128.load(grads + off);
      const p = v128.load(params + off);
      const a = v128.load(accum + off);
      const aNew = f32x4.add(a, f32x4.mul(g, g));
      const rootNew = f32x4.sqrt(aNew);
      const sigma = f32x4.div(f32x4.sub(rootNew, f32x4.sqrt(a)), vlr);
      const l = f32x4.sub(f32x4.add(v128.load(linear + off), f32x4.add(g, f32x4.mul(shrink, p))), f32x4.mul(sigma, p));
      const clipped = f32x4.min(f32x4.max(l, negL1), vl1);
      v128.store(linear + off, l);
      v128.store(accum + off, aNew);
      v128.store(params + off, f32x4.div(f32x4.sub(clipped, l), f32x4.add(f32x4.div(rootNew, vlr), twoL2)));
    }
  }
  for (; i < n; i++) ftrlScalar(params, grads, accum, linear, <usize>i << 2, lr, power, l1, l2, l2Shrinkage);
}
