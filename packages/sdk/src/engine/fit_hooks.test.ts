// FitHooks serves fit(x, y), fit(dataset) and a model's own trainStep: each gives Keras' order of
// hooks around its batches and epochs (written out below from Keras' fit loop), yields with
// yieldEvery: 'batch', ends the epoch a callback stops in, and keeps in History what onEpochEnd adds.
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

const x = km.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
const y = km.tensor(Array.from({ length: 8 }, (_, i) => Math.cos(i)), [8, 1]);

class OwnStep extends km.Model {
  readonly dense = km.layers.dense({ units: 1 });
  call(input: km.SymbolicTensor): km.SymbolicTensor {
    return this.dense.apply(input);
  }
  override trainStep([xs, ys]: km.StepData): km.StepLogs {
    const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true })), this.trainableWeights);
    this.optimizer!.applyGradients(grads);
    return { loss: value };
  }
}

/** The hooks a fit calls, in order; it stops training at the end of epoch 1's first batch and adds `extra` to each epoch's logs. */
function recorder(events: string[], model: () => km.LayersModel): km.CustomCallbackArgs {
  return {
    onTrainBegin: () => void events.push('trainBegin'),
    onEpochBegin: (epoch) => void events.push(`epochBegin ${epoch}`),
    onBatchBegin: (batch) => void events.push(`batchBegin ${batch}`),
    onBatchEnd: (batch, logs) => {
      events.push(`batchEnd ${batch} ${typeof logs?.loss}`);
      if (events.includes('epochBegin 1')) model().stopTraining = true;
    },
    onYield: (epoch, batch) => void events.push(`yield ${epoch} ${batch}`),
    onEpochEnd: (epoch, logs) => {
      events.push(`epochEnd ${epoch}`);
      if (logs) logs.extra = 10 + epoch;
    },
    onTrainEnd: (logs) => void events.push(`trainEnd ${typeof logs?.loss}`),
  };
}

const expected = [
  'trainBegin',
  'epochBegin 0', 'batchBegin 0', 'batchEnd 0 number', 'yield 0 0', 'batchBegin 1', 'batchEnd 1 number', 'yield 0 1', 'epochEnd 0',
  'epochBegin 1', 'batchBegin 0', 'batchEnd 0 number', 'yield 1 0', 'epochEnd 1',
  'trainEnd number',
];

describe('FitHooks', () => {
  const compiled = (model: km.LayersModel) => (model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' }), model);
  const sequential = () => compiled(km.sequential([km.layers.dense({ units: 1, inputShape: [3] })]));
  const own = () => {
    const model = new OwnStep();
    model.build([null, 3]);
    return compiled(model);
  };
  const batches = () => km.data.array([{ xs: km.slice(x, [0, 0], [4, 3]), ys: km.slice(y, [0, 0], [4, 1]) }, { xs: km.slice(x, [4, 0], [4, 3]), ys: km.slice(y, [4, 0], [4, 1]) }]);
  it.each([
    { what: 'fit(x, y)', make: sequential, run: (m: km.LayersModel, args: km.ModelFitArgs) => m.fit(x, y, { ...args, batchSize: 4 }) },
    { what: 'fit(dataset)', make: sequential, run: (m: km.LayersModel, args: km.ModelFitArgs) => m.fit(batches(), args as km.ModelFitDatasetArgs) },
    { what: "a trainStep's fit(x, y)", make: own, run: (m: km.LayersModel, args: km.ModelFitArgs) => m.fit(x, y, { ...args, batchSize: 4 }) },
    { what: "a trainStep's fit(dataset)", make: own, run: (m: km.LayersModel, args: km.ModelFitArgs) => m.fit(batches(), args as km.ModelFitDatasetArgs) },
  ])('$what: the hooks in order, the stopped epoch ended and kept, History with what onEpochEnd added', async ({ make, run }) => {
    const model = make();
    const events: string[] = [];
    const history = await run(model, { epochs: 4, verbose: 0, yieldEvery: 'batch', callbacks: [recorder(events, () => model)] });
    expect(events).toEqual(expected);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history.extra).toEqual([10, 11]);
    expect(history.history.loss.length).toBe(2);
  });
});
