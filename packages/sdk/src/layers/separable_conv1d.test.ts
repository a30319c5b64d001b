import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';
import { depthwiseSlide, type Sequence, type Window1D } from '../testing/sequence_reference.js';

beforeAll(() => km.ready());

/** Keras' SeparableConv1D as two naive loops: depthwise (kernel [k, C, M]) then pointwise ([1, C·M, F]), the bias and tanh. */
function separableReference(x: Sequence, [depthwise, pointwise, bias]: number[][], w: Window1D, multiplier: number): Sequence {
  const filters = bias.length;
  const middle = depthwiseSlide(x, w, depthwise, multiplier);
  return middle.map((row) => bias.map((b, f) => Math.tanh(row.reduce((s, v, m) => s + v * pointwise[m * filters + f], b))));
}

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

const cases: { name: string; steps: number; channels: number; window: Window1D; multiplier: number; filters: number }[] = [
  { name: "'valid', stride 1, multiplier 1", steps: 7, channels: 2, window: { kernel: 3, stride: 1, dilation: 1, padding: 'valid' }, multiplier: 1, filters: 3 },
  { name: "'same', stride 2, multiplier 2", steps: 9, channels: 3, window: { kernel: 4, stride: 2, dilation: 1, padding: 'same' }, multiplier: 2, filters: 2 },
  { name: "'same', dilation 2, multiplier 3", steps: 8, channels: 2, window: { kernel: 3, stride: 1, dilation: 2, padding: 'same' }, multiplier: 3, filters: 4 },
];

describe('SeparableConv1D forward and gradients against naive float64 loops and finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(13);
    km.utils.setRandomSeed(7);
    // A Dense first, so the layer's input gradient reaches checked weights.
    const model = km.sequential([
      km.layers.dense({ units: c.channels, inputShape: [c.steps, 2], biasInitializer: 'glorotUniform' }),
      km.layers.separableConv1d({
        filters: c.filters, kernelSize: c.window.kernel, strides: c.window.stride, dilationRate: c.window.dilation, padding: c.window.padding,
        depthMultiplier: c.multiplier, activation: 'tanh', biasInitializer: 'glorotUniform',
      }),
      km.layers.flatten(),
    ]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(model.getWeights().slice(2, 4).map((w) => w.shape)).toEqual([[c.window.kernel, c.channels, c.multiplier], [1, c.channels * c.multiplier, c.filters]]);
    const forward = (x: Sequence): number[] => {
      const [kernel, bias] = weights;
      const h = x.map((row) => bias.map((b, j) => row.reduce((s, v, i) => s + v * kernel[i * bias.length + j], b)));
      return separableReference(h, weights.slice(2), c.window, c.multiplier).flat();
    };
    const batch = 2;
    const xs = Array.from({ length: batch }, () => Array.from({ length: c.steps }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]));
    const x = km.tensor(xs.flat(2), [batch, c.steps, 2]);
    const predicted = model.predict(x).arraySync() as number[][];
    const outSize = forward(xs[0]).length;
    expect(predicted[0]).toHaveLength(outSize);
    xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const ys = Array.from({ length: batch }, () => Array.from({ length: outSize }, () => random.uniform(-1, 1)));
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, outSize]));
    expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', 'depthwise kernel', 'pointwise kernel', 'bias']);
  });
});

describe('SeparableConv1D shapes, config and saving', () => {
  it('outputs [steps, filters] with the 1-D output length', () => {
    const input = km.input({ shape: [10, 4] });
    expect(km.layers.separableConv1d({ filters: 6, kernelSize: 3 }).apply(input).shape).toEqual([8, 6]);
    expect(km.layers.separableConv1d({ filters: 5, kernelSize: [3], strides: [2], padding: 'same' }).apply(input).shape).toEqual([5, 5]);
  });

  it('saves and loads (kerasm format, Keras names and 1-D sizes) with the same predictions', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.separableConv1d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', biasInitializer: 'glorotUniform', inputShape: [9, 3] }),
      km.layers.globalAveragePooling1d(),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const layer = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(layer.class_name).toBe('SeparableConv1D');
    expect(layer.config).toMatchObject({ kernel_size: [3], strides: [2], dilation_rate: [1], depth_multiplier: 2, padding: 'same', filters: 4 });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor(Float32Array.from({ length: 2 * 27 }, (_, i) => Math.sin(i)), [2, 9, 3]);
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), model.predict(x).dataSync())).toBe(0);
    expect(reloaded.getWeights().map((w) => w.shape)).toEqual([[3, 3, 2], [1, 6, 4], [4]]);
  });
});

describe('SeparableConv1D bad input', () => {
  it.each([
    [{ filters: 2, kernelSize: [3, 3] }, /SeparableConv1D layer: kernelSize must be a positive integer or a list of one\. Received: kernelSize=\[3,3\]/],
    [{ filters: 2, kernelSize: 3, padding: 'causal' }, /SeparableConv1D layer: padding must be 'valid' or 'same'\. Received: padding="causal"/],
    [{ filters: 0, kernelSize: 3 }, /filters must be a positive integer\. Received: filters=0/],
    [{ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }, /strides above 1 cannot be combined with dilationRate above 1/],
    [{ filters: 2, kernelSize: 3, pointwiseInitialiser: 'zeros' }, /km\.layers\.separableConv1d has no option 'pointwiseInitialiser'; did you mean 'pointwiseInitializer'\?/],
  ])('%j', (args, message) => {
    expect(() => km.layers.separableConv1d(args as km.layers.SeparableConv1DArgs)).toThrow(message);
  });

  it('refuses an image input, naming the sequence shape it expects', () => {
    expect(() => km.sequential([km.layers.separableConv1d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 1] })])).toThrow(
      /SeparableConv1D layer '.*' expects inputs of shape \(None, steps, channels\), but received \(None, 8, 8, 1\)/,
    );
  });
});
