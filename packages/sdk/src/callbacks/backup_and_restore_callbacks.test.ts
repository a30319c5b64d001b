import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, crashAtEpoch, dropFromBackup, type FitWith, interruptedRun, uniformRows } from '../testing/interrupted_run.js';

// What a resumed run keeps of the learning rate and of the other callbacks' state.
const newDir = backupFolders('kerasm-backup-callbacks-');

const random = new Random(4);
const rows = (n: number, width: number) => uniformRows(random, n, width);
const x = km.tensor(rows(32, 4));
const y = km.tensor(rows(32, 2));

function model(seed: number, learningRate: number | km.optimizers.schedules.LearningRateSchedule = 0.02): km.Sequential {
  km.utils.setRandomSeed(seed);
  const m = km.sequential([km.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 2 })]);
  m.compile({ optimizer: km.optimizers.adam({ learningRate }), loss: 'mse' });
  return m;
}

/** fit(x, y) for `epochs`, with `before()`'s callbacks ahead of the backup (each call makes new ones, as a new process does). */
const fitWith = (before: () => km.callbacks.CustomCallbackArgs[], epochs = 5): FitWith<km.Sequential> => (m, callbacks) =>
  m.fit(x, y, { epochs, batchSize: 8, verbose: 0, callbacks: [...before(), ...callbacks] });

describe('km.callbacks.backupAndRestore and the learning rate', () => {
  it('keeps a rate ReduceLROnPlateau lowered (listed before the backup, so the lowered rate is in that epoch’s backup)', async () => {
    // mode max on a falling loss: no epoch after the first improves, so epoch 1 ends halving the rate to minLr, which stays (each epoch logs the rate it trained at).
    const reduce = () => [km.callbacks.reduceLROnPlateau({ monitor: 'loss', mode: 'max', patience: 1, factor: 0.5, minLr: 0.01 })];
    const { full, resumed, expected, got } = await interruptedRun(model, fitWith(reduce), 3, newDir());
    expect(full.history.learning_rate).toEqual([0.02, 0.02, 0.01, 0.01, 0.01]);
    expect(resumed.history.learning_rate).toEqual([0.01, 0.01]);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(3));
    expect(got).toEqual(expected);
    // A backup without the rate (an older kerasm's) resumes at the compiled 0.02.
    const blind = await interruptedRun(model, fitWith(reduce), 3, newDir(), dropFromBackup('learningRate'));
    expect(blind.got).not.toEqual(expected);
  });

  it('keeps the rate a LearningRateScheduler computed from the previous one', async () => {
    const halve = () => [km.callbacks.learningRateScheduler((epoch, rate) => (epoch === 0 ? rate : rate / 2))];
    const { full, resumed, expected, got } = await interruptedRun(model, fitWith(halve), 2, newDir());
    expect(resumed.history.learning_rate).toEqual(full.history.learning_rate.slice(2));
    expect(got).toEqual(expected);
    const blind = await interruptedRun(model, fitWith(halve), 2, newDir(), dropFromBackup('learningRate'));
    expect(blind.resumed.history.learning_rate).toEqual([0.01, 0.005, 0.0025]);
    expect(blind.got).not.toEqual(expected);
  });

  it('a learning-rate schedule resumes at the restored step count (the backup keeps no rate for it)', async () => {
    const decaying = (seed: number) => model(seed, km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 4, decayRate: 0.5 }));
    const { full, resumed, expected, got } = await interruptedRun(decaying, fitWith(() => []), 2, newDir(), async (dir) => {
      const { readFile } = await import('node:fs/promises');
      const progress = JSON.parse(await readFile(join(dir, 'latest', 'model.json'), 'utf8')).userDefinedMetadata.kerasm_training_progress;
      expect(progress.learningRate).toBeUndefined();
    });
    expect(resumed.history.loss).toEqual(full.history.loss.slice(2));
    expect(got).toEqual(expected);
  });
});

describe('km.callbacks.backupAndRestore and the other callbacks’ state', () => {
  it('EarlyStopping starts its patience count and best value afresh after a resume, as in Keras, so it may stop later', async () => {
    // mode max on a falling loss: only each run's first watched epoch improves.
    const stopping = () => [km.callbacks.earlyStopping({ monitor: 'loss', mode: 'max', patience: 2 })];
    const full = await fitWith(stopping, 8)(model(21), []);
    expect(full.epoch).toEqual([0, 1, 2]);
    const backupDir = newDir();
    await expect(fitWith(stopping, 8)(model(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow('crash');
    const resumed = await fitWith(stopping, 8)(model(99), [km.callbacks.backupAndRestore({ backupDir })]);
    expect(resumed.epoch).toEqual([2, 3, 4]);
    expect(resumed.history.loss[0]).toBe(full.history.loss[2]);
  });

  it('restoredEpoch tells where fit went on from: null without a backup', async () => {
    const backupDir = newDir();
    const first = km.callbacks.backupAndRestore({ backupDir });
    await expect(fitWith(() => [])(model(21), [first, crashAtEpoch(3)])).rejects.toThrow('crash');
    expect(first.restoredEpoch).toBeNull();
    const second = km.callbacks.backupAndRestore({ backupDir });
    await fitWith(() => [])(model(21), [second]);
    expect(second.restoredEpoch).toBe(3);
  });
});
