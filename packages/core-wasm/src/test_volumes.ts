// Test helpers for 3-D window kernels: TensorFlow's padding arithmetic per axis and naive NDHWC loops.
import type { WindowGeometry } from './geometry.js';

type Triple = [number, number, number];

/** A volume geometry with TensorFlow's 'valid' or 'same' output size and padding split on each axis. */
export function volumeGeometry(batch: number, input: Triple, channels: number, kernel: Triple, stride: Triple, dilation: Triple, padding: 'valid' | 'same'): WindowGeometry {
  const axis = (a: number) => {
    const eff = (kernel[a] - 1) * dilation[a] + 1;
    const out = padding === 'same' ? Math.ceil(input[a] / stride[a]) : Math.floor((input[a] - eff) / stride[a]) + 1;
    const pad = padding === 'same' ? Math.floor(Math.max(0, (out - 1) * stride[a] + eff - input[a]) / 2) : 0;
    return { out, pad };
  };
  const [d, h, w] = [axis(0), axis(1), axis(2)];
  return {
    batch, inD: input[0], inH: input[1], inW: input[2], channels, kD: kernel[0], kH: kernel[1], kW: kernel[2],
    strideD: stride[0], strideH: stride[1], strideW: stride[2], dilationD: dilation[0], dilationH: dilation[1], dilationW: dilation[2],
    padFront: d.pad, padTop: h.pad, padLeft: w.pad, outD: d.out, outH: h.out, outW: w.out,
  };
}

/** Odd sizes (1, 3, 5), both paddings, strides 2, and dilation (with stride 1). */
export function volumeSweep(): WindowGeometry[] {
  const cases: WindowGeometry[] = [];
  for (const padding of ['valid', 'same'] as const) {
    cases.push(volumeGeometry(1, [1, 3, 5], 1, [1, 3, 3], [1, 1, 1], [1, 1, 1], padding));
    cases.push(volumeGeometry(2, [5, 5, 3], 3, [3, 3, 3], [2, 2, 2], [1, 1, 1], padding));
    cases.push(volumeGeometry(2, [4, 6, 5], 5, [3, 1, 2], [1, 2, 1], [1, 1, 1], padding));
    cases.push(volumeGeometry(1, [7, 5, 6], 4, [3, 2, 3], [1, 1, 1], [2, 2, 1], padding));
  }
  return cases;
}

/** Flat input positions of each tap of every output position, per channel 0 (null outside); row-major over (b, oz, oy, ox). */
export function volumeTaps(g: WindowGeometry): (number | null)[][] {
  const rows: (number | null)[][] = [];
  const [D, kD, sD, dD, pF, oD] = [g.inD!, g.kD!, g.strideD!, g.dilationD!, g.padFront!, g.outD!];
  for (let b = 0; b < g.batch; b++)
    for (let oz = 0; oz < oD; oz++)
      for (let oy = 0; oy < g.outH; oy++)
        for (let ox = 0; ox < g.outW; ox++) {
          const taps: (number | null)[] = [];
          for (let kz = 0; kz < kD; kz++)
            for (let ky = 0; ky < g.kH; ky++)
              for (let kx = 0; kx < g.kW; kx++) {
                const z = oz * sD - pF + kz * dD, y = oy * g.strideH - g.padTop + ky * g.dilationH, x = ox * g.strideW - g.padLeft + kx * g.dilationW;
                const inside = z >= 0 && z < D && y >= 0 && y < g.inH && x >= 0 && x < g.inW;
                taps.push(inside ? (((b * D + z) * g.inH + y) * g.inW + x) * g.channels : null);
              }
          rows.push(taps);
        }
  return rows;
}

export function volumeInputSize(g: WindowGeometry): number {
  return g.batch * g.inD! * g.inH * g.inW * g.channels;
}

export function volumeOutputSize(g: WindowGeometry): number {
  return g.batch * g.outD! * g.outH * g.outW * g.channels;
}

export const volumeLabel = (g: WindowGeometry) =>
  `n${g.batch} ${g.inD}x${g.inH}x${g.inW}x${g.channels} k${g.kD}x${g.kH}x${g.kW} s${g.strideD},${g.strideH},${g.strideW} d${g.dilationD},${g.dilationH},${g.dilationW} pad${g.padFront},${g.padTop},${g.padLeft} -> ${g.outD}x${g.outH}x${g.outW}`;
