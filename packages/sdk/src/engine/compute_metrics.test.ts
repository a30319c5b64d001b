// Model.computeMetrics (Keras 3's compute_metrics) inside a trainStep, against kerasm's own fit on
// the same batches (a partial last batch included), per-output metrics of two heads, sample-weighted
// metrics against a naive loop, calls outside a step, and the metrics and inputs it refuses. Its
// running results over epochs: compute_metrics_running.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';
import { expectClose } from '../testing/expect_close.js';
import { measuredStep } from '../testing/measured_step.js';

beforeAll(() => km.ready());
afterAll(() => useBackend('wasm'));

const random = new Random(43);
const uniform = (shape: number[]) => km.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)), shape);

class Measured extends km.Functional {
  override trainStep = measuredStep;
}

const n = 21;
const x = uniform([n, 4]);
const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32');
const oneHot = km.utils.toCategorical(labels, 3);
const sampleWeight = km.tensor(Float32Array.from({ length: n }, (_, i) => 0.25 + (i % 4) * 0.5), [n]);

/** [4] -> tanh(5) -> `units`, as a model with measuredStep and as a plain one with the same weights. */
function twins(units: number, activation: 'linear' | 'softmax'): [km.Functional, km.LayersModel] {
  const build = (made: (args: km.FunctionalModelArgs) => km.Functional) => {
    km.utils.setRandomSeed(9);
    const input = km.input({ shape: [4] });
    return made({ inputs: input, outputs: km.layers.dense({ units, activation }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) as km.SymbolicTensor });
  };
  const own = build((args) => new Measured(args));
  const builtIn = build((args) => km.model(args));
  builtIn.setWeights(own.getWeights());
  return [own, builtIn];
}

describe('computeMetrics logs what fit logs', () => {
  it.each([
    { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], units: 3, activation: 'softmax', targets: labels, weighted: {} },
    { loss: 'categoricalCrossentropy', metrics: ['accuracy', 'categoricalCrossentropy'], units: 3, activation: 'softmax', targets: oneHot, weighted: {} },
    { loss: 'meanSquaredError', metrics: ['mae', 'mse'], units: 2, activation: 'linear', targets: uniform([n, 2]), weighted: {} },
    // Unweighted metrics beside sample weights: the loss is weighted, the metrics are not.
    { loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], units: 3, activation: 'softmax', targets: labels, weighted: { sampleWeight } },
  ] as const)('$loss with $metrics, batches of 8 of 21 samples (sample weights: $weighted)', async ({ loss, metrics, units, activation, targets, weighted }) => {
    const [own, builtIn] = twins(units, activation);
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.02), loss, metrics: [...metrics] });
    const args = { epochs: 3, batchSize: 8, seed: 3, verbose: 0, ...weighted } as const;
    const ownLogs = (await own.fit(x, targets, args)).history;
    const builtInLogs = (await builtIn.fit(x, targets, args)).history;
    expect(Object.keys(ownLogs).sort()).toEqual(Object.keys(builtInLogs).sort());
    for (const key of Object.keys(builtInLogs)) expectClose(ownLogs[key] as number[], builtInLogs[key] as number[], key === 'loss' || key.includes('entropy') ? 1e-4 : 1e-5);
  });

  it('weighs weightedMetrics by sampleWeight as fit does, checked on one batch and against a naive loop', async () => {
    const [own, builtIn] = twins(3, 'softmax');
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'], weightedMetrics: ['accuracy', 'mse'] });
    const probabilities = (own.predict(x) as km.Tensor).dataSync();
    const logs = (await own.trainOnBatch(x, oneHot, { sampleWeight, returnDict: true })) as Record<string, number>;
    const builtInLogs = (await builtIn.trainOnBatch(x, oneHot, { sampleWeight, returnDict: true })) as Record<string, number>;
    expect(Object.keys(logs).sort()).toEqual(['accuracy', 'loss', 'mse', 'weighted_accuracy']);
    for (const key of ['accuracy', 'weighted_accuracy', 'mse']) expectClose([logs[key]], [builtInLogs[key]]);
    // Naive float64 references: Σ w·[argmax = label] / Σ w, and Σ w·Σ_j (p_j − onehot_j)² / (3·Σ w).
    const w = sampleWeight.dataSync();
    const label = labels.dataSync();
    let [hits, squares, total] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const row = Array.from(probabilities.subarray(i * 3, i * 3 + 3));
      if (row.indexOf(Math.max(...row)) === label[i]) hits += w[i];
      squares += w[i] * row.reduce((sum, p, j) => sum + (p - (j === label[i] ? 1 : 0)) ** 2, 0);
      total += w[i];
    }
    expectClose([logs.weighted_accuracy, logs.mse], [hits / total, squares / (3 * total)]);
  });

  it("in a testStep, evaluate's logs are evaluate's own", async () => {
    class Tested extends km.Functional {
      override testStep([xs, ys]: km.StepData): km.StepLogs {
        const yPred = this.apply(xs as km.Tensor);
        return { loss: this.computeLoss(ys, yPred), ...this.computeMetrics(ys, yPred) };
      }
    }
    const [own, builtIn] = twins(3, 'softmax');
    const tested = new Tested({ inputs: own.inputs, outputs: own.outputs });
    for (const model of [tested, builtIn]) model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy', 'sparseCategoricalCrossentropy'] });
    const ownLogs = (await tested.evaluate(x, labels, { batchSize: 5, verbose: 0, returnDict: true })) as Record<string, number>;
    const builtInLogs = (await builtIn.evaluate(x, labels, { batchSize: 5, verbose: 0, returnDict: true })) as Record<string, number>;
    expect(Object.keys(ownLogs).sort()).toEqual(Object.keys(builtInLogs).sort());
    for (const key of Object.keys(builtInLogs)) expectClose([ownLogs[key]], [builtInLogs[key]], 1e-5);
  });

  it("names two heads' metrics as fit's logs do", async () => {
    const build = (made: (args: km.FunctionalModelArgs) => km.Functional) => {
      km.utils.setRandomSeed(11);
      const input = km.input({ shape: [4] });
      const hidden = km.layers.dense({ units: 5, activation: 'tanh' }).apply(input);
      const value = km.layers.dense({ units: 2, name: 'value' }).apply(hidden) as km.SymbolicTensor;
      const label = km.layers.dense({ units: 3, activation: 'softmax', name: 'label' }).apply(hidden) as km.SymbolicTensor;
      return made({ inputs: input, outputs: [value, label] });
    };
    const own = build((args) => new Measured(args));
    const builtIn = build((args) => km.model(args));
    builtIn.setWeights(own.getWeights());
    const compile = { loss: { value: 'meanSquaredError', label: 'sparseCategoricalCrossentropy' }, metrics: { value: ['mae'], label: ['accuracy'] } } as const;
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.02), ...compile } as km.ModelCompileArgs);
    const targets = { value: uniform([n, 2]), label: labels };
    const args = { epochs: 2, batchSize: 8, seed: 5, verbose: 0 } as const;
    const ownLogs = (await own.fit(x, targets, args)).history;
    const builtInLogs = (await builtIn.fit(x, targets, args)).history;
    expect(Object.keys(ownLogs).sort()).toEqual(['label_accuracy', 'loss', 'value_mae']);
    for (const key of Object.keys(ownLogs)) expectClose(ownLogs[key] as number[], builtInLogs[key] as number[], 1e-4);
    // The same values from targets and predictions as lists in output order.
    const yPred = own.predict(x) as km.Tensor[];
    expect(own.computeMetrics([targets.value, labels], yPred)).toEqual(own.computeMetrics(targets, { value: yPred[0], label: yPred[1] }));
  });
});

describe('computeMetrics outside a step', () => {
  it("counts the batch alone: rmse against a naive loop, twice the same", () => {
    const [own] = twins(3, 'softmax');
    own.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['rmse'] });
    const yPred = own.predict(x) as km.Tensor;
    const p = yPred.dataSync();
    const target = oneHot.dataSync();
    let squares = 0;
    for (let i = 0; i < p.length; i++) squares += (p[i] - target[i]) ** 2;
    expectClose([own.computeMetrics(oneHot, yPred).rmse], [Math.sqrt(squares / p.length)]);
    expectClose([own.computeMetrics(oneHot, yPred).rmse], [Math.sqrt(squares / p.length)]);
  });
});

describe('computeMetrics refuses', () => {
  it.each(['auc', 'precision'])('%s, counted on the host, outside a step, naming where it is given', (metric) => {
    const [own] = twins(3, 'softmax');
    own.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy', metric] });
    expect(() => own.computeMetrics(oneHot, own.predict(x) as km.Tensor)).toThrow(
      new RegExp(`Measured\\.computeMetrics cannot give metric '${metric}' outside a step: it counts on the host.*Return the metrics from trainStep or testStep`),
    );
  });

  it('outside a step on the tfjs-cpu backend, whose metric kernels answer asynchronously, naming wasm', async () => {
    await useBackend('tfjs-cpu');
    const [own] = twins(3, 'softmax');
    own.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    let message = '';
    try {
      own.computeMetrics(labels, own.apply(x));
    } catch (error) {
      message = (error as Error).message;
    }
    own.dispose();
    await useBackend('wasm');
    expect(message).toMatch(/Measured\.computeMetrics reads metric 'accuracy' back synchronously, which backend 'tfjs-cpu' cannot.*await km\.setBackend\('wasm'\)/);
  });

  it('targets and predictions not of the batch, and an uncompiled model', () => {
    const [own] = twins(3, 'softmax');
    expect(() => own.computeMetrics(labels, own.predict(x) as km.Tensor)).toThrow(/Measured\.computeMetrics computes the metrics compile was given, but Measured is not compiled yet/);
    own.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const yPred = own.predict(x) as km.Tensor;
    expect(() => own.computeMetrics(labels, km.ones([n, 2]))).toThrow(/yPred must be the model's output for the batch, a float32 tensor of shape \[batch, 3\].*Received: a float32 tensor of shape \[21, 2\]/);
    expect(() => own.computeMetrics(km.slice(labels, [0], [4]), yPred)).toThrow(/y has 4 samples but yPred has 21/);
    expect(() => own.computeMetrics('y' as unknown as km.Tensor, yPred)).toThrow(/y must be the batch's targets, a km\.Tensor \(the step's data\[1\]\)\. Received: string y/);
    expect(() => own.computeMetrics([labels, labels], yPred)).toThrow(/y is a list of 2, but the model has 1 outputs/);
    expect(() => own.computeMetrics({ other: labels }, yPred)).toThrow(/y has unknown key 'other'/);
    expect(() => own.computeMetrics(labels, [yPred, yPred])).toThrow(/yPred is a list of 2, but the model has 1 outputs/);
    expect(() => own.computeMetrics(km.tensor(new Int32Array(n).fill(7), [n], 'int32'), yPred)).toThrow(/Label 7 at index 0 is out of range for an output of 3 classes/);
  });
});
