import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps] = [48, 8];
const random = new Random(31);
// Regression: the next value of a noisy sine from the last `steps` values.
const phases = Array.from({ length: n }, () => random.uniform(0, 6.28));
const series = phases.flatMap((p) => Array.from({ length: steps + 1 }, (_, t) => Math.sin(p + 0.5 * t) + 0.05 * random.normal()));
const windows = Float32Array.from(phases.flatMap((_, i) => series.slice(i * (steps + 1), i * (steps + 1) + steps)));
const nextValues = Float32Array.from(phases.map((_, i) => series[i * (steps + 1) + steps]));
// Tagging: each token's tag is its id mod 3, except after a 0, where it is 3 (needs memory).
const vocabulary = 7;
const tokens = Int32Array.from({ length: n * steps }, () => Math.floor(random.uniform(0, vocabulary)));
const tags = Float32Array.from(tokens, (id, i) => (i % steps > 0 && tokens[i - 1] === 0 ? 3 : id % 3));

const cases = [
  {
    name: 'LSTM → Dense regression (next value of a sine), default activations (tanh, hardSigmoid)',
    kerasm: () => [km.layers.lstm({ units: 6, inputShape: [steps, 1] }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.lstm({ units: 6, inputShape: [steps, 1] }), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x: [windows, [n, steps, 1]] as const, y: [nextValues, [n, 1], [n, 1]] as const,
  },
  {
    name: 'Embedding → LSTM(returnSequences, sigmoid gates) → Dense(softmax): a tag per token',
    kerasm: () => [
      km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }),
      km.layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }),
      km.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    tfjs: () => [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }),
      tfl.layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    loss: 'sparseCategoricalCrossentropy', x: [tokens, [n, steps]] as const, y: [tags, [n, steps], [n, steps, 1]] as const,
  },
  {
    name: 'LSTM(goBackwards, returnSequences) → LSTM → Dense, tanh/hardSigmoid, no bias on the first',
    kerasm: () => [km.layers.lstm({ units: 4, returnSequences: true, goBackwards: true, useBias: false, inputShape: [steps, 1] }), km.layers.lstm({ units: 3 }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.lstm({ units: 4, returnSequences: true, goBackwards: true, useBias: false, inputShape: [steps, 1] }), tfl.layers.lstm({ units: 3 }), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x: [windows, [n, steps, 1]] as const, y: [nextValues, [n, 1], [n, 1]] as const,
  },
  {
    name: 'SimpleRNN(returnSequences) → SimpleRNN(goBackwards, relu) → Dense',
    kerasm: () => [km.layers.simpleRNN({ units: 5, returnSequences: true, inputShape: [steps, 1] }), km.layers.simpleRNN({ units: 3, goBackwards: true, activation: 'relu' }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.simpleRNN({ units: 5, returnSequences: true, inputShape: [steps, 1] }), tfl.layers.simpleRNN({ units: 3, goBackwards: true, activation: 'relu' }), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x: [windows, [n, steps, 1]] as const, y: [nextValues, [n, 1], [n, 1]] as const,
  },
  {
    name: 'Embedding → GRU(returnSequences, default activations) → GRU(goBackwards, sigmoid) → Dense(softmax)',
    kerasm: () => [
      km.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }),
      km.layers.gru({ units: 5, returnSequences: true }),
      km.layers.gru({ units: 4, goBackwards: true, recurrentActivation: 'sigmoid', returnSequences: true }),
      km.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    tfjs: () => [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, inputShape: [steps] }),
      tfl.layers.gru({ units: 5, returnSequences: true }),
      tfl.layers.gru({ units: 4, goBackwards: true, recurrentActivation: 'sigmoid', returnSequences: true }),
      tfl.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    loss: 'sparseCategoricalCrossentropy', x: [tokens, [n, steps]] as const, y: [tags, [n, steps], [n, steps, 1]] as const,
  },
];

describe('recurrent models: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights give the same predictions, and the same losses and weights over 9 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 12, learningRate: 0.3, momentum: 0.9 });
  });
});
