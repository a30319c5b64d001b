// backupAndRestore around fit of a model with its own trainStep (fit(x, y) and fit(dataset)): an
// interrupted run resumes at the next epoch and ends with the uninterrupted run's weights, optimizer
// step count and History, as for a model fit trains itself (callbacks/backup_and_restore.test.ts).
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, crashAtEpoch, uniformRows, weightsOf } from '../testing/interrupted_run.js';

const newDir = backupFolders('kerasm-own-steps-backup-');
const random = new Random(19);
const x = km.tensor(uniformRows(random, 24, 4));
const y = km.tensor(uniformRows(random, 24, 2));

class Stepped extends km.Model {
  readonly hidden = km.layers.dense({ units: 5, activation: 'tanh' });
  readonly out = km.layers.dense({ units: 2 });
  call(input: km.SymbolicTensor): km.SymbolicTensor {
    return this.out.apply(this.hidden.apply(input));
  }
  override trainStep([xs, ys]: km.StepData): km.StepLogs {
    const { value, grads } = km.variableGrads(() => this.computeLoss(ys, this.apply(xs as km.Tensor, { training: true })), this.trainableWeights);
    this.optimizer!.applyGradients(grads);
    return { loss: value };
  }
}

function stepped(seed: number): Stepped {
  km.utils.setRandomSeed(seed);
  const model = new Stepped();
  model.build([null, 4]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
  return model;
}

describe("backupAndRestore around a model's own trainStep", () => {
  const batches = () => km.data.array([0, 8, 16].map((start) => ({ xs: km.slice(x, [start, 0], [8, 4]), ys: km.slice(y, [start, 0], [8, 2]) })));
  it.each([
    { what: 'fit(x, y)', run: (m: km.LayersModel, callbacks: km.callbacks.CustomCallbackArgs[]) => m.fit(x, y, { epochs: 4, batchSize: 8, seed: 3, validationSplit: 0.25, verbose: 0, callbacks }) },
    { what: 'fit(dataset)', run: (m: km.LayersModel, callbacks: km.callbacks.CustomCallbackArgs[]) => m.fit(batches(), { epochs: 4, verbose: 0, callbacks }) },
  ])('$what resumes at the next epoch, ending as the uninterrupted run', async ({ run }) => {
    const uninterrupted = stepped(7);
    const full = await run(uninterrupted, []);
    const backupDir = newDir();
    await expect(run(stepped(7), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow();
    const resumedModel = stepped(99);
    const resumed = await run(resumedModel, [km.callbacks.backupAndRestore({ backupDir })]);
    expect(resumed.epoch).toEqual([2, 3]);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(2));
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(uninterrupted));
    expect(resumedModel.optimizer?.iterations).toBe(uninterrupted.optimizer?.iterations);
  });
});
