import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { denseReference, gruReference, lstmReference, simpleRnnReference } from '../testing/recurrent_reference.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

const cases = [
  { returnSequences: true, goBackwards: false, recurrentActivation: 'sigmoid' as const, useBias: true },
  { returnSequences: false, goBackwards: false, recurrentActivation: 'sigmoid' as const, useBias: true },
  { returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, useBias: false },
  { returnSequences: false, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, useBias: true },
];

describe('LSTM gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each(cases)('returnSequences $returnSequences, goBackwards $goBackwards, recurrentActivation $recurrentActivation, useBias $useBias', async (c) => {
    const random = new Random(23);
    km.utils.setRandomSeed(5);
    const [batch, steps, inFeatures, features, units] = [3, 5, 2, 3, 4];
    const model = km.sequential([
      km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
      km.layers.lstm({ units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation, useBias: c.useBias, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const lstmAt = 2;
    const forward = (x: number[][]): number[] => {
      const [k0, b0] = weights;
      const recurrentWeights = weights.slice(lstmAt, c.useBias ? lstmAt + 3 : lstmAt + 2);
      const [k2, b2] = weights.slice(lstmAt + recurrentWeights.length);
      const h = lstmReference(denseReference(x, k0, b0), recurrentWeights[0], recurrentWeights[1], c.useBias ? recurrentWeights[2] : null, { units, activation: 'tanh', recurrentActivation: c.recurrentActivation, returnSequences: c.returnSequences, goBackwards: c.goBackwards });
      return denseReference([h.flat()], k2, b2)[0];
    };
    const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);

    const expected = finiteDifferences(weights, () => mse(xs.map(forward), targets));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
    const names = ['dense kernel', 'dense bias', 'kernel', 'recurrent_kernel', ...(c.useBias ? ['bias'] : []), 'output kernel', 'output bias'];
    expectGradientsClose(grads, expected, names);
  });
});

describe('SimpleRNN gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each([
    { returnSequences: true, goBackwards: false, activation: 'tanh' as const },
    { returnSequences: false, goBackwards: true, activation: 'sigmoid' as const },
  ])('returnSequences $returnSequences, goBackwards $goBackwards, activation $activation', async (c) => {
    const random = new Random(29);
    km.utils.setRandomSeed(6);
    const [batch, steps, inFeatures, features, units] = [3, 4, 2, 3, 4];
    const model = km.sequential([
      km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
      km.layers.simpleRNN({ units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, activation: c.activation, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[][]): number[] => {
      const [k0, b0, k1, r1, b1, k2, b2] = weights;
      const h = simpleRnnReference(denseReference(x, k0, b0), k1, r1, b1, { units, activation: c.activation, returnSequences: c.returnSequences, goBackwards: c.goBackwards });
      return denseReference([h.flat()], k2, b2)[0];
    };
    const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), targets));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', 'kernel', 'recurrent_kernel', 'bias', 'output kernel', 'output bias']);
  });
});

describe('GRU gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each([
    { returnSequences: true, goBackwards: false, recurrentActivation: 'sigmoid' as const },
    { returnSequences: false, goBackwards: true, recurrentActivation: 'hardSigmoid' as const },
  ])('returnSequences $returnSequences, goBackwards $goBackwards, recurrentActivation $recurrentActivation', async (c) => {
    const random = new Random(37);
    km.utils.setRandomSeed(8);
    const [batch, steps, inFeatures, features, units] = [3, 5, 2, 3, 4];
    const model = km.sequential([
      km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
      km.layers.gru({ units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
      km.layers.dense({ units: 2 }),
    ]);
    const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    const forward = (x: number[][]): number[] => {
      const [k0, b0, k1, r1, b1, k2, b2] = weights;
      const h = gruReference(denseReference(x, k0, b0), k1, r1, b1, { units, activation: 'tanh', recurrentActivation: c.recurrentActivation, returnSequences: c.returnSequences, goBackwards: c.goBackwards });
      return denseReference([h.flat()], k2, b2)[0];
    };
    const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
    const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
    const expected = finiteDifferences(weights, () => mse(xs.map(forward), targets));
    const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
    expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', 'kernel', 'recurrent_kernel', 'bias', 'output kernel', 'output bias']);
  });
});
