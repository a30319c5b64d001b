import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE as BACKENDS, useBackend } from '../testing/backends_here.js';

// Every optimizer and loss trains the same small model alike on every backend here.
describe('every optimizer and loss on every backend', () => {
  const random = new Random(77);
  const features = km.tensor(Array.from({ length: 32 }, () => Array.from({ length: 6 }, () => random.uniform(-1, 1))));
  const unitTargets = km.tensor(Array.from({ length: 32 }, () => Array.from({ length: 3 }, () => random.next())));
  const oneHotTargets = km.utils.toCategorical(km.tensor(Array.from({ length: 32 }, (_, i) => (i * 7) % 3), undefined, 'int32'), 3);
  const labelTargets = km.tensor(Array.from({ length: 32 }, (_, i) => (i * 5) % 3), undefined, 'int32');
  const signTargets = km.tensor(Array.from({ length: 32 }, () => Array.from({ length: 3 }, () => (random.next() > 0.5 ? 1 : -1))));
  afterAll(() => useBackend('wasm'));

  async function losses(name: string, optimizer: () => km.optimizers.Optimizer, loss: string | km.losses.Loss, activation: 'sigmoid' | 'linear' | 'softmax', y: km.Tensor, fitArgs: km.ModelFitArgs = {}): Promise<number[]> {
    await useBackend(name);
    km.utils.setRandomSeed(8);
    const model = km.sequential([km.layers.dense({ units: 5, activation: 'tanh', inputShape: [6] }), km.layers.dense({ units: 3, activation })]);
    model.compile({ optimizer: optimizer(), loss });
    return (await model.fit(features, y, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0, ...fitArgs })).history.loss;
  }

  const optimizers: [string, () => km.optimizers.Optimizer][] = [
    ['adam', () => km.optimizers.adam({ learningRate: 0.01 })],
    ['adam amsgrad', () => km.optimizers.adam({ learningRate: 0.01, amsgrad: true })],
    ['adamw', () => km.optimizers.adamw({ learningRate: 0.01 })],
    ['sgd nesterov', () => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
    ['rmsprop centered', () => km.optimizers.rmsprop({ learningRate: 0.01, centered: true, momentum: 0.5 })],
    ['adagrad', () => km.optimizers.adagrad({ learningRate: 0.1 })],
    ['adamax', () => km.optimizers.adamax({ learningRate: 0.01 })],
    ['nadam', () => km.optimizers.nadam({ learningRate: 0.01 })],
    ['adadelta', () => km.optimizers.adadelta({ learningRate: 1 })],
    ['lion', () => km.optimizers.lion({ learningRate: 0.01, weightDecay: 0.1 })],
    ['ftrl', () => km.optimizers.ftrl({ learningRate: 0.1, l1RegularizationStrength: 0.001, l2ShrinkageRegularizationStrength: 0.01 })],
    ['lamb clipnorm weightDecay', () => km.optimizers.lamb({ learningRate: 0.05, clipnorm: 0.5, weightDecay: 0.01 })],
    ['adafactor clipvalue', () => km.optimizers.adafactor({ learningRate: 0.1, clipvalue: 0.05 })],
    ['adam useEma emaOverwriteFrequency', () => km.optimizers.adam({ learningRate: 0.01, useEma: true, emaMomentum: 0.5, emaOverwriteFrequency: 2 })],
    ['sgd clipnorm', () => km.optimizers.sgd({ learningRate: 0.5, clipnorm: 0.1 })],
    ['sgd clipvalue', () => km.optimizers.sgd({ learningRate: 0.5, clipvalue: 0.01 })],
    ['sgd globalClipnorm', () => km.optimizers.sgd({ learningRate: 0.5, globalClipnorm: 0.1 })],
  ];
  const lossCases: [string, string | km.losses.Loss, 'sigmoid' | 'linear' | 'softmax', () => km.Tensor][] = [
    ['meanAbsoluteError', 'mae', 'linear', () => unitTargets],
    ['meanAbsolutePercentageError', 'mape', 'sigmoid', () => unitTargets],
    ['meanSquaredLogarithmicError', 'msle', 'sigmoid', () => unitTargets],
    ['huber', km.losses.huber({ delta: 0.3 }), 'linear', () => unitTargets],
    ['logCosh', 'logCosh', 'linear', () => unitTargets],
    ['poisson', 'poisson', 'sigmoid', () => unitTargets],
    ['kullbackLeiblerDivergence', 'kld', 'softmax', () => unitTargets],
    ['hinge', 'hinge', 'linear', () => signTargets],
    ['squaredHinge', 'squaredHinge', 'linear', () => signTargets],
    ['binaryCrossentropy fromLogits + smoothing', km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), 'linear', () => unitTargets],
    ['categoricalHinge', 'categoricalHinge', 'linear', () => oneHotTargets],
    ['cosineSimilarity', 'cosineSimilarity', 'linear', () => unitTargets],
    ['categoricalCrossentropy + smoothing', km.losses.categoricalCrossentropy({ labelSmoothing: 0.2 }), 'softmax', () => oneHotTargets],
    ['sparseCategoricalCrossentropy fromLogits + smoothing', km.losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }), 'linear', () => labelTargets],
  ];
  const weights = Array.from({ length: 32 }, (_, i) => (i % 4) * 0.5);

  for (const name of BACKENDS.filter((n) => n !== 'wasm')) {
    it.each(optimizers)(`${name}: %s`, async (_label, optimizer) => {
      const reference = await losses('wasm', optimizer, 'mse', 'linear', unitTargets);
      const ours = await losses(name, optimizer, 'mse', 'linear', unitTargets);
      ours.forEach((l, i) => expect(Math.abs(l - reference[i]) / Math.max(1e-3, reference[i])).toBeLessThan(1e-4));
      expect(reference[3]).toBeLessThan(reference[0]);
    });
    it.each(lossCases)(`${name}: loss %s`, async (_label, loss, activation, y) => {
      const optimizer = () => km.optimizers.sgd({ learningRate: 0.05 });
      const reference = await losses('wasm', optimizer, loss, activation, y());
      const ours = await losses(name, optimizer, loss, activation, y());
      ours.forEach((l, i) => expect(Math.abs(l - reference[i]) / Math.max(1e-3, Math.abs(reference[i]))).toBeLessThan(1e-4));
    });
    it(`${name}: kernel and bias regularizers follow the wasm backend`, async () => {
      const run = async (backendName: string) => {
        await useBackend(backendName);
        km.utils.setRandomSeed(8);
        const model = km.sequential([
          km.layers.dense({ units: 5, activation: 'tanh', inputShape: [6], kernelRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.05 }), biasRegularizer: km.regularizers.l2() }),
          km.layers.dense({ units: 3, kernelRegularizer: km.regularizers.l1() }),
        ]);
        model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
        return (await model.fit(features, unitTargets, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
      };
      const reference = await run('wasm');
      const ours = await run(name);
      ours.forEach((l, i) => expect(Math.abs(l - reference[i]) / Math.max(1e-3, reference[i])).toBeLessThan(1e-4));
    });
    it(`${name}: constraints and activity regularizers follow the wasm backend`, async () => {
      const run = async (backendName: string) => {
        await useBackend(backendName);
        km.utils.setRandomSeed(8);
        const model = km.sequential([
          km.layers.dense({ units: 5, activation: 'tanh', inputShape: [6], kernelConstraint: km.constraints.maxNorm({ maxValue: 0.5 }), biasConstraint: km.constraints.nonNeg(), activityRegularizer: km.regularizers.l1l2({ l1: 0.01, l2: 0.02 }) }),
          km.layers.dense({ units: 3, kernelConstraint: km.constraints.minMaxNorm({ minValue: 0.3, maxValue: 0.6, rate: 0.5 }) }),
        ]);
        model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
        // Losses after the first epoch depend on the constrained weights (which WebGPU cannot hand back synchronously).
        return (await model.fit(features, unitTargets, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 })).history.loss;
      };
      const reference = await run('wasm');
      const ours = await run(name);
      ours.forEach((l, i) => expect(Math.abs(l - reference[i]) / Math.max(1e-3, reference[i])).toBeLessThan(1e-4));
    });
    it(`${name}: every metric follows the wasm backend's values`, async () => {
      const run = async (backendName: string) => {
        await useBackend(backendName);
        km.utils.setRandomSeed(8);
        const model = km.sequential([km.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [6] })]);
        const metrics = ['binaryAccuracy', 'categoricalAccuracy', 'auc', km.metrics.auc({ curve: 'PR', name: 'pr' }), 'precision', 'recall', 'mae', 'mse', 'rmse', km.metrics.topKCategoricalAccuracy({ k: 2 })];
        model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'binaryCrossentropy', metrics });
        return (await model.fit(features, oneHotTargets, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 })).history;
      };
      const reference = await run('wasm');
      const ours = await run(name);
      expect(Object.keys(ours)).toEqual(Object.keys(reference));
      for (const key of Object.keys(reference)) ours[key].forEach((v, i) => expect(Math.abs(v - reference[key][i])).toBeLessThan(1e-4));
    });
    it.each([
      ['sparseCategoricalCrossentropy', 'softmax', () => labelTargets],
      ['mse', 'linear', () => unitTargets],
    ] as const)(`${name}: sample weights with %s`, async (loss, activation, y) => {
      const optimizer = () => km.optimizers.sgd({ learningRate: 0.05 });
      const reference = await losses('wasm', optimizer, loss, activation, y(), { sampleWeight: weights });
      const ours = await losses(name, optimizer, loss, activation, y(), { sampleWeight: weights });
      ours.forEach((l, i) => expect(Math.abs(l - reference[i]) / Math.max(1e-3, Math.abs(reference[i]))).toBeLessThan(1e-4));
    });
  }
});

// Convolution, pooling, dropout and merge layers on every backend, against the wasm backend's
// trajectory (the wasm kernels themselves are checked against naive loops in core-wasm).
