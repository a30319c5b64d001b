// Keras 3's rgb_to_hsv and hsv_to_rgb of one pixel in float64: the reference of the HSV layers' tests.
// core-wasm's hsv_adjust.test.ts keeps its own copy, since its tests do not import the SDK's.

const unit = (d: number) => Math.min(Math.max(d, 0), 1);

/** Keras' rgb_to_hsv of one pixel, in float64. */
export function toHsv(r: number, g: number, b: number): [number, number, number] {
  const value = Math.max(r, g, b);
  const range = value - Math.min(r, g, b);
  const norm = 1 / (6 * (range > 0 ? range : 1));
  let hue = value === g ? norm * (b - r) + 2 / 6 : norm * (r - g) + 4 / 6;
  if (value === r) hue = norm * (g - b);
  hue = (range > 0 ? hue : 0) + (hue < 0 ? 1 : 0);
  return [hue, value > 0 ? range / value : 0, value];
}

/** Keras' hsv_to_rgb of one pixel, in float64. */
export function toRgb(hue: number, s: number, v: number): number[] {
  const dh = (hue - Math.floor(hue)) * 6;
  return [unit(Math.abs(dh - 3) - 1), unit(2 - Math.abs(dh - 2)), unit(2 - Math.abs(dh - 4))].map((d) => v * (1 - s + s * d));
}
