import { describe, expect, it } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';
import { at, forEachOutput, inputSize, outputSize, sweep, tap } from './test_windows.js';

/** Naive pooling and its gradient: max routes to the first maximum, average spreads over inside taps. */
function naivePool(g: WindowGeometry, x: Float32Array, dy: Float32Array, kind: 'max' | 'avg') {
  const y = new Float64Array(outputSize(g));
  const dx = new Float64Array(inputSize(g));
  forEachOutput(g, (b, oy, ox, row) => {
    for (let c = 0; c < g.channels; c++) {
      const taps: number[] = [];
      for (let ky = 0; ky < g.kH; ky++) for (let kx = 0; kx < g.kW; kx++) {
        const p = tap(g, oy, ox, ky, kx);
        if (p) taps.push(at(g, b, p[0], p[1], c));
      }
      const o = row * g.channels + c;
      if (kind === 'max') {
        let best = taps[0];
        for (const t of taps) if (x[t] > x[best]) best = t;
        y[o] = x[best];
        dx[best] += dy[o];
      } else {
        y[o] = taps.reduce((s, t) => s + x[t], 0) / taps.length;
        for (const t of taps) dx[t] += dy[o] / taps.length;
      }
    }
  });
  return { y, dx };
}

const label = (g: WindowGeometry) => `n${g.batch} ${g.inH}x${g.inW}x${g.channels} k${g.kH}x${g.kW} s${g.strideH},${g.strideW} pad${g.padTop},${g.padLeft}`;

describe.each(FLAVORS)('pooling (%s)', (flavor) => {
  for (const kind of ['max', 'avg'] as const) {
    it.each(sweep().map((g) => [label(g), g] as const))(`${kind} pool forward and gradient match naive loops: %s`, async (_, g) => {
      const core = await coreFor(flavor);
      // Coarse values so windows hold ties: the gradient must go to the first maximum only.
      const x = randomArray(inputSize(g), 7).map((v) => Math.round(v * 3) / 3);
      const dy = randomArray(outputSize(g), 8);
      const expected = naivePool(g, x, dy, kind);
      const px = put(core, x), py = put(core, new Float32Array(outputSize(g)));
      const pdy = put(core, dy), pdx = put(core, randomArray(inputSize(g), 9));
      if (kind === 'max') {
        core.maxPool(px, py, g);
        core.maxPoolGrad(px, py, pdy, pdx, g);
      } else {
        core.avgPool(px, py, g);
        core.avgPoolGrad(pdy, pdx, g);
      }
      expectClose(get(core, py, outputSize(g)), expected.y, 1e-6, 1e-6);
      expectClose(get(core, pdx, inputSize(g)), expected.dx, 1e-5, 1e-6);
      for (const p of [px, py, pdy, pdx]) core.free(p);
    });
  }

  it('rejects a dilated pooling geometry with a message naming it', async () => {
    const core = await coreFor(flavor);
    const g = { ...sweep()[0], dilationH: 2 };
    expect(() => core.maxPool(0, 0, g)).toThrow(/dilation 1 only\. Received: dilation=\[2, 1\]/);
  });
});

describe.each(FLAVORS)('elementwise add, mul and dropout masks (%s)', (flavor) => {
  it('add and mul match a loop on odd lengths, in place too', async () => {
    const core = await coreFor(flavor);
    for (const n of [1, 3, 17, 65]) {
      const a = randomArray(n, n), b = randomArray(n, n + 1);
      const pa = put(core, a), pb = put(core, b), po = put(core, new Float32Array(n));
      core.add(pa, pb, po, n);
      expect(Array.from(get(core, po, n))).toEqual(Array.from(a, (v, i) => Math.fround(v + b[i])));
      core.mul(pa, pb, pa, n);
      expect(Array.from(get(core, pa, n))).toEqual(Array.from(a, (v, i) => Math.fround(v * b[i])));
      for (const p of [pa, pb, po]) core.free(p);
    }
  });

  it('dropout masks drop about `rate`, scale the rest by 1/(1 − rate), and repeat per seed', async () => {
    const core = await coreFor(flavor);
    const n = 20001;
    const p = put(core, new Float32Array(n));
    core.dropoutMask(p, n, 0.3, 12345);
    const first = get(core, p, n);
    const keep = Math.fround(1 / 0.7);
    expect(first.every((v) => v === 0 || v === keep)).toBe(true);
    const dropped = first.filter((v) => v === 0).length / n;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.015);
    core.dropoutMask(p, n, 0.3, 12345);
    expect(Array.from(get(core, p, n))).toEqual(Array.from(first));
    core.dropoutMask(p, n, 0.3, 12346);
    expect(Array.from(get(core, p, n))).not.toEqual(Array.from(first));
    core.free(p);
  });
});

describe.each(FLAVORS)('copyRows (%s)', (flavor) => {
  it('copies a block of rows between strided layouts and leaves the gaps alone', async () => {
    const core = await coreFor(flavor);
    const [rows, cols, srcStride, dstStride] = [5, 3, 7, 4];
    const src = randomArray(rows * srcStride, 21);
    const dst = randomArray(rows * dstStride, 22);
    const ps = put(core, src), pd = put(core, dst);
    core.copyRows(ps, srcStride, pd, dstStride, rows, cols);
    const expected = Array.from(dst);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) expected[r * dstStride + c] = src[r * srcStride + c];
    expect(Array.from(get(core, pd, rows * dstStride))).toEqual(expected);
    core.free(ps);
    core.free(pd);
  });
});
