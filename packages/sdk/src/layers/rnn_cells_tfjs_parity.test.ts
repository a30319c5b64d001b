import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { expectSameFit } from '../testing/tfjs_fit_parity.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps] = [32, 6];
const random = new Random(57);
const windows = Float32Array.from({ length: n * steps * 2 }, () => random.uniform(-1, 1));
const targets = Float32Array.from({ length: n }, (_, i) => Math.sin(windows[i * steps * 2] + windows[i * steps * 2 + 3]));
const x = [windows, [n, steps, 2]] as const;
const y = [targets, [n, 1], [n, 1]] as const;

// unitForgetBias is given: kerasm's cells default to Keras' true, tfjs' to false (the weights are kerasm's either way).
const cases = [
  {
    name: 'RNN(LSTMCell) → Dense',
    kerasm: () => [km.layers.rnn({ cell: km.layers.lstmCell({ units: 5 }), inputShape: [steps, 2] }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.rnn({ cell: tfl.layers.lstmCell({ units: 5 }), inputShape: [steps, 2] }), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x, y,
  },
  {
    name: 'RNN([LSTMCell, GRUCell]) stacked → Dense',
    kerasm: () => [km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4 }), km.layers.gruCell({ units: 3 })], inputShape: [steps, 2] }), km.layers.dense({ units: 1 })],
    tfjs: () => [tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 4 }), tfl.layers.gruCell({ units: 3 })], inputShape: [steps, 2] }), tfl.layers.dense({ units: 1 })],
    loss: 'meanSquaredError', x, y,
  },
  {
    name: 'RNN(stackedRNNCells [SimpleRNNCell(relu), LSTMCell(sigmoid)], goBackwards, returnSequences) → RNN(GRUCell) → Dense',
    kerasm: () => [
      km.layers.rnn({ cell: km.layers.stackedRNNCells({ cells: [km.layers.simpleRNNCell({ units: 3, activation: 'relu' }), km.layers.lstmCell({ units: 4, recurrentActivation: 'sigmoid' })] }), goBackwards: true, returnSequences: true, inputShape: [steps, 2] }),
      km.layers.rnn({ cell: km.layers.gruCell({ units: 3 }) }),
      km.layers.dense({ units: 1 }),
    ],
    tfjs: () => [
      tfl.layers.rnn({ cell: tfl.layers.stackedRNNCells({ cells: [tfl.layers.simpleRNNCell({ units: 3, activation: 'relu' }), tfl.layers.lstmCell({ units: 4, recurrentActivation: 'sigmoid' })] }), goBackwards: true, returnSequences: true, inputShape: [steps, 2] }),
      tfl.layers.rnn({ cell: tfl.layers.gruCell({ units: 3 }) }),
      tfl.layers.dense({ units: 1 }),
    ],
    loss: 'meanSquaredError', x, y,
  },
];

describe('RNN over cells: parity with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights give the same predictions, and the same losses and weights over 6 SGD steps', async (c) => {
    await expectSameFit(c, { seed: 8, learningRate: 0.2, momentum: 0.9 });
  });

  it('returnState over stacked cells gives [output, ...last cell states, ...first cell states] as tfjs does', () => {
    km.utils.setRandomSeed(4);
    const input = km.input({ shape: [steps, 2] });
    const outs = km.layers.rnn({ cell: [km.layers.lstmCell({ units: 4 }), km.layers.gruCell({ units: 3 })], returnState: true }).apply(input);
    const model = km.model({ inputs: input, outputs: outs });
    const tfInput = tfl.input({ shape: [steps, 2] });
    const tfOuts = tfl.layers.rnn({ cell: [tfl.layers.lstmCell({ units: 4 }), tfl.layers.gruCell({ units: 3 })], returnState: true }).apply(tfInput) as tfl.SymbolicTensor[];
    const reference = tfl.model({ inputs: tfInput, outputs: tfOuts });
    expect(outs.map((o) => o.shape)).toEqual(tfOuts.map((o) => o.shape.slice(1)));
    reference.setWeights(model.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const ours = model.predict<km.Tensor[]>(km.tensor(windows, [n, steps, 2]));
    const theirs = reference.predict(tf.tensor(windows, [n, steps, 2])) as tf.Tensor[];
    expect(ours).toHaveLength(4);
    ours.forEach((t, k) => {
      const expected = theirs[k].dataSync();
      t.dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    });
  });
});
