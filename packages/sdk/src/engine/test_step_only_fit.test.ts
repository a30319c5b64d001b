// A km.Model with testStep alone trains with the compiled loss (Keras' default train_step) and
// validates with its testStep: fit(dataset) with a validation dataset every validationFreq epochs,
// fit(x, y) with classWeight and validationSplit, and EarlyStopping on a value only testStep logs.
// The reference is kerasm's own fit of the same layers compiled with the loss and the metric.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

const expectClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
};
const weightsOf = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
const n = 16;
const random = new Random(13);
const x = km.tensor(Float32Array.from({ length: n * 4 }, () => random.uniform(-1, 1)), [n, 4]);
const y = km.tensor(Float32Array.from({ length: n * 2 }, () => random.uniform(-1, 1)), [n, 2]);
const labels = km.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32');

/** Hidden tanh layer and a head of `units`; its testStep logs the compiled loss and the mean absolute error of an inference pass. */
class TestOnly extends km.Model {
  readonly hidden = km.layers.dense({ units: 5, activation: 'tanh' });
  readonly out: km.layers.Layer;
  constructor(units: number, activation: 'linear' | 'softmax') {
    super();
    this.out = km.layers.dense({ units, activation });
  }
  call(input: km.SymbolicTensor): km.SymbolicTensor {
    return this.out.apply(this.hidden.apply(input)) as km.SymbolicTensor;
  }
  override testStep([xs, ys]: km.StepData): km.StepLogs {
    const predicted = this.apply(xs as km.Tensor) as km.Tensor;
    const loss = this.computeLoss(ys, predicted);
    return this.out.weightSpecs[1].shape[0] === 2 ? { loss, mae: km.mean(km.abs(km.sub(ys as km.Tensor, predicted))) } : { loss };
  }
}

/** A TestOnly model and the same layers as a functional model, with equal weights. */
function twins(units: number, activation: 'linear' | 'softmax'): { own: TestOnly; builtIn: km.Functional } {
  km.utils.setRandomSeed(21);
  const own = new TestOnly(units, activation);
  own.build([null, 4]);
  const input = km.input({ shape: [4] });
  const builtIn = km.model({ inputs: input, outputs: km.layers.dense({ units, activation }).apply(km.layers.dense({ units: 5, activation: 'tanh' }).apply(input)) as km.SymbolicTensor });
  builtIn.setWeights(own.getWeights());
  return { own, builtIn };
}

describe("a model with testStep alone: the compiled loss trains, testStep validates", () => {
  it('fit(dataset) with a validation dataset every validationFreq epochs', async () => {
    const { own, builtIn } = twins(2, 'linear');
    own.compile({ optimizer: km.optimizers.adam(0.02), loss: 'meanSquaredError' });
    builtIn.compile({ optimizer: km.optimizers.adam(0.02), loss: 'meanSquaredError', metrics: ['mae'] });
    const batches = () => km.data.array([0, 6, 12].map((start) => ({ xs: km.slice(x, [start, 0], [Math.min(6, n - start), 4]), ys: km.slice(y, [start, 0], [Math.min(6, n - start), 2]) })));
    const validation = () => km.data.array([{ xs: km.slice(x, [0, 0], [5, 4]), ys: km.slice(y, [0, 0], [5, 2]) }]);
    const epochsSeen: number[][] = [[], []];
    const args = (k: number) => ({ epochs: 4, verbose: 0 as const, validationData: validation(), validationFreq: 2, callbacks: [{ onEpochEnd: async (epoch: number, logs?: km.Logs) => void (logs?.val_loss !== undefined && epochsSeen[k].push(epoch)) }] });
    const ownHistory = (await own.fit(batches(), args(0))).history;
    const builtInHistory = (await builtIn.fit(batches(), args(1))).history;
    expect(epochsSeen[0]).toEqual([1, 3]);
    expect(epochsSeen[0]).toEqual(epochsSeen[1]);
    for (const key of ['loss', 'val_loss', 'val_mae']) expectClose(ownHistory[key] as number[], builtInHistory[key] as number[]);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i]));
  });

  it('fit(x, y) with classWeight and validationSplit: the class weights train, the held-out rows validate unweighted', async () => {
    const { own, builtIn } = twins(3, 'softmax');
    for (const model of [own, builtIn]) model.compile({ optimizer: km.optimizers.adam(0.02), loss: 'sparseCategoricalCrossentropy' });
    const args = { epochs: 3, batchSize: 5, seed: 2, verbose: 0 as const, classWeight: { 0: 0.5, 1: 3, 2: 1 }, validationSplit: 0.25 };
    const ownHistory = (await own.fit(x, labels, args)).history;
    const builtInHistory = (await builtIn.fit(x, labels, args)).history;
    for (const key of ['loss', 'val_loss']) expectClose(ownHistory[key] as number[], builtInHistory[key] as number[], 1e-4);
    weightsOf(own).forEach((w, i) => expectClose(w, weightsOf(builtIn)[i], 1e-4));
  });

  it('EarlyStopping on a value only testStep logs (val_mae) stops at the epoch it stops the built-in fit at', async () => {
    const { own, builtIn } = twins(2, 'linear');
    own.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError' });
    builtIn.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'meanSquaredError', metrics: ['mae'] });
    const validationData: [km.Tensor, km.Tensor] = [km.slice(x, [0, 0], [6, 4]), km.mul(km.slice(y, [0, 0], [6, 2]), -3)];
    const run = async (model: km.LayersModel) => {
      const history = await model.fit(x, y, { epochs: 30, batchSize: 4, seed: 3, verbose: 0, validationData, callbacks: [km.callbacks.earlyStopping({ monitor: 'val_mae', patience: 1 })] });
      return history.history.val_mae as number[];
    };
    const [ownMae, builtInMae] = [await run(own), await run(builtIn)];
    expect(ownMae.length).toBeLessThan(30);
    expectClose(ownMae, builtInMae);
  });
});
