import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { InputActivationKind } from '../backend/backend.js';
import { REF_ELEMENTWISE } from '../testing/reference.js';
import { conv2d, depthwiseConv2d, finiteDifferences, map, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// The convolutions keep their pre-activation z in the workspace after their im2col columns (or
// alone, for a 1×1 Conv2D, which needs no columns): each is checked against float64 finite
// differences of a naive convolution followed by the activation's definition.
beforeAll(() => km.ready());

const mse = (outputs: number[][], targets: number[][]): number =>
  outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;

interface Case {
  name: string;
  kind: InputActivationKind;
  input: [number, number, number];
  layer: (inputShape: number[]) => km.layers.Layer;
  reference: (x: Image, kernel: number[], bias: number[]) => Image;
}

const window = (kernel: [number, number], strides: [number, number], padding: 'valid' | 'same'): WindowSpec => ({ kernel, strides, dilation: [1, 1], padding });

const cases: Case[] = [
  {
    name: 'Conv2D 3×3 stride 2, same', kind: 'gelu', input: [7, 6, 2],
    layer: (inputShape) => km.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'gelu', biasInitializer: 'glorotUniform', inputShape }),
    reference: (x, k, b) => conv2d(x, k, b, window([3, 3], [2, 2], 'same')),
  },
  {
    name: 'Conv2D 1×1 (no columns: z alone in the workspace)', kind: 'swish', input: [4, 5, 3],
    layer: (inputShape) => km.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'swish', biasInitializer: 'glorotUniform', inputShape }),
    reference: (x, k, b) => conv2d(x, k, b, window([1, 1], [1, 1], 'valid')),
  },
  {
    name: 'Conv1D kernel 3', kind: 'mish', input: [1, 9, 2],
    layer: (inputShape) => km.layers.conv1d({ filters: 3, kernelSize: 3, activation: 'mish', biasInitializer: 'glorotUniform', inputShape }),
    reference: (x, k, b) => conv2d(x, k, b, window([1, 3], [1, 1], 'valid')),
  },
  {
    name: 'DepthwiseConv2D 2×2, multiplier 2', kind: 'gelu_new', input: [5, 4, 2],
    layer: (inputShape) => km.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: 'gelu_new', biasInitializer: 'glorotUniform', inputShape }),
    reference: (x, k, b) => depthwiseConv2d(x, k, b, window([2, 2], [1, 1], 'valid')),
  },
];

describe('convolutions with an activation that needs its input, against float64 finite differences', () => {
  it.each(cases)('$name, $kind', async (c) => {
    const random = new Random(11);
    km.utils.setRandomSeed(4);
    const isSequence = c.name.startsWith('Conv1D');
    const inputShape = isSequence ? [c.input[1], c.input[2]] : c.input;
    const model = km.sequential([c.layer(inputShape), km.layers.flatten()]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const batch = 3;
    const size = c.input.reduce((a, b) => a * b, 1);
    // Scaled by 3 so that the activations' curved parts and tails are reached.
    const xs = Array.from({ length: batch }, () => Array.from({ length: size }, () => random.uniform(-3, 3)));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[]): number[] =>
      map(c.reference({ h: c.input[0], w: c.input[1], c: c.input[2], data: x }, weights[0], weights[1]), REF_ELEMENTWISE[c.kind]).data;
    const outSize = forward(xs[0]).length;
    const ys = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const x = km.tensor(xs.flat(), [batch, ...inputShape]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(Math.abs(predicted[i][j] - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)))));

    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, outSize])), expected, ['kernel', 'bias']);
  });
});

describe('a layer that keeps no room for its pre-activation', () => {
  it('fails loudly instead of writing z outside its workspace', () => {
    // A subclass that forgets preActivationFloats in its workspaceSize, as a new layer might.
    class Forgetful extends km.layers.Dense {
      override workspaceSize(): number {
        return 0;
      }
    }
    const model = km.sequential([new Forgetful({ units: 2, activation: 'gelu', inputShape: [3] })]);
    expect(() => model.predict(km.tensor([[1, 2, 3]]))).toThrow(/reserved no workspace for its pre-activation \(2 floats\); its workspaceSize must add preActivationFloats/);
  });
});
