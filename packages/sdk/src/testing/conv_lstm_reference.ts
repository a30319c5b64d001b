// A float64 ConvLSTM2D written from Keras' equations with naive convolution loops, for the gradient tests.
import { ACTIVATION_REF } from './recurrent_reference.js';

export interface ConvLstmReferenceOptions {
  /** [height, width, channels] of each frame. */
  frame: [number, number, number];
  filters: number;
  kernelSize: [number, number];
  strides: [number, number];
  dilationRate: [number, number];
  padding: 'valid' | 'same';
  activation: string;
  recurrentActivation: string;
  returnSequences: boolean;
  goBackwards: boolean;
}

type Image = { h: number; w: number; c: number; data: number[] };

/** TensorFlow's output size and top/left padding of one axis. */
function axis(size: number, k: number, stride: number, dilation: number, padding: 'valid' | 'same'): { out: number; pad: number } {
  const span = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.floor((size - span) / stride) + 1, pad: 0 };
  const out = Math.ceil(size / stride);
  return { out, pad: Math.floor(Math.max(0, (out - 1) * stride + span - size) / 2) };
}

/** A 2-D convolution of one image with a kernel [kH, kW, in, out] (flat), no bias. */
function conv(x: Image, kernel: number[], out: number, k: [number, number], s: [number, number], d: [number, number], padding: 'valid' | 'same'): Image {
  const [rows, cols] = [axis(x.h, k[0], s[0], d[0], padding), axis(x.w, k[1], s[1], d[1], padding)];
  const data = new Array<number>(rows.out * cols.out * out).fill(0);
  for (let oy = 0; oy < rows.out; oy++) for (let ox = 0; ox < cols.out; ox++) for (let ky = 0; ky < k[0]; ky++) for (let kx = 0; kx < k[1]; kx++) {
    const [iy, ix] = [oy * s[0] - rows.pad + ky * d[0], ox * s[1] - cols.pad + kx * d[1]];
    if (iy < 0 || iy >= x.h || ix < 0 || ix >= x.w) continue;
    for (let c = 0; c < x.c; c++) {
      const v = x.data[(iy * x.w + ix) * x.c + c];
      for (let o = 0; o < out; o++) data[(oy * cols.out + ox) * out + o] += v * kernel[((ky * k[1] + kx) * x.c + c) * out + o];
    }
  }
  return { h: rows.out, w: cols.out, c: out, data };
}

/**
 * One sample through a ConvLSTM2D: `x` holds its frames' pixels as rows of channels (steps·height·width
 * rows); returns each kept state as one row [outH·outW·filters].
 */
export function convLstm2dReference(x: number[][], kernel: number[], recurrent: number[], bias: number[] | null, o: ConvLstmReferenceOptions): number[][] {
  const [height, width, channels] = o.frame;
  const pixels = height * width;
  const f = o.filters;
  const [act, rec] = [ACTIVATION_REF[o.activation], ACTIVATION_REF[o.recurrentActivation]];
  const frames = Array.from({ length: x.length / pixels }, (_, t): Image => ({ h: height, w: width, c: channels, data: x.slice(t * pixels, (t + 1) * pixels).flat() }));
  if (o.goBackwards) frames.reverse();
  let h: Image | null = null;
  let c: number[] = [];
  const outputs: number[][] = [];
  for (const frame of frames) {
    const zx = conv(frame, kernel, 4 * f, o.kernelSize, o.strides, o.dilationRate, o.padding);
    h ??= { h: zx.h, w: zx.w, c: f, data: new Array<number>(zx.h * zx.w * f).fill(0) };
    if (c.length === 0) c = new Array<number>(zx.h * zx.w * f).fill(0);
    const zh = conv(h, recurrent, 4 * f, o.kernelSize, [1, 1], [1, 1], 'same');
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
