import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

// The callback driven epoch by epoch with chosen logs, saving a real model to real folders: the
// folders written (one per epoch, named by {epoch}) are the decisions it took.
let dir: string;
beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-checkpoint-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function savedEpochs(args: Omit<km.callbacks.ModelCheckpointArgs, 'filepath'>, logs: Record<string, number>[], name: string): Promise<string[]> {
  const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
  const checkpoint = km.callbacks.modelCheckpoint({ filepath: join(dir, name, 'epoch-{epoch}'), ...args });
  checkpoint.setModel?.(model as never);
  for (const [epoch, epochLogs] of logs.entries()) await checkpoint.onEpochEnd?.(epoch, epochLogs as km.TrainLogs);
  return readdir(join(dir, name)).then((names) => names.sort(), () => []);
}

describe('km.callbacks.modelCheckpoint', () => {
  it("mode 'auto' maximises AUC, precision and recall, as EarlyStopping does, and minimises other values", async () => {
    const auc = [{ val_auc: 0.7 }, { val_auc: 0.65 }, { val_auc: 0.8 }];
    expect(await savedEpochs({ monitor: 'val_auc', saveBestOnly: true }, auc, 'auc')).toEqual(['epoch-1', 'epoch-3']);
    const recall = [{ recall: 0.5 }, { recall: 0.6 }, { recall: 0.55 }];
    expect(await savedEpochs({ monitor: 'recall', saveBestOnly: true }, recall, 'recall')).toEqual(['epoch-1', 'epoch-2']);
    const loss = [{ val_loss: 0.5 }, { val_loss: 0.6 }, { val_loss: 0.4 }];
    expect(await savedEpochs({ saveBestOnly: true }, loss, 'loss')).toEqual(['epoch-1', 'epoch-3']);
    expect(await savedEpochs({ saveBestOnly: true, mode: 'max' }, loss, 'loss-max')).toEqual(['epoch-1', 'epoch-2']);
  });

  it('initialValueThreshold is the value the first checkpoint must beat', async () => {
    const loss = [{ loss: 0.6 }, { loss: 0.45 }, { loss: 0.5 }, { loss: 0.3 }];
    expect(await savedEpochs({ monitor: 'loss', saveBestOnly: true, initialValueThreshold: 0.5 }, loss, 'threshold')).toEqual(['epoch-2', 'epoch-4']);
    expect(await savedEpochs({ monitor: 'loss', saveBestOnly: true, initialValueThreshold: 0.1 }, loss, 'never')).toEqual([]);
  });

  it('verbose: 1 prints each decision as Keras does', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      await savedEpochs({ monitor: 'loss', saveBestOnly: true, verbose: 1 }, [{ loss: 0.5 }, { loss: 0.7 }], 'verbose');
      await savedEpochs({ verbose: 1 }, [{ loss: 0.5 }], 'verbose-every');
    } finally {
      log.mockRestore();
    }
    expect(lines).toEqual([
      `Epoch 1: loss improved from Infinity to 0.50000, saving model to ${join(dir, 'verbose', 'epoch-1')}`,
      'Epoch 2: loss did not improve from 0.50000',
      `Epoch 1: saving model to ${join(dir, 'verbose-every', 'epoch-1')}`,
    ]);
  });

  it('saveFreq n saves after every n batches, counting across epochs as Keras does, and fills {batch}', async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const x = km.tensor(Array.from({ length: 30 }, (_, i) => Math.sin(i)), [10, 3]);
    const y = km.tensor(Array.from({ length: 10 }, (_, i) => i % 2), [10]);
    const folder = join(dir, 'by-batch');
    const checkpoint = km.callbacks.modelCheckpoint({ filepath: join(folder, 'e{epoch}-b{batch}-{loss:.3f}'), saveFreq: 3 });
    await model.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0, callbacks: [checkpoint] });
    const saved = (await readdir(folder)).map((name) => name.replace(/-[\d.]+$/, '')).sort();
    expect(saved).toEqual(['e1-b3', 'e2-b1', 'e2-b4']);
    const best = km.callbacks.modelCheckpoint({ filepath: join(folder, 'best'), saveFreq: 2, saveBestOnly: true });
    await expect(model.fit(x, y, { epochs: 1, batchSize: 2, validationSplit: 0.2, verbose: 0, callbacks: [best] })).rejects.toThrow(
      "modelCheckpoint monitors 'val_loss' every few batches, but batch logs hold training values only: monitor 'loss', or save once per epoch (saveFreq: 'epoch').",
    );
  });

  it("saveWeightsOnly saves as model.saveWeights does (no training config, no optimizer state), and loadWeights restores the best epoch's weights", async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const x = km.tensor(Array.from({ length: 30 }, (_, i) => Math.cos(i)), [10, 3]);
    const y = km.tensor(Array.from({ length: 10 }, (_, i) => i % 2), [10]);
    const folder = join(dir, 'weights-only');
    const weightsAtEpochEnd: number[][][] = [];
    const record = { onEpochEnd: () => void weightsAtEpochEnd.push(model.getWeights().map((w) => Array.from(w.dataSync()))) };
    const checkpoint = km.callbacks.modelCheckpoint({ filepath: folder, monitor: 'loss', saveBestOnly: true, saveWeightsOnly: true });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 5, verbose: 0, callbacks: [checkpoint, record] });
    const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as km.io.ModelJSON;
    expect(json.trainingConfig).toBeUndefined();
    expect(json.weightsManifest[0].weights.every((w) => w.group !== 'optimizer')).toBe(true);
    const losses = history.history.loss as number[];
    const best = losses.indexOf(Math.min(...losses));
    const twin = km.sequential([km.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
    await twin.loadWeights(folder);
    expect(twin.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(weightsAtEpochEnd[best]);
  });

  it('refuses a threshold, verbosity, saving frequency or weights-only setting it cannot use, naming the value', () => {
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', saveWeightsOnly: 'yes' as unknown as boolean })).toThrow('modelCheckpoint saveWeightsOnly must be true or false. Received: saveWeightsOnly="yes".');
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', saveWeightsOnly: true, includeOptimizer: true })).toThrow(
      'modelCheckpoint cannot save the optimizer state with saveWeightsOnly: true, which saves the weights alone. Drop includeOptimizer, or save whole models (saveWeightsOnly: false) to resume training exactly.',
    );
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', initialValueThreshold: '0.5' as unknown as number })).toThrow('modelCheckpoint initialValueThreshold must be a number. Received: initialValueThreshold="0.5".');
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', verbose: 2 as 1 })).toThrow('modelCheckpoint verbose must be 0 or 1. Received: verbose=2.');
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', saveFreq: 0 })).toThrow("modelCheckpoint saveFreq must be 'epoch' or a positive integer (a number of batches). Received: saveFreq=0.");
  });

  it("refuses Keras' file names (.weights.h5, .keras) when made, not after the first epoch, naming the folder to give", () => {
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'file://ckpt/model_checkpoint.weights.h5', saveWeightsOnly: true })).toThrow(
      "modelCheckpoint filepath 'file://ckpt/model_checkpoint.weights.h5' names a Keras HDF5 file, which kerasm does not write: it saves TensorFlow.js' LayersModel format, a folder holding model.json and the weights (with saveWeightsOnly too). Give a folder instead: { filepath: 'file://ckpt/model_checkpoint' }.",
    );
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'best-{epoch}.keras' })).toThrow(/names a Keras \.keras file.*\{ filepath: 'best-\{epoch\}' \}/);
  });
});
