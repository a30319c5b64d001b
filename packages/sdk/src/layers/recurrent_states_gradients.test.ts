import { beforeAll, describe, it } from 'vitest';
import * as km from '../index.js';
import { checkStateGradients } from '../testing/recurrent_state_gradient_check.js';
import { gruReference, lstmReference, simpleRnnReference } from '../testing/recurrent_reference.js';

beforeAll(() => km.ready());

const flags = [
  { returnSequences: false, goBackwards: false, masked: false },
  { returnSequences: true, goBackwards: true, masked: false },
  { returnSequences: false, goBackwards: true, masked: true },
  { returnSequences: false, goBackwards: false, masked: true },
];

describe('returnState and initialState gradients against float64 finite differences (encoder states into a decoder and the head)', () => {
  it.each(flags)('LSTM: returnSequences $returnSequences, goBackwards $goBackwards, masked $masked', async (f) => {
    const units = 3;
    const common = { units, recurrentActivation: 'sigmoid' as const, biasInitializer: 'glorotUniform' as const };
    const reference = (goBackwards: boolean) => (x: number[][], [kernel, recurrent, bias]: number[][], o: object) =>
      lstmReference(x, kernel, recurrent, bias, { units, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, goBackwards, ...o });
    await checkStateGradients({ data: 41, weights: 9 }, {
      encoder: km.layers.lstm({ ...common, returnState: true, returnSequences: f.returnSequences, goBackwards: f.goBackwards }),
      decoder: km.layers.lstm(common),
      units, states: 2, encoderReturnsSequences: f.returnSequences, masked: f.masked,
      reference: (x, own, o) => reference(o.initial ? false : f.goBackwards)(x, own, o),
    });
  });

  it.each([
    { ...flags[0], resetAfter: false },
    { ...flags[1], resetAfter: true },
    { ...flags[2], resetAfter: false },
    { ...flags[3], resetAfter: true },
  ])('GRU: returnSequences $returnSequences, goBackwards $goBackwards, masked $masked, resetAfter $resetAfter', async (f) => {
    const units = 3;
    const common = { units, recurrentActivation: 'sigmoid' as const, biasInitializer: 'glorotUniform' as const, resetAfter: f.resetAfter };
    await checkStateGradients({ data: 43, weights: 10 }, {
      encoder: km.layers.gru({ ...common, returnState: true, returnSequences: f.returnSequences, goBackwards: f.goBackwards }),
      decoder: km.layers.gru(common),
      units, states: 1, encoderReturnsSequences: f.returnSequences, masked: f.masked,
      reference: (x, [kernel, recurrent, bias], o) =>
        gruReference(x, kernel, recurrent, bias, { units, activation: 'tanh', recurrentActivation: 'sigmoid', goBackwards: o.initial ? false : f.goBackwards, resetAfter: f.resetAfter, ...o }),
    });
  });

  it.each(flags.slice(0, 3))('SimpleRNN: returnSequences $returnSequences, goBackwards $goBackwards, masked $masked', async (f) => {
    const units = 3;
    const common = { units, biasInitializer: 'glorotUniform' as const };
    await checkStateGradients({ data: 47, weights: 11 }, {
      encoder: km.layers.simpleRNN({ ...common, returnState: true, returnSequences: f.returnSequences, goBackwards: f.goBackwards }),
      decoder: km.layers.simpleRNN(common),
      units, states: 1, encoderReturnsSequences: f.returnSequences, masked: f.masked,
      reference: (x, [kernel, recurrent, bias], o) =>
        simpleRnnReference(x, kernel, recurrent, bias, { units, activation: 'tanh', goBackwards: o.initial ? false : f.goBackwards, ...o }),
    });
  });
});
