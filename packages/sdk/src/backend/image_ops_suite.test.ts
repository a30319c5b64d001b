import { describe, expect, it } from 'vitest';
import type { Backend, ResizeGeometry, ResizeInterpolation } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { refResize, refResizeGrad, wholeImages } from '../testing/image_reference.js';

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
});
