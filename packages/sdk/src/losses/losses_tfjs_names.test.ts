import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { getLoss } from './losses.js';
import { TENSOR_FORMS } from '../utils/options.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const ROWS = 4;
const COLS = 3;
const values = (f: (i: number) => number) => Array.from({ length: ROWS }, (_, r) => Array.from({ length: COLS }, (_, c) => f(r * COLS + c)));
const real = values((i) => Math.sin(i * 1.7) * 2);
const targets = values((i) => Math.cos(i * 0.9));
const probabilities = values((i) => 0.05 + 0.9 * ((i * 0.37) % 1));
const bits = values((i) => (i * 5 + (i >> 1)) % 2);
const oneHot = values((i) => (i % COLS === (Math.floor(i / COLS) * 2) % COLS ? 1 : 0));

/** The loss kerasm computes for outputs `preds` against `yTrue`: an identity Dense model evaluated on one batch. */
async function kerasmLoss(loss: km.losses.Loss, yTrue: number[][], preds: number[][]): Promise<number> {
  const model = km.sequential([km.layers.dense({ units: COLS, inputShape: [COLS] })]);
  model.compile({ optimizer: 'sgd', loss });
  model.setWeights([km.tensor(Array.from({ length: COLS }, (_, i) => Array.from({ length: COLS }, (_, j) => (i === j ? 1 : 0)))), km.zeros([COLS])]);
  const [value] = await model.evaluate(km.tensor(preds), km.tensor(yTrue), { verbose: 0, batchSize: ROWS });
  return value;
}

const tfjsLoss = (loss: tf.Tensor) => loss.dataSync()[0];

describe("tf.losses names in km.losses compute tfjs' values", () => {
  const cases: { name: string; ours: () => km.losses.Loss; theirs: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor; yTrue: number[][]; preds: number[][] }[] = [
    { name: 'meanSquaredError', ours: () => km.losses.meanSquaredError(), theirs: (t, p) => tf.losses.meanSquaredError(t, p), yTrue: targets, preds: real },
    { name: 'absoluteDifference', ours: () => km.losses.absoluteDifference(), theirs: (t, p) => tf.losses.absoluteDifference(t, p), yTrue: targets, preds: real },
    { name: 'huberLoss', ours: () => km.losses.huberLoss(), theirs: (t, p) => tf.losses.huberLoss(t, p), yTrue: targets, preds: real },
    { name: 'huberLoss, delta 0.5', ours: () => km.losses.huberLoss({ delta: 0.5 }), theirs: (t, p) => tf.losses.huberLoss(t, p, undefined, 0.5), yTrue: targets, preds: real },
    { name: 'logLoss', ours: () => km.losses.logLoss(), theirs: (t, p) => tf.losses.logLoss(t, p), yTrue: bits, preds: probabilities },
    { name: 'hingeLoss, 0/1 labels', ours: () => km.losses.hingeLoss(), theirs: (t, p) => tf.losses.hingeLoss(t, p), yTrue: bits, preds: real },
    { name: 'sigmoidCrossEntropy', ours: () => km.losses.sigmoidCrossEntropy(), theirs: (t, p) => tf.losses.sigmoidCrossEntropy(t, p), yTrue: bits, preds: real },
    { name: 'sigmoidCrossEntropy, labelSmoothing 0.2', ours: () => km.losses.sigmoidCrossEntropy({ labelSmoothing: 0.2 }), theirs: (t, p) => tf.losses.sigmoidCrossEntropy(t, p, undefined, 0.2), yTrue: bits, preds: real },
    { name: 'softmaxCrossEntropy', ours: () => km.losses.softmaxCrossEntropy(), theirs: (t, p) => tf.losses.softmaxCrossEntropy(t, p), yTrue: oneHot, preds: real },
    { name: 'softmaxCrossEntropy, labelSmoothing 0.2', ours: () => km.losses.softmaxCrossEntropy({ labelSmoothing: 0.2 }), theirs: (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0.2), yTrue: oneHot, preds: real },
  ];

  it.each(cases)('$name', async ({ ours, theirs, yTrue, preds }) => {
    const expected = tfjsLoss(theirs(tf.tensor(yTrue), tf.tensor(preds)));
    expect(expected).toBeGreaterThan(0.05);
    expect(Math.abs((await kerasmLoss(ours(), yTrue, preds)) - expected)).toBeLessThan(2e-5 * Math.max(1, expected));
  });

  it('every tfjs name is present (cosineDistance and computeWeightedLoss compute on tensors: weighted_losses.test.ts)', () => {
    expect(Object.keys(tf.losses).filter((name) => !(name in km.losses))).toEqual([]);
  });

  it('the tfjs names make the losses of their Keras counterparts (their tensor forms are tfjs-core\'s: tensor_functions.test.ts)', () => {
    expect(km.losses.absoluteDifference()).toBe(km.losses.meanAbsoluteError());
    expect(km.losses.huberLoss({ delta: 2 }).savedAs).toEqual(km.losses.huber({ delta: 2 }).savedAs);
    expect(km.losses.logLoss()).toBe(km.losses.binaryCrossentropy());
    expect(km.losses.hingeLoss()).toBe(km.losses.hinge());
  });

  it('the factories of named losses give the loss compile takes by that name', () => {
    const named = ['meanSquaredError', 'meanAbsoluteError', 'meanAbsolutePercentageError', 'meanSquaredLogarithmicError', 'logCosh', 'poisson', 'kullbackLeiblerDivergence', 'hinge', 'squaredHinge'] as const;
    for (const name of named) expect(km.losses[name]()).toBe(getLoss(name));
    expect(() => km.losses.meanSquaredError({ reduction: 'sum' } as never)).toThrow(/km\.losses\.meanSquaredError takes no options\. Received: reduction\./);
  });
});

/** The km.losses and km.metrics functions that only compute on tensors, as tfjs' do, and make no loss or metric for compile. */
const ON_TENSORS = ['confusionMatrix', 'cosineDistance', 'computeWeightedLoss'];

describe('km.losses and km.metrics used as tfjs functions', () => {
  const yTrue = km.tensor([[0, 1], [1, 0]]);
  const yPred = km.tensor([[0.2, 0.8], [0.6, 0.4]]);
  const bits = km.tensor([[0, 1], [0, 0]]);

  it.each(['losses', 'metrics'] as const)('every km.%s factory called with tensors computes tfjs\' value if it has a tensor form, else says it is a factory for compile and which compute on tensors', (family) => {
    const tensorForms = new Set(TENSOR_FORMS[family].flatMap((entry) => entry.match(/\w+/g) ?? []));
    const factories = Object.entries(km[family]).filter(([name, value]) => typeof value === 'function' && !ON_TENSORS.includes(name)) as [string, (...args: unknown[]) => unknown][];
    expect(factories.length).toBeGreaterThan(15);
    // Every listed name exists, and has a tensor form.
    expect([...tensorForms].filter((name) => typeof (km[family] as Record<string, unknown>)[name] !== 'function')).toEqual([]);
    for (const [name, factory] of factories) {
      if (tensorForms.has(name)) {
        // precision and recall take 0/1 outputs, as tfjs' do; sparseCategoricalAccuracy takes labels.
        const args = name === 'precision' || name === 'recall' ? [yTrue, bits] : name === 'sparseCategoricalAccuracy' ? [km.tensor([1, 0]), yPred] : [yTrue, yPred];
        expect(factory(...args), name).toBeInstanceOf(km.Tensor);
        expect(() => factory(tf.tensor([1]), tf.tensor([1])), name).toThrow(/is a TensorFlow\.js tensor; kerasm ops take km\.Tensors\. Convert it with km\.tensor\(await t\.data\(\), t\.shape\)/);
        continue;
      }
      expect(() => factory(yTrue, yPred), name).toThrow(new RegExp(`^km\\.${family}\\.${name} was called with a tensor, as tf\\.${family} functions are \\(yTrue, yPred\\), but it has no tensor form.*compile.*model\\.evaluate\\(x, yTrue\\)`));
      expect(() => factory(tf.tensor([1]), tf.tensor([1])), name).toThrow(/was called with a tensor/);
    }
  });

  it('a factory given to compile uncalled says to call it', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
    expect(() => model.compile({ optimizer: 'sgd', loss: km.losses.meanSquaredError as never })).toThrow(/compile's loss is the factory km\.losses\.meanSquaredError, not called.*loss: km\.losses\.meanSquaredError\(\)/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [km.metrics.MSE as never] })).toThrow(/km\.metrics\.meanSquaredError, not called.*metrics: \[km\.metrics\.meanSquaredError\(\)\]/);
    // Every factory is known as one (those in ON_TENSORS compute on tensors: they are no factories).
    const factories = (family: 'losses' | 'metrics') => Object.entries(km[family]).filter(([name, value]) => typeof value === 'function' && !ON_TENSORS.includes(name));
    for (const [name, factory] of factories('losses')) expect(() => model.compile({ optimizer: 'sgd', loss: factory as never }), name).toThrow(/is the factory km\.losses\.\w+, not called/);
    for (const [name, factory] of factories('metrics')) expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [factory as never] }), name).toThrow(/is the factory km\.metrics\.\w+, not called/);
  });

  it('compile given an undefined loss, metric or optimizer names the missing km member and lists what exists', () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
    const absent = (km.losses as Record<string, unknown>).cosineDistances as never;
    expect(() => model.compile({ optimizer: 'sgd', loss: absent })).toThrow(/compile's loss is undefined: probably a km\.losses member that does not exist.*km\.losses has: .*meanSquaredError/);
    expect(() => model.compile({ optimizer: 'sgd', loss: [absent] })).toThrow(/compile's loss is undefined/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [absent] })).toThrow(/compile's metric is undefined: probably a km\.metrics member.*km\.metrics has: .*binaryAccuracy/);
    expect(() => model.compile({ optimizer: absent, loss: 'mse' })).toThrow(/compile's optimizer is undefined: probably a km\.optimizers member.*km\.optimizers has: .*momentum/);
    const messageOf = (args: object) => { try { model.compile(args as never); } catch (e) { return (e as Error).message; } };
    expect(messageOf({ optimizer: absent, loss: 'mse' })).not.toMatch(/getOptimizer/);
    expect(messageOf({ optimizer: 'sgd', loss: 'mse', metrics: [absent] })).not.toMatch(/confusionMatrix/);
    expect(() => model.compile({ loss: 'mse' } as never)).toThrow(/compile needs an optimizer/);
  });
});
