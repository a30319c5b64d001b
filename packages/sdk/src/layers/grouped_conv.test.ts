import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { groupedConv, type Sample } from '../testing/grouped_conv_reference.js';
import { groupedConvLayer, spec, type GroupedLayerSpec } from '../testing/grouped_conv_models.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const randomValues = (n: number, random: Random) => Array.from({ length: n }, () => random.uniform(-1, 1));

interface StackCase {
  name: string;
  /** One sample's shape: spatial sizes, then channels. */
  input: number[];
  batch: number;
  first: GroupedLayerSpec;
  second: GroupedLayerSpec;
}

const stacks: StackCase[] = [
  { name: 'Conv1D: stride 2 same, then dilation 2 same', input: [11, 6], batch: 2, first: spec([3], [2], 'same', 3, 6), second: spec([2], [1], 'same', 2, 4, [2]) },
  { name: 'Conv2D: strides [2, 1] same, then dilation [2, 1] valid', input: [7, 6, 4], batch: 2, first: spec([3, 2], [2, 1], 'same', 2, 6), second: spec([2, 2], [1, 1], 'valid', 3, 3, [2, 1]) },
  { name: 'Conv2D: pointwise (no im2col), then 3×3 same', input: [5, 4, 4], batch: 3, first: spec([1, 1], [1, 1], 'valid', 4, 8), second: spec([3, 3], [1, 1], 'same', 2, 2) },
  { name: 'Conv3D: strides [1, 2, 1] same, then dilation [1, 1, 2] valid', input: [4, 5, 4, 4], batch: 2, first: spec([2, 3, 2], [1, 2, 1], 'same', 2, 4), second: spec([2, 2, 2], [1, 1, 1], 'valid', 4, 4, [1, 1, 2]) },
];

describe('grouped convolutions against a naive float64 loop and finite differences', () => {
  it.each(stacks)('$name', async (c) => {
    const random = new Random(7);
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      groupedConvLayer(c.first, { activation: 'tanh', biasInitializer: 'glorotUniform', inputShape: c.input }),
      groupedConvLayer(c.second, { biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
    ]);
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const channelsIn = c.input[c.input.length - 1];
    expect(model.getWeights()[0].shape).toEqual([...c.first.kernel, channelsIn / c.first.groups, c.first.filters]);
    expect(model.getWeights()[2].shape).toEqual([...c.second.kernel, c.first.filters / c.second.groups, c.second.filters]);

    const forward = (x: number[]): number[] => {
      const sample: Sample = { sizes: c.input.slice(0, -1), channels: channelsIn, data: x };
      const h = groupedConv(sample, weights[0], weights[1], c.first);
      return groupedConv({ ...h, data: h.data.map(Math.tanh) }, weights[2], weights[3], c.second).data;
    };
    const xs = Array.from({ length: c.batch }, () => randomValues(size(c.input), random));
    const outSize = forward(xs[0]).length;
    const ys = Array.from({ length: c.batch }, () => randomValues(outSize, random));
    const x = km.tensor(xs.flat(), [c.batch, ...c.input]);
    const y = km.tensor(ys.flat(), [c.batch, outSize]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));

    const mse = () => xs.reduce((s, row, i) => s + forward(row).reduce((t, v, j) => t + (v - ys[i][j]) ** 2, 0) / outSize, 0) / c.batch;
    const expected = finiteDifferences(weights, mse);
    // The first kernel's gradient passes through the second layer's input gradient.
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});

/** Channels [from, from + count) of every position of a channels-last batch. */
function channelSlice(values: Float32Array, channels: number, from: number, count: number): Float32Array {
  const positions = values.length / channels;
  const out = new Float32Array(positions * count);
  for (let p = 0; p < positions; p++) out.set(values.subarray(p * channels + from, p * channels + from + count), p * count);
  return out;
}

describe('a grouped convolution equals `groups` ordinary convolutions on channel slices, concatenated', () => {
  const cases: [string, number[], GroupedLayerSpec][] = [
    ['Conv1D', [9, 6], spec([3], [2], 'same', 3, 9)],
    ['Conv2D', [6, 7, 6], spec([3, 3], [2, 2], 'same', 3, 6)],
    ['Conv3D', [3, 4, 5, 4], spec([2, 2, 2], [1, 1, 1], 'same', 2, 4, [1, 2, 1])],
  ];
  it.each(cases)('%s', (_label, input, s) => {
    km.utils.setRandomSeed(11);
    const grouped = km.sequential([groupedConvLayer(s, { biasInitializer: 'glorotUniform', inputShape: input })]);
    const [kernel, bias] = grouped.getWeights().map((w) => w.dataSync() as Float32Array);
    const batch = 2;
    const x = Float32Array.from({ length: batch * size(input) }, (_, i) => Math.sin(0.37 * i));
    const expected = grouped.predict(km.tensor(x, [batch, ...input])).dataSync() as Float32Array;
    const [inPerGroup, outPerGroup, channels] = [input[input.length - 1] / s.groups, s.filters / s.groups, input[input.length - 1]];
    const parts = Array.from({ length: s.groups }, (_, g) => {
      const single = km.sequential([groupedConvLayer({ ...s, groups: 1, filters: outPerGroup }, { inputShape: [...input.slice(0, -1), inPerGroup] })]);
      single.setWeights([
        km.tensor(channelSlice(kernel, s.filters, g * outPerGroup, outPerGroup), [...s.kernel, inPerGroup, outPerGroup]),
        km.tensor(bias.slice(g * outPerGroup, (g + 1) * outPerGroup), [outPerGroup]),
      ]);
      return single.predict(km.tensor(channelSlice(x, channels, g * inPerGroup, inPerGroup), [batch, ...input.slice(0, -1), inPerGroup])).dataSync() as Float32Array;
    });
    const positions = expected.length / s.filters;
    for (let p = 0; p < positions; p++) {
      parts.forEach((part, g) => {
        for (let j = 0; j < outPerGroup; j++) expect(expected[p * s.filters + g * outPerGroup + j]).toBeCloseTo(part[p * outPerGroup + j], 5);
      });
    }
  });
});

describe('groups: bad values get errors that name the numbers and the fix', () => {
  it('filters not divisible by groups', () => {
    expect(() => km.layers.conv2d({ filters: 6, kernelSize: 3, groups: 4, name: 'c' })).toThrow("Conv2D layer 'c': the number of filters must be evenly divisible by the number of groups. Received: groups=4, filters=6. Use a multiple of 4 for filters, or a groups value that divides 6.");
    expect(() => km.layers.conv1d({ filters: 5, kernelSize: 3, groups: 2 })).toThrow(/Conv1D layer .*groups=2, filters=5/);
    expect(() => km.layers.conv3d({ filters: 3, kernelSize: 2, groups: 2 })).toThrow(/Conv3D layer .*groups=2, filters=3/);
  });

  it('input channels not divisible by groups, when the layer meets its input', () => {
    const layer = km.layers.conv2d({ filters: 6, kernelSize: 3, groups: 3, name: 'g' });
    expect(() => layer.apply(km.input({ shape: [8, 8, 4] }))).toThrow("Conv2D layer 'g': the number of input channels must be evenly divisible by the number of groups. Received: groups=3, but the input has 4 channels (input shape (None, 8, 8, 4)). Use a groups value that divides 4, or give the input a multiple of 3 channels.");
    expect(() => km.sequential([km.layers.conv1d({ filters: 4, kernelSize: 2, groups: 4, inputShape: [10, 6] })])).toThrow(/Conv1D layer .*groups=4, but the input has 6 channels/);
    expect(() => km.sequential([km.layers.conv3d({ filters: 4, kernelSize: 2, groups: 2, inputShape: [3, 3, 3, 3] })])).toThrow(/Conv3D layer .*groups=2, but the input has 3 channels/);
  });

  it.each([0, -2, 1.5, '2'])('groups=%j is not a positive integer', (groups) => {
    expect(() => km.layers.conv2d({ filters: 4, kernelSize: 3, groups: groups as number, name: 'c' })).toThrow(`Conv2D layer 'c': groups must be a positive integer. Received: groups=${JSON.stringify(groups)}.`);
  });
});
