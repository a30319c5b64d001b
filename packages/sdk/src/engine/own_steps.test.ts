import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
}

const n = 21;
const random = new Random(5);
const x = km.tensor(Float32Array.from({ length: n * 4 }, () => random.uniform(-1, 1)), [n, 4]);
const y = km.tensor(Float32Array.from({ length: n * 2 }, () => random.uniform(-1, 1)), [n, 2]);

/** Keras' standard step, written out: the mean squared error of a training pass, its gradients, one optimizer step. */
class Regressor extends km.Model {
  readonly hidden = km.layers.dense({ units: 5, activation: 'tanh' });
  readonly out = km.layers.dense({ units: 2 });
  /** What each trainStep received, for the tests to inspect. */
  readonly seen: km.StepData[] = [];
  call(input: km.SymbolicTensor): km.SymbolicTensor {
    return this.out.apply(this.hidden.apply(input));
  }
  override trainStep(data: km.StepData): km.StepLogs {
    this.seen.push(data);
    const [xs, ys] = data as [km.Tensor, km.Tensor];
    const { value, grads } = km.variableGrads(() => km.losses.meanSquaredError(ys, this.apply(xs, { training: true }) as km.Tensor), this.trainableWeights);
    this.optimizer!.applyGradients(grads);
    return { loss: value, samples: xs.shape[0] };
  }
}

/** Regressor with Keras' test_step: the loss of an inference pass. */
class TestedRegressor extends Regressor {
  override testStep([xs, ys]: km.StepData): km.StepLogs {
    return { loss: km.losses.meanSquaredError(ys as km.Tensor, this.apply(xs as km.Tensor) as km.Tensor) };
  }
}

/** A Regressor (of `made`'s class) and the same layers as a functional model that fit trains itself, with equal weights. */
function twins<M extends Regressor>(made: () => M): { own: M; builtIn: km.Functional } {
  km.utils.setRandomSeed(3);
  const own = made();
  own.build([null, 4]);
  const input = km.input({ shape: [4] });
  const builtIn = km.model({ inputs: input, outputs: km.layers.dense({ units: 2 }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) });
  builtIn.setWeights(own.getWeights());
  return { own, builtIn };
}

const weightsOf = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe("a km.Model's own trainStep (Keras' train_step) under fit", () => {
  it("trains as fit's own step does: the same shuffled batches, epoch losses and weights, with partial batches", async () => {
    const { own, builtIn } = twins(() => new Regressor());
    own.compile({ optimizer: km.optimizers.adam(0.01) });
    builtIn.compile({ optimizer: km.optimizers.adam(0.01), loss: 'meanSquaredError' });
    const args = { epochs: 3, batchSize: 8, seed: 9, verbose: 0 } as const;
    const ownHistory = await own.fit(x, y, args);
    const builtInHistory = await builtIn.fit(x, y, args);
    expectClose(ownHistory.history.loss as number[], builtInHistory.history.loss as number[]);
    // Each epoch's logs are means over its batches weighted by their size: 8, 8 and 5 samples.
    expectClose(ownHistory.history.samples as number[], [(8 * 8 + 8 * 8 + 5 * 5) / 21, (8 * 8 + 8 * 8 + 5 * 5) / 21, (8 * 8 + 8 * 8 + 5 * 5) / 21]);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));
    expect(own.seen.map((data) => (data[0] as km.Tensor).shape[0])).toEqual([8, 8, 5, 8, 8, 5, 8, 8, 5]);
  });

  it('hands the step rows in the order shuffling gives, and in the form fit received: an object of inputs, and sampleWeight third', async () => {
    class Keyed extends km.Model {
      readonly dense = km.layers.dense({ units: 1 });
      readonly seen: km.StepData[] = [];
      call(inputs: km.ModelCallInputs): km.SymbolicTensor {
        const { a, b } = inputs as Record<string, km.SymbolicTensor>;
        return this.dense.apply(km.layers.concatenate().apply([a, b]) as km.SymbolicTensor);
      }
      override trainStep(data: km.StepData): km.StepLogs {
        this.seen.push(data.map((part) => (part instanceof km.Tensor ? part.arraySync() : Object.fromEntries(Object.entries(part).map(([k, t]) => [k, (t as km.Tensor).arraySync()])))) as unknown as km.StepData);
        return { loss: 0 };
      }
    }
    const ids = km.tensor(Float32Array.from({ length: 7 }, (_, i) => i), [7, 1]);
    const model = new Keyed();
    model.compile({ optimizer: 'sgd' });
    await model.fit({ a: ids, b: km.mul(ids, 10) }, km.mul(ids, 100), { epochs: 2, batchSize: 3, seed: 4, verbose: 0, sampleWeight: km.mul(km.reshape(ids, [7]), 1000) });
    const rows = model.seen.map((data) => ((data[0] as unknown as Record<string, number[][]>).a).map((r) => r[0]));
    expect(rows.map((r) => r.length)).toEqual([3, 3, 1, 3, 3, 1]);
    // Each epoch visits every sample once, and the two epochs' orders differ (seeded shuffling).
    expect(rows.slice(0, 3).flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.slice(3).flat().sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.slice(0, 3).flat()).not.toEqual(rows.slice(3).flat());
    for (const data of model.seen) {
      const a = (data[0] as unknown as Record<string, number[][]>).a.map((r) => r[0]);
      expect((data[0] as unknown as Record<string, number[][]>).b.map((r) => r[0])).toEqual(a.map((v) => v * 10));
      expect((data[1] as unknown as number[][]).map((r) => r[0])).toEqual(a.map((v) => v * 100));
      expect(data[2] as unknown as number[]).toEqual(a.map((v) => v * 1000));
    }
  });

  it("validates with testStep, or without one with the compiled loss, giving the built-in fit's val_loss", async () => {
    const { own, builtIn } = twins(() => new TestedRegressor());
    own.compile({ optimizer: 'sgd' });
    builtIn.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const args = { epochs: 2, batchSize: 4, validationSplit: 0.3, validationBatchSize: 5, shuffle: false, verbose: 0 } as const;
    const ownHistory = await own.fit(x, y, args);
    const builtInHistory = await builtIn.fit(x, y, args);
    expectClose(ownHistory.history.val_loss as number[], builtInHistory.history.val_loss as number[]);
    expect(own.seen.reduce((sum, data) => sum + (data[0] as km.Tensor).shape[0], 0)).toBe(2 * 14);

    const compiled = twins(() => new Regressor());
    compiled.own.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['meanAbsoluteError'] });
    compiled.builtIn.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['meanAbsoluteError'] });
    const [vx, vy] = [km.slice(x, [0, 0], [6, 4]), km.slice(y, [0, 0], [6, 2])];
    const withData = { epochs: 2, batchSize: 4, validationData: [vx, vy] as [km.Tensor, km.Tensor], shuffle: false, verbose: 0 } as const;
    const a = await compiled.own.fit(x, y, withData);
    const b = await compiled.builtIn.fit(x, y, withData);
    expectClose(a.history.val_loss as number[], b.history.val_loss as number[]);
    expectClose(a.history.val_meanAbsoluteError as number[], b.history.val_meanAbsoluteError as number[]);
  });

  it("evaluate runs testStep and gives its logs' means over the batches", async () => {
    const { own, builtIn } = twins(() => new TestedRegressor());
    own.compile({ optimizer: 'sgd' });
    builtIn.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [ownLoss] = (await own.evaluate(x, y, { batchSize: 6 })) as number[];
    const [builtInLoss] = (await builtIn.evaluate(x, y, { batchSize: 6, verbose: 0 })) as number[];
    expect(Math.abs(ownLoss - builtInLoss)).toBeLessThan(1e-6);
    expect(await own.evaluate(x, y, { returnDict: true, verbose: 0 })).toEqual({ loss: expect.closeTo(builtInLoss, 6) });
    // Test batch hooks see the running means, and stopEvaluating ends the pass after a batch's hooks.
    const seen: number[] = [];
    const [firstTwo] = (await own.evaluate(x, y, {
      batchSize: 6,
      verbose: 0,
      callbacks: {
        onTestBatchEnd: (batch: number, logs?: Record<string, number>) => {
          seen.push(logs!.loss);
          if (batch === 1) own.stopEvaluating = true;
        },
      },
    })) as number[];
    const [reference] = (await builtIn.evaluate(km.slice(x, [0, 0], [12, 4]), km.slice(y, [0, 0], [12, 2]), { verbose: 0 })) as number[];
    expect(seen).toHaveLength(2);
    expect(firstTwo).toBeCloseTo(reference, 6);
    expect(seen[1]).toBe(firstTwo);
  });

  it("keeps fit's callbacks: batch and epoch hooks see the step's logs, and stopTraining ends training", async () => {
    km.utils.setRandomSeed(1);
    const model = new Regressor();
    model.compile({ optimizer: 'sgd' });
    const batches: number[] = [];
    const history = await model.fit(x, y, {
      epochs: 5,
      batchSize: 10,
      verbose: 0,
      callbacks: {
        onBatchEnd: (_batch, logs) => void batches.push(logs!.loss),
        onEpochEnd: (epoch) => {
          if (epoch === 1) model.stopTraining = true;
        },
      },
    });
    expect(history.epoch).toEqual([0, 1]);
    expect(batches).toHaveLength(6);
    // Batch logs are the running means: after the third batch (1 sample) the epoch's mean.
    expect(batches[2]).toBeCloseTo(history.history.loss[0] as number, 6);
  });

  it('frees the tensors a step makes and the batches it receives, as km.tidy does, and keeps none of them', async () => {
    const made: km.Tensor[] = [];
    class Leaky extends Regressor {
      override trainStep(data: km.StepData): km.StepLogs {
        made.push(data[0] as km.Tensor, km.square(data[1] as km.Tensor));
        const logs = super.trainStep(data);
        made.push(logs.loss as km.Tensor);
        return logs;
      }
    }
    km.utils.setRandomSeed(1);
    const model = new Leaky();
    model.compile({ optimizer: 'sgd' });
    await model.fit(x, y, { epochs: 1, batchSize: 7, verbose: 0 });
    expect(made).toHaveLength(9);
    expect(made.every((t) => t.isDisposed)).toBe(true);
    expect(x.isDisposed || y.isDisposed).toBe(false);
  });
});

describe("trainOnBatch and testOnBatch run the model's own steps, as Keras' train_on_batch and test_on_batch do", () => {
  it("trainOnBatch takes one trainStep on all the rows, in order, and returns its logs; testOnBatch returns testStep's", async () => {
    const { own, builtIn } = twins(() => new TestedRegressor());
    own.compile({ optimizer: km.optimizers.sgd(0.1) });
    builtIn.compile({ optimizer: km.optimizers.sgd(0.1), loss: 'meanSquaredError' });
    const weights = km.tensor(Float32Array.from({ length: n }, (_, i) => 1 + (i % 3)), [n]);
    for (let step = 0; step < 3; step++) {
      const logs = (await own.trainOnBatch(x, y, { returnDict: true })) as Record<string, number>;
      const builtInLoss = (await builtIn.trainOnBatch(x, y)) as number;
      expect(logs.samples).toBe(n);
      expect(logs.loss).toBeCloseTo(builtInLoss, 5);
    }
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));
    expect(own.seen.at(-1)!.map((t) => (t as km.Tensor).shape)).toEqual([[n, 4], [n, 2]]);
    expect(await own.testOnBatch(x, y)).toBeCloseTo((await builtIn.testOnBatch(x, y)) as number, 5);
    await own.trainOnBatch(x, y, { sampleWeight: weights });
    expect(own.seen.at(-1)!.map((t) => (t as km.Tensor).shape)).toEqual([[n, 4], [n, 2], [n]]);
    await expect(own.trainOnBatch(x, y, { sampleWeight: weights, classWeight: { 0: 2 } })).rejects.toThrow(/trainOnBatch: pass classWeight or sampleWeight, not both/);
  });
});

describe("classWeight under a trainStep, as Keras gives it: per-sample weights as data[2]", () => {
  /** Records each step's data[2] and the rows' labels; logs nothing to train. */
  class Weighed extends km.Model {
    readonly dense = km.layers.dense({ units: 3 });
    readonly given: number[][] = [];
    readonly labels: number[][] = [];
    readonly tested: number[] = [];
    call(input: km.SymbolicTensor): km.SymbolicTensor {
      return this.dense.apply(input);
    }
    override trainStep(data: km.StepData): km.StepLogs {
      this.given.push(Array.from((data[2] as km.Tensor).dataSync()));
      const ys = data[1] as km.Tensor;
      this.labels.push(ys.rank === 1 ? Array.from(ys.dataSync()) : Array.from((ys.argMax(-1) as km.Tensor).dataSync()));
      return { loss: 0 };
    }
    override testStep(data: km.StepData): km.StepLogs {
      this.tested.push(data.length);
      return { loss: 0 };
    }
  }
  const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => i % 3), [n], 'int32');
  const classWeight = { 0: 1, 2: 5 };
  const expectWeighted = (model: Weighed) => model.given.forEach((w, b) => expect(w).toEqual(model.labels[b].map((c) => (c === 2 ? 5 : 1))));

  it('from integer labels and from one-hot rows, the training rows only; and per dataset batch', async () => {
    for (const y of [labels, km.oneHot(labels, 3)]) {
      const model = new Weighed();
      model.compile({ optimizer: 'sgd' });
      await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0, classWeight, validationSplit: 0.2 });
      expect(model.labels.flat().length).toBe(16);
      expectWeighted(model);
      // validationSplit's rows reach testStep unweighted, as Keras weighs only the training data.
      expect(model.tested).toEqual([2]);
    }
    const streamed = new Weighed();
    streamed.compile({ optimizer: 'sgd' });
    await streamed.fit(km.data.array([{ xs: km.slice(x, [0, 0], [10, 4]), ys: km.oneHot(km.slice(labels, [0], [10]), 3) }, { xs: km.slice(x, [10, 0], [11, 4]), ys: km.oneHot(km.slice(labels, [10], [11]), 3) }]), { epochs: 1, verbose: 0, classWeight });
    expect(streamed.labels.map((l) => l.length)).toEqual([10, 11]);
    expectWeighted(streamed);
  });
});

describe('own steps over a km.data dataset', () => {
  /** x and y in batches of 8 (the last of 5), as { xs, ys } elements. */
  const batches = () => km.data.array([0, 8, 16].map((start) => ({ xs: km.slice(x, [start, 0], [Math.min(8, n - start), 4]), ys: km.slice(y, [start, 0], [Math.min(8, n - start), 2]) })));

  it('trains on its batches as on the same batches from tensors, and validates a dataset or tensors with testStep', async () => {
    const [streamed, fromTensors] = [twins(() => new TestedRegressor()).own, twins(() => new TestedRegressor()).own];
    for (const model of [streamed, fromTensors]) model.compile({ optimizer: km.optimizers.adam(0.01) });
    const validationSet = km.data.array([{ xs: km.slice(x, [0, 0], [6, 4]), ys: km.slice(y, [0, 0], [6, 2]) }]);
    const streamedHistory = await streamed.fit(batches(), { epochs: 3, verbose: 0, validationData: validationSet });
    const tensorHistory = await fromTensors.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0, validationData: [km.slice(x, [0, 0], [6, 4]), km.slice(y, [0, 0], [6, 2])] });
    expect(streamed.seen.map((data) => (data[0] as km.Tensor).shape[0])).toEqual([8, 8, 5, 8, 8, 5, 8, 8, 5]);
    expectClose(streamedHistory.history.loss as number[], tensorHistory.history.loss as number[], 1e-6);
    expectClose(streamedHistory.history.val_loss as number[], tensorHistory.history.val_loss as number[], 1e-6);
    weightsOf(streamed).forEach((w, i) => expectClose(w, weightsOf(fromTensors)[i], 1e-6));

    // [x, y] validation tensors beside a training dataset, and a batch's sampleWeight as data[2].
    const weighted = km.data.array([{ xs: x, ys: y, sampleWeight: km.ones([n]) }]);
    const history = await streamed.fit(weighted, { epochs: 1, verbose: 0, validationData: [x, y] });
    expect(streamed.seen.at(-1)).toHaveLength(3);
    expect(history.history.val_loss[0]).toBeCloseTo((await streamed.evaluate(x, y, { verbose: 0 }))[0] as number, 6);
    // evaluate(dataset) runs testStep over its batches (8, 8, 5 samples: means weighted by them), or the first `batches`.
    const [overTensors] = (await streamed.evaluate(x, y, { batchSize: 8, verbose: 0 })) as number[];
    expect(await streamed.evaluate(batches(), { verbose: 0, returnDict: true })).toEqual({ loss: expect.closeTo(overTensors, 6) });
    const [firstBatch] = (await streamed.evaluate(km.slice(x, [0, 0], [8, 4]), km.slice(y, [0, 0], [8, 2]), { verbose: 0 })) as number[];
    expect(((await streamed.evaluate(batches(), { verbose: 0, batches: 1 })) as number[])[0]).toBeCloseTo(firstBatch, 6);
  });

  it('refuses a validation dataset without testStep', async () => {
    const model = twins(() => new Regressor()).own;
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(model.fit(batches(), { epochs: 1, verbose: 0, validationData: batches() })).rejects.toThrow(/so a validation dataset runs its testStep\(data\), which it does not define/);
  });
});

describe("computeLoss, Keras 3's compute_loss, inside a trainStep", () => {
  /** Hidden [4] -> units, with an l2 penalty on the hidden kernel, and `out` units; trainStep steps with computeLoss. */
  class Computed extends km.Model {
    readonly hidden = km.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) });
    readonly out: km.layers.Layer;
    constructor(units: number, activation: 'linear' | 'softmax') {
      super();
      this.out = km.layers.dense({ units, activation });
    }
    call(input: km.SymbolicTensor): km.SymbolicTensor {
      return this.out.apply(this.hidden.apply(input)) as km.SymbolicTensor;
    }
    override trainStep([xs, ys, sampleWeight]: km.StepData): km.StepLogs {
      const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true }), sampleWeight as km.Tensor | undefined), this.trainableWeights);
      this.optimizer!.applyGradients(grads);
      return { loss: value };
    }
  }
  const twin = (own: Computed, activation: 'linear' | 'softmax') => {
    const input = km.input({ shape: [4] });
    const hidden = km.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) }).apply(input);
    const model = km.model({ inputs: input, outputs: km.layers.dense({ units: own.out.weightSpecs[1].shape[0], activation }).apply(hidden) as km.SymbolicTensor });
    model.setWeights(own.getWeights());
    return model;
  };

  const sampleWeight = km.tensor(Float32Array.from({ length: n }, (_, i) => (i % 4) * 0.5), [n]);
  it.each([
    { loss: 'meanSquaredError', units: 2, activation: 'linear', targets: () => y, tolerance: 1e-5, weighted: {} },
    { loss: 'sparseCategoricalCrossentropy', units: 3, activation: 'softmax', targets: () => km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32'), tolerance: 1e-4, weighted: {} },
    { loss: 'meanSquaredError', units: 2, activation: 'linear', targets: () => y, tolerance: 1e-5, weighted: { sampleWeight } },
    { loss: 'sparseCategoricalCrossentropy', units: 3, activation: 'softmax', targets: () => km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32'), tolerance: 1e-4, weighted: { sampleWeight } },
  ] as const)('takes the steps fit takes with the compiled $loss, weight penalties included (sample weights: $weighted)', async ({ loss, units, activation, targets, tolerance, weighted }) => {
    km.utils.setRandomSeed(12);
    const own = new Computed(units, activation);
    own.build([null, 4]);
    const builtIn = twin(own, activation);
    own.compile({ optimizer: km.optimizers.adam(0.01), loss });
    builtIn.compile({ optimizer: km.optimizers.adam(0.01), loss });
    const args = { epochs: 3, batchSize: 8, seed: 3, verbose: 0, ...weighted } as const;
    const ownHistory = await own.fit(x, targets(), args);
    const builtInHistory = await builtIn.fit(x, targets(), args);
    expectClose(ownHistory.history.loss as number[], builtInHistory.history.loss as number[], tolerance);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i], tolerance));
  });

  it('refuses a model compiled without a loss, and predictions of another shape', () => {
    km.utils.setRandomSeed(12);
    const model = new Computed(2, 'linear');
    model.build([null, 4]);
    model.compile({ optimizer: 'sgd' });
    expect(() => model.computeLoss(y, model.predict(x) as km.Tensor)).toThrow(/Computed\.computeLoss computes the loss compile was given, but Computed was compiled without a loss/);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(() => model.computeLoss(y, km.ones([n, 3]))).toThrow(/yPred must be the model's output for the batch, a float32 tensor of shape \[batch, 2\].*Received: a float32 tensor of shape \[21, 3\]/);
    expect(() => model.computeLoss(km.slice(y, [0, 0], [4, 2]), model.predict(x) as km.Tensor)).toThrow(/y has 4 samples but yPred has 21/);
    expect(() => model.computeLoss('y' as unknown as km.Tensor, model.predict(x) as km.Tensor)).toThrow(/y must be the batch's targets, a km\.Tensor \(trainStep's data\[1\]\)\. Received: string y/);
    expect(() => model.computeLoss(y, model.predict(x) as km.Tensor, km.ones([n, 3]))).toThrow(/Computed\.computeLoss: sampleWeight must hold one weight per sample, shape \[21\]; received shape \[21, 3\]/);
    expect(() => model.computeLoss(y, model.predict(x) as km.Tensor, km.fill([n], -1))).toThrow(/sampleWeight\[0\] must be a finite, non-negative number/);
    expect(() => model.computeLoss(y, model.predict(x) as km.Tensor, 'w' as unknown as km.Tensor)).toThrow(/sampleWeight must be the batch's weights, a km\.Tensor of one weight per sample \(trainStep's data\[2\]\)\. Received: string w/);
  });

  /** Two outputs from one hidden layer: a regression head and a 3-class softmax head. */
  class TwoHeads extends km.Model {
    readonly hidden = km.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) });
    readonly value = km.layers.dense({ units: 2, name: 'value' });
    readonly label = km.layers.dense({ units: 3, activation: 'softmax', name: 'label' });
    call(input: km.SymbolicTensor): km.SymbolicTensor[] {
      const h = this.hidden.apply(input);
      return [this.value.apply(h), this.label.apply(h)];
    }
    override trainStep([xs, ys, sampleWeight]: km.StepData): km.StepLogs {
      const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true }), sampleWeight as km.Tensor | undefined), this.trainableWeights);
      this.optimizer!.applyGradients(grads);
      return { loss: value };
    }
  }
  const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 5) % 3), [n], 'int32');
  /** The mean of -log p[label] over the rows of probabilities `p` [n, classes], in double. */
  const crossEntropyByHand = (label: km.Tensor, p: km.Tensor) => {
    const [ids, probabilities, classes] = [Array.from(label.dataSync()), p.dataSync(), p.shape[1]];
    return ids.reduce((sum, id, i) => sum - Math.log(probabilities[i * classes + id]), 0) / ids.length;
  };

  it("with several outputs: each output's loss times its lossWeights weight, targets as a list or by output name, fit's steps", async () => {
    km.utils.setRandomSeed(8);
    const model = new TwoHeads();
    model.build([null, 4]);
    model.compile({ optimizer: km.optimizers.adam(0.01), loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'], lossWeights: [0.5, 2] });
    const [valuePred, labelPred] = model.predict(x) as km.Tensor[];
    const penalty = km.mul(0.01, km.sum(km.square(model.hidden.getWeights()[0]))).dataSync()[0];
    const byHand = 0.5 * km.losses.meanSquaredError(y, valuePred).mean().dataSync()[0] + 2 * crossEntropyByHand(labels, labelPred) + penalty;
    expect(model.computeLoss([y, labels], [valuePred, labelPred]).dataSync()[0]).toBeCloseTo(byHand, 5);
    expect(model.computeLoss({ value: y, label: labels }, { value: valuePred, label: labelPred }).dataSync()[0]).toBeCloseTo(byHand, 5);
    expect(() => model.computeLoss([y], [valuePred, labelPred])).toThrow(/y is a list of 1, but the model has 2 outputs \['value', 'label'\]/);
    expect(() => model.computeLoss([y, labels], [valuePred, km.slice(labelPred, [0, 0], [5, 3])])).toThrow(/yPred\[1\] \('label'\) has 5 samples but yPred\[0\] \('value'\) has 21/);

    const input = km.input({ shape: [4] });
    const h = km.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }) }).apply(input);
    const builtIn = km.model({ inputs: input, outputs: [km.layers.dense({ units: 2, name: 'value' }).apply(h) as km.SymbolicTensor, km.layers.dense({ units: 3, activation: 'softmax', name: 'label' }).apply(h) as km.SymbolicTensor] });
    builtIn.setWeights(model.getWeights());
    builtIn.compile({ optimizer: km.optimizers.adam(0.01), loss: ['meanSquaredError', 'sparseCategoricalCrossentropy'], lossWeights: [0.5, 2] });
    const args = { epochs: 3, batchSize: 8, seed: 3, verbose: 0, sampleWeight } as const;
    const ownHistory = await model.fit(x, { value: y, label: labels }, args);
    const builtInHistory = await builtIn.fit(x, [y, labels], args);
    expectClose(ownHistory.history.loss as number[], builtInHistory.history.loss as number[], 1e-4);
    weightsOf(model).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i], 1e-4));
  });

  it("in a km.Functional subclass, Keras' CustomModel(inputs, outputs), as in a km.Model; a km.Model given inputs names km.Functional", async () => {
    class CustomModel extends km.Functional {
      override trainStep([xs, ys, weights]: km.StepData): km.StepLogs {
        const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true }), weights as km.Tensor | undefined), this.trainableWeights);
        this.optimizer!.applyGradients(grads);
        return { loss: value };
      }
    }
    const layersOn = (input: km.SymbolicTensor) => km.layers.dense({ units: 2 }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) as km.SymbolicTensor;
    km.utils.setRandomSeed(4);
    const ownInput = km.input({ shape: [4] });
    const own = new CustomModel({ inputs: ownInput, outputs: layersOn(ownInput) });
    const builtInInput = km.input({ shape: [4] });
    const builtIn = km.model({ inputs: builtInInput, outputs: layersOn(builtInInput) });
    builtIn.setWeights(own.getWeights());
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.01), loss: 'meanSquaredError' });
    const args = { epochs: 2, batchSize: 8, seed: 2, verbose: 0, sampleWeight } as const;
    expectClose((await own.fit(x, y, args)).history.loss as number[], (await builtIn.fit(x, y, args)).history.loss as number[]);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));

    class Connected extends km.Model {
      readonly dense = km.layers.dense({ units: 2 });
      call(input: km.SymbolicTensor): km.SymbolicTensor {
        return this.dense.apply(input);
      }
    }
    class Unfinished extends km.Functional {
      override trainStep(): km.StepLogs {
        return Promise.resolve({ loss: 1 }) as unknown as km.StepLogs;
      }
    }
    const unfinished = new Unfinished({ inputs: ownInput, outputs: layersOn(ownInput) });
    unfinished.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(unfinished.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/^Unfinished\.trainStep returned a Promise/);
    expect(() => unfinished.computeLoss(y, km.ones([n, 3]))).toThrow(/^Unfinished\.computeLoss: yPred must be/);
    expect(() => new Connected({ inputs: ownInput, outputs: layersOn(ownInput) } as km.ModelArgs)).toThrow(/Connected extends km\.Model, whose call\(inputs\) connects its layers.*extend km\.Functional: class Connected extends km\.Functional \{ trainStep\(data\) \{ \.\.\. \} \}, then new Connected\(\{ inputs, outputs \}\)/);
  });

  it("adds the weight penalties only, not the activity terms model.losses keeps from the last evaluate batch", async () => {
    class Active extends km.Model {
      readonly hidden = km.layers.dense({ units: 5, activation: 'tanh', kernelRegularizer: km.regularizers.l2({ l2: 0.01 }), activityRegularizer: km.regularizers.l1({ l1: 0.1 }) });
      readonly out = km.layers.dense({ units: 2 });
      call(input: km.SymbolicTensor): km.SymbolicTensor {
        return this.out.apply(this.hidden.apply(input));
      }
    }
    km.utils.setRandomSeed(5);
    const model = new Active();
    model.build([null, 4]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const predicted = model.predict(x) as km.Tensor;
    const kernel = model.hidden.getWeights()[0].dataSync();
    const byHand = km.losses.meanSquaredError(y, predicted).dataSync()[0] + 0.01 * kernel.reduce((s, w) => s + w * w, 0);
    await model.evaluate(x, y, { verbose: 0 });
    expect(model.losses).toHaveLength(2);
    expect(model.computeLoss(y, predicted).dataSync()[0]).toBeCloseTo(byHand, 5);
  });

  it('an output compiled without a loss needs no targets and adds nothing', () => {
    km.utils.setRandomSeed(8);
    const model = new TwoHeads();
    model.build([null, 4]);
    model.compile({ optimizer: 'sgd', loss: { value: null, label: 'sparseCategoricalCrossentropy' } });
    const [valuePred, labelPred] = model.predict(x) as km.Tensor[];
    const penalty = km.mul(0.01, km.sum(km.square(model.hidden.getWeights()[0]))).dataSync()[0];
    const expected = crossEntropyByHand(labels, labelPred) + penalty;
    expect(model.computeLoss(labels, [valuePred, labelPred]).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(model.computeLoss([null, labels] as unknown as km.Tensor[], [valuePred, labelPred]).dataSync()[0]).toBeCloseTo(expected, 5);
  });
});

describe('own steps refuse what they cannot run, naming the fix', () => {
  const fitted = async (model: km.Model, args: km.ModelFitArgs = {}) => model.fit(x, y, { epochs: 1, verbose: 0, ...args });

  it('a step that is async, returns no logs, or logs a tensor of several values', async () => {
    class Returns extends km.Model {
      readonly dense = km.layers.dense({ units: 2 });
      constructor(readonly value: unknown) {
        super();
      }
      call(input: km.SymbolicTensor): km.SymbolicTensor {
        return this.dense.apply(input);
      }
      override trainStep(): km.StepLogs {
        return this.value as km.StepLogs;
      }
    }
    const cases: [unknown, RegExp][] = [
      [Promise.resolve({ loss: 1 }), /Returns\.trainStep returned a Promise.*synchronously/],
      [undefined, /Returns\.trainStep must return the values to log, by name: return \{ loss \}.*Received: undefined/],
      [{ loss: km.tensor([1, 2]) }, /returned 'loss' as a tensor of shape \[2\].*reduce it/],
      [{ loss: 'low' }, /returned 'loss' as string low; each logged value must be a number or a one-value tensor/],
    ];
    for (const [value, message] of cases) {
      const model = new Returns(value);
      model.compile({ optimizer: 'sgd' });
      await expect(fitted(model)).rejects.toThrow(message);
    }
  });

  it('fit before compile, classWeight beside sampleWeight (tensors or a dataset) or malformed, validation with neither testStep nor a loss, and rows that do not match', async () => {
    await expect(fitted(new Regressor())).rejects.toThrow(/Regressor must be compiled before fit.*model\.compile\(\{ optimizer: 'adam' \}\)/);
    const model = new Regressor();
    model.compile({ optimizer: 'sgd' });
    await expect(fitted(model, { classWeight: { 0: 2 }, sampleWeight: km.ones([n]) })).rejects.toThrow(/pass classWeight or sampleWeight, not both, as Keras requires/);
    await expect(model.fit(x, [y, y], { verbose: 0, classWeight: { 0: 2 } })).rejects.toThrow(/classWeight weighs the samples by their class in y, which must be one tensor of labels \[n\] or one-hot rows \[n, classes\]\. Received: y=an array/);
    await expect(fitted(model, { classWeight: { a: 2 } as unknown as Record<number, number> })).rejects.toThrow(/classWeight must map class indices to weights ≥ 0, e\.g\. \{ 0: 1, 1: 5 \}.*Received: classWeight=\{"a":2\}/);
    await expect(fitted(model, { validationSplit: 0.2 })).rejects.toThrow(/compiled without a loss, so fit cannot validate it: define testStep\(data\)/);
    await expect(model.fit(km.data.array([{ xs: x, ys: y, sampleWeight: km.ones([n]) }]), { epochs: 1, verbose: 0, classWeight: { 0: 2 } })).rejects.toThrow(/batch 0 has a sampleWeight beside classWeight/);
    await expect(model.fit(x, km.slice(y, [0, 0], [5, 2]), { verbose: 0 })).rejects.toThrow(/x has 21 samples but y has 5/);
    await expect(model.fit(x, [y, 'labels'] as unknown as km.Tensor[], { verbose: 0 })).rejects.toThrow(/y\[1\] must be a km\.Tensor.*Received: string labels/);
    await expect(model.evaluate(x, y)).rejects.toThrow(/compiled without a loss, which its trainStep computes.*Define testStep\(data\) for evaluate/);
  });

  it("a model with testStep alone trains with the compiled loss, as Keras' default train_step, and validates with testStep", async () => {
    /** The twin's layers, with a testStep that logs the mean squared and mean absolute errors of an inference pass. */
    class TestOnly extends km.Model {
      readonly hidden = km.layers.dense({ units: 5, activation: 'tanh' });
      readonly out = km.layers.dense({ units: 2 });
      call(input: km.SymbolicTensor): km.SymbolicTensor {
        return this.out.apply(this.hidden.apply(input));
      }
      override testStep([xs, ys]: km.StepData): km.StepLogs {
        const predicted = this.apply(xs as km.Tensor) as km.Tensor;
        return { loss: km.losses.meanSquaredError(ys as km.Tensor, predicted), mae: km.mean(km.abs(km.sub(ys as km.Tensor, predicted))) };
      }
    }
    const { own, builtIn } = twins(() => new TestOnly() as unknown as Regressor);
    own.compile({ optimizer: km.optimizers.adam(0.01), loss: 'meanSquaredError' });
    builtIn.compile({ optimizer: km.optimizers.adam(0.01), loss: 'meanSquaredError', metrics: ['mae'] });
    for (const validation of [{ validationSplit: 0.3 }, { validationData: [km.slice(x, [0, 0], [6, 4]), km.slice(y, [0, 0], [6, 2])] as [km.Tensor, km.Tensor] }]) {
      const args = { epochs: 3, batchSize: 4, seed: 6, verbose: 0, ...validation } as const;
      const ownHistory = await own.fit(x, y, args);
      const builtInHistory = await builtIn.fit(x, y, args);
      expect(Object.keys(ownHistory.history).sort()).toEqual(['loss', 'val_loss', 'val_mae']);
      for (const key of ['loss', 'val_loss', 'val_mae']) expectClose(ownHistory.history[key] as number[], builtInHistory.history[key] as number[]);
      weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));
    }
    const validationSet = km.data.array([{ xs: km.slice(x, [0, 0], [6, 4]), ys: km.slice(y, [0, 0], [6, 2]) }]);
    const streamed = await own.fit(km.data.array([{ xs: x, ys: y }]), { epochs: 1, verbose: 0, validationData: validationSet });
    const evaluated = (await own.evaluate(km.slice(x, [0, 0], [6, 4]), km.slice(y, [0, 0], [6, 2]), { returnDict: true, batchSize: 6 })) as Record<string, number>;
    expect(streamed.history.val_mae[0]).toBeCloseTo(evaluated.mae, 6);
    expect(streamed.history.val_loss[0]).toBeCloseTo(evaluated.loss, 6);
  });

  it('only a model with its own trainStep may be compiled without a loss', () => {
    class Plain extends km.Model {
      readonly dense = km.layers.dense({ units: 2 });
      call(input: km.SymbolicTensor): km.SymbolicTensor {
        return this.dense.apply(input);
      }
    }
    expect(() => new Plain().compile({ optimizer: 'sgd' })).toThrow(/compile needs a loss/);
    expect(() => new Regressor().compile({ optimizer: 'sgd' })).not.toThrow();
  });

  it('a model with its own steps saves its traced graph without a training config', async () => {
    const model = new Regressor();
    model.compile({ optimizer: 'sgd' });
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (saved) => void (artifacts = saved)));
    expect(artifacts!.trainingConfig).toBeUndefined();
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts!));
    expectClose((loaded.predict(x) as km.Tensor).dataSync(), (model.predict(x) as km.Tensor).dataSync(), 1e-6);
  });
});
