import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { conv3d, conv3dTranspose, type TransposeSpec, type Volume, type VolumeSpec } from '../testing/volume_reference.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

type Triple = [number, number, number];

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

interface TransposeCase {
  name: string;
  rank: 1 | 2 | 3;
  /** One sample: [steps | height, width | depth, height, width] then channels. */
  input: number[];
  filters: number;
  kernel: number[];
  strides: number[];
  padding: 'valid' | 'same';
  dilation?: number[];
  outputPadding?: number[];
}

/** A per-axis list as the volume reference's triple: missing leading axes are of size 1. */
const triple = (axes: readonly number[], fill = 1): Triple => [...new Array<number>(3 - axes.length).fill(fill), ...axes] as Triple;

const cases: TransposeCase[] = [
  { name: '3-D valid, strides [2, 1, 2], odd kernel', rank: 3, input: [2, 3, 2, 2], filters: 2, kernel: [3, 2, 2], strides: [2, 1, 2], padding: 'valid' },
  { name: '3-D same, stride 2 (the decoder upsampling)', rank: 3, input: [2, 2, 3, 1], filters: 2, kernel: [3, 3, 3], strides: [2, 2, 2], padding: 'same' },
  { name: '3-D same, even kernel, outputPadding [1, 0, 0]', rank: 3, input: [2, 2, 2, 2], filters: 2, kernel: [2, 4, 2], strides: [2, 2, 1], padding: 'same', outputPadding: [1, 0, 0] },
  { name: '3-D valid, dilation [2, 1, 2]', rank: 3, input: [2, 3, 2, 1], filters: 2, kernel: [2, 2, 2], strides: [1, 1, 1], padding: 'valid', dilation: [2, 1, 2] },
  { name: '3-D valid, kernel below stride, outputPadding [2, 1, 0]', rank: 3, input: [2, 2, 2, 1], filters: 2, kernel: [2, 1, 3], strides: [3, 2, 3], padding: 'valid', outputPadding: [2, 1, 0] },
  { name: '3-D same, kernel below stride', rank: 3, input: [2, 2, 3, 1], filters: 2, kernel: [2, 1, 3], strides: [3, 2, 1], padding: 'same' },
  { name: '1-D valid, stride 2, kernel 3', rank: 1, input: [5, 2], filters: 3, kernel: [3], strides: [2], padding: 'valid' },
  { name: '1-D same, stride 3, kernel 4, outputPadding 2', rank: 1, input: [4, 2], filters: 2, kernel: [4], strides: [3], padding: 'same', outputPadding: [2] },
  { name: '1-D same, dilation 3', rank: 1, input: [6, 1], filters: 2, kernel: [3], strides: [1], padding: 'same', dilation: [3] },
  { name: '1-D valid, kernel 1, stride 2, outputPadding 1', rank: 1, input: [3, 2], filters: 2, kernel: [1], strides: [2], padding: 'valid', outputPadding: [1] },
  { name: '2-D same, stride 2, outputPadding [1, 0]', rank: 2, input: [3, 3, 2], filters: 2, kernel: [3, 3], strides: [2, 2], padding: 'same', outputPadding: [1, 0] },
  { name: '2-D valid, dilation [2, 1]', rank: 2, input: [3, 4, 1], filters: 2, kernel: [2, 3], strides: [1, 1], padding: 'valid', dilation: [2, 1] },
  { name: '2-D same, dilation 2, even kernel', rank: 2, input: [3, 3, 1], filters: 2, kernel: [2, 2], strides: [1, 1], padding: 'same', dilation: [2, 2] },
];

/** The layer under test, built with the factory of its rank. */
function transposeLayer(c: TransposeCase): km.layers.Layer {
  const args = {
    filters: c.filters, kernelSize: c.kernel, strides: c.strides, padding: c.padding, dilationRate: c.dilation, outputPadding: c.outputPadding ?? null,
    activation: 'tanh' as const, biasInitializer: 'glorotUniform' as const,
  };
  if (c.rank === 1) return km.layers.conv1dTranspose(args as km.layers.Conv1DTransposeArgs);
  if (c.rank === 2) return km.layers.conv2dTranspose(args as km.layers.Conv2DTransposeArgs);
  return km.layers.conv3dTranspose(args as km.layers.Conv3DTransposeArgs);
}

/** A 'same' convolution with a 2-wide window on each axis, so that the layer's input gradient reaches checked weights. */
function firstConv(c: TransposeCase): km.layers.Layer {
  const args = { filters: c.input.at(-1)!, kernelSize: 2, padding: 'same' as const, activation: 'tanh' as const, inputShape: c.input, biasInitializer: 'glorotUniform' as const };
  return c.rank === 1 ? km.layers.conv1d(args) : c.rank === 2 ? km.layers.conv2d(args) : km.layers.conv3d(args);
}

describe('Conv1DTranspose, Conv2DTranspose, Conv3DTranspose (strides, outputPadding, dilation): forward against a float64 reference, gradients against finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(5);
    km.utils.setRandomSeed(23);
    const model = km.sequential([firstConv(c), transposeLayer(c), km.layers.flatten()]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const [d, h, w] = triple(c.input.slice(0, -1));
    const channels = c.input.at(-1)!;
    const first: VolumeSpec = { kernel: triple(new Array<number>(c.rank).fill(2)), strides: [1, 1, 1], dilation: [1, 1, 1], padding: 'same' };
    const spec: TransposeSpec = {
      kernel: triple(c.kernel), strides: triple(c.strides), dilation: triple(c.dilation ?? [1, 1, 1].slice(0, c.rank)), padding: c.padding,
      outputPadding: c.outputPadding ? triple(c.outputPadding, 0) : null,
    };
    const forward = (x: number[]): number[] => {
      const hidden = conv3d({ d, h, w, c: channels, data: x }, weights[0], weights[1], first);
      const tanh = (v: Volume): Volume => ({ ...v, data: v.data.map(Math.tanh) });
      return tanh(conv3dTranspose(tanh(hidden), weights[2], weights[3], spec)).data;
    };

    const size = c.input.reduce((a, b) => a * b, 1);
    const batch = 2;
    const xs = Array.from({ length: batch }, () => Array.from({ length: size }, () => random.uniform(-1, 1)));
    const outSize = forward(xs[0]).length;
    const ys = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const x = km.tensor(xs.flat(), [batch, ...c.input]);
    const predicted = model.predict(x).arraySync() as number[][];
    expect(predicted[0]).toHaveLength(outSize);
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));

    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    const y = km.tensor(ys.flat(), [batch, outSize]);
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['conv kernel', 'conv bias', 'transpose kernel', 'transpose bias']);
  });
});
