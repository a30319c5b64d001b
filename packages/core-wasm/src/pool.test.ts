import { describe, expect, it } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { coreFor, FLAVORS, get, put, randomArray } from './test_support.js';
import { geometry, sweep } from './test_windows.js';
import { expectPoolingMatchesNaive, volumeGeometry, volumeLabel } from './test_volumes.js';

const label = (g: WindowGeometry) => `n${g.batch} ${g.inH}x${g.inW}x${g.channels} k${g.kH}x${g.kW} s${g.strideH},${g.strideW} pad${g.padTop},${g.padLeft}`;

describe.each(FLAVORS)('pooling (%s)', (flavor) => {
  for (const kind of ['max', 'avg'] as const) {
    it.each(sweep().map((g) => [label(g), g] as const))(`${kind} pool forward and gradient match naive loops: %s`, async (_, g) => {
      expectPoolingMatchesNaive(await coreFor(flavor), g, kind);
    });
  }

  // 16 channels and up take maxPool's four-vector path, with the 4-channel and scalar tails after it.
  const wide = [geometry(2, 6, 7, 16, 2, 2, [2, 2], [1, 1], 'valid'), geometry(1, 7, 5, 21, 3, 3, [1, 1], [1, 1], 'same'), geometry(2, 5, 6, 37, 3, 2, [2, 1], [1, 1], 'same')];
  const wideVolume = volumeGeometry(2, [4, 5, 3], 19, [3, 2, 2], [1, 2, 1], [1, 1, 1], 'same');
  it.each([...wide.map((g) => [label(g), g] as const), [volumeLabel(wideVolume), wideVolume] as const])('max pool over 16 channels and more matches naive loops: %s', async (_, g) => {
    expectPoolingMatchesNaive(await coreFor(flavor), g, 'max');
  });

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
