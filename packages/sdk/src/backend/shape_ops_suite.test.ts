import { describe, expect, it } from 'vitest';
import { backend } from './registry.js';
import type { Backend } from './backend.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, useBackend, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { refL2Normalize, refPermute } from '../testing/shape_reference.js';

// The shape, merge and noise kernels on every backend that runs here (Node, or Chromium in browser
// mode), against naive loops; the noise against its statistics and the wasm backend's draw.
const random = new Random(31);
const draw = (n: number) => Float32Array.from({ length: n }, () => Math.round(random.uniform(-2, 2) * 2) / 2 + 0);

describe.each(BACKENDS_HERE)('shape, merge and noise kernels on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it.each([[[3, 4, 5], [0, 2, 1]], [[2, 3, 2, 4], [0, 3, 1, 2]], [[2, 2, 3, 2, 2], [0, 4, 3, 2, 1]]])('transpose %j by %j', async (dims, perm) => {
    const n = dims.reduce((a, c) => a * c, 1);
    const x = draw(n);
    const y = b.alloc(n, 'float32');
    b.transpose(upload(x), y, dims, perm);
    // A permutation of the sample axes (perm[0] = 0 keeps the batch first) equals refPermute on the whole array with the batch as axis 1.
    expect(Array.from(await download(y, n))).toEqual(refPermute(Array.from(x), dims, perm.map((p) => p + 1)));
  });

  it('minMax and routeToFirstMatch: ties send the gradient to the first input', async () => {
    const n = 37;
    const [a, c] = [draw(n), draw(n)];
    for (const takeMax of [true, false]) {
      const [ia, ic, y] = [upload(a), upload(c), b.alloc(n, 'float32')];
      b.minMax(takeMax, ia, ic, y, n);
      const expected = Array.from(a, (v, i) => (takeMax ? Math.max(v, c[i]) : Math.min(v, c[i])));
      expect(Array.from(await download(y, n))).toEqual(expected);
      const dy = draw(n);
      const [pending, da, dc] = [upload(dy), b.alloc(n, 'float32'), b.alloc(n, 'float32')];
      b.routeToFirstMatch(ia, y, pending, da, n);
      b.routeToFirstMatch(ic, y, pending, dc, n);
      expect(Array.from(await download(da, n))).toEqual(Array.from(dy, (g, i) => (a[i] === expected[i] ? g : 0)));
      expect(Array.from(await download(dc, n))).toEqual(Array.from(dy, (g, i) => (a[i] === expected[i] ? 0 : g)));
    }
  });

  // [outer, reduce, inner]: the last axis, a middle axis, and a column small enough for ε to clamp.
  it.each([[3, 5, 1], [2, 4, 3]])('l2Normalize over [%i, %i, %i] and its gradient, against float64 and finite differences', async (outer, reduce, inner) => {
    const n = outer * reduce * inner;
    const x = Array.from(draw(n), (v, i) => v + 0.1 * i);
    for (let r = 0; r < reduce; r++) x[r * inner] = 1e-5 * (r + 1);
    const dy = Array.from(draw(n));
    const [ix, y, idy, dx] = [upload(Float32Array.from(x)), b.alloc(n, 'float32'), upload(Float32Array.from(dy)), b.alloc(n, 'float32')];
    b.l2Normalize(ix, y, outer, reduce, inner, 1e-7);
    expectClose(Array.from(await download(y, n)), refL2Normalize(x, outer, reduce, inner), 1e-5);
    b.l2NormalizeGrad(ix, idy, dx, outer, reduce, inner, 1e-7);
    const [expected] = finiteDifferences([x], () => refL2Normalize(x, outer, reduce, inner).reduce((s, v, i) => s + v * dy[i], 0), 1e-9);
    expectClose(Array.from(await download(dx, n)), expected, 1e-3);
  });

  it('normalNoise: the statistics of a normal, and the wasm core\'s values for the same seed', async () => {
    const n = 20000;
    const out = b.alloc(n, 'float32');
    b.normalNoise(out, n, -1, 2, 4242);
    const z = Array.from(await download(out, n));
    const mean = z.reduce((s, v) => s + v, 0) / n;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean + 1)).toBeLessThan(0.075);
    expect(Math.abs(variance - 4)).toBeLessThan(0.2);
    await useBackend('wasm');
    const wasm = backend();
    const reference = wasm.alloc(n, 'float32');
    wasm.normalNoise(reference, n, -1, 2, 4242);
    const expected = wasm.read(reference, n, 'float32');
    await useBackend(name);
    expectClose(z, expected, 1e-4);
  });
});
