import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { checkRecurrentGradients as checkGradients } from '../testing/recurrent_gradient_check.js';
import { gruReference, lstmReference, simpleRnnReference } from '../testing/recurrent_reference.js';

beforeAll(() => km.ready());

// Stacked cells step in turn; the float64 reference runs them so: each cell over the previous one's
// outputs in running order (reversed with goBackwards), every cell but the last returning them all.
describe('RNN over stacked cells: gradients against float64 finite differences (every weight of every cell)', () => {
  it.each([
    { returnSequences: true, goBackwards: false },
    { returnSequences: false, goBackwards: true },
  ])('[LSTMCell, GRUCell, SimpleRNNCell], returnSequences $returnSequences, goBackwards $goBackwards', async (c) => {
    const base = { activation: 'tanh', recurrentActivation: 'sigmoid' };
    const layer = km.layers.rnn({
      cell: [
        km.layers.lstmCell({ units: 3, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }),
        km.layers.gruCell({ units: 2, recurrentActivation: 'sigmoid', biasInitializer: 'glorotUniform' }),
        km.layers.simpleRNNCell({ units: 3, biasInitializer: 'glorotUniform' }),
      ],
      returnSequences: c.returnSequences, goBackwards: c.goBackwards,
    });
    const cell = (x: number[][], [k1, r1, b1, k2, r2, b2, k3, r3, b3]: number[][]) => {
      const h1 = lstmReference(x, k1, r1, b1, { ...base, units: 3, returnSequences: true, goBackwards: c.goBackwards });
      const h2 = gruReference(h1, k2, r2, b2, { ...base, units: 2, returnSequences: true, goBackwards: false });
      return simpleRnnReference(h2, k3, r3, b3, { activation: 'tanh', units: 3, returnSequences: c.returnSequences, goBackwards: false });
    };
    const names = [1, 2, 3].flatMap((k) => [`cell ${k} kernel`, `cell ${k} recurrent_kernel`, `cell ${k} bias`]);
    await checkGradients({ data: 19, weights: 7 }, 4, layer, cell, names);
  });
});

describe('RNN over stacked cells with a mask', () => {
  it.each([false, true])('padded steps keep every cell\'s states (goBackwards %s), as the float64 reference', (goBackwards) => {
    km.utils.setRandomSeed(21);
    const steps = 5;
    const model = km.sequential([
      km.layers.masking({ maskValue: 0, inputShape: [steps, 2] }),
      km.layers.rnn({ cell: [km.layers.lstmCell({ units: 3, biasInitializer: 'glorotUniform' }), km.layers.gruCell({ units: 2, biasInitializer: 'glorotUniform' })], returnSequences: true, goBackwards }),
    ]);
    // Sample 0 padded at the end, sample 1 at the start and in the middle.
    const masks = [[1, 1, 1, 0, 0], [0, 1, 0, 1, 1]];
    const xs = masks.map((m, b) => m.map((real, t) => (real ? [0.3 * t - 0.5 + b, 0.2 - 0.1 * t] : [0, 0])));
    const predicted = model.predict(km.tensor(xs.flat(2), [2, steps, 2])).arraySync() as number[][][];
    const [k1, r1, b1, k2, r2, b2] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const options = { activation: 'tanh', recurrentActivation: 'hardSigmoid', returnSequences: true };
    xs.forEach((x, b) => {
      const h1 = lstmReference(x, k1, r1, b1, { ...options, units: 3, goBackwards, mask: masks[b] });
      const running = goBackwards ? masks[b].slice().reverse() : masks[b];
      const h2 = gruReference(h1, k2, r2, b2, { ...options, units: 2, goBackwards: false, mask: running });
      h2.forEach((row, t) => row.forEach((v, j) => expect(predicted[b][t][j]).toBeCloseTo(v, 5)));
    });
  });
});
