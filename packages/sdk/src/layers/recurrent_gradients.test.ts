import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkRecurrentGradients as checkGradients } from '../testing/recurrent_gradient_check.js';
import { gruReference, lstmReference, simpleRnnReference } from '../testing/recurrent_reference.js';

beforeAll(() => km.ready());

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
