// Keras 3's Solarization over NHWC batches: each value is mapped from [lo, hi] to [0, 255], shifted
// by the image's addition and clipped to [0, 255], flipped to 255 − r where it reaches the image's
// threshold, and mapped back. Scalar loops: a few flops per value, memory-bound.

/** Whether the values are already in [0, 255], where Keras skips both mappings (so they add no rounding). */
function mapped(lo: f32, hi: f32): bool {
  return lo != 0 || hi != 255;
}

/** x mapped to [0, 255] and shifted by `add`: the value that is clipped. */
@inline function shifted(v: f32, add: f32, lo: f32, hi: f32, map: bool): f32 {
  return (map ? (v - lo) / (hi - lo) * 255 : v) + add;
}

/** y over `size` values per image, params[b] = (addition, threshold) in [0, 255] units. y may alias x. */
export function solarizeImages(x: usize, y: usize, params: usize, n: i32, size: i32, lo: f32, hi: f32): void {
  const map = mapped(lo, hi);
  for (let b = 0; b < n; b++) {
    const add = load<f32>(params + (<usize>(2 * b) << 2));
    const threshold = load<f32>(params + (<usize>(2 * b + 1) << 2));
    const base = <usize>(b * size) << 2;
    for (let i = 0; i < size; i++) {
      const at = base + (<usize>i << 2);
      const r = min(max(shifted(load<f32>(x + at), add, lo, hi, map), <f32>0), <f32>255);
      const s = r < threshold ? r : 255 - r;
      store<f32>(y + at, map ? s / 255 * (hi - lo) + lo : s);
    }
  }
}

/** dx (overwritten) = dy where the clip passed the shifted value and it stayed below the threshold, −dy where it passed and flipped, else 0. */
export function solarizeImagesBackward(x: usize, dy: usize, dx: usize, params: usize, n: i32, size: i32, lo: f32, hi: f32): void {
  const map = mapped(lo, hi);
  for (let b = 0; b < n; b++) {
    const add = load<f32>(params + (<usize>(2 * b) << 2));
    const threshold = load<f32>(params + (<usize>(2 * b + 1) << 2));
    const base = <usize>(b * size) << 2;
    for (let i = 0; i < size; i++) {
      const at = base + (<usize>i << 2);
      const v = shifted(load<f32>(x + at), add, lo, hi, map);
      const g = load<f32>(dy + at);
      store<f32>(dx + at, v >= 0 && v <= 255 ? (v < threshold ? g : -g) : 0);
    }
  }
}
