// Keras 3's RandomPosterization over NHWC batches: each value mapped from [lo, hi] to [0, 255] and
// cast to uint8 keeps its top bits, the low `shift` bits of the image zeroed, then is mapped back.

/** y over `size` values per image, params[b] = the image's shift (8 − bits kept) as a float. y may alias x. */
export function posterizeImages(x: usize, y: usize, params: usize, n: i32, size: i32, lo: f32, hi: f32): void {
  // Keras skips both mappings when the values are in [0, 255] already, so they add no rounding.
  const map = lo != 0 || hi != 255;
  for (let b = 0; b < n; b++) {
    const step = <f32>(1 << <i32>load<f32>(params + (<usize>b << 2)));
    const base = <usize>(b * size) << 2;
    for (let i = 0; i < size; i++) {
      const at = base + (<usize>i << 2);
      const v = load<f32>(x + at);
      // The uint8 cast truncates; values outside the range saturate at its ends.
      const byte = floor(min(max(map ? (v - lo) / (hi - lo) * 255 : v, <f32>0), <f32>255));
      const kept = floor(byte / step) * step;
      store<f32>(y + at, map ? kept / 255 * (hi - lo) + lo : kept);
    }
  }
}
