// Test helpers for window kernels with a depth axis: TensorFlow's padding arithmetic per axis and
// naive NDHWC loops. An image geometry (no depth fields) is a volume of depth 1 here.
import { depthAxis, type WindowGeometry } from './geometry.js';
import type { Core } from './core.js';
import { expectClose, get, put, randomArray } from './test_support.js';

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
  const [D, kD, sD, dD, pF, oD] = depthAxis(g);
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
  return g.batch * depthAxis(g)[0] * g.inH * g.inW * g.channels;
}

export function volumeOutputSize(g: WindowGeometry): number {
  return g.batch * depthAxis(g)[5] * g.outH * g.outW * g.channels;
}

/** Naive pooling and its gradient: max routes to the first maximum, average spreads over inside taps. */
export function naivePool(g: WindowGeometry, x: Float32Array, dy: Float32Array, kind: 'max' | 'avg') {
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

/** Runs the core's max or average pooling and its gradient on g and checks both against {@link naivePool}. */
export function expectPoolingMatchesNaive(core: Core, g: WindowGeometry, kind: 'max' | 'avg'): void {
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
}

export const volumeLabel = (g: WindowGeometry) =>
  `n${g.batch} ${g.inD}x${g.inH}x${g.inW}x${g.channels} k${g.kD}x${g.kH}x${g.kW} s${g.strideD},${g.strideH},${g.strideW} d${g.dilationD},${g.dilationH},${g.dilationW} pad${g.padFront},${g.padTop},${g.padLeft} -> ${g.outD}x${g.outH}x${g.outW}`;
