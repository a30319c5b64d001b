// Keras 3's AutoContrast over NHWC batches: each image's channel is stretched so that its lowest
// value becomes the bottom of the value range and its highest the top. A channel with one value
// (or NaN) stays as it is, as Keras keeps the input where its result is NaN. Scalar loops over
// strided channels: a few flops per value, memory-bound.

// The channel's lowest and highest values, NaN skipped, left here by channelBounds.
let low: f32 = 0;
let high: f32 = 0;

function channelBounds(image: usize, pixels: i32, c: i32, ch: i32): void {
  low = Infinity;
  high = -Infinity;
  for (let p = 0; p < pixels; p++) {
    const v = load<f32>(image + (<usize>(p * c + ch) << 2));
    if (v < low) low = v;
    if (v > high) high = v;
  }
}

/** v seen in [0, 255] as Keras maps it (not at all when that is the range already). */
@inline function unit(v: f32, lo: f32, hi: f32, map: bool): f32 {
  return map ? (v - lo) / (hi - lo) * 255 : v;
}

/** Keras' steps: the values seen in [0, 255], times 255 / (high − low), minus low times that, clipped to [0, 255], mapped back. */
export function autoContrast(x: usize, y: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32): void {
  const map = lo != 0 || hi != 255;
  for (let b = 0; b < n; b++) {
    const image = x + (<usize>(b * pixels * c) << 2);
    const out = y + (<usize>(b * pixels * c) << 2);
    for (let ch = 0; ch < c; ch++) {
      channelBounds(image, pixels, c, ch);
      const lowUnit = unit(low, lo, hi, map);
      const scale: f32 = <f32>255 / (unit(high, lo, hi, map) - lowUnit);
      const offset = -lowUnit * scale;
      const stretches = high > low;
      for (let p = 0; p < pixels; p++) {
        const at = <usize>(p * c + ch) << 2;
        const v = load<f32>(image + at);
        const r = min(max(unit(v, lo, hi, map) * scale + offset, <f32>0), <f32>255);
        const result = map ? r / 255 * (hi - lo) + lo : r;
        store<f32>(out + at, stretches && !isNaN(result) ? result : v);
      }
    }
  }
}

/**
 * dx of autoContrast (overwritten), with y = lo + (hi − lo)·(x − low) / (high − low): k·dy
 * directly, with k = (hi − lo) / (high − low), and through the bounds, whose gradients go to the
 * values equal to them, shared among ties (as TensorFlow's reduce_min and reduce_max): low gets
 * −k·Σ dy·(1 − t) and high −k·Σ dy·t, t = (x − low) / (high − low). Where the output is the input
 * (one value, NaN), dx = dy.
 */
export function autoContrastBackward(x: usize, dy: usize, dx: usize, n: i32, pixels: i32, c: i32, lo: f32, hi: f32): void {
  for (let b = 0; b < n; b++) {
    const base = <usize>(b * pixels * c) << 2;
    for (let ch = 0; ch < c; ch++) {
      channelBounds(x + base, pixels, c, ch);
      const stretches = high > low;
      const span = <f64>high - <f64>low;
      const k = (<f64>hi - <f64>lo) / span;
      let toLow: f64 = 0, toHigh: f64 = 0, lows: i32 = 0, highs: i32 = 0;
      for (let p = 0; p < pixels; p++) {
        const at = base + (<usize>(p * c + ch) << 2);
        const v = load<f32>(x + at);
        const g = load<f32>(dy + at);
        if (!stretches || isNaN(v)) {
          store<f32>(dx + at, g);
          continue;
        }
        const t = (<f64>v - <f64>low) / span;
        toLow -= k * <f64>g * (1 - t);
        toHigh -= k * <f64>g * t;
        if (v == low) lows++;
        if (v == high) highs++;
        store<f32>(dx + at, <f32>(k * <f64>g));
      }
      if (!stretches) continue;
      for (let p = 0; p < pixels; p++) {
        const at = base + (<usize>(p * c + ch) << 2);
        const v = load<f32>(x + at);
        let extra: f64 = 0;
        if (v == low) extra += toLow / <f64>lows;
        if (v == high) extra += toHigh / <f64>highs;
        if (extra != 0) store<f32>(dx + at, <f32>(<f64>load<f32>(dx + at) + extra));
      }
    }
  }
}
