import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';
import { expectSameFit, type FitParityCase } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, vocabulary] = [32, 6, 7];
const random = new Random(53);
const tokens = Int32Array.from({ length: n * steps }, () => Math.floor(random.uniform(0, vocabulary)));
// Whether token 0 comes before token 1: needs the whole sequence.
const labels = Float32Array.from({ length: n }, (_, i) => {
  const sample = Array.from(tokens.subarray(i * steps, (i + 1) * steps));
  const [zero, one] = [sample.indexOf(0), sample.indexOf(1)];
  return zero >= 0 && (one < 0 || zero < one) ? 1 : 0;
});
// A tag per token: its id mod 3, or 3 right after a 0.
const tags = Float32Array.from(tokens, (id, i) => (i % steps > 0 && tokens[i - 1] === 0 ? 3 : id % 3));
const sequences = Float32Array.from({ length: n * steps * 3 }, () => random.uniform(-1, 1));
const [frameSide, channels] = [5, 2];
const frames = Float32Array.from({ length: n * steps * frameSide * frameSide * channels }, () => random.uniform(-1, 1));
const targets = Float32Array.from({ length: n }, () => random.uniform(-1, 1));

type Case = FitParityCase & { name: string };

const mergeModes = ['concat', 'sum', 'mul', 'ave'] as const;
const cases: Case[] = [
  {
    name: 'Embedding → Bidirectional(LSTM) → Dense(sigmoid): the classic text classifier',
    kerasm: () => [km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }), km.layers.bidirectional({ layer: km.layers.lstm({ units: 5 }) }), km.layers.dense({ units: 1, activation: 'sigmoid' })],
    tfjs: () => [tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }), tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 5 }) }), tfl.layers.dense({ units: 1, activation: 'sigmoid' })],
    loss: 'binaryCrossentropy', x: [tokens, [n, steps]], y: [labels, [n, 1], [n, 1]],
  },
  ...mergeModes.map((mergeMode): Case => ({
    name: `Bidirectional(GRU, returnSequences, mergeMode ${mergeMode}) → GlobalAveragePooling1D → Dense`,
    kerasm: () => [km.layers.bidirectional({ layer: km.layers.gru({ units: 4, returnSequences: true }), mergeMode, inputShape: [steps, 3] }), km.layers.globalAveragePooling1d(), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 4, returnSequences: true }), mergeMode, inputShape: [steps, 3] }), tfl.layers.globalAveragePooling1d(), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x: [sequences, [n, steps, 3]], y: [targets, [n, 1], [n, 1]],
  })),
  {
    name: 'Embedding → LSTM(returnSequences) → TimeDistributed(Dense(softmax)): a tag per token',
    kerasm: () => [km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }), km.layers.lstm({ units: 5, returnSequences: true }), km.layers.timeDistributed({ layer: km.layers.dense({ units: 4, activation: 'softmax' }) })],
    tfjs: () => [tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }), tfl.layers.lstm({ units: 5, returnSequences: true }), tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4, activation: 'softmax' }) })],
    loss: 'sparseCategoricalCrossentropy', x: [tokens, [n, steps]], y: [tags, [n, steps], [n, steps, 1]],
  },
  {
    name: 'TimeDistributed(Conv2D(relu)) → TimeDistributed(Flatten) → LSTM → Dense over frames',
    kerasm: () => [
      km.layers.timeDistributed({ layer: km.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }), inputShape: [steps, frameSide, frameSide, channels] }),
      km.layers.timeDistributed({ layer: km.layers.flatten() }),
      km.layers.lstm({ units: 4 }),
      km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.timeDistributed({ layer: tfl.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }), inputShape: [steps, frameSide, frameSide, channels] }),
      tfl.layers.timeDistributed({ layer: tfl.layers.flatten() }),
      tfl.layers.lstm({ units: 4 }),
      tfl.layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError', x: [frames, [n, steps, frameSide, frameSide, channels]], y: [targets, [n, 1], [n, 1]],
  },
];

describe('Bidirectional and TimeDistributed models: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights give the same predictions, and the same losses and weights over 6 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 17, learningRate: 0.3, momentum: 0.9 });
  });
});
