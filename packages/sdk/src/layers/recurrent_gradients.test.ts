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

/**
 * Builds Dense → `layer` → Flatten → Dense(2) over [steps, 2] inputs (the first Dense carries the
 * layer's input gradient into checked weights), checks predictions against the float64 `cell`
 * (given the Dense's output and the layer's own weights), then every weight's gradient against
 * finite differences of that reference.
 */
async function checkGradients(seeds: { data: number; weights: number }, steps: number, layer: km.layers.Layer, cell: (x: number[][], own: number[][]) => number[][], names: string[]): Promise<void> {
  const random = new Random(seeds.data);
  km.utils.setRandomSeed(seeds.weights);
  const [batch, inFeatures, features] = [3, 2, 3];
  const model = km.sequential([
    km.layers.dense({ units: features, inputShape: [steps, inFeatures], biasInitializer: 'glorotUniform' }),
    layer,
    km.layers.flatten(),
    km.layers.dense({ units: 2 }),
  ]);
  const xs = Array.from({ length: batch }, () => Array.from({ length: steps }, () => Array.from({ length: inFeatures }, () => random.uniform(-1.5, 1.5))));
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const forward = (x: number[][]): number[] => {
    const [k0, b0] = weights;
    const [k2, b2] = weights.slice(-2);
    const h = cell(denseReference(x, k0, b0), weights.slice(2, -2));
    return denseReference([h.flat()], k2, b2)[0];
  };
  const x = km.tensor(xs.flat(2), [batch, steps, inFeatures]);
  const predicted = model.predict(x).arraySync() as number[][];
  xs.forEach((sample, i) => forward(sample).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));
  const targets = Array.from({ length: batch }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]);
  const expected = finiteDifferences(weights, () => mse(xs.map(forward), targets));
  const grads = await kerasmGradients(model, 'meanSquaredError', x, km.tensor(targets.flat(), [batch, 2]));
  expectGradientsClose(grads, expected, ['dense kernel', 'dense bias', ...names, 'output kernel', 'output bias']);
}

const cases = [
  { returnSequences: true, goBackwards: false, recurrentActivation: 'sigmoid' as const, useBias: true },
  { returnSequences: false, goBackwards: false, recurrentActivation: 'sigmoid' as const, useBias: true },
  { returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, useBias: false },
  { returnSequences: false, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, useBias: true },
];

describe('LSTM gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each(cases)('returnSequences $returnSequences, goBackwards $goBackwards, recurrentActivation $recurrentActivation, useBias $useBias', async (c) => {
    const units = 4;
    const options = { units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation };
    const layer = km.layers.lstm({ ...options, useBias: c.useBias, biasInitializer: 'glorotUniform' });
    const cell = (x: number[][], [kernel, recurrent, bias]: number[][]) => lstmReference(x, kernel, recurrent, c.useBias ? bias : null, { ...options, activation: 'tanh' });
    await checkGradients({ data: 23, weights: 5 }, 5, layer, cell, ['kernel', 'recurrent_kernel', ...(c.useBias ? ['bias'] : [])]);
  });
});

describe('SimpleRNN gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each([
    { returnSequences: true, goBackwards: false, activation: 'tanh' as const },
    { returnSequences: false, goBackwards: true, activation: 'sigmoid' as const },
  ])('returnSequences $returnSequences, goBackwards $goBackwards, activation $activation', async (c) => {
    const options = { units: 4, returnSequences: c.returnSequences, goBackwards: c.goBackwards, activation: c.activation };
    const layer = km.layers.simpleRNN({ ...options, biasInitializer: 'glorotUniform' });
    const cell = (x: number[][], [kernel, recurrent, bias]: number[][]) => simpleRnnReference(x, kernel, recurrent, bias, options);
    await checkGradients({ data: 29, weights: 6 }, 4, layer, cell, ['kernel', 'recurrent_kernel', 'bias']);
  });
});

describe('GRU gradients against float64 finite differences (input through a Dense before it, every weight)', () => {
  it.each([
    { returnSequences: true, goBackwards: false, recurrentActivation: 'sigmoid' as const, resetAfter: false, useBias: true },
    { returnSequences: false, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, resetAfter: false, useBias: true },
    { returnSequences: true, goBackwards: false, recurrentActivation: 'sigmoid' as const, resetAfter: true, useBias: true },
    { returnSequences: false, goBackwards: true, recurrentActivation: 'sigmoid' as const, resetAfter: true, useBias: true },
    { returnSequences: true, goBackwards: true, recurrentActivation: 'hardSigmoid' as const, resetAfter: true, useBias: false },
  ])('returnSequences $returnSequences, goBackwards $goBackwards, recurrentActivation $recurrentActivation, resetAfter $resetAfter, useBias $useBias', async (c) => {
    const options = { units: 4, returnSequences: c.returnSequences, goBackwards: c.goBackwards, recurrentActivation: c.recurrentActivation, resetAfter: c.resetAfter };
    const layer = km.layers.gru({ ...options, useBias: c.useBias, biasInitializer: 'glorotUniform' });
    const cell = (x: number[][], [kernel, recurrent, bias]: number[][]) => gruReference(x, kernel, recurrent, c.useBias ? bias : null, { ...options, activation: 'tanh' });
    await checkGradients({ data: 37, weights: 8 }, 5, layer, cell, ['kernel', 'recurrent_kernel', ...(c.useBias ? ['bias'] : [])]);
  });
});
