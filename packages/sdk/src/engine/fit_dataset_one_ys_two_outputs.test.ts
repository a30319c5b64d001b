import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(() => km.ready());

/** A model with a 3-class output 'cls' and a 1-unit output 'reg'. */
function twoOutputs(loss: (string | null)[], metrics?: Record<string, string[]>): km.LayersModel {
  const x = km.input({ shape: [3] });
  const h = km.layers.dense({ units: 4 }).apply(x) as km.SymbolicTensor;
  const cls = km.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h) as km.SymbolicTensor;
  const reg = km.layers.dense({ units: 1, name: 'reg' }).apply(h) as km.SymbolicTensor;
  const m = km.model({ inputs: x, outputs: [cls, reg] });
  m.compile({ optimizer: 'sgd', loss, metrics });
  return m;
}

const X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
const LABELS = [0, 2, 1];
const VALUES = [0.5, 0.1, 0.2];
// zip of two number datasets batches into one [batch, 2] tensor, as in tfjs: one ys tensor for two outputs.
const oneYs = () => km.data.zip({ xs: km.data.array(X), ys: km.data.zip([km.data.array(LABELS), km.data.array(VALUES)]) }).batch(2);
const COUNT = /ys is a tensor of shape \[2, 2\], but the model has 2 outputs \['cls', 'reg'\]\. Pass a list of 2 tensors in that order, or an object keyed by those names\.$/;

describe('one ys tensor for a model with two outputs, the first compiled without a loss', () => {
  it('fit(dataset) and evaluate(dataset) name the outputs count, as they do when both outputs have a loss', async () => {
    const withMetrics = twoOutputs([null, 'mse'], { cls: ['accuracy'] });
    await expect(withMetrics.fit(oneYs(), { epochs: 1, verbose: 0 })).rejects.toThrow(COUNT);
    await expect(withMetrics.evaluate(oneYs(), { verbose: 0 })).rejects.toThrow(COUNT);
    const bothLosses = twoOutputs(['sparseCategoricalCrossentropy', 'mse']);
    await expect(bothLosses.fit(oneYs(), { epochs: 1, verbose: 0 })).rejects.toThrow(COUNT);
  });

  it('fit(x, y) gives the same error for the same tensor', async () => {
    const m = twoOutputs([null, 'mse'], { cls: ['accuracy'] });
    await expect(m.fit(km.tensor(X), km.tensor(LABELS.map((l, i) => [l, VALUES[i]])), { epochs: 1, verbose: 0 }))
      .rejects.toThrow(/^y is a tensor of shape \[3, 2\], but the model has 2 outputs \['cls', 'reg'\]\. Pass a list of 2 tensors in that order, or an object keyed by those names\.$/);
  });

  it("the right forms still train: a list of both, or, without metrics on 'cls', one tensor of 'reg's targets alone", async () => {
    const m = twoOutputs([null, 'mse'], { cls: ['accuracy'] });
    const both = km.data.zip({ xs: km.data.array(X), ys: km.data.zip({ cls: km.data.array(LABELS), reg: km.data.array(VALUES.map((v) => [v])) }) }).batch(2);
    const history = await m.fit(both, { epochs: 1, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['cls_accuracy', 'loss']);
    const noMetrics = twoOutputs([null, 'mse']);
    const regOnly = km.data.zip({ xs: km.data.array(X), ys: km.data.array(VALUES.map((v) => [v])) }).batch(2);
    expect((await noMetrics.fit(regOnly, { epochs: 1, verbose: 0 })).history.loss).toHaveLength(1);
  });

  it("a list of only 'reg's targets still says that the metrics of 'cls' need its targets", async () => {
    const m = twoOutputs([null, 'mse'], { cls: ['accuracy'] });
    await expect(m.fit(km.tensor(X), [km.tensor(VALUES.map((v) => [v]))], { epochs: 1, verbose: 0 }))
      .rejects.toThrow("output 'cls' has no loss, but compile gave it the metrics ['accuracy'], which compare its predictions with targets. Pass its targets, or compile without metrics for it.");
  });
});
