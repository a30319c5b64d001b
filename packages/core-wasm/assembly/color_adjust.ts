// Per-image contrast and brightness over NHWC batches, as Keras' RandomContrast and
// RandomBrightness apply them: y = clip((x − mean)·contrast + mean + delta, lo, hi), the mean taken
// per image and channel over its pixels, the pair (contrast, delta) per image. Scalar loops: the
// work is a few flops per value, memory-bound, and channel counts (1, 3) do not fill a vector.

/** The additive part mean·(1 − contrast) + delta of channel ch of one image (the mean is skipped at contrast 1, so brightness is exact). */
function channelOffset(image: usize, pixels: i32, c: i32, ch: i32, contrast: f32, delta: f32): f32 {
  if (contrast == 1) return delta;
  let sum: f64 = 0;
  for (let p = 0; p < pixels; p++) sum += <f64>load<f32>(image + (<usize>(p * c + ch) << 2));
  return <f32>(sum / <f64>pixels) * (1 - contrast) + delta;
}

/** y = clip(x·contrast + offset, lo, hi) per image and channel, params[b] = (contrast, delta). y may alias x. */
export function adjustImages(x: usize, y: usize, params: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32): void {
  for (let b = 0; b < n; b++) {
    const contrast = load<f32>(params + (<usize>(2 * b) << 2));
    const delta = load<f32>(params + (<usize>(2 * b + 1) << 2));
    const image = x + (<usize>(b * pixels * c) << 2);
    const out = y + (<usize>(b * pixels * c) << 2);
    for (let ch = 0; ch < c; ch++) {
      const offset = channelOffset(image, pixels, c, ch, contrast, delta);
      for (let p = 0; p < pixels; p++) {
        const at = <usize>(p * c + ch) << 2;
        store<f32>(out + at, min(max(load<f32>(image + at) * contrast + offset, lo), hi));
      }
    }
  }
}

/**
 * dx of adjustImages from its input x (overwritten): with g = dy where the unclipped value lay in
 * [lo, hi] (else 0), dx = contrast·g + (1 − contrast)·mean(g) per image and channel, the second
 * term being the path through the mean.
 */
export function adjustImagesBackward(x: usize, dy: usize, dx: usize, params: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32): void {
  for (let b = 0; b < n; b++) {
    const contrast = load<f32>(params + (<usize>(2 * b) << 2));
    const delta = load<f32>(params + (<usize>(2 * b + 1) << 2));
    const base = <usize>(b * pixels * c) << 2;
    for (let ch = 0; ch < c; ch++) {
      const offset = channelOffset(x + base, pixels, c, ch, contrast, delta);
      let passed: f64 = 0;
      for (let p = 0; p < pixels; p++) {
        const at = base + (<usize>(p * c + ch) << 2);
        const v = load<f32>(x + at) * contrast + offset;
        const g = v >= lo && v <= hi ? load<f32>(dy + at) : 0;
        passed += <f64>g;
        store<f32>(dx + at, contrast * g);
      }
      if (contrast == 1) continue;
      const share = <f32>(passed / <f64>pixels) * (1 - contrast);
      for (let p = 0; p < pixels; p++) {
        const at = base + (<usize>(p * c + ch) << 2);
        store<f32>(dx + at, load<f32>(dx + at) + share);
      }
    }
  }
}
