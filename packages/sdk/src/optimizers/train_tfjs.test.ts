import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const config = (o: km.optimizers.Optimizer) => o.getConfig() as Record<string, unknown>;

describe("km.train: tf.train's factories, positional arguments and defaults", () => {
  it('has every tf.train factory', () => {
    expect(Object.keys(tf.train).filter((name) => !(name in km.train))).toEqual([]);
  });

  it("each default equals the one tfjs' optimizer reports in getConfig", () => {
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [];
    const adam = config(km.train.adam());
    pairs.push([{ learningRate: adam.learningRate, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon }, tf.train.adam().getConfig()]);
    const rms = config(km.train.rmsprop(0.01));
    pairs.push([{ learningRate: rms.learningRate, decay: rms.rho, momentum: rms.momentum, epsilon: rms.epsilon, centered: rms.centered }, tf.train.rmsprop(0.01).getConfig()]);
    const adadelta = config(km.train.adadelta());
    pairs.push([{ learningRate: adadelta.learningRate, rho: adadelta.rho, epsilon: adadelta.epsilon }, tf.train.adadelta().getConfig()]);
    const adamax = config(km.train.adamax());
    pairs.push([{ learningRate: adamax.learningRate, beta1: adamax.beta1, beta2: adamax.beta2, epsilon: adamax.epsilon, decay: 0 }, tf.train.adamax().getConfig()]);
    const adagrad = config(km.train.adagrad(0.05));
    pairs.push([{ learningRate: adagrad.learningRate, initialAccumulatorValue: adagrad.initialAccumulatorValue }, tf.train.adagrad(0.05).getConfig()]);
    const momentum = config(km.train.momentum(0.05, 0.8));
    pairs.push([{ learningRate: momentum.learningRate, momentum: momentum.momentum, useNesterov: momentum.nesterov }, tf.train.momentum(0.05, 0.8).getConfig()]);
    pairs.push([{ learningRate: config(km.train.sgd(0.3)).learningRate }, tf.train.sgd(0.3).getConfig()]);
    for (const [ours, theirs] of pairs) expect(ours).toEqual(theirs);
    // tfjs' adagrad takes its ε from the backend, as the others do when given none.
    expect(adagrad.epsilon).toBe(tf.backend().epsilon());
  });

  it('the positional arguments land on the options they name', () => {
    expect(config(km.train.rmsprop(0.02, 0.8, 0.5, 1e-6, true))).toMatchObject({ learningRate: 0.02, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true });
    expect(config(km.train.adam(0.02, 0.5, 0.9, 1e-4))).toMatchObject({ learningRate: 0.02, beta1: 0.5, beta2: 0.9, epsilon: 1e-4 });
    expect(config(km.train.adamax(0.02, 0.5, 0.9, 1e-4))).toMatchObject({ learningRate: 0.02, beta1: 0.5, beta2: 0.9, epsilon: 1e-4 });
    expect(config(km.train.adadelta(1, 0.9, 1e-6))).toMatchObject({ learningRate: 1, rho: 0.9, epsilon: 1e-6 });
    expect(config(km.train.adagrad(0.1, 0.2))).toMatchObject({ learningRate: 0.1, initialAccumulatorValue: 0.2 });
    expect(config(km.train.momentum(0.1, 0.9, true))).toMatchObject({ learningRate: 0.1, momentum: 0.9, nesterov: true });
    expect(km.train.momentum).toBe(km.optimizers.momentum);
  });

  it('a model compiled with km.train.adam(0.01) trains bit-identically to km.optimizers.adam with the same settings', async () => {
    const x = km.randomNormal([16, 3], 0, 1, 'float32', 1);
    const y = km.randomNormal([16, 2], 0, 1, 'float32', 2);
    const trained = async (optimizer: km.optimizers.Optimizer) => {
      km.utils.setRandomSeed(5);
      const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
      model.compile({ optimizer, loss: 'meanSquaredError' });
      await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
      return model.getWeights().map((w) => Array.from(w.dataSync()));
    };
    expect(await trained(km.train.adam(0.01))).toEqual(await trained(km.optimizers.adam({ learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })));
  });

  it('arguments in another form are errors naming the positional signature and the options form', () => {
    expect(() => km.train.adam({ learningRate: 0.01 } as never)).toThrow(/km\.train\.adam takes tf\.train\.adam's positional arguments \(learningRate, beta1, beta2, epsilon\); learningRate must be a number\. Received: learningRate=an object with keys \[learningRate\]\. For options by name, use km\.optimizers\.adam\(\{/);
    expect(() => km.train.rmsprop(0.01, 0.9, 0, null, 'yes' as never)).toThrow(/centered must be a boolean\. Received: centered="yes"/);
    expect(() => (km.train.sgd as (...args: unknown[]) => unknown)(0.1, 0.9)).toThrow(/km\.train\.sgd takes at most 1 arguments \(learningRate\), as tf\.train\.sgd does\. Received 2 arguments\./);
    expect(() => km.train.adamax(0.002, 0.9, 0.999, null, -1)).toThrow(/decay must be a finite number ≥ 0.*Received: decay=-1/);
  });
});

/** Weights after training a small dense model from the same start on the same batches, in kerasm and tfjs. */
async function trainBoth(ours: km.optimizers.Optimizer, theirs: tf.Optimizer): Promise<{ ours: Float32Array[]; theirs: Float32Array[]; start: Float32Array[] }> {
  const x = km.randomNormal([24, 4], 0, 1, 'float32', 3);
  const y = km.randomNormal([24, 3], 0, 1, 'float32', 4);
  km.utils.setRandomSeed(9);
  const model = km.sequential([km.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), km.layers.dense({ units: 3 })]);
  model.compile({ optimizer: ours, loss: 'meanSquaredError' });
  const start = model.getWeights().map((w) => w.dataSync() as Float32Array);
  const reference = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, activation: 'tanh', inputShape: [4] }), tfl.layers.dense({ units: 3 })] });
  reference.setWeights(start.map((w, i) => tf.tensor(w, [...model.getWeights()[i].shape])));
  reference.compile({ optimizer: theirs, loss: 'meanSquaredError' });
  await model.fit(x, y, { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
  await reference.fit(tf.tensor(x.dataSync(), [24, 4]), tf.tensor(y.dataSync(), [24, 3]), { epochs: 3, batchSize: 6, shuffle: false, verbose: 0 });
  return { ours: model.getWeights().map((w) => w.dataSync() as Float32Array), theirs: reference.getWeights().map((w) => w.dataSync() as Float32Array), start };
}

describe('km.train optimizers step as tf.train ones do (12 updates of a small model)', () => {
  const cases: { name: string; ours: () => km.optimizers.Optimizer; theirs: () => tf.Optimizer }[] = [
    { name: 'sgd', ours: () => km.train.sgd(0.1), theirs: () => tf.train.sgd(0.1) },
    { name: 'momentum, Nesterov', ours: () => km.train.momentum(0.05, 0.9, true), theirs: () => tf.train.momentum(0.05, 0.9, true) },
    { name: 'rmsprop with momentum', ours: () => km.train.rmsprop(0.01, 0.8, 0.5), theirs: () => tf.train.rmsprop(0.01, 0.8, 0.5) },
    // tfjs' centered RMSProp subtracts ε under the root (√(s − ḡ² − ε)) where Keras adds it; a tiny ε shows the rest agrees.
    { name: 'rmsprop, centered (ε 1e-12)', ours: () => km.train.rmsprop(0.01, 0.9, 0.3, 1e-12, true), theirs: () => tf.train.rmsprop(0.01, 0.9, 0.3, 1e-12, true) },
    { name: 'adagrad', ours: () => km.train.adagrad(0.1), theirs: () => tf.train.adagrad(0.1) },
    { name: 'adamax with decay', ours: () => km.train.adamax(0.02, 0.9, 0.999, null, 0.1), theirs: () => tf.train.adamax(0.02, 0.9, 0.999, null as never, 0.1) },
  ];

  it.each(cases)('$name', async ({ ours, theirs }) => {
    const result = await trainBoth(ours(), theirs());
    let diff = 0;
    let moved = 0;
    result.ours.forEach((w, i) => w.forEach((v, j) => {
      diff += (v - result.theirs[i][j]) ** 2;
      moved += (v - result.start[i][j]) ** 2;
    }));
    expect(Math.sqrt(moved)).toBeGreaterThan(1e-2);
    expect(Math.sqrt(diff / moved)).toBeLessThan(1e-5);
  });
});
