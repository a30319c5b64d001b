import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, crashAtEpoch, type FitWith, interruptedRun, uniformRows, weightsOf } from '../testing/interrupted_run.js';

// fit(x, y, { stepsPerEpoch }) reads on through the samples across epochs: a resumed run must start
// its epoch at the batch the uninterrupted run did, or be refused.
const newDir = backupFolders('kerasm-backup-steps-');

const random = new Random(3);
const x = km.tensor(uniformRows(random, 40, 4));
const y = km.tensor(uniformRows(random, 40, 2));

function model(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  const m = km.sequential([km.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 2 })]);
  m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
  return m;
}

/** 5 batches of 8 a pass, `stepsPerEpoch` an epoch, reshuffled each pass. */
const fitSteps = (stepsPerEpoch?: number): FitWith<km.Sequential> => (m, callbacks) => m.fit(x, y, { epochs: 4, batchSize: 8, stepsPerEpoch, verbose: 0, callbacks });

describe('km.callbacks.backupAndRestore with fit(x, y, { stepsPerEpoch })', () => {
  it.each([1, 3])('crashed at epoch %i, resumes bit for bit, though passes and epochs do not line up', async (crashAt) => {
    const { full, resumed, expected, got } = await interruptedRun(model, fitSteps(3), crashAt, newDir());
    expect(resumed.history.loss).toEqual(full.history.loss.slice(crashAt));
    expect(got).toEqual(expected);
  });

  it.each([
    { made: 3, now: 2, message: /made by fit with stepsPerEpoch=3, but this fit has stepsPerEpoch=2, so its epochs would start at other batches than the uninterrupted run's\. Pass stepsPerEpoch: 3 to resume it, or delete .* to train from the start\./ },
    { made: 3, now: undefined, message: /made by fit with stepsPerEpoch=3, but this fit has none, .* Pass stepsPerEpoch: 3 to resume it/ },
    { made: undefined, now: 3, message: /made by fit without stepsPerEpoch \(each epoch one pass over the data\), but this fit has stepsPerEpoch=3, .* Leave stepsPerEpoch out to resume it/ },
  ])('a backup made with stepsPerEpoch $made is refused by a fit with $now, before the model is touched', async ({ made, now, message }) => {
    const backupDir = newDir();
    await expect(fitSteps(made)(model(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow('crash');
    const other = model(99);
    const before = await weightsOf(other);
    await expect(fitSteps(now)(other, [km.callbacks.backupAndRestore({ backupDir, doubleCheckpoint: true })])).rejects.toThrow(message);
    expect(await weightsOf(other)).toEqual(before);
  });
});
