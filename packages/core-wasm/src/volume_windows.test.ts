import { describe, expect, it } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';
import { expectPoolingMatchesNaive, volumeInputSize, volumeLabel, volumeSweep, volumeTaps } from './test_volumes.js';

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
      expectPoolingMatchesNaive(await coreFor(flavor), g, kind);
    });
  }

  it('rejects a depth-dilated pooling geometry with a message naming it', async () => {
    const core = await coreFor(flavor);
    const g = { ...volumeSweep()[1], dilationD: 2 };
    expect(() => core.maxPool(0, 0, g)).toThrow(/dilation 1 only\. Received: dilation=\[1, 1\], dilationD=2/);
  });
});
