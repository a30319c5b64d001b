// Test helpers for window kernels: TensorFlow's padding arithmetic and naive NHWC loops.
import type { WindowGeometry } from './geometry.js';

/** Geometry with TensorFlow's 'valid' or 'same' output size and padding split. */
export function geometry(
  batch: number, inH: number, inW: number, channels: number, kH: number, kW: number,
  stride: [number, number], dilation: [number, number], padding: 'valid' | 'same',
): WindowGeometry {
  const effH = (kH - 1) * dilation[0] + 1;
  const effW = (kW - 1) * dilation[1] + 1;
  const outH = padding === 'same' ? Math.ceil(inH / stride[0]) : Math.floor((inH - effH) / stride[0]) + 1;
  const outW = padding === 'same' ? Math.ceil(inW / stride[1]) : Math.floor((inW - effW) / stride[1]) + 1;
  const padTop = padding === 'same' ? Math.floor(Math.max(0, (outH - 1) * stride[0] + effH - inH) / 2) : 0;
  const padLeft = padding === 'same' ? Math.floor(Math.max(0, (outW - 1) * stride[1] + effW - inW) / 2) : 0;
  return { batch, inH, inW, channels, kH, kW, strideH: stride[0], strideW: stride[1], dilationH: dilation[0], dilationW: dilation[1], padTop, padLeft, outH, outW };
}

/** Input position of window tap (ky, kx) of output (oy, ox), or null when outside. */
export function tap(g: WindowGeometry, oy: number, ox: number, ky: number, kx: number): [number, number] | null {
  const iy = oy * g.strideH - g.padTop + ky * g.dilationH;
  const ix = ox * g.strideW - g.padLeft + kx * g.dilationW;
  return iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW ? [iy, ix] : null;
}

export function at(g: WindowGeometry, b: number, y: number, x: number, c: number): number {
  return ((b * g.inH + y) * g.inW + x) * g.channels + c;
}

/** Visits every (batch, output row, output col) with its flat output index base. */
export function forEachOutput(g: WindowGeometry, visit: (b: number, oy: number, ox: number, row: number) => void): void {
  let row = 0;
  for (let b = 0; b < g.batch; b++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) visit(b, oy, ox, row++);
}

export function inputSize(g: WindowGeometry): number {
  return g.batch * g.inH * g.inW * g.channels;
}

export function outputSize(g: WindowGeometry): number {
  return g.batch * g.outH * g.outW * g.channels;
}

/** Window geometries the tests sweep: odd sizes, both paddings, strides > 1, dilation, batch 1. */
export function sweep(): WindowGeometry[] {
  const cases: WindowGeometry[] = [];
  for (const padding of ['valid', 'same'] as const) {
    cases.push(geometry(1, 5, 7, 1, 3, 3, [1, 1], [1, 1], padding));
    cases.push(geometry(2, 9, 8, 3, 3, 2, [2, 1], [1, 1], padding));
    cases.push(geometry(3, 11, 10, 5, 3, 3, [2, 3], [1, 1], padding));
    cases.push(geometry(2, 12, 13, 8, 2, 2, [2, 2], [1, 1], padding));
    cases.push(geometry(1, 13, 11, 6, 5, 4, [1, 2], [1, 1], padding));
  }
  return cases;
}

export function dilatedSweep(): WindowGeometry[] {
  return [
    geometry(2, 11, 9, 3, 3, 3, [1, 1], [2, 2], 'valid'),
    geometry(1, 10, 12, 4, 3, 2, [1, 1], [2, 3], 'same'),
    geometry(2, 13, 13, 7, 2, 3, [2, 1], [3, 2], 'same'),
  ];
}
