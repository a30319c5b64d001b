import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { conv2d, conv2dTranspose, depthwiseConv2d, finiteDifferences, map, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

const swish = (v: number) => v / (1 + Math.exp(-v));
const window = (kernel: [number, number], strides: [number, number], padding: 'valid' | 'same', dilation: [number, number] = [1, 1]): WindowSpec => ({ kernel, strides, dilation, padding });
// A 2×2 'same' Conv2D with tanh goes first, so that the layer's input gradient reaches checked weights.
const FIRST = window([2, 2], [1, 1], 'same');

/**
 * Builds conv2d → `layer` → flatten on `input`, checks predictions against the float64 `reference`
 * and the gradient of every weight (the first conv's depend on the layer's input gradient) against
 * finite differences of it.
 */
async function checkGradients(input: [number, number, number], batch: number, layer: km.layers.Layer, reference: (h: Image, weights: number[][]) => Image, names: string[]): Promise<void> {
  const random = new Random(31);
  km.utils.setRandomSeed(17);
  const model = km.sequential([
    km.layers.conv2d({ filters: input[2], kernelSize: 2, padding: 'same', activation: 'tanh', inputShape: input, biasInitializer: 'glorotUniform' }),
    layer,
    km.layers.flatten(),
  ]);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const forward = (x: number[]): number[] => {
    const h = conv2d({ h: input[0], w: input[1], c: input[2], data: x }, weights[0], weights[1], FIRST);
    return reference(map(h, Math.tanh), weights).data;
  };
  const inSize = input.reduce((a, b) => a * b, 1);
  const xs = Array.from({ length: batch }, () => Array.from({ length: inSize }, () => random.uniform(-1, 1)));
  const outSize = forward(xs[0]).length;
  const ys = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
  const x = km.tensor(xs.flat(), [batch, ...input]);
  const predicted = model.predict(x).arraySync() as number[][];
  expect(predicted[0]).toHaveLength(outSize);
  xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
  const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
  expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, outSize])), expected, ['conv kernel', 'conv bias', ...names]);
}

const transposeCases: { name: string; input: [number, number, number]; batch: number; spec: WindowSpec; filters: number }[] = [
  { name: 'valid, stride 1, odd sizes, batch 1', input: [5, 4, 2], batch: 1, spec: window([3, 2], [1, 1], 'valid'), filters: 3 },
  { name: 'same, stride 2 (the decoder upsampling)', input: [4, 3, 3], batch: 2, spec: window([3, 3], [2, 2], 'same'), filters: 2 },
  { name: 'valid, stride 2, kernel 3 (overlapping windows)', input: [3, 5, 2], batch: 2, spec: window([3, 3], [2, 2], 'valid'), filters: 2 },
  { name: 'valid, kernel smaller than stride (gaps of zeros)', input: [3, 3, 2], batch: 2, spec: window([2, 1], [3, 2], 'valid'), filters: 3 },
  { name: 'same, even kernel, mixed strides', input: [3, 4, 1], batch: 2, spec: window([4, 2], [2, 1], 'same'), filters: 2 },
];

describe('Conv2DTranspose forward and gradients against a float64 scatter and finite differences', () => {
  it.each(transposeCases)('$name', async (c) => {
    const layer = km.layers.conv2dTranspose({ filters: c.filters, kernelSize: c.spec.kernel, strides: c.spec.strides, padding: c.spec.padding, activation: 'tanh', biasInitializer: 'glorotUniform' });
    await checkGradients(c.input, c.batch, layer, (h, w) => map(conv2dTranspose(h, w[2], w[3], c.spec), Math.tanh), ['transpose kernel', 'transpose bias']);
  });

  it('with swish, whose gradient reads the kept pre-activation', async () => {
    const spec = window([3, 3], [2, 2], 'same');
    const layer = km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'swish', biasInitializer: 'glorotUniform' });
    await checkGradients([3, 4, 2], 2, layer, (h, w) => map(conv2dTranspose(h, w[2], w[3], spec), swish), ['transpose kernel', 'transpose bias']);
  });

  it('without a bias', async () => {
    const spec = window([3, 3], [2, 2], 'same');
    const layer = km.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', useBias: false });
    await checkGradients([3, 3, 2], 2, layer, (h, w) => conv2dTranspose(h, w[2], [0, 0], spec), ['transpose kernel']);
  });
});

const separableCases: { name: string; input: [number, number, number]; batch: number; spec: WindowSpec; multiplier: number; filters: number }[] = [
  { name: 'valid, stride 1, odd sizes, batch 1', input: [5, 4, 2], batch: 1, spec: window([3, 2], [1, 1], 'valid'), multiplier: 1, filters: 3 },
  { name: 'same, stride 2, multiplier 2', input: [7, 5, 3], batch: 2, spec: window([3, 3], [2, 2], 'same'), multiplier: 2, filters: 4 },
  { name: 'valid, stride 2, multiplier 3', input: [6, 7, 2], batch: 2, spec: window([2, 3], [2, 2], 'valid'), multiplier: 3, filters: 2 },
  { name: 'same, dilation 2', input: [6, 6, 2], batch: 2, spec: window([3, 3], [1, 1], 'same', [2, 2]), multiplier: 2, filters: 3 },
];

describe('SeparableConv2D forward and gradients against float64 depthwise then pointwise references and finite differences', () => {
  it.each(separableCases)('$name', async (c) => {
    const layer = km.layers.separableConv2d({
      filters: c.filters, kernelSize: c.spec.kernel, strides: c.spec.strides, padding: c.spec.padding, dilationRate: c.spec.dilation,
      depthMultiplier: c.multiplier, activation: 'tanh', biasInitializer: 'glorotUniform',
    });
    const pointwise = window([1, 1], [1, 1], 'valid');
    const reference = (h: Image, w: number[][]) => {
      const depthwise = depthwiseConv2d(h, w[2], new Array<number>(h.c * c.multiplier).fill(0), c.spec);
      return map(conv2d(depthwise, w[3], w[4], pointwise), Math.tanh);
    };
    await checkGradients(c.input, c.batch, layer, reference, ['depthwise kernel', 'pointwise kernel', 'bias']);
  });

  it('with swish, whose gradient reads the kept pre-activation', async () => {
    const spec = window([3, 3], [2, 2], 'same');
    const layer = km.layers.separableConv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'swish', biasInitializer: 'glorotUniform' });
    const reference = (h: Image, w: number[][]) => map(conv2d(depthwiseConv2d(h, w[2], new Array<number>(h.c * 2).fill(0), spec), w[3], w[4], window([1, 1], [1, 1], 'valid')), swish);
    await checkGradients([5, 5, 2], 2, layer, reference, ['depthwise kernel', 'pointwise kernel', 'bias']);
  });
});
