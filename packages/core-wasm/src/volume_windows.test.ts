import { describe, expect, it } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';
import { volumeInputSize, volumeLabel, volumeOutputSize, volumeSweep, volumeTaps } from './test_volumes.js';

// The 3-D forms of im2col, col2im and pooling (the same kernels with a depth axis) against naive loops.

function naiveVol2col(g: WindowGeometry, x: Float32Array): Float32Array {
  const c = g.channels;
  return Float32Array.from(volumeTaps(g).flatMap((taps) => taps.flatMap((t) => Array.from({ length: c }, (_, ch) => (t === null ? 0 : x[t + ch])))));
}

function naiveCol2vol(g: WindowGeometry, cols: Float32Array): Float64Array {
  const dx = new Float64Array(volumeInputSize(g));
  let at = 0;
  for (const taps of volumeTaps(g)) {
    for (const t of taps) for (let ch = 0; ch < g.channels; ch++, at++) if (t !== null) dx[t + ch] += cols[at];
  }
  return dx;
}

function naivePool(g: WindowGeometry, x: Float32Array, dy: Float32Array, kind: 'max' | 'avg') {
  const y = new Float64Array(volumeOutputSize(g));
  const dx = new Float64Array(volumeInputSize(g));
  volumeTaps(g).forEach((taps, row) => {
    const inside = taps.filter((t): t is number => t !== null);
    for (let ch = 0; ch < g.channels; ch++) {
      const o = row * g.channels + ch;
      if (kind === 'max') {
        let best = inside[0] + ch;
        for (const t of inside) if (x[t + ch] > x[best]) best = t + ch;
        y[o] = x[best];
        dx[best] += dy[o];
      } else {
        y[o] = inside.reduce((s, t) => s + x[t + ch], 0) / inside.length;
        for (const t of inside) dx[t + ch] += dy[o] / inside.length;
      }
    }
  });
  return { y, dx };
}

const colsSize = (g: WindowGeometry) => g.batch * g.outD! * g.outH * g.outW * g.kD! * g.kH * g.kW * g.channels;

describe.each(FLAVORS)('volumes: im2col / col2im with a depth axis (%s)', (flavor) => {
  it.each(volumeSweep().map((g) => [volumeLabel(g), g] as const))('im2col matches a naive loop: %s', async (_, g) => {
    const core = await coreFor(flavor);
    const x = randomArray(volumeInputSize(g), 3);
    const px = put(core, x);
    const pc = put(core, new Float32Array(colsSize(g)).fill(Number.NaN));
    core.im2col(px, pc, g);
    expect(Array.from(get(core, pc, colsSize(g)))).toEqual(Array.from(naiveVol2col(g, x)));
    core.free(px);
    core.free(pc);
  });

  it.each(volumeSweep().map((g) => [volumeLabel(g), g] as const))('col2im matches a naive scatter and overwrites dx: %s', async (_, g) => {
    const core = await coreFor(flavor);
    const cols = randomArray(colsSize(g), 5);
    const pc = put(core, cols);
    const pd = put(core, randomArray(volumeInputSize(g), 6));
    core.col2im(pc, pd, g);
    expectClose(get(core, pd, volumeInputSize(g)), naiveCol2vol(g, cols), 1e-5, 1e-5);
    core.free(pc);
    core.free(pd);
  });
});

describe.each(FLAVORS)('volumes: pooling with a depth axis (%s)', (flavor) => {
  const undilated = volumeSweep().filter((g) => g.dilationD === 1 && g.dilationH === 1 && g.dilationW === 1);
  for (const kind of ['max', 'avg'] as const) {
    it.each(undilated.map((g) => [volumeLabel(g), g] as const))(`${kind} pool forward and gradient match naive loops: %s`, async (_, g) => {
      const core = await coreFor(flavor);
      // Coarse values so windows hold ties: the gradient must go to the first maximum only.
      const x = randomArray(volumeInputSize(g), 7).map((v) => Math.round(v * 3) / 3);
      const dy = randomArray(volumeOutputSize(g), 8);
      const expected = naivePool(g, x, dy, kind);
      const px = put(core, x), py = put(core, new Float32Array(volumeOutputSize(g)));
      const pdy = put(core, dy), pdx = put(core, randomArray(volumeInputSize(g), 9));
      if (kind === 'max') {
        core.maxPool(px, py, g);
        core.maxPoolGrad(px, py, pdy, pdx, g);
      } else {
        core.avgPool(px, py, g);
        core.avgPoolGrad(pdy, pdx, g);
      }
      expectClose(get(core, py, volumeOutputSize(g)), expected.y, 1e-6, 1e-6);
      expectClose(get(core, pdx, volumeInputSize(g)), expected.dx, 1e-5, 1e-6);
      for (const p of [px, py, pdy, pdx]) core.free(p);
    });
  }

  it('rejects a depth-dilated pooling geometry with a message naming it', async () => {
    const core = await coreFor(flavor);
    const g = { ...volumeSweep()[1], dilationD: 2 };
    expect(() => core.maxPool(0, 0, g)).toThrow(/dilation 1 only\. Received: dilation=\[1, 1\], dilationD=2/);
  });
});
