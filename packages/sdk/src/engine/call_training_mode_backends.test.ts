import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { normalizeWithMoving, randomStatistics } from '../testing/batch_norm_reference.js';
import { dense, finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Read back asynchronously: tfjs-webgpu reads nothing synchronously.
const weightValues = (layer: km.layers.Layer) => Promise.all(layer.getWeights().map(async (t) => Array.from(await t.data())));
const uniform = (random: Random, n: number) => Array.from({ length: n }, () => random.uniform(-1, 1));
const symbolic = (t: km.SymbolicTensor | km.SymbolicTensor[]) => t as km.SymbolicTensor;

/** Per layer, the change one full-batch SGD step with learning rate 1 makes: the gradient of the mean loss. */
async function sgdStep(model: km.LayersModel, layers: readonly km.layers.Layer[], x: km.Tensor, y: km.Tensor): Promise<number[][][]> {
  const before = await Promise.all(layers.map(weightValues));
  model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs: 1, batchSize: x.shape[0], shuffle: false, verbose: 0 });
  const after = await Promise.all(layers.map(weightValues));
  return after.map((weights, l) => weights.map((w, k) => w.map((v, j) => before[l][k][j] - v)));
}

describe.each(BACKENDS_HERE)('a trainable BatchNormalization applied with { training: false }, on %s', (backendName) => {
  beforeAll(() => useBackend(backendName));
  afterAll(() => useBackend('wasm'));

  it('normalizes with its moving statistics in fit and leaves them alone, while gamma, beta and the layers around it take the float64 finite-difference gradient', async () => {
    km.utils.setRandomSeed(13);
    const input = km.input({ shape: [3] });
    const first = km.layers.dense({ units: 4, biasInitializer: 'glorotUniform' });
    const bn = km.layers.batchNormalization();
    const last = km.layers.dense({ units: 2 });
    const normalized = symbolic(bn.apply(symbolic(first.apply(input)), { training: false }));
    const model = km.model({ inputs: input, outputs: symbolic(last.apply(symbolic(km.layers.activation({ activation: 'tanh' }).apply(normalized)))) });
    bn.setWeights(randomStatistics(new Random(5), 4));
    const random = new Random(6);
    const xs = Array.from({ length: 5 }, () => uniform(random, 3));
    const ys = Array.from({ length: 5 }, () => uniform(random, 2));
    const [[w1, b1], [gamma, beta, mean, variance], [w2, b2]] = await Promise.all([first, bn, last].map(weightValues));
    const params = [w1, b1, gamma, beta, w2, b2];
    const loss = (): number => {
      const errors = xs.map((x, i) => {
        const hidden = normalizeWithMoving(dense(x, params[0], params[1]), params[2], params[3], mean, variance).map(Math.tanh);
        return dense(hidden, params[4], params[5]).reduce((s, o, j) => s + (o - ys[i][j]) ** 2, 0) / 2;
      });
      return errors.reduce((s, e) => s + e, 0) / xs.length;
    };
    const expected = finiteDifferences(params, loss);
    const [firstStep, bnStep, lastStep] = await sgdStep(model, [first, bn, last], km.tensor(xs.flat(), [5, 3]), km.tensor(ys.flat(), [5, 2]));
    expectGradientsClose([...firstStep, ...bnStep.slice(0, 2), ...lastStep].map((g) => Float32Array.from(g)), expected, ['kernel', 'bias', 'gamma', 'beta', 'dense kernel', 'dense bias']);
    expect(bnStep.slice(2)).toEqual([[0, 0, 0, 0], [0, 0, 0, 0]]);
  });
});
