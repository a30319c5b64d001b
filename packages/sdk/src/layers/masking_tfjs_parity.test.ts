import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { Random } from '../utils/random.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, vocabulary, features] = [32, 7, 9, 3];
const atEnd = paddedSequences(n, steps, vocabulary, features, 5, 'end');
const atStart = paddedSequences(n, steps, vocabulary, features, 6, 'start');
const random = new Random(8);
const labels = Float32Array.from({ length: n }, () => random.uniform(-1, 1));

const cases = [
  {
    name: 'Embedding(maskZero) → LSTM → Dense, padded at the end',
    kerasm: () => [km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }), km.layers.lstm({ units: 5 }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }), tfl.layers.lstm({ units: 5, unitForgetBias: true }), tfl.layers.dense({ units: 1 })],
    x: [atEnd.tokens, [n, steps]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
  {
    name: 'Embedding(maskZero) → GRU(returnSequences) → SimpleRNN → Dense, padded at the end',
    kerasm: () => [
      km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }),
      km.layers.gru({ units: 5, returnSequences: true }),
      km.layers.simpleRNN({ units: 3 }),
      km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }),
      tfl.layers.gru({ units: 5, returnSequences: true }),
      tfl.layers.simpleRNN({ units: 3 }),
      tfl.layers.dense({ units: 1 }),
    ],
    x: [atEnd.tokens, [n, steps]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
  {
    name: 'Masking → LSTM(goBackwards) → Dense, padded at the start',
    kerasm: () => [km.layers.masking({ maskValue: 0, inputShape: [steps, features] }), km.layers.lstm({ units: 4, goBackwards: true }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.masking({ maskValue: 0, inputShape: [steps, features] }), tfl.layers.lstm({ units: 4, goBackwards: true, unitForgetBias: true }), tfl.layers.dense({ units: 1 })],
    x: [atStart.series, [n, steps, features]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
  {
    name: 'Masking → LSTM(returnSequences) → Dropout → LSTM → Dense, padded at the end',
    kerasm: () => [
      km.layers.masking({ inputShape: [steps, features] }), km.layers.lstm({ units: 4, returnSequences: true }),
      km.layers.dropout({ rate: 0 }), km.layers.lstm({ units: 3 }), km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.masking({ inputShape: [steps, features] }), tfl.layers.lstm({ units: 4, returnSequences: true, unitForgetBias: true }),
      tfl.layers.dropout({ rate: 0 }), tfl.layers.lstm({ units: 3, unitForgetBias: true }), tfl.layers.dense({ units: 1 }),
    ],
    x: [atEnd.series, [n, steps, features]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
  {
    name: 'Embedding(maskZero) → Bidirectional(LSTM, returnSequences) → Bidirectional(GRU) → Dense, padded at the end',
    kerasm: () => [
      km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }),
      km.layers.bidirectional({ layer: km.layers.lstm({ units: 3, returnSequences: true }) }),
      km.layers.bidirectional({ layer: km.layers.gru({ units: 2 }), mergeMode: 'sum' }),
      km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps], maskZero: true }),
      tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 3, returnSequences: true, unitForgetBias: true }) as tfl.RNN }),
      tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 2 }) as tfl.RNN, mergeMode: 'sum' }),
      tfl.layers.dense({ units: 1 }),
    ],
    x: [atEnd.tokens, [n, steps]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
  {
    name: 'Masking → LayerNormalization → TimeDistributed(Dense) → LSTM → Dense, padded at the start',
    kerasm: () => [
      km.layers.masking({ inputShape: [steps, features] }), km.layers.layerNormalization(),
      km.layers.timeDistributed({ layer: km.layers.dense({ units: 4, activation: 'tanh' }) }), km.layers.lstm({ units: 3 }), km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.masking({ inputShape: [steps, features] }), tfl.layers.layerNormalization(),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4, activation: 'tanh' }) }), tfl.layers.lstm({ units: 3, unitForgetBias: true }), tfl.layers.dense({ units: 1 }),
    ],
    x: [atStart.series, [n, steps, features]] as const,
    loss: 'meanSquaredError', y: [labels, [n, 1]] as const,
  },
];

describe('masked recurrent models: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same predictions, and the same losses and weights over 6 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 3, learningRate: 0.1, tolerance: 1e-5 });
  });

  it('the mask matters: without it, tfjs and kerasm predict differently on the same padded batch', () => {
    km.utils.setRandomSeed(3);
    const masked = km.sequential(cases[0].kerasm());
    const unmasked = km.sequential([km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }), km.layers.lstm({ units: 5 }), km.layers.dense({ units: 1 })]);
    unmasked.setWeights(masked.getWeights());
    const x = km.tensor(atEnd.tokens, [n, steps], 'int32');
    const a = masked.predict(x).dataSync();
    const b = unmasked.predict(x).dataSync();
    // Sample 0 has no padding; every shorter one must change.
    expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-6);
    atEnd.lengths.forEach((length, i) => length < steps && expect(Math.abs(a[i] - b[i])).toBeGreaterThan(1e-6));
  });
});
