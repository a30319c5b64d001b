import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// tfjs-examples' date-conversion-attention: a masked sequence's self-attention scores through Dot,
// which accepts the padded input and drops its mask, as Keras and tfjs do.

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, vocabulary] = [16, 6, 9];
const { tokens } = paddedSequences(n, steps, vocabulary, 1, 4, 'end');
const random = new Random(5);
const labels = Float32Array.from({ length: n }, () => random.uniform(-1, 1));

function kerasmModel(): km.LayersModel {
  const input = km.input({ shape: [steps] });
  const embedded = km.layers.embedding({ inputDim: vocabulary, outputDim: 4, maskZero: true }).apply(input) as km.SymbolicTensor;
  const sequence = km.layers.lstm({ units: 3, returnSequences: true }).apply(embedded) as km.SymbolicTensor;
  const scores = km.layers.dot({ axes: [2, 2] }).apply([sequence, sequence]) as km.SymbolicTensor;
  const output = km.layers.dense({ units: 1 }).apply(km.layers.flatten().apply(scores) as km.SymbolicTensor) as km.SymbolicTensor;
  return km.model({ inputs: input, outputs: output });
}

function tfjsModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [steps] });
  const embedded = tfl.layers.embedding({ inputDim: vocabulary, outputDim: 4, maskZero: true }).apply(input) as tfl.SymbolicTensor;
  const sequence = tfl.layers.lstm({ units: 3, returnSequences: true, unitForgetBias: true }).apply(embedded) as tfl.SymbolicTensor;
  const scores = tfl.layers.dot({ axes: [2, 2] }).apply([sequence, sequence]) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 1 }).apply(tfl.layers.flatten().apply(scores) as tfl.SymbolicTensor) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

describe('Dot after a masked sequence', () => {
  it('builds, predicts and trains as tfjs-layers does: the same predictions, losses and weights over 3 SGD epochs', async () => {
    km.utils.setRandomSeed(2);
    const ours = kerasmModel();
    const theirs = tfjsModel();
    theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const [x, tfX] = [km.tensor(tokens, [n, steps], 'int32'), tf.tensor(tokens, [n, steps], 'int32')];
    const expected = (theirs.predict(tfX) as tf.Tensor).dataSync();
    ours.predict(x).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));

    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const args = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 as const };
    const ourLosses = (await ours.fit(x, km.tensor(labels, [n, 1]), args)).history.loss;
    const theirLosses = (await theirs.fit(tfX, tf.tensor(labels, [n, 1]), args)).history.loss as number[];
    ourLosses.forEach((loss, i) => expect(Math.abs(loss - theirLosses[i])).toBeLessThan(1e-5));
    expect(ourLosses[2]).toBeLessThan(ourLosses[0]);
    const theirWeights = theirs.getWeights();
    ours.getWeights().forEach((w, i) => w.dataSync().forEach((v, j) => expect(Math.abs(v - theirWeights[i].dataSync()[j])).toBeLessThan(1e-5)));
  });
});
