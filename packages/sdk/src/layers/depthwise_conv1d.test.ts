import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff } from '../io/testing/round_trip.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { depthwiseSlide, type Sequence, type Window1D } from '../testing/sequence_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// DepthwiseConv1D after a Dense (so its input gradient reaches checked weights): predictions and
// the gradients of every weight against a naive float64 loop and finite differences of the MSE.
beforeAll(() => km.ready());

const FEATURES = 2;
const cases: { name: string; steps: number; channels: number; window: Window1D; multiplier: number; useBias: boolean; channelsFirst?: boolean }[] = [
  { name: "'valid', stride 1, multiplier 1", steps: 7, channels: 2, window: { kernel: 3, stride: 1, dilation: 1, padding: 'valid' }, multiplier: 1, useBias: true },
  { name: "'same', stride 2, multiplier 2", steps: 9, channels: 3, window: { kernel: 4, stride: 2, dilation: 1, padding: 'same' }, multiplier: 2, useBias: true },
  { name: "'same', dilation 2, multiplier 3, no bias", steps: 8, channels: 2, window: { kernel: 3, stride: 1, dilation: 2, padding: 'same' }, multiplier: 3, useBias: false },
  // The same layer on [channels, steps], between permutations, against the same reference.
  { name: "channelsFirst, 'same', stride 2, multiplier 2", steps: 9, channels: 3, window: { kernel: 4, stride: 2, dilation: 1, padding: 'same' }, multiplier: 2, useBias: true, channelsFirst: true },
];

describe('DepthwiseConv1D forward and gradients against a naive float64 loop and finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(29);
    km.utils.setRandomSeed(4);
    const model = km.sequential([
      km.layers.dense({ units: c.channels, inputShape: [c.steps, FEATURES], biasInitializer: 'glorotUniform' }),
      ...(c.channelsFirst ? [km.layers.permute({ dims: [2, 1] })] : []),
      km.layers.depthwiseConv1d({
        kernelSize: c.window.kernel, strides: c.window.stride, dilationRate: c.window.dilation, padding: c.window.padding,
        depthMultiplier: c.multiplier, useBias: c.useBias, activation: 'tanh', biasInitializer: 'glorotUniform', dataFormat: c.channelsFirst ? 'channelsFirst' : 'channelsLast',
      }),
      ...(c.channelsFirst ? [km.layers.permute({ dims: [2, 1] })] : []),
      km.layers.flatten(),
    ]);
    expect(model.getWeights()[2].shape).toEqual([c.window.kernel, c.channels, c.multiplier]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: Sequence): number[] => {
      const [kernel, bias, depthwise, depthwiseBias] = weights;
      const convolved = depthwiseSlide(x.map((row) => dense(row, kernel, bias)), c.window, depthwise, c.multiplier);
      return convolved.flatMap((row) => row.map((v, o) => Math.tanh(v + (depthwiseBias ? depthwiseBias[o] : 0))));
    };
    const batch = 3;
    const xs = Array.from({ length: batch }, () => Array.from({ length: c.steps }, () => Array.from({ length: FEATURES }, () => random.uniform(-1, 1))));
    const x = km.tensor(xs.flat(2), [batch, c.steps, FEATURES]);
    const outputs = xs.map(forward);
    const predicted = model.predict(x).dataSync();
    expect(predicted).toHaveLength(outputs.flat().length);
    outputs.flat().forEach((v, i) => expect(predicted[i]).toBeCloseTo(v, 5));

    const ys = outputs.map((row) => row.map(() => random.uniform(-1, 1)));
    const loss = () => xs.map(forward).reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - ys[i][j]) ** 2, 0) / p.length, 0) / batch;
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys.flat(), [batch, ys[0].length]));
    expectGradientsClose(grads, finiteDifferences(weights, loss), ['dense kernel', 'dense bias', 'depthwise kernel', 'bias'].slice(0, weights.length));
  });
});

describe('DepthwiseConv1D shapes, config and saving', () => {
  it('outputs [steps, channels · depthMultiplier] with the 1-D output length', () => {
    const input = km.input({ shape: [10, 4] });
    expect(km.layers.depthwiseConv1d({ kernelSize: 3 }).apply(input).shape).toEqual([8, 4]);
    expect(km.layers.depthwiseConv1d({ kernelSize: [3], strides: [2], padding: 'same', depthMultiplier: 3 }).apply(input).shape).toEqual([5, 12]);
  });

  it('saves and loads (class DepthwiseConv1D, Keras names and 1-D sizes) with the same predictions', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.depthwiseConv1d({
        kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', biasInitializer: 'glorotUniform', inputShape: [9, 3],
        depthwiseRegularizer: km.regularizers.l2({ l2: 0.01 }),
      }),
      km.layers.globalAveragePooling1d(),
    ]);
    const artifacts = await kerasmArtifacts(model);
    const layer = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers[0];
    expect(layer.class_name).toBe('DepthwiseConv1D');
    expect(layer.config).toMatchObject({
      kernel_size: [3], strides: [2], dilation_rate: [1], depth_multiplier: 2, padding: 'same', activation: 'relu', use_bias: true,
      depthwise_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } },
    });
    expect(layer.config).toHaveProperty('depthwise_initializer');
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor(Float32Array.from({ length: 2 * 27 }, (_, i) => Math.sin(i)), [2, 9, 3]);
    expect(maxAbsDiff(reloaded.predict(x).dataSync(), model.predict(x).dataSync())).toBe(0);
    expect(reloaded.getWeights().map((w) => w.shape)).toEqual([[3, 3, 2], [6]]);
  });
});

describe('DepthwiseConv1D bad input', () => {
  it.each([
    [{ kernelSize: [3, 3] }, /DepthwiseConv1D layer: kernelSize must be a positive integer or a list of one\. Received: kernelSize=\[3,3\]/],
    [{ kernelSize: 3, padding: 'causal' }, /DepthwiseConv1D layer: padding must be 'valid' or 'same'\. Received: padding="causal"/],
    [{ kernelSize: 3, depthMultiplier: 0 }, /DepthwiseConv1D layer '.*': depthMultiplier must be a positive integer\. Received: depthMultiplier=0/],
    [{ kernelSize: 3, strides: 2, dilationRate: 2 }, /DepthwiseConv1D layer '.*': strides above 1 cannot be combined with dilationRate above 1/],
    [{ kernelSize: 3, dataFormat: 'NCW' }, /dataFormat must be 'channelsLast' .* or 'channelsFirst' .*\. Received: dataFormat="NCW"/],
    [{ kernelSize: 3, depthwiseInitialiser: 'zeros' }, /km\.layers\.depthwiseConv1d has no option 'depthwiseInitialiser'; did you mean 'depthwiseInitializer'\?/],
  ])('%j', (args, message) => {
    expect(() => km.layers.depthwiseConv1d(args as km.layers.DepthwiseConv1DArgs)).toThrow(message);
  });

  it('refuses an image input, naming the sequence shape it expects', () => {
    expect(() => km.sequential([km.layers.depthwiseConv1d({ kernelSize: 3, inputShape: [8, 8, 1] })])).toThrow(
      /DepthwiseConv1D layer '.*' expects inputs of shape \(None, steps, channels\), but received \(None, 8, 8, 1\)/,
    );
  });
});
