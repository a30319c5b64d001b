import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';

// The log and atan2 kernels (the spectrogram layers' logarithm and phase) on every backend that
// runs here (Node, or Chromium in browser mode), against Math.log and Math.atan2 in float64.
const random = new Random(17);

describe.each(BACKENDS_HERE)('log and atan2 on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it('log over positive values from 1e-30 to 1e4, in place too, and its edge values', async () => {
    const n = 53;
    const x = Float32Array.from({ length: n }, () => Math.fround(10 ** random.uniform(-30, 4)));
    const [ix, y] = [upload(x), b.alloc(n, 'float32')];
    b.log(ix, y, n);
    expectClose(Array.from(await download(y, n)), Array.from(x, Math.log), 1e-6);
    b.log(ix, ix, n);
    expectClose(Array.from(await download(ix, n)), Array.from(x, Math.log), 1e-6);
    const edges = upload(Float32Array.of(0, 1, Infinity));
    b.log(edges, edges, 3);
    expect(Array.from(await download(edges, 3))).toEqual([-Infinity, 0, Infinity]);
  });

  it('atan2 in every quadrant and on the axes', async () => {
    const ys = Float32Array.from([...Array.from({ length: 40 }, () => random.uniform(-3, 3)), 0, 1, -1, 0]);
    const xs = Float32Array.from([...Array.from({ length: 40 }, () => random.uniform(-3, 3)), -1, 0, 0, 1]);
    const n = ys.length;
    const out = b.alloc(n, 'float32');
    b.atan2(upload(ys), upload(xs), out, n);
    expectClose(Array.from(await download(out, n)), Array.from(ys, (v, i) => Math.atan2(v, xs[i])), 1e-5);
  });
});
