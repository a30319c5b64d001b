import { describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, crashAtEpoch, dropFromBackup, type FitWith, interruptedRun, uniformRows } from '../testing/interrupted_run.js';

// A resumed run logs the validation losses of the uninterrupted one, epoch for epoch.
const newDir = backupFolders('kerasm-backup-validation-');

const random = new Random(6);
const rows = (n: number, width: number) => uniformRows(random, n, width);
const xs = rows(56, 4);
const ys = rows(56, 2);
const EPOCHS = 4;

/** Seeds the global generator, then builds a small MLP with an unseeded Dropout. */
function model(seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  const m = km.sequential([km.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), km.layers.dropout({ rate: 0.3 }), km.layers.dense({ units: 2 })]);
  m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
  return m;
}

/** Samples [start, end) as a dataset reshuffled each pass (a new one each call, as a new process builds it). */
const samples = (start: number, end: number) => km.data.array(xs.slice(start, end).map((row, i) => ({ xs: row, ys: ys[start + i] })));
const reshuffled = (start: number, end: number, seed: number) => samples(start, end).shuffle(end - start, seed).batch(8);
// 40 training samples (5 batches), 16 validation samples (2 batches).
const fitWithValidation = (extra: Partial<km.ModelFitDatasetArgs> = {}): FitWith<km.Sequential> => (m, callbacks) =>
  m.fit(reshuffled(0, 40, 7), { epochs: EPOCHS, verbose: 0, callbacks, validationData: reshuffled(40, 56, 9), ...extra });

describe('km.callbacks.backupAndRestore with validation', () => {
  it.each([1, 2])('fit(dataset) with a reshuffled validation dataset read in part (validationBatches), crashed at epoch %i: the same val_loss each epoch', async (crashAt) => {
    const fit = fitWithValidation({ validationBatches: 1 });
    const { full, resumed, expected, got } = await interruptedRun(model, fit, crashAt, newDir());
    expect(resumed.history.val_loss).toEqual(full.history.val_loss.slice(crashAt));
    expect(resumed.history.loss).toEqual(full.history.loss.slice(crashAt));
    expect(got).toEqual(expected);
    // A backup without the validation passes (an older kerasm's) validates on other batches.
    const blind = await interruptedRun(model, fit, crashAt, newDir(), dropFromBackup('validationShuffleIterations'));
    expect(blind.resumed.history.val_loss).not.toEqual(full.history.val_loss.slice(crashAt));
    expect(blind.got).toEqual(expected);
  });

  it('fit(dataset) validating every 2nd epoch: the passes count the validations that ran', async () => {
    const { full, resumed } = await interruptedRun(model, fitWithValidation({ validationFreq: 2, validationBatches: 1 }), 2, newDir());
    expect(full.history.val_loss).toHaveLength(2);
    expect(resumed.epoch).toEqual([2, 3]);
    expect(resumed.history.val_loss).toEqual(full.history.val_loss.slice(1));
  });

  it('fit(dataset) whose training and validation data share one reshuffling shuffle (take and skip)', async () => {
    // Each pass of either begins a pass of the shared shuffle: the resumed run must count both.
    const fit: FitWith<km.Sequential> = (m, callbacks) => {
      const all = samples(0, 56).shuffle(56, 5);
      return m.fit(all.take(40).batch(8), { epochs: EPOCHS, verbose: 0, callbacks, validationData: all.skip(40).batch(8) });
    };
    const { full, resumed, expected, got } = await interruptedRun(model, fit, 2, newDir());
    expect(resumed.history.val_loss).toEqual(full.history.val_loss.slice(2));
    expect(resumed.history.loss).toEqual(full.history.loss.slice(2));
    expect(got).toEqual(expected);
  });

  it('fit(dataset) with [x, y] validation tensors, and fit(x, y) with validationSplit', async () => {
    const x = km.tensor(xs);
    const y = km.tensor(ys);
    const tensorsValidation: FitWith<km.Sequential> = (m, callbacks) =>
      m.fit(reshuffled(0, 40, 7), { epochs: EPOCHS, verbose: 0, callbacks, validationData: [km.tensor(xs.slice(40)), km.tensor(ys.slice(40))] });
    const split: FitWith<km.Sequential> = (m, callbacks) => m.fit(x, y, { epochs: EPOCHS, batchSize: 8, validationSplit: 0.3, verbose: 0, callbacks });
    for (const fit of [tensorsValidation, split]) {
      const { full, resumed, expected, got } = await interruptedRun(model, fit, 2, newDir());
      expect(resumed.history.val_loss).toEqual(full.history.val_loss.slice(2));
      expect(got).toEqual(expected);
    }
  });

  it('warns, naming both counts and the fix, when the validation dataset has other reshuffling shuffles than the backup', async () => {
    const backupDir = newDir();
    await expect(fitWithValidation()(model(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow('crash');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const history = await model(21).fit(reshuffled(0, 40, 7), { epochs: EPOCHS, verbose: 0, validationData: samples(40, 56).batch(8), callbacks: [km.callbacks.backupAndRestore({ backupDir })] });
    expect(history.epoch).toEqual([2, 3]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/holds the passes of 1 reshuffling shuffles of the validation data, but the validation dataset has 0.*Resume with the validation dataset the backup was made with/));
    warn.mockRestore();
  });
});
