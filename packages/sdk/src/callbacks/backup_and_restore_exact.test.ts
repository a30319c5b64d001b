import { readdir, readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { backupFolders, crashAtEpoch, dropFromBackup, type FitWith, interruptedRun, progressFile, uniformRows, weightsOf } from '../testing/interrupted_run.js';

// An interrupted run resumed in a fresh model (and fresh dataset) must end bit for bit as the uninterrupted one.
const newDir = backupFolders('kerasm-backup-exact-');

const random = new Random(5);
const rows = (n: number, width: number) => uniformRows(random, n, width);
const xs = rows(48, 4);
const ys = rows(48, 2);
const x = km.tensor(xs);
const y = km.tensor(ys);
const EPOCHS = 4;

/** Seeds the global generator, then builds; `dropoutSeed` undefined: no Dropout, null: one drawing from the global generator. */
function model(seed: number, dropoutSeed?: number | null): km.Sequential {
  km.utils.setRandomSeed(seed);
  const dropout = dropoutSeed === undefined ? [] : [km.layers.dropout({ rate: 0.5, ...(dropoutSeed === null ? {} : { seed: dropoutSeed }) })];
  const m = km.sequential([km.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), ...dropout, km.layers.dense({ units: 2 })]);
  m.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
  return m;
}

/** A new dataset each call, as a new process builds it: its shuffle counts passes from 0. */
const shuffled = (reshuffleEachIteration = true) =>
  km.data.array(xs.map((row, i) => ({ xs: row, ys: ys[i] }))).shuffle(48, 7, reshuffleEachIteration).batch(8);

const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - b[i][j]))));

type Fit = FitWith<km.Sequential>;
const fitTensors: Fit = (m, callbacks) => m.fit(x, y, { epochs: EPOCHS, batchSize: 8, verbose: 0, callbacks });
const fitDataset = (reshuffle = true): Fit => (m, callbacks) => m.fit(shuffled(reshuffle), { epochs: EPOCHS, verbose: 0, callbacks });

/** {@link interruptedRun} with a new backup folder. */
const runBoth = (build: (seed: number) => km.Sequential, fit: Fit, crashAt: number, edit?: (backupDir: string) => Promise<void>) => interruptedRun(build, fit, crashAt, newDir(), edit);

describe('km.callbacks.backupAndRestore resumes bit for bit', () => {
  it.each([1, 2])('fit on a dataset reshuffled each pass, crashed at epoch %i: the resumed passes get the uninterrupted run’s orders', async (crashAt) => {
    const { full, resumed, expected, got } = await runBoth((s) => model(s), fitDataset(), crashAt);
    expect(resumed.epoch).toEqual(Array.from({ length: EPOCHS - crashAt }, (_, i) => crashAt + i));
    expect(resumed.history.loss).toEqual(full.history.loss.slice(crashAt));
    expect(got).toEqual(expected);
  });

  it('fit on a dataset shuffled once (reshuffleEachIteration false) keeps its one order on resume', async () => {
    const { expected, got } = await runBoth((s) => model(s), fitDataset(false), 1);
    expect(got).toEqual(expected);
  });

  it('fit on a reshuffled stream read across epochs (batchesPerEpoch): the resumed run reads on where the stream had got to', async () => {
    // 6 batches a pass, 4 an epoch: passes and epochs do not line up.
    const stream = () => shuffled().repeat();
    const fitStream: Fit = (m, callbacks) => m.fit(stream(), { epochs: EPOCHS, batchesPerEpoch: 4, verbose: 0, callbacks });
    const { full, resumed, expected, got } = await runBoth((s) => model(s, null), fitStream, 3);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(3));
    expect(got).toEqual(expected);
  });

  it('warns, naming both counts and the fix, when the dataset has other reshuffling shuffles than the backup', async () => {
    const backupDir = newDir();
    await expect(fitDataset()(model(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow('crash');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const unshuffled = km.data.array(xs.map((row, i) => ({ xs: row, ys: ys[i] }))).batch(8);
    const history = await model(21).fit(unshuffled, { epochs: EPOCHS, verbose: 0, callbacks: [km.callbacks.backupAndRestore({ backupDir })] });
    expect(history.epoch).toEqual([2, 3]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/holds the passes of 1 reshuffling shuffles, but the training dataset has 0.*Resume with the dataset the backup was made with/));
    warn.mockRestore();
  });

  it('a backup from before the shuffle passes were kept resumes as before: the new process reshuffles from pass 0', async () => {
    const { resumed, full, expected, got } = await runBoth((s) => model(s), fitDataset(), 2, dropFromBackup('shuffleIterations'));
    expect(resumed.epoch).toEqual([2, 3]);
    expect(resumed.history.loss[0]).not.toBe(full.history.loss[2]);
    expect(got).not.toEqual(expected);
  });

  it.each([
    ['an unseeded Dropout (the global generator)', null],
    ['a seeded Dropout (its own generator)', 3],
  ] as const)('with %s, fit(x, y)', async (_, dropoutSeed) => {
    const { full, resumed, expected, got } = await runBoth((s) => model(s, dropoutSeed), fitTensors, 2);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(2));
    expect(got).toEqual(expected);
  });

  it('with Dropout, fit on a reshuffled dataset', async () => {
    const { expected, got } = await runBoth((s) => model(s, null), fitDataset(), 1);
    expect(got).toEqual(expected);
  });

  it('a backup from before the generators were kept resumes as before: Dropout draws from the generators of the new process', async () => {
    const { expected, got } = await runBoth((s) => model(s, 3), fitTensors, 2, dropFromBackup('random'));
    expect(maxDiff(got, expected)).toBeGreaterThan(0);
  });

  it('warns, naming both counts and the fix, when the model has other seeded layers than the backup', async () => {
    const backupDir = newDir();
    await expect(fitTensors(model(21, 3), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(2)])).rejects.toThrow('crash');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await fitTensors(model(21, null), [km.callbacks.backupAndRestore({ backupDir })]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/holds the generators of 1 layers with a seed, but the model has 0.*Resume with the model the backup was made with/));
    warn.mockRestore();
  });

  it('refuses a backup whose generator state is malformed, saying how to go on', async () => {
    const backupDir = newDir();
    await expect(fitTensors(model(21), [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(1)])).rejects.toThrow('crash');
    const json = JSON.parse(await readFile(progressFile(backupDir), 'utf8'));
    json.userDefinedMetadata.kerasm_training_progress.random = { global: -1, layers: [] };
    await writeFile(progressFile(backupDir), JSON.stringify(json));
    await expect(fitTensors(model(21), [km.callbacks.backupAndRestore({ backupDir })])).rejects.toThrow(/no valid training progress.*"global":-1.*delete this one to train from the start/);
  });
});

describe('km.callbacks.backupAndRestore with a backup at or beyond fit’s epochs', () => {
  it('trains nothing, warns naming the epoch the backup reached, and keeps the backup (Keras would delete it)', async () => {
    const backupDir = newDir();
    const crashed = model(21);
    await expect(fitTensors(crashed, [km.callbacks.backupAndRestore({ backupDir }), crashAtEpoch(3)])).rejects.toThrow('crash');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const short = model(99);
    const history = await short.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [km.callbacks.backupAndRestore({ backupDir })] });
    expect(history.epoch).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/has reached epoch 3, and fit runs to epoch 2, so nothing is trained.*backup is kept\. Raise epochs above 3 .* or delete .* to train from the start/));
    warn.mockRestore();
    expect(await weightsOf(short)).toEqual(await weightsOf(crashed));
    expect(await readdir(backupDir)).toEqual(['latest']);

    // The kept backup still resumes a run with enough epochs, which then removes it.
    const uninterrupted = model(21);
    await fitTensors(uninterrupted, []);
    const expected = await weightsOf(uninterrupted);
    const resumedModel = model(99);
    const resumed = await fitTensors(resumedModel, [km.callbacks.backupAndRestore({ backupDir })]);
    expect(resumed.epoch).toEqual([3]);
    expect(await weightsOf(resumedModel)).toEqual(expected);
    await expect(readdir(backupDir)).rejects.toThrow(/ENOENT/);
  });
});
