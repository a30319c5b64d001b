// Keras 3's Equalization over NHWC batches: each image's channel, seen in [0, 255], gets a
// histogram over `bins` bins; each value becomes its bin's rounded cumulative count rescaled to
// [0, 255] (Keras' lookup table), mapped back. A channel whose values fill one bin stays as it is.
// The float32 steps follow Keras' own order (the histogram's position u·(bins − 1)/255, the lookup's
// (u/255)·(bins − 1)), since a value on a bin edge can land in different bins under the two.

/** A position's bin: truncated and clipped to [0, top] as Keras' int32 cast and clip do; NaN in bin 0. */
@inline function binOf(s: f32, top: f32): usize {
  return s > 0 ? <usize>(<i32>min(s, top)) : 0;
}

/**
 * y over n images of `pixels`·c values in [lo, hi]; `table` holds `bins` i32 of scratch (the
 * histogram, then in place the f32 lookup table). y may alias x.
 */
export function equalizeImages(x: usize, y: usize, table: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32, bins: i32): void {
  // Keras' _scale_values: v·scale + offset, scale and offset formed in double and used as float32.
  const toUnit = 255 / (<f64>hi - <f64>lo);
  const scale = <f32>toUnit;
  const offset = <f32>(-<f64>lo * toUnit);
  const back = <f32>((<f64>hi - <f64>lo) / 255);
  const top = <f32>(bins - 1);
  for (let b = 0; b < n; b++) {
    const base = <usize>(b * pixels * c) << 2;
    for (let ch = 0; ch < c; ch++) {
      memory.fill(table, 0, <usize>bins << 2);
      for (let p = 0; p < pixels; p++) {
        const u = load<f32>(x + base + (<usize>(p * c + ch) << 2)) * scale + offset;
        const at = table + (binOf(u * top / 255, top) << 2);
        store<i32>(at, load<i32>(at) + 1);
      }
      // cdf_min is the count of the first non-empty bin; a single one leaves the channel as it is.
      let filled = 0, first = 0;
      for (let i = 0; i < bins; i++) {
        const count = load<i32>(table + (<usize>i << 2));
        if (count == 0) continue;
        if (filled == 0) first = count;
        filled++;
      }
      if (filled <= 1) {
        if (x != y) {
          for (let p = 0; p < pixels; p++) {
            const at = base + (<usize>(p * c + ch) << 2);
            store<f32>(y + at, load<f32>(x + at));
          }
        }
        continue;
      }
      const span = <f64>(pixels - first);
      let cdf = 0;
      for (let i = 0; i < bins; i++) {
        const at = table + (<usize>i << 2);
        cdf += load<i32>(at);
        // Keras divides the integer counts in double and rounds half to even (nearest).
        store<f32>(at, <f32>min(max(nearest(<f64>(cdf - first) * 255 / span), 0), 255));
      }
      for (let p = 0; p < pixels; p++) {
        const at = base + (<usize>(p * c + ch) << 2);
        const u = load<f32>(x + at) * scale + offset;
        store<f32>(y + at, load<f32>(table + (binOf(u / 255 * top, top) << 2)) * back + lo);
      }
    }
  }
}
