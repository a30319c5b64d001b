// A float64 ConvLSTM3D written from Keras' equations with naive 3-D convolution loops, for the ConvLSTM3D tests.
import { ACTIVATION_REF } from './recurrent_reference.js';

type Triple = [number, number, number];

export interface ConvLstm3dReferenceOptions {
  /** [depth, height, width, channels] of each frame. */
  frame: [number, number, number, number];
  filters: number;
  kernelSize: Triple;
  strides: Triple;
  dilationRate: Triple;
  padding: 'valid' | 'same';
  activation: string;
  recurrentActivation: string;
  returnSequences: boolean;
  goBackwards: boolean;
}

/** A channels-last volume: sizes per spatial axis, channels, values. */
type Volume = { size: Triple; c: number; data: number[] };

/** TensorFlow's output size and front/top/left padding of one axis. */
function axis(size: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same'): { out: number; pad: number } {
  const span = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  return { out, pad: Math.floor(Math.max(0, (out - 1) * stride + span - size) / 2) };
}

/** A 3-D convolution of one volume with a kernel [kD, kH, kW, in, out] (flat), no bias. */
function conv3d(x: Volume, kernel: number[], out: number, k: Triple, s: Triple, d: Triple, padding: 'valid' | 'same'): Volume {
  const ax = [0, 1, 2].map((a) => axis(x.size[a], k[a], s[a], d[a], padding));
  const size = ax.map((a) => a.out) as Triple;
  const data = new Array<number>(size[0] * size[1] * size[2] * out).fill(0);
  for (let oz = 0; oz < size[0]; oz++) for (let oy = 0; oy < size[1]; oy++) for (let ox = 0; ox < size[2]; ox++) {
    const o = ((oz * size[1] + oy) * size[2] + ox) * out;
    for (let kz = 0; kz < k[0]; kz++) for (let ky = 0; ky < k[1]; ky++) for (let kx = 0; kx < k[2]; kx++) {
      const [iz, iy, ix] = [oz * s[0] - ax[0].pad + kz * d[0], oy * s[1] - ax[1].pad + ky * d[1], ox * s[2] - ax[2].pad + kx * d[2]];
      if (iz < 0 || iz >= x.size[0] || iy < 0 || iy >= x.size[1] || ix < 0 || ix >= x.size[2]) continue;
      const tap = (kz * k[1] + ky) * k[2] + kx;
      for (let c = 0; c < x.c; c++) {
        const v = x.data[((iz * x.size[1] + iy) * x.size[2] + ix) * x.c + c];
        for (let f = 0; f < out; f++) data[o + f] += v * kernel[(tap * x.c + c) * out + f];
      }
    }
  }
  return { size, c: out, data };
}

/**
 * One sample through a ConvLSTM3D: `x` holds its frames' voxels as rows of channels
 * (steps·depth·height·width rows); returns each kept state as one row [outD·outH·outW·filters].
 */
export function convLstm3dReference(x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: ConvLstm3dReferenceOptions): number[][] {
  const [depth, height, width, channels] = o.frame;
  const voxels = depth * height * width;
  const f = o.filters;
  const [act, rec] = [ACTIVATION_REF[o.activation], ACTIVATION_REF[o.recurrentActivation]];
  const frames = Array.from({ length: x.length / voxels }, (_, t): Volume => ({ size: [depth, height, width], c: channels, data: x.slice(t * voxels, (t + 1) * voxels).flat() }));
  if (o.goBackwards) frames.reverse();
  let h: Volume | null = null;
  let c: number[] = [];
  const outputs: number[][] = [];
  for (const frame of frames) {
    const zx = conv3d(frame, kernel, 4 * f, o.kernelSize, o.strides, o.dilationRate, o.padding);
    h ??= { size: zx.size, c: f, data: new Array<number>(zx.data.length / 4).fill(0) };
    if (c.length === 0) c = new Array<number>(zx.data.length / 4).fill(0);
    const zh = conv3d(h, recurrent, 4 * f, o.kernelSize, [1, 1, 1], [1, 1, 1], 'same');
    const z = (p: number, gate: number, j: number) => zx.data[p * 4 * f + gate * f + j] + zh.data[p * 4 * f + gate * f + j] + (bias ? bias[gate * f + j] : 0);
    const next = c.map((cv, i) => {
      const [p, j] = [Math.floor(i / f), i % f];
      return rec(z(p, 1, j)) * cv + rec(z(p, 0, j)) * act(z(p, 2, j));
    });
    const hData = next.map((cv, i) => rec(z(Math.floor(i / f), 3, i % f)) * act(cv));
    [c, h] = [next, { ...h, data: hData }];
    outputs.push(hData);
  }
  return o.returnSequences ? outputs : [outputs[outputs.length - 1]];
}
