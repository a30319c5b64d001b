// computeMetrics' running results (Keras 3's compute_metrics): inside trainStep and testStep the
// compiled metrics count from the start of the epoch or test pass, and the logs hold their latest
// result. Checked against kerasm's own fit and evaluate (epoch-counted metrics included, partial
// last batches, shuffle off), and with weightedMetrics against a naive float64 loop over the
// predictions each step made, epoch by epoch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';
import { expectClose } from '../testing/expect_close.js';
import { measuredStep } from '../testing/measured_step.js';

beforeAll(() => km.ready());
afterAll(() => useBackend('wasm'));

const random = new Random(57);
const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape);

/** Keras' customizing-evaluate test step. */
function measuredTestStep(this: km.LayersModel, [xs, ys, sampleWeight]: km.StepData): km.StepLogs {
  const yPred = this.apply(xs as km.Tensor);
  return { loss: this.computeLoss(ys, yPred, sampleWeight as km.Tensor | undefined), ...this.computeMetrics(ys, yPred, sampleWeight as km.Tensor | undefined) };
}

class Measured extends km.Functional {
  override trainStep = measuredStep;
  override testStep = measuredTestStep;
}

const n = 21;
const x = uniform([n, 4]);
const binaryTargets = km.tensor(Float32Array.from({ length: n * 2 }, (_, i) => ((i * 5) % 7 < 3 ? 1 : 0)), [n, 2]);
const validationX = uniform([13, 4]);
const validationY = km.tensor(Float32Array.from({ length: 26 }, (_, i) => ((i * 3) % 5 < 2 ? 1 : 0)), [13, 2]);
const epochCounted = ['accuracy', 'auc', 'precision', 'recall', 'rmse'];

/** [4] -> tanh(5) -> `units`, as a model with its own steps and as a plain one with the same weights. */
function twins(units: number, activation: 'sigmoid' | 'softmax'): [Measured, km.LayersModel] {
  const build = (made: (args: km.FunctionalModelArgs) => km.Functional) => {
    km.utils.setRandomSeed(17);
    const input = km.input({ shape: [4] });
    return made({ inputs: input, outputs: km.layers.dense({ units, activation }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) as km.SymbolicTensor });
  };
  const own = build((args) => new Measured(args)) as Measured;
  const builtIn = build((args) => km.model(args));
  builtIn.setWeights(own.getWeights());
  return [own, builtIn];
}

const lossTolerance = (key: string) => (key.endsWith('loss') ? 1e-4 : 1e-5);

describe("computeMetrics' running results log what fit and evaluate log", () => {
  it('fit, with validation through testStep: accuracy, auc, precision, recall, rmse over batches of 8 of 21, unshuffled', async () => {
    const [own, builtIn] = twins(2, 'sigmoid');
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.05), loss: 'binaryCrossentropy', metrics: [...epochCounted] });
    const args = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, validationData: [validationX, validationY] as [km.Tensor, km.Tensor] } as const;
    const ownLogs = (await own.fit(x, binaryTargets, args)).history;
    const builtInLogs = (await builtIn.fit(x, binaryTargets, args)).history;
    expect(Object.keys(ownLogs).sort()).toEqual(['loss', ...epochCounted, 'val_loss', ...epochCounted.map((m) => `val_${m}`)].sort());
    for (const key of Object.keys(builtInLogs)) expectClose(ownLogs[key] as number[], builtInLogs[key] as number[], lossTolerance(key));
  });

  it('evaluate through testStep, twice in a row (each pass starts from zero), and testOnBatch; a metric function of your own too', async () => {
    const [own, builtIn] = twins(2, 'sigmoid');
    const meanError = (yTrue: km.Tensor, yPred: km.Tensor) => km.mean(km.abs(km.sub(yPred, yTrue)), -1);
    for (const model of [own, builtIn]) model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: [...epochCounted, meanError] });
    const expected = (await builtIn.evaluate(x, binaryTargets, { batchSize: 5, verbose: 0, returnDict: true })) as Record<string, number>;
    for (let pass = 0; pass < 2; pass++) {
      const logs = (await own.evaluate(x, binaryTargets, { batchSize: 5, verbose: 0, returnDict: true })) as Record<string, number>;
      expect(Object.keys(logs).sort()).toEqual(['loss', ...epochCounted, 'meanError'].sort());
      for (const key of Object.keys(expected)) expectClose([logs[key]], [expected[key]], lossTolerance(key));
    }
    const slice = [km.slice(x, [0, 0], [9, 4]), km.slice(binaryTargets, [0, 0], [9, 2])] as const;
    const onBatch = (await own.testOnBatch(...slice, { returnDict: true })) as Record<string, number>;
    const builtInOnBatch = (await builtIn.testOnBatch(...slice, { returnDict: true })) as Record<string, number>;
    for (const key of Object.keys(builtInOnBatch)) expectClose([onBatch[key]], [builtInOnBatch[key]], lossTolerance(key));
  });

  it('fit(dataset) with a validation dataset, and evaluate(dataset): the same batches as tensors give', async () => {
    const [own, builtIn] = twins(2, 'sigmoid');
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.05), loss: 'binaryCrossentropy', metrics: [...epochCounted] });
    const batchesOf = (xs: km.Tensor, ys: km.Tensor, size: number) =>
      km.data.array(Array.from({ length: Math.ceil(xs.shape[0] / size) }, (_, b) => {
        const count = Math.min(size, xs.shape[0] - b * size);
        return { xs: km.slice(xs, [b * size, 0], [count, 4]), ys: km.slice(ys, [b * size, 0], [count, 2]) };
      }));
    const ownLogs = (await own.fit(batchesOf(x, binaryTargets, 8), { epochs: 2, verbose: 0, validationData: batchesOf(validationX, validationY, 5) })).history;
    const builtInLogs = (await builtIn.fit(x, binaryTargets, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, validationData: [validationX, validationY], validationBatchSize: 5 })).history;
    expect(Object.keys(ownLogs).sort()).toEqual(Object.keys(builtInLogs).sort());
    for (const key of Object.keys(builtInLogs)) expectClose(ownLogs[key] as number[], builtInLogs[key] as number[], lossTolerance(key));
    const evaluated = (await own.evaluate(batchesOf(x, binaryTargets, 5), { verbose: 0, returnDict: true })) as Record<string, number>;
    const expected = (await builtIn.evaluate(x, binaryTargets, { batchSize: 5, verbose: 0, returnDict: true })) as Record<string, number>;
    for (const key of Object.keys(expected)) expectClose([evaluated[key]], [expected[key]], lossTolerance(key));
  });

  it("a model defining testStep alone: fit's own training, validation through testStep", async () => {
    class Tested extends km.Functional {
      override testStep = measuredTestStep;
    }
    const [own, builtIn] = twins(2, 'sigmoid');
    const tested = new Tested({ inputs: own.inputs, outputs: own.outputs });
    for (const model of [tested, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.05), loss: 'binaryCrossentropy', metrics: [...epochCounted] });
    const args = { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, validationData: [validationX, validationY] as [km.Tensor, km.Tensor] } as const;
    const ownLogs = (await tested.fit(x, binaryTargets, args)).history;
    const builtInLogs = (await builtIn.fit(x, binaryTargets, args)).history;
    expect(Object.keys(ownLogs).sort()).toEqual(Object.keys(builtInLogs).sort());
    for (const key of Object.keys(builtInLogs)) expectClose(ownLogs[key] as number[], builtInLogs[key] as number[], lossTolerance(key));
  });
});

describe("a metric's error, thrown once its count is read", () => {
  it("rejects fit with the metric's message", async () => {
    const [own] = twins(3, 'softmax');
    own.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['precision'] });
    const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
    await expect(own.fit(x, labels, { epochs: 1, batchSize: 8, verbose: 0 })).rejects.toThrow(/Precision, recall, AUC and the confusion counts compare each output with a 0\/1 target/);
  });
});

describe('weightedMetrics with sample weights: the epoch\'s weighted mean, as in Keras', () => {
  /** What one step saw: its predictions, one-hot targets and sample weights, copied. */
  interface Seen {
    p: Float32Array;
    y: Float32Array;
    w: Float32Array;
  }

  /** Keeps what each training step and each test step saw. */
  class Recorded extends km.Functional {
    readonly seen: Seen[] = [];
    readonly tested: Seen[] = [];
    override trainStep(data: km.StepData): km.StepLogs {
      this.seen.push(this.#copy(data));
      // A value the step computes itself is still averaged over the batches by their sizes.
      return { ...measuredStep.call(this, data), size: (data[0] as km.Tensor).shape[0] };
    }
    override testStep(data: km.StepData): km.StepLogs {
      this.tested.push(this.#copy(data));
      return measuredTestStep.call(this, data);
    }
    #copy([xs, ys, sampleWeight]: km.StepData): Seen {
      const copied = (t: unknown) => (t as km.Tensor).dataSync().slice() as Float32Array;
      return { p: copied(this.apply(xs as km.Tensor)), y: copied(ys), w: copied(sampleWeight) };
    }
  }

  /** Naive float64 references over the batches `seen`: Keras' Σ w·v / Σ w, and the unweighted accuracy. */
  function reference(seen: readonly Seen[], classes: number) {
    let [hits, weightedHits, squares, weights, samples, tp, fp] = [0, 0, 0, 0, 0, 0, 0];
    for (const { p, y, w } of seen) {
      for (let i = 0; i < w.length; i++) {
        const row = Array.from(p.subarray(i * classes, (i + 1) * classes));
        const truth = Array.from(y.subarray(i * classes, (i + 1) * classes));
        const hit = row.indexOf(Math.max(...row)) === truth.indexOf(1) ? 1 : 0;
        hits += hit;
        weightedHits += w[i] * hit;
        squares += w[i] * row.reduce((sum, v, j) => sum + (v - truth[j]) ** 2, 0);
        for (let j = 0; j < classes; j++) {
          if (row[j] > Math.fround(0.5)) (truth[j] !== 0 ? (tp += w[i]) : (fp += w[i]));
        }
        weights += w[i];
        samples++;
      }
    }
    return { accuracy: hits / samples, weighted_accuracy: weightedHits / weights, mse: squares / (classes * weights), precision: tp / (tp + fp) };
  }

  const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32');
  const sampleWeight = km.tensor(Float32Array.from({ length: n }, (_, i) => 0.25 + (i % 4) * 0.5), [n]);
  const validationLabels = km.tensor(Int32Array.from({ length: 13 }, (_, i) => (i * 5) % 3), [13], 'int32');
  const validationWeight = km.tensor(Float32Array.from({ length: 13 }, (_, i) => 1.5 - (i % 3) * 0.5), [13]);
  const keys = ['accuracy', 'weighted_accuracy', 'mse', 'precision'] as const;

  function recorded(): Recorded {
    km.utils.setRandomSeed(23);
    const input = km.input({ shape: [4] });
    const model = new Recorded({ inputs: input, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) as km.SymbolicTensor });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy', 'mse', 'precision'] });
    return model;
  }

  it('fit: each epoch and each batch, epoch by epoch from zero, and validation', async () => {
    const model = recorded();
    const batchLogs: Record<string, number>[] = [];
    const history = await model.fit(x, km.utils.toCategorical(labels, 3), {
      epochs: 2, batchSize: 8, shuffle: false, verbose: 0, sampleWeight,
      validationData: [validationX, km.utils.toCategorical(validationLabels, 3), validationWeight],
      callbacks: { onTrainBatchEnd: async (_batch, logs) => void batchLogs.push({ ...(logs as Record<string, number>) }) },
    });
    expect(model.seen.length).toBe(6);
    // 13 validation samples in batches of 8: two test steps per epoch.
    expect(model.tested.length).toBe(4);
    for (let epoch = 0; epoch < 2; epoch++) {
      const expected = reference(model.seen.slice(epoch * 3, epoch * 3 + 3), 3);
      expectClose(keys.map((key) => (history.history[key] as number[])[epoch]), keys.map((key) => expected[key]));
      for (let batch = 0; batch < 3; batch++) {
        const soFar = reference(model.seen.slice(epoch * 3, epoch * 3 + batch + 1), 3);
        expectClose(keys.map((key) => batchLogs[epoch * 3 + batch][key]), keys.map((key) => soFar[key]));
      }
      const validated = reference(model.tested.slice(epoch * 2, epoch * 2 + 2), 3);
      expectClose(keys.map((key) => (history.history[`val_${key}`] as number[])[epoch]), keys.map((key) => validated[key]));
    }
    // The epochs' values differ (the model trains), so epoch 2 did not go on from epoch 1's counts.
    const bothEpochs = reference(model.seen, 3);
    expect(Math.abs((history.history.mse as number[])[1] - bothEpochs.mse)).toBeGreaterThan(1e-4);
    expectClose(history.history.size as number[], [(8 * 8 + 8 * 8 + 5 * 5) / n, (8 * 8 + 8 * 8 + 5 * 5) / n]);
  });

  it('evaluate through testStep, with sample weights, in batches of 5 of 21', async () => {
    const model = recorded();
    const logs = (await model.evaluate(x, km.utils.toCategorical(labels, 3), { batchSize: 5, sampleWeight, verbose: 0, returnDict: true })) as Record<string, number>;
    expect(model.tested.length).toBe(5);
    const expected = reference(model.tested, 3);
    expectClose(keys.map((key) => logs[key]), keys.map((key) => expected[key]));
  });
});

describe('computeMetrics on a backend that reads the counts back asynchronously', () => {
  it("tfjs-cpu: evaluate through a testStep of metrics alone logs its own evaluate's metrics", async () => {
    class Metrics extends km.Functional {
      // computeLoss reads the loss synchronously, which tfjs-cpu cannot: the step logs the metrics alone.
      override testStep([xs, ys]: km.StepData): km.StepLogs {
        return this.computeMetrics(ys, this.apply(xs as km.Tensor));
      }
    }
    await useBackend('tfjs-cpu');
    const [own, builtIn] = twins(3, 'softmax');
    const metricsOnly = new Metrics({ inputs: own.inputs, outputs: own.outputs });
    const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 2) % 3), [n], 'int32');
    try {
      for (const model of [metricsOnly, builtIn]) model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'sparseCategoricalCrossentropy'] });
      const expected = (await builtIn.evaluate(x, labels, { batchSize: 8, verbose: 0, returnDict: true })) as Record<string, number>;
      const logs = (await metricsOnly.evaluate(x, labels, { batchSize: 8, verbose: 0, returnDict: true })) as Record<string, number>;
      expect(Object.keys(logs)).toEqual(Object.keys(expected).filter((key) => key !== 'loss'));
      for (const key of Object.keys(logs)) expectClose([logs[key]], [expected[key]], 1e-5);
    } finally {
      metricsOnly.dispose();
      builtIn.dispose();
      await useBackend('wasm');
    }
  });
});
