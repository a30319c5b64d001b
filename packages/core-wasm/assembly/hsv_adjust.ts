// Keras 3's RandomHue and RandomSaturation over NHWC RGB batches: each pixel through Keras'
// rgb_to_hsv, its hue turned or its saturation scaled, and back through hsv_to_rgb.

// float32's machine epsilon: Keras' rgb_to_hsv zeroes values smaller than it in magnitude.
const EPS: f32 = 1.1920929e-7;

@inline function cleaned(v: f32): f32 {
  return abs(v) < EPS ? 0 : v;
}

@inline function unitClamp(v: f32): f32 {
  return min(max(v, <f32>0), <f32>1);
}

/**
 * y over `pixels` RGB pixels per image, params[b] = (hue delta, saturation scale). Hue mode
 * (`hue` = 1): values mapped from [lo, hi] to [0, 1] (not when that is the range already), the
 * hue plus the delta wrapped into [0, 1], the result clipped to [0, 1] and mapped back.
 * Saturation mode: the values as they are, the saturation times the scale clipped to [lo, hi],
 * no clip after. y may alias x.
 */
export function hsvAdjustImages(x: usize, y: usize, params: usize, n: i32, pixels: i32, lo: f32, hi: f32, hue: i32): void {
  const map = hue != 0 && (lo != 0 || hi != 1);
  const span = hi - lo;
  for (let b = 0; b < n; b++) {
    const delta = load<f32>(params + (<usize>(2 * b) << 2));
    const scale = load<f32>(params + (<usize>(2 * b + 1) << 2));
    const base = <usize>(b * pixels * 3) << 2;
    for (let p = 0; p < pixels; p++) {
      const at = base + (<usize>(p * 3) << 2);
      let r = load<f32>(x + at);
      let g = load<f32>(x + at + 4);
      let bl = load<f32>(x + at + 8);
      if (map) {
        r = (r - lo) / span;
        g = (g - lo) / span;
        bl = (bl - lo) / span;
      }
      r = cleaned(r);
      g = cleaned(g);
      bl = cleaned(bl);
      const value = max(max(r, g), bl);
      const range = value - min(min(r, g), bl);
      let s: f32 = value > 0 ? range / value : 0;
      const norm: f32 = <f32>1 / (<f32>6 * (range > 0 ? range : 1));
      let h: f32 = value == g ? norm * (bl - r) + <f32>(2.0 / 6.0) : norm * (r - g) + <f32>(4.0 / 6.0);
      if (value == r) h = norm * (g - bl);
      h = (range > 0 ? h : 0) + (h < 0 ? <f32>1 : 0);
      if (hue != 0) {
        h += delta;
        if (h > 1) h -= 1;
        if (h < 0) h += 1;
      } else {
        s = min(max(s * scale, lo), hi);
      }
      const dh = (h - floor(h)) * 6;
      const grey: f32 = <f32>1 - s;
      r = value * (grey + s * unitClamp(abs(dh - 3) - 1));
      g = value * (grey + s * unitClamp(2 - abs(dh - 2)));
      bl = value * (grey + s * unitClamp(2 - abs(dh - 4)));
      if (hue != 0) {
        r = unitClamp(r);
        g = unitClamp(g);
        bl = unitClamp(bl);
        if (map) {
          r = r * span + lo;
          g = g * span + lo;
          bl = bl * span + lo;
        }
      }
      store<f32>(y + at, r);
      store<f32>(y + at + 4, g);
      store<f32>(y + at + 8, bl);
    }
  }
}
