import { describe, expect, it } from 'vitest';
import type { Backend, ColorAdjustment, FillMode, ImageTransform, ResizeGeometry, ResizeGrid, ResizeInterpolation } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { refResize, refResizeGrad, refResizeOnGrid, refResizeOnGridGrad, wholeImages } from '../testing/image_reference.js';
import { refAdjust, refTransform, refTransformGrad, sampleTransforms } from '../testing/transform_reference.js';

// The image preprocessing kernels on every backend that runs here, against float64 loops. On the
// tfjs backends the forward pass is tfjs' own resize op with halfPixelCenters, so this also checks
// that op against the definition.
const random = new Random(17);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-2, 2));

const GEOMETRIES: [string, ResizeGeometry][] = [
  ['up 5x7 -> 9x11, 3 channels', wholeImages(2, 5, 7, 3, 9, 11)],
  ['down 9x8 -> 4x3, 4 channels', wholeImages(1, 9, 8, 4, 4, 3)],
  ['crop window 4x6 of 6x6 -> 3x5', { batch: 2, inH: 6, inW: 6, channels: 1, cropTop: 1, cropLeft: 0, cropH: 4, cropW: 6, outH: 3, outW: 5 }],
];

describe.each(BACKENDS_HERE)('image kernels on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);
  runsOn(name, (current) => (b = current));

  describe.each(['bilinear', 'nearest'] as ResizeInterpolation[])('resize %s', (mode) => {
    it.each(GEOMETRIES)('%s, and its gradient', async (_, g) => {
      const [inN, outN] = [g.batch * g.inH * g.inW * g.channels, g.batch * g.outH * g.outW * g.channels];
      const x = draw(inN);
      const y = b.alloc(outN, 'float32');
      b.resize(mode, upload(x), y, g);
      expectClose(Array.from(await download(y, outN)), refResize(mode, x, g), 1e-5);
      const dy = draw(outN);
      const dx = upload(draw(inN));
      b.resizeGrad(mode, upload(dy), dx, g);
      expectClose(Array.from(await download(dx, inN)), refResizeGrad(mode, dy, g), 1e-4);
    });
  });

  // km.image's kernel: tfjs' own resize ops on the tfjs backends, the core's grid kernels on 'wasm'.
  describe.each(['bilinear', 'nearest'] as ResizeInterpolation[])('resizeOnGrid %s', (mode) => {
    const grids: [string, ResizeGrid][] = [
      ['default grid, up 5x7 -> 9x11', { batch: 2, inH: 5, inW: 7, channels: 3, outH: 9, outW: 11, alignCorners: false, halfPixelCenters: false }],
      ['alignCorners, down 9x8 -> 4x3', { batch: 1, inH: 9, inW: 8, channels: 4, outH: 4, outW: 3, alignCorners: true, halfPixelCenters: false }],
      ['halfPixelCenters, 6x6 -> 1x5', { batch: 2, inH: 6, inW: 6, channels: 1, outH: 1, outW: 5, alignCorners: false, halfPixelCenters: true }],
    ];
    it.each(grids)('%s, and its gradient', async (_, g) => {
      const [inN, outN] = [g.batch * g.inH * g.inW * g.channels, g.batch * g.outH * g.outW * g.channels];
      const x = draw(inN);
      const y = b.alloc(outN, 'float32');
      b.resizeOnGrid(mode, upload(x), y, g);
      expectClose(Array.from(await download(y, outN)), refResizeOnGrid(mode, x, g), 1e-5);
      const dy = draw(outN);
      const dx = upload(draw(inN));
      b.resizeOnGridGrad(mode, upload(dy), dx, g);
      expectClose(Array.from(await download(dx, inN)), refResizeOnGridGrad(mode, dy, g), 1e-4);
    });
  });

  it('flipImages mirrors each image as its flags say', async () => {
    const [n, h, w, c] = [4, 3, 4, 2];
    const size = n * h * w * c;
    const x = draw(size);
    const y = b.alloc(size, 'float32');
    b.flipImages(upload(x), y, upload(Float32Array.of(0, 1, 2, 3)), n, h, w, c);
    const expected = Array.from(x, (_, k) => {
      const [bb, i, j, ch] = [Math.floor(k / (h * w * c)), Math.floor(k / (w * c)) % h, Math.floor(k / c) % w, k % c];
      return x[((bb * h + (bb & 2 ? h - 1 - i : i)) * w + (bb & 1 ? w - 1 - j : j)) * c + ch];
    });
    expect(Array.from(await download(y, size))).toEqual(expected);
  });

  // On the tfjs backends the forward pass is tf.image.transform itself and the gradient a scatter of
  // taps computed with tensor ops, so both are checked against the definition here.
  const FILL_MODES: FillMode[] = ['reflect', 'wrap', 'constant', 'nearest'];
  it('transformImages into an output of another size (a crop window), and its gradient', async () => {
    const t: ImageTransform = { batch: 3, height: 6, width: 5, channels: 2, outHeight: 3, outWidth: 4, interpolation: 'bilinear', fillMode: 'constant', fillValue: 0 };
    const [n, out] = [3 * 6 * 5 * 2, 3 * 3 * 4 * 2];
    const transforms = Float32Array.of(1, 0, 1, 0, 1, 2, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1.5, 0, 1, 2.5, 0, 0);
    const x = draw(n);
    const y = b.alloc(out, 'float32');
    const pt = upload(transforms);
    b.transformImages(upload(x), y, pt, t);
    expectClose(Array.from(await download(y, out)), refTransform(x, transforms, t), 1e-5);
    const dy = draw(out);
    const dx = upload(draw(n));
    b.transformImagesGrad(upload(dy), dx, pt, t);
    expectClose(Array.from(await download(dx, n)), refTransformGrad(dy, transforms, t), 1e-4);
  });

  describe.each(['bilinear', 'nearest'] as ResizeInterpolation[])('transformImages %s', (interpolation) => {
    it.each(FILL_MODES)('fill mode %s, and its gradient', async (fillMode) => {
      const t: ImageTransform = { batch: 5, height: 5, width: 7, channels: 3, interpolation, fillMode, fillValue: fillMode === 'constant' ? 0.5 : 0 };
      const n = t.batch * t.height * t.width * t.channels;
      const transforms = upload(sampleTransforms(t.height, t.width));
      const x = draw(n);
      const y = b.alloc(n, 'float32');
      b.transformImages(upload(x), y, transforms, t);
      const tolerance = name === 'tfjs-webgl' || name === 'tfjs-webgpu' ? 1e-3 : 1e-5;
      expectClose(Array.from(await download(y, n)), refTransform(x, sampleTransforms(t.height, t.width), t), tolerance);
      const dy = draw(n);
      const dx = upload(draw(n));
      b.transformImagesGrad(upload(dy), dx, transforms, t);
      expectClose(Array.from(await download(dx, n)), refTransformGrad(dy, sampleTransforms(t.height, t.width), t), tolerance * 10);
    });
  });

  it('adjustImages (contrast and brightness with clipping), and its gradient by finite differences', async () => {
    const a: ColorAdjustment = { batch: 4, pixels: 6, channels: 3, lo: 0, hi: 1 };
    const n = a.batch * a.pixels * a.channels;
    const x = Float32Array.from(draw(n), (v) => 0.6 * v + 0.5);
    const params = Float32Array.of(0.5, 0, 1.7, 0.1, 1, -0.3, 1.2, -0.1);
    const y = b.alloc(n, 'float32');
    const [px, pp] = [upload(x), upload(params)];
    b.adjustImages(px, y, pp, a);
    expectClose(Array.from(await download(y, n)), refAdjust(x, params, a), 1e-5);
    const dy = draw(n);
    const dx = upload(draw(n));
    b.adjustImagesGrad(px, upload(dy), dx, pp, a);
    const loss = (v: Float64Array) => refAdjust(v, params, a).reduce((s, yv, i) => s + yv * dy[i], 0);
    const expected = Array.from({ length: n }, (_, i) => {
      const [up, down] = [Float64Array.from(x), Float64Array.from(x)];
      up[i] += 1e-4;
      down[i] -= 1e-4;
      return (loss(up) - loss(down)) / 2e-4;
    });
    expectClose(Array.from(await download(dx, n)), expected, 1e-3);
  });
});
