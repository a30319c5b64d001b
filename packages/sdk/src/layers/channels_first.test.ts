import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkLayersModelRoundTrip, kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectSameSgdFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

// Convolutions (plain, depthwise, separable, transposed), poolings, padding, upsampling and cropping with dataFormat: 'channelsFirst' against tfjs-layers 4.22, which runs
// them by transposing too: the same losses, weights and predictions after training from the same
// weights, and the same files both ways. tfjs' 1-D layers and SeparableConv2D get channelsFirst wrong
// (Conv1D's output shape, the poolings pool axis 1 whatever it holds, the separable bias), so there
// the reference is its channels-last layers between permutations.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Api = typeof km | typeof tfl;
const CF = 'channelsFirst' as const;

interface Case {
  name: string;
  inputShape: number[];
  layers: (api: Api) => unknown[];
  /** The same model in tfjs-layers, where it differs from `layers(tfl)`. */
  tfjs?: () => unknown[];
}

const cases: Case[] = [
  {
    name: 'Conv2D, MaxPooling2D, Conv2D, AveragePooling2D, Flatten',
    inputShape: [3, 10, 12],
    layers: (api) => [
      api.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', dataFormat: CF, inputShape: [3, 10, 12] }),
      api.layers.maxPooling2d({ poolSize: 2, strides: 1, dataFormat: CF }),
      api.layers.conv2d({ filters: 5, kernelSize: [2, 3], activation: 'tanh', dataFormat: CF }),
      api.layers.averagePooling2d({ poolSize: 2, dataFormat: CF }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'Conv2D (1×1, no bias), GlobalMaxPooling2D',
    inputShape: [4, 5, 6],
    layers: (api) => [
      api.layers.conv2d({ filters: 6, kernelSize: 1, useBias: false, activation: 'sigmoid', dataFormat: CF, inputShape: [4, 5, 6] }),
      api.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'elu', dataFormat: CF }),
      api.layers.globalMaxPooling2d({ dataFormat: CF }),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'DepthwiseConv2D',
    inputShape: [3, 8, 7],
    layers: (api) => [
      api.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', dataFormat: CF, inputShape: [3, 8, 7] }),
      api.layers.depthwiseConv2d({ kernelSize: 2, activation: 'tanh', dataFormat: CF }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'SeparableConv2D',
    inputShape: [3, 8, 7],
    layers: (api) => [
      api.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu', dataFormat: CF, inputShape: [3, 8, 7] }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    // tfjs' channels-first SeparableConv2D adds its bias along the wrong axis ("Operands could not be broadcast").
    tfjs: () => [
      tfl.layers.permute({ dims: [2, 3, 1], inputShape: [3, 8, 7] }),
      tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' }),
      tfl.layers.permute({ dims: [3, 1, 2] }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'Conv2D, Conv2DTranspose (same padding, stride 2), Conv2DTranspose (valid)',
    inputShape: [2, 5, 4],
    layers: (api) => [
      api.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'relu', dataFormat: CF, inputShape: [2, 5, 4] }),
      api.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh', dataFormat: CF }),
      api.layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], dataFormat: CF }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'Conv3D, MaxPooling3D, AveragePooling3D',
    inputShape: [2, 6, 5, 6],
    layers: (api) => [
      api.layers.conv3d({ filters: 3, kernelSize: 2, activation: 'relu', dataFormat: CF, inputShape: [2, 6, 5, 6] }),
      api.layers.maxPooling3d({ poolSize: [2, 1, 2], dataFormat: CF }),
      api.layers.conv3d({ filters: 4, kernelSize: [1, 2, 2], padding: 'same', activation: 'tanh', dataFormat: CF }),
      api.layers.averagePooling3d({ poolSize: [1, 2, 1], dataFormat: CF }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'ZeroPadding2D, Conv2D, Cropping2D',
    inputShape: [2, 5, 4],
    layers: (api) => [
      api.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]], dataFormat: CF, inputShape: [2, 5, 4] }),
      api.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, activation: 'tanh', dataFormat: CF }),
      api.layers.cropping2D({ cropping: [[1, 0], [0, 1]], dataFormat: CF }),
      api.layers.flatten({}),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
  {
    name: 'Conv1D, Conv1D (same padding, stride 2), GlobalAveragePooling2D over [channels, 1, steps]',
    inputShape: [3, 12],
    layers: (api) => [
      api.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', dataFormat: CF, inputShape: [3, 12] }),
      api.layers.conv1d({ filters: 5, kernelSize: 2, strides: 2, padding: 'same', dataFormat: CF }),
      api.layers.reshape({ targetShape: [5, 1, 5] }),
      api.layers.globalAveragePooling2d({ dataFormat: CF }),
      api.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    tfjs: () => [
      tfl.layers.permute({ dims: [2, 1], inputShape: [3, 12] }),
      tfl.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' }),
      tfl.layers.conv1d({ filters: 5, kernelSize: 2, strides: 2, padding: 'same' }),
      tfl.layers.permute({ dims: [2, 1] }),
      tfl.layers.reshape({ targetShape: [5, 1, 5] }),
      tfl.layers.globalAveragePooling2d({ dataFormat: CF }),
      tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  },
];

const poolings1D: Case = {
  name: 'MaxPooling1D, AveragePooling1D, GlobalMaxPooling1D between Conv1D layers',
  inputShape: [3, 14],
  layers: (api) => [
    api.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', dataFormat: CF, inputShape: [3, 14] }),
    api.layers.maxPooling1d({ poolSize: 2, dataFormat: CF }),
    api.layers.conv1d({ filters: 5, kernelSize: 2, dataFormat: CF }),
    api.layers.averagePooling1d({ poolSize: 2, strides: 1, dataFormat: CF }),
    api.layers.globalMaxPooling1d({ dataFormat: CF }),
    api.layers.dense({ units: 3, activation: 'softmax' }),
  ],
  tfjs: () => [
    tfl.layers.permute({ dims: [2, 1], inputShape: [3, 14] }),
    tfl.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' }),
    tfl.layers.maxPooling1d({ poolSize: 2 }),
    tfl.layers.conv1d({ filters: 5, kernelSize: 2 }),
    tfl.layers.averagePooling1d({ poolSize: 2, strides: 1 }),
    tfl.layers.globalMaxPooling1d(),
    tfl.layers.dense({ units: 3, activation: 'softmax' }),
  ],
};

describe("dataFormat: 'channelsFirst'", () => {
  it.each([...cases, poolings1D])('$name: trains like tfjs-layers 4.22 from the same weights', async ({ inputShape, layers, tfjs }) => {
    km.utils.setRandomSeed(11);
    const ours = km.sequential(layers(km) as km.layers.Layer[]);
    const theirs = tfl.sequential({ layers: (tfjs?.() ?? layers(tfl)) as tfl.layers.Layer[] });
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const n = 12;
    const size = inputShape.reduce((a, b) => a * b, 1);
    const random = new Random(5);
    const x = Float32Array.from({ length: n * size }, () => random.uniform(-1, 2));
    const y = Int32Array.from({ length: n }, (_, i) => i % 3);
    const ourLoss = await expectSameSgdFit(ours, theirs, x, [n, ...inputShape], y, { learningRate: 0.2, epochs: 3, batchSize: 4, weightDigits: 4 });
    expect(ourLoss[2]).not.toBeCloseTo(ourLoss[0], 3);
  });

  it.each(cases.filter((c) => !c.tfjs))('$name: saves and loads both ways with tfjs', async ({ inputShape, layers }) => {
    await checkLayersModelRoundTrip({ inputShape, kerasm: () => layers(km) as km.layers.Layer[], tfjs: () => layers(tfl) as tfl.layers.Layer[] });
  });

  // Where tfjs-layers 4.22 is no reference (its UpSampling2D trains differently in either format; it
  // has no SeparableConv1D or Conv1DTranspose, nor the 3-D padding, cropping, upsampling and global poolings, and cannot
  // train Conv3DTranspose), the reference is kerasm's channels-last layers between permutations,
  // whose gradients their own tests check against finite differences.
  const againstChannelsLast: { name: string; inputShape: number[]; toLast: number[]; toFirst: number[]; layers: (format: 'channelsFirst' | 'channelsLast') => km.layers.Layer[] }[] = [
    { name: 'UpSampling2D', inputShape: [2, 3, 4], toLast: [2, 3, 1], toFirst: [3, 1, 2], layers: (dataFormat) => [km.layers.upSampling2d({ size: [2, 3], dataFormat })] },
    {
      name: 'SeparableConv1D, Conv1DTranspose', inputShape: [3, 8], toLast: [2, 1], toFirst: [2, 1],
      layers: (dataFormat) => [
        km.layers.separableConv1d({ filters: 4, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'tanh', dataFormat }),
        km.layers.conv1dTranspose({ filters: 2, kernelSize: 3, strides: 2, dataFormat }),
      ],
    },
    {
      name: 'ZeroPadding3D, Conv3DTranspose, Cropping3D, UpSampling3D', inputShape: [2, 3, 2, 3], toLast: [2, 3, 4, 1], toFirst: [4, 1, 2, 3],
      layers: (dataFormat) => [
        km.layers.zeroPadding3d({ padding: [1, 0, 1], dataFormat }),
        km.layers.conv3dTranspose({ filters: 3, kernelSize: 2, strides: [1, 2, 1], activation: 'tanh', dataFormat }),
        km.layers.cropping3D({ cropping: [[1, 0], [0, 1], [1, 1]], dataFormat }),
        km.layers.upSampling3d({ size: [1, 2, 1], dataFormat }),
      ],
    },
    {
      name: 'GlobalAveragePooling3D (keepdims), GlobalMaxPooling3D', inputShape: [2, 3, 2, 3], toLast: [2, 3, 4, 1], toFirst: [4, 1, 2, 3],
      layers: (dataFormat) => [km.layers.globalAveragePooling3d({ keepdims: true, dataFormat }), km.layers.globalMaxPooling3d({ keepdims: true, dataFormat })],
    },
  ];

  it.each(againstChannelsLast)('$name trains as the channels-last layers between permutations', async ({ inputShape, toLast, toFirst, layers }) => {
    const build = (format: 'channelsFirst' | 'channelsLast') => [
      km.layers.dense({ units: inputShape[inputShape.length - 1], inputShape, activation: 'tanh' }),
      ...(format === 'channelsLast' ? [km.layers.permute({ dims: toLast })] : []),
      ...layers(format),
      ...(format === 'channelsLast' ? [km.layers.permute({ dims: toFirst })] : []),
      km.layers.flatten(),
      km.layers.dense({ units: 3, activation: 'softmax' }),
    ];
    km.utils.setRandomSeed(11);
    const first = km.sequential(build(CF));
    const last = km.sequential(build('channelsLast'));
    last.setWeights(first.getWeights());
    const size = inputShape.reduce((a, b) => a * b, 1);
    const random = new Random(5);
    const x = km.tensor(Float32Array.from({ length: 12 * size }, () => random.uniform(-1, 2)), [12, ...inputShape]);
    const y = km.tensor(Int32Array.from({ length: 12 }, (_, i) => i % 3), [12], 'int32');
    const losses = await Promise.all([first, last].map(async (model) => {
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'sparseCategoricalCrossentropy' });
      return (await model.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 })).history.loss;
    }));
    expect(losses[0]).toEqual(losses[1]);
    expect(losses[0][2]).not.toBeCloseTo(losses[0][0], 3);
  });

  it('UpSampling2D saves and loads both ways with tfjs', async () => {
    const build = (api: Api) => [
      api.layers.conv2d({ filters: 3, kernelSize: 2, activation: 'tanh', dataFormat: CF, inputShape: [2, 3, 4] }),
      api.layers.upSampling2d({ size: [2, 3], dataFormat: CF }),
    ];
    await checkLayersModelRoundTrip({ inputShape: [2, 3, 4], kerasm: () => build(km) as km.layers.Layer[], tfjs: () => build(tfl) as tfl.layers.Layer[] });
  });

  it('1-D layers save their dataFormat and load with the same predictions', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential(poolings1D.layers(km) as km.layers.Layer[]);
    const artifacts = await kerasmArtifacts(model);
    const saved = (artifacts.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers.map((l) => l.config.data_format);
    expect(saved).toEqual(['channels_first', 'channels_first', 'channels_first', 'channels_first', 'channels_first', undefined]);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor(Float32Array.from({ length: 2 * 42 }, (_, i) => Math.sin(i)), [2, 3, 14]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
  });

  it("reads Keras' channels_first spelling and keeps the pooled axes with keepdims", () => {
    const layer = km.layers.globalAveragePooling2d({ dataFormat: 'channels_first' as typeof CF, keepdims: true });
    const x = km.tensor(Float32Array.from({ length: 2 * 3 * 2 * 2 }, (_, i) => i), [2, 3, 2, 2]);
    const y = layer.apply(x);
    expect(y.shape).toEqual([2, 3, 1, 1]);
    // Each channel's four values are consecutive: their means are 1.5, 5.5, 9.5, ...
    expect(Array.from(y.dataSync())).toEqual([1.5, 5.5, 9.5, 13.5, 17.5, 21.5]);
    expect(layer.getConfig().dataFormat).toBe(CF);
  });

  it('refuses softmax on a channels-first convolution, which Keras would take over a spatial axis', () => {
    expect(() => km.sequential([km.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', dataFormat: CF, inputShape: [2, 4, 4] })])).toThrow(
      "Conv2D layer 'conv2d_",
    );
    expect(() => km.sequential([km.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', dataFormat: CF, inputShape: [2, 4, 4] })])).toThrow(
      "activation 'softmax' on a channelsFirst output would run over its last axis (a spatial one), as in Keras, which is not what it is for. Use no activation here and km.layers.softmax({ axis: 1 }) after the layer for one over the channels.",
    );
  });
});
