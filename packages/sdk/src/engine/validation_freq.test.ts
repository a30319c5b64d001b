import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// fit's validationFreq and validationBatchSize (Keras' validation_freq, validation_batch_size), and
// fit(dataset)'s validationFreq and validationBatches: validation never changes training, so the
// runs with and without them must log the same values wherever both validated.
const random = new Random(19);
const N = 40;
const x = km.tensor(Array.from({ length: N }, () => Array.from({ length: 4 }, () => random.uniform(-1, 1))));
const y = km.tensor(Array.from({ length: N }, (_, i) => i % 3), undefined, 'int32');
let dir: string;

beforeAll(async () => {
  await km.ready();
  dir = await mkdtemp(join(tmpdir(), 'kerasm-validation-freq-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function classifier(): km.Sequential {
  km.utils.setRandomSeed(8);
  const model = km.sequential([km.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

const fitArgs = { epochs: 5, batchSize: 8, validationSplit: 0.25, seed: 3, verbose: 0 as const };

describe('fit validationFreq and validationBatchSize', () => {
  it('validates after every second epoch only, logging what validating every epoch logs there', async () => {
    const every = await classifier().fit(x, y, fitArgs);
    const second = await classifier().fit(x, y, { ...fitArgs, validationFreq: 2 });
    expect(second.history.loss).toEqual(every.history.loss);
    expect(second.history.val_loss).toEqual([every.history.val_loss[1], every.history.val_loss[3]]);
    expect(second.history.val_accuracy).toEqual([every.history.val_accuracy[1], every.history.val_accuracy[3]]);
    const batched = await classifier().fit(x, y, { ...fitArgs, validationBatchSize: 3 });
    batched.history.val_loss.forEach((v, i) => expect(v).toBeCloseTo(every.history.val_loss[i], 6));
  });

  it('callbacks monitoring val_ keys skip the unvalidated epochs instead of failing', async () => {
    const stopper = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 1 });
    const plateau = km.callbacks.reduceLROnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.5 });
    const filepath = `file://${dir}/ckpt-{epoch}`;
    const logged = join(dir, 'log.csv');
    const history = await classifier().fit(x, y, { ...fitArgs, epochs: 4, validationFreq: 2, callbacks: [stopper, plateau, km.callbacks.modelCheckpoint({ filepath, saveBestOnly: true }), km.callbacks.csvLogger(logged)] });
    expect(history.epoch.length).toBeGreaterThanOrEqual(2);
    // Only validated epochs (1 and 3, 0-based) can have saved a best checkpoint.
    const saved = (await readdir(dir)).filter((f) => f.startsWith('ckpt-'));
    expect(saved.length).toBeGreaterThan(0);
    saved.forEach((f) => expect(['ckpt-2', 'ckpt-4']).toContain(f));
    const rows = (await readFile(logged, 'utf8')).trim().split('\n').map((line) => line.split(','));
    expect(rows[0]).toEqual(['epoch', 'accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_learning_rate', 'val_loss']);
    expect(rows[1][6]).toBe('');
    expect(Number(rows[2][6])).toBeCloseTo(history.history.val_loss[0], 6);
    // Without validation data, a missing val_ key is still an error.
    await expect(classifier().fit(x, y, { epochs: 2, verbose: 0, callbacks: [km.callbacks.earlyStopping({ monitor: 'val_loss' })] })).rejects.toThrow("EarlyStopping monitors 'val_loss', but fit has no validation data: give fit validationData or validationSplit, or monitor 'loss'.");
  });

  it('fit(dataset) validates every validationFreq-th epoch on the first validationBatches batches', async () => {
    const train = () => km.data.zip({ xs: km.data.array(Array.from({ length: 32 }, (_, i) => x.slice(i, 1).reshape([4]))), ys: km.data.array(Array.from(y.dataSync()).slice(0, 32)) }).batch(8);
    const validation = km.data.zip({ xs: km.data.array(Array.from({ length: 8 }, (_, i) => x.slice(32 + i, 1).reshape([4]))), ys: km.data.array(Array.from(y.dataSync()).slice(32)) }).batch(2);
    const every = await classifier().fit(train(), { epochs: 4, validationData: validation, verbose: 0 });
    const model = classifier();
    const second = await model.fit(train(), { epochs: 4, validationData: validation, validationFreq: 2, verbose: 0 });
    expect(second.history.val_loss).toEqual([every.history.val_loss[1], every.history.val_loss[3]]);
    const firstTwo = await model.fit(train(), { epochs: 1, validationData: validation, validationBatches: 2, verbose: 0 });
    expect(firstTwo.history.val_loss[0]).toBeCloseTo((await model.evaluate(validation, { batches: 2, verbose: 0 }))[0], 6);
  });

  it('refuses a validationFreq or validationBatchSize that is not a positive integer', async () => {
    await expect(classifier().fit(x, y, { ...fitArgs, validationFreq: 0 })).rejects.toThrow(/validationFreq must be a positive integer. Received: validationFreq=0/);
    await expect(classifier().fit(x, y, { ...fitArgs, validationBatchSize: 2.5 })).rejects.toThrow(/validationBatchSize must be a positive integer/);
  });
});
