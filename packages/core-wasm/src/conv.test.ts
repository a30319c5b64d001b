import { describe, expect, it } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';
import { at, dilatedSweep, forEachOutput, geometry, inputSize, sweep, tap } from './test_windows.js';

function colsWidth(g: WindowGeometry): number {
  return g.kH * g.kW * g.channels;
}

/** Column of tap t and channel c in a row of cols: group by group, then tap, then channel within the group. */
function column(g: WindowGeometry, t: number, c: number): number {
  const perGroup = g.channels / (g.groups ?? 1);
  return (Math.floor(c / perGroup) * g.kH * g.kW + t) * perGroup + (c % perGroup);
}

/** Naive im2col: one row per output position, zeros where a tap falls outside. */
function naiveIm2col(g: WindowGeometry, x: Float32Array): Float32Array {
  const width = colsWidth(g);
  const cols = new Float32Array(g.batch * g.outH * g.outW * width);
  forEachOutput(g, (b, oy, ox, row) => {
    for (let ky = 0; ky < g.kH; ky++) for (let kx = 0; kx < g.kW; kx++) {
      const p = tap(g, oy, ox, ky, kx);
      for (let c = 0; c < g.channels; c++) cols[row * width + column(g, ky * g.kW + kx, c)] = p ? x[at(g, b, p[0], p[1], c)] : 0;
    }
  });
  return cols;
}

/** Naive scatter of column rows back onto the input positions they read. */
function naiveCol2im(g: WindowGeometry, cols: Float32Array): Float64Array {
  const width = colsWidth(g);
  const dx = new Float64Array(inputSize(g));
  forEachOutput(g, (b, oy, ox, row) => {
    for (let ky = 0; ky < g.kH; ky++) for (let kx = 0; kx < g.kW; kx++) {
      const p = tap(g, oy, ox, ky, kx);
      if (!p) continue;
      for (let c = 0; c < g.channels; c++) dx[at(g, b, p[0], p[1], c)] += cols[row * width + column(g, ky * g.kW + kx, c)];
    }
  });
  return dx;
}

const label = (g: WindowGeometry) => `n${g.batch} ${g.inH}x${g.inW}x${g.channels} k${g.kH}x${g.kW} s${g.strideH},${g.strideW} d${g.dilationH},${g.dilationW} pad${g.padTop},${g.padLeft} -> ${g.outH}x${g.outW}${g.groups ? ` groups${g.groups}` : ''}`;

describe.each(FLAVORS)('im2col / col2im (%s)', (flavor) => {
  const grouped: WindowGeometry[] = [
    { ...geometry(2, 9, 8, 6, 3, 2, [2, 1], [1, 1], 'same'), groups: 3 },
    { ...geometry(3, 11, 10, 8, 3, 3, [2, 3], [1, 1], 'valid'), groups: 4 },
    { ...geometry(1, 10, 12, 4, 3, 2, [1, 1], [2, 3], 'same'), groups: 2 },
    { ...geometry(2, 12, 13, 8, 2, 2, [2, 2], [1, 1], 'same'), groups: 8 },
  ];
  const cases = [...sweep(), ...dilatedSweep(), ...grouped];

  it.each(cases.map((g) => [label(g), g] as const))('im2col matches a naive loop: %s', async (_, g) => {
    const core = await coreFor(flavor);
    const x = randomArray(inputSize(g), 3);
    const rows = g.batch * g.outH * g.outW;
    const px = put(core, x);
    const pc = put(core, new Float32Array(rows * colsWidth(g)).fill(Number.NaN));
    core.im2col(px, pc, g);
    expect(Array.from(get(core, pc, rows * colsWidth(g)))).toEqual(Array.from(naiveIm2col(g, x)));
    core.free(px);
    core.free(pc);
  });

  it.each(cases.map((g) => [label(g), g] as const))('col2im matches a naive scatter and overwrites dx: %s', async (_, g) => {
    const core = await coreFor(flavor);
    const rows = g.batch * g.outH * g.outW;
    const cols = randomArray(rows * colsWidth(g), 5);
    const pc = put(core, cols);
    const pd = put(core, randomArray(inputSize(g), 6));
    core.col2im(pc, pd, g);
    expectClose(get(core, pd, inputSize(g)), naiveCol2im(g, cols), 1e-5, 1e-5);
    core.free(pc);
    core.free(pd);
  });
});
