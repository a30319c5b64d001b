import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { backupFolders, uniformRows, weightsOf } from '../testing/interrupted_run.js';

const newDir = backupFolders('kerasm-backup-');
afterAll(() => useBackend('wasm'));

const random = new Random(12);
const rows = (n: number, width: number) => uniformRows(random, n, width);
const x = km.tensor(rows(64, 4));
const y = km.tensor(rows(64, 2));
const FIT = { epochs: 4, batchSize: 8, validationSplit: 0.25, verbose: 0 as const };

/** The model is built after seeding the generator, which then also draws fit's shuffling seed. */
function mlp(seed: number, units = 6): km.Sequential {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([km.layers.dense({ units, activation: 'relu', inputShape: [4] }), km.layers.dense({ units: 2 })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02 }), loss: 'mse' });
  return model;
}


/** Throws from `hook` when `when(index)` holds: what a crash looks like to fit. */
function crashAt(hook: 'onEpochBegin' | 'onBatchEnd', when: (index: number) => boolean, epochs: number[] = []): km.callbacks.CustomCallbackArgs {
  return {
    onEpochBegin: (epoch) => {
      epochs.push(epoch);
      if (hook === 'onEpochBegin' && when(epoch)) throw new Error('crash');
    },
    onBatchEnd: (batch) => {
      if (hook === 'onBatchEnd' && when(batch)) throw new Error('crash');
    },
  };
}

describe('km.callbacks.backupAndRestore', () => {
  it.each(BACKENDS_HERE)('on %s: resumes an interrupted fit at the next epoch, ending with the weights of the uninterrupted run bit for bit', async (backend) => {
    await useBackend(backend);
    const uninterrupted = mlp(21);
    const full = await uninterrupted.fit(x, y, FIT);

    const backupDir = newDir();
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', (e) => e === 2)] })).rejects.toThrow('crash');
    const saved = JSON.parse(await readFile(join(backupDir, 'latest', 'model.json'), 'utf8')).userDefinedMetadata.kerasm_training_progress;
    expect(saved.epoch).toBe(2);

    // Built under another seed, so fit would draw another shuffling seed: the backup's replaces it.
    const resumedModel = mlp(99);
    const seen: number[] = [];
    const resumed = await resumedModel.fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', () => false, seen)] });
    expect(seen).toEqual([2, 3]);
    expect(resumed.epoch).toEqual([2, 3]);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(2));
    expect(resumed.history.val_loss).toEqual(full.history.val_loss.slice(2));
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(uninterrupted));
    expect(resumedModel.optimizer?.iterations).toBe(uninterrupted.optimizer?.iterations);
    // deleteCheckpoint (the default): a fit that ends normally removes the backup.
    await expect(readdir(backupDir)).rejects.toThrow(/ENOENT/);
    await useBackend('wasm');
  });

  it('with an explicit fit seed, resumes the same way', async () => {
    const uninterrupted = mlp(21);
    await uninterrupted.fit(x, y, { ...FIT, seed: 5 });
    const backupDir = newDir();
    await expect(mlp(21).fit(x, y, { ...FIT, seed: 5, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', (e) => e === 1)] })).rejects.toThrow('crash');
    const resumedModel = mlp(21);
    await resumedModel.fit(x, y, { ...FIT, seed: 5, callbacks: [km.callbacks.backupAndRestore({ backupDir })] });
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(uninterrupted));
  });

  it('with saveFreq, backs up every n batches across epochs and resumes at the start of the epoch of the last backup, as Keras does', async () => {
    const backupDir = newDir();
    const atBatch: number[][][] = [];
    const record = { onBatchEnd: async () => void atBatch.push(await weightsOf(model)) };
    const model = mlp(21);
    // 6 batches per epoch, a backup every 4: after epoch 0's batch 3, then epoch 1's batch 1, then epoch 1's batch 5.
    await expect(model.fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir, saveFreq: 4 }), record, crashAt('onBatchEnd', (b) => atBatch.length === 11 && b === 4)] })).rejects.toThrow('crash');
    const saved = JSON.parse(await readFile(join(backupDir, 'latest', 'model.json'), 'utf8')).userDefinedMetadata.kerasm_training_progress;
    expect([saved.epoch, saved.batch]).toEqual([1, 1]);

    const resumedModel = mlp(7);
    let restored: number[][] = [];
    const history = await resumedModel.fit(x, y, {
      ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir, saveFreq: 4 }), { onEpochBegin: async (epoch) => void (epoch === 1 && (restored = await weightsOf(resumedModel))) }],
    });
    expect(history.epoch).toEqual([1, 2, 3]);
    expect(restored).toEqual(atBatch[6 + 1]);
  });

  it('ignores what a crash mid-write leaves behind, and keeps the backup with deleteCheckpoint: false', async () => {
    const backupDir = newDir();
    const uninterrupted = mlp(21);
    await uninterrupted.fit(x, y, FIT);
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', (e) => e === 3)] })).rejects.toThrow('crash');
    // A temporary model.json and a weights file that no model.json names: an interrupted save.
    const latest = join(backupDir, 'latest');
    await writeFile(join(latest, `.model.json.${process.pid}.x1.tmp`), '{"modelTopology": {"trunc');
    await writeFile(join(latest, 'weights-0123456789abcdef.bin'), new Uint8Array(7));
    const resumedModel = mlp(21);
    const history = await resumedModel.fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir, deleteCheckpoint: false })] });
    expect(history.epoch).toEqual([3]);
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(uninterrupted));
    expect(await readdir(backupDir)).toEqual(['latest']);
  });

  it('refuses a truncated backup clearly, or with doubleCheckpoint restores the one before it', async () => {
    const truncateLatest = async (backupDir: string) => {
      const latest = join(backupDir, 'latest');
      const weightsFile = (await readdir(latest)).find((f) => f.endsWith('.bin'))!;
      await truncate(join(latest, weightsFile), 10);
    };
    const single = newDir();
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: single }), crashAt('onEpochBegin', (e) => e === 2)] })).rejects.toThrow('crash');
    await truncateLatest(single);
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: single })] })).rejects.toThrow(/cannot restore the backup in .*latest: .*truncated.*Delete .* to train from the start/);

    const double = newDir();
    const weightsAfterEpoch: number[][][] = [];
    const model = mlp(21);
    const record = { onEpochEnd: async () => void weightsAfterEpoch.push(await weightsOf(model)) };
    await expect(model.fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: double, doubleCheckpoint: true }), record, crashAt('onEpochBegin', (e) => e === 2)] })).rejects.toThrow('crash');
    expect((await readdir(double)).sort()).toEqual(['latest', 'previous']);
    await truncateLatest(double);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const resumedModel = mlp(21);
    let restored: number[][] = [];
    const history = await resumedModel.fit(x, y, {
      ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: double, doubleCheckpoint: true }), { onTrainBegin: async () => void (restored = await weightsOf(resumedModel)) }],
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/latest backup cannot be restored.*previous/));
    warn.mockRestore();
    expect(history.epoch).toEqual([1, 2, 3]);
    expect(restored).toEqual(weightsAfterEpoch[0]);
  });

  it('resumes fit on a dataset at the next epoch too', async () => {
    const xs = x.arraySync() as number[][];
    const ys = y.arraySync() as number[][];
    const dataset = () => km.data.array(xs.map((row, i) => ({ xs: row, ys: ys[i] }))).batch(8);
    const fitArgs = { epochs: 4, verbose: 0 as const };
    const uninterrupted = mlp(21);
    const full = await uninterrupted.fit(dataset(), fitArgs);
    const backupDir = newDir();
    await expect(mlp(21).fit(dataset(), { ...fitArgs, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', (e) => e === 3)] })).rejects.toThrow('crash');
    const resumedModel = mlp(21);
    const resumed = await resumedModel.fit(dataset(), { ...fitArgs, callbacks: [km.callbacks.backupAndRestore({ backupDir })] });
    expect(resumed.epoch).toEqual([3]);
    expect(resumed.history.loss).toEqual(full.history.loss.slice(3));
    expect(await weightsOf(resumedModel)).toEqual(await weightsOf(uninterrupted));
  });

  it('refuses a backup of another model', async () => {
    const backupDir = newDir();
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir }), crashAt('onEpochBegin', (e) => e === 1)] })).rejects.toThrow('crash');
    await expect(mlp(21, 5).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir })] })).rejects.toThrow(/shapes \[4, 6\].*but model .* has \[4, 5\].*another model: pass another backupDir, or delete this one/);
  });

  it("refuses a folder holding the user's files before training, and at the end removes only what it wrote", async () => {
    const shared = newDir();
    await mkdir(join(shared, 'old_model'), { recursive: true });
    await writeFile(join(shared, 'notes.txt'), 'keep me');
    const model = mlp(21);
    const before = await weightsOf(model);
    await expect(model.fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: shared })] })).rejects.toThrow(
      `km.callbacks.backupAndRestore: backupDir '${shared}' holds files it did not write (notes.txt, old_model). The backup takes a folder of its own, which it deletes when training ends: pass a new or empty folder, e.g. '${shared}/backup'.`,
    );
    expect(await weightsOf(model)).toEqual(before);
    expect((await readdir(shared)).sort()).toEqual(['notes.txt', 'old_model']);
    // A file where the folder should be is named as such.
    await expect(mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: join(shared, 'notes.txt') })] })).rejects.toThrow(/backupDir '.*notes\.txt' is a file, not a folder/);
    // Its own folder, given as the working directory, is emptied but stays.
    const own = newDir();
    await mkdir(own);
    const cwd = process.cwd();
    process.chdir(own);
    try {
      await mlp(21).fit(x, y, { ...FIT, callbacks: [km.callbacks.backupAndRestore({ backupDir: '.', doubleCheckpoint: true })] });
    } finally {
      process.chdir(cwd);
    }
    expect(await readdir(own)).toEqual([]);
  });

  it('names bad options', () => {
    const make = (args: unknown) => () => km.callbacks.backupAndRestore(args as km.callbacks.BackupAndRestoreArgs);
    expect(make({})).toThrow(/needs a backupDir.*Received: backupDir=undefined/);
    expect(make({ backupDir: '' })).toThrow(/needs a backupDir/);
    expect(make({ backupDir: 'b', saveFreq: 0 })).toThrow(/saveFreq must be 'epoch' or a whole number of batches ≥ 1. Received: saveFreq=0/);
    expect(make({ backupDir: 'b', saveFreq: 'batch' })).toThrow(/Received: saveFreq="batch"/);
    expect(make({ backupDir: 'b', deleteCheckpoint: 'yes' })).toThrow(/deleteCheckpoint must be true or false/);
    expect(make({ backupDir: 'b', doubleCheckpoints: true })).toThrow(/doubleCheckpoints/);
  });
});
