import { describe, expect, it } from 'vitest';
import type { ColorAdjustment } from './image_transform.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Keras 3's RandomHue and RandomSaturation kernel against float64 loops of Keras' rgb_to_hsv,
// hsv_to_rgb and the layers' steps between them, and against colours whose result is known.
function toHsv(r: number, g: number, b: number): [number, number, number] {
  const value = Math.max(r, g, b);
  const range = value - Math.min(r, g, b);
  const norm = 1 / (6 * (range > 0 ? range : 1));
  let hue = value === g ? norm * (b - r) + 2 / 6 : norm * (r - g) + 4 / 6;
  if (value === r) hue = norm * (g - b);
  return [(range > 0 ? hue : 0) + (hue < 0 ? 1 : 0), value > 0 ? range / value : 0, value];
}

function toRgb(hue: number, s: number, v: number): number[] {
  const dh = (hue - Math.floor(hue)) * 6;
  const clip = (d: number) => Math.min(Math.max(d, 0), 1);
  return [clip(Math.abs(dh - 3) - 1), clip(2 - Math.abs(dh - 2)), clip(2 - Math.abs(dh - 4))].map((d) => v * (1 - s + s * d));
}

function reference(x: ArrayLike<number>, params: ArrayLike<number>, a: ColorAdjustment, hue: boolean): number[] {
  const { lo, hi } = a;
  return Array.from({ length: a.batch * a.pixels }, (_, p) => {
    const b = Math.floor(p / a.pixels);
    const unit = (v: number) => (hue ? (v - lo) / (hi - lo) : v);
    const [h, s, v] = toHsv(unit(x[3 * p]), unit(x[3 * p + 1]), unit(x[3 * p + 2]));
    if (!hue) return toRgb(h, Math.min(Math.max(s * params[2 * b + 1], lo), hi), v);
    let turned = h + params[2 * b];
    if (turned > 1) turned -= 1;
    if (turned < 0) turned += 1;
    return toRgb(turned, s, v).map((c) => Math.min(Math.max(c, 0), 1) * (hi - lo) + lo);
  }).flat();
}

const A: ColorAdjustment = { batch: 4, pixels: 10, channels: 3, lo: -1, hi: 2 };
// Per image (hue delta, saturation scale): each sign of turn, none, half a turn; grey, more, less, none.
const PARAMS = Float32Array.of(0.3, 0, -0.45, 2.5, 0, 0.4, 0.5, 1);

describe.each(FLAVORS)('hsvAdjustImages (%s)', (flavor) => {
  it.each([true, false])('hue %s matches a float64 loop of Keras\' steps', async (hue) => {
    const core = await coreFor(flavor);
    const n = A.batch * A.pixels * 3;
    const x = randomArray(n, 41, hue ? A.lo : 0, A.hi);
    const [px, py, pp] = [put(core, x), put(core, new Float32Array(n)), put(core, PARAMS)];
    core.hsvAdjustImages(px, py, pp, A, hue);
    expectClose(get(core, py, n), reference(x, PARAMS, A, hue), 1e-5, 1e-5);
    for (const p of [px, py, pp]) core.free(p);
  });

  it('turns red to cyan by half a turn and keeps a grey pixel at any saturation scale', async () => {
    const core = await coreFor(flavor);
    const a: ColorAdjustment = { batch: 1, pixels: 2, channels: 3, lo: 0, hi: 255 };
    const [px, py, pp] = [put(core, [255, 0, 0, 90, 90, 90]), put(core, new Float32Array(6)), put(core, [0.5, 3])];
    core.hsvAdjustImages(px, py, pp, a, true);
    expectClose(get(core, py, 6), [0, 255, 255, 90, 90, 90], 1e-6, 1e-4);
    core.hsvAdjustImages(px, py, pp, a, false);
    expect(Array.from(get(core, py, 6).subarray(3))).toEqual([90, 90, 90]);
    for (const p of [px, py, pp]) core.free(p);
  });
});
