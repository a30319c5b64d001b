import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

let dir: string;
let x: km.Tensor;
let y: km.Tensor;

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'kerasm-resume-'));
  const { train } = await km.datasets.mnist.load();
  x = train.x.slice(0, 1000);
  y = train.y.slice(0, 1000);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function mlp(optimizer: km.optimizers.Optimizer): km.Sequential {
  km.utils.setRandomSeed(21);
  const model = km.sequential([km.layers.flatten({ inputShape: [28, 28] }), km.layers.dense({ units: 16, activation: 'relu' }), km.layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

// SGD with momentum is saved in tfjs' convention (accumulator = −velocity / lr); the rescaling
// rounds in float32, so that resume matches to rounding rather than bit for bit.
const optimizers = [
  { name: 'adam', make: () => km.optimizers.adam({ learningRate: 0.003 }), exact: true },
  { name: 'sgd', make: () => km.optimizers.sgd({ learningRate: 0.05 }), exact: true },
  { name: 'sgd momentum', make: () => km.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), exact: false },
  // 64 steps in all: the schedule decays the rate to 0 by the end of the uninterrupted run.
  { name: 'adam with cosineDecay', make: () => km.optimizers.adam({ learningRate: km.optimizers.schedules.cosineDecay({ initialLearningRate: 0.003, decaySteps: 64 }) }), exact: true },
  { name: 'sgd momentum with exponentialDecay', make: () => km.optimizers.sgd({ momentum: 0.9, learningRate: km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 10, decayRate: 0.5 }) }), exact: false },
];

describe('resuming from a checkpoint', () => {
  it.each(optimizers)('$name: load + fit({ seed, initialEpoch }) gives the losses of the uninterrupted run (exact: $exact)', async ({ make, exact }) => {
    const fitArgs = { batchSize: 50, seed: 7, validationSplit: 0.2, verbose: 0 as const };
    const uninterrupted = await mlp(make()).fit(x, y, { ...fitArgs, epochs: 4 });

    const path = join(dir, `${make().className}-epoch-{epoch}`);
    await mlp(make()).fit(x, y, { ...fitArgs, epochs: 2, callbacks: [km.callbacks.modelCheckpoint({ filepath: path })] });
    const resumed = await km.loadLayersModel(path.replace('{epoch}', '2'));
    expect(resumed.optimizer?.iterations).toBe(2 * 16);
    expect(resumed.optimizer?.schedule?.getConfig()).toEqual(make().schedule?.getConfig());
    const rest = await resumed.fit(x, y, { ...fitArgs, epochs: 4, initialEpoch: 2 });

    expect(rest.epoch).toEqual([2, 3]);
    if (!exact) {
      rest.history.loss.forEach((loss, i) => expect(Math.abs(loss - uninterrupted.history.loss[i + 2])).toBeLessThan(1e-5));
      return;
    }
    expect(rest.history.loss).toEqual(uninterrupted.history.loss.slice(2));
    expect(rest.history.val_loss).toEqual(uninterrupted.history.val_loss.slice(2));
    expect(rest.history.accuracy).toEqual(uninterrupted.history.accuracy.slice(2));
  });

  it('without the optimizer state the continued run differs (the state matters)', async () => {
    const fitArgs = { batchSize: 50, seed: 7, verbose: 0 as const };
    const uninterrupted = await mlp(km.optimizers.adam()).fit(x, y, { ...fitArgs, epochs: 2 });
    const first = mlp(km.optimizers.adam());
    await first.fit(x, y, { ...fitArgs, epochs: 1 });
    await first.save(join(dir, 'no-optimizer'));
    const resumed = await km.loadLayersModel(join(dir, 'no-optimizer'));
    expect(resumed.optimizer?.iterations).toBe(0);
    const rest = await resumed.fit(x, y, { ...fitArgs, epochs: 2, initialEpoch: 1 });
    expect(rest.history.loss[0]).not.toEqual(uninterrupted.history.loss[1]);
  });

  it('modelCheckpoint with saveBestOnly saves only improvements of the monitored value', async () => {
    const path = join(dir, 'best');
    const saved: number[] = [];
    const model = mlp(km.optimizers.adam());
    const checkpoint = km.callbacks.modelCheckpoint({ filepath: path, monitor: 'loss', saveBestOnly: true });
    const history = await model.fit(x, y, {
      epochs: 3, batchSize: 100, seed: 3, verbose: 0,
      callbacks: [checkpoint, { onEpochEnd: async (epoch) => void (await readdir(path).then(() => saved.push(epoch), () => {})) }],
    });
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
    expect(saved).toEqual([0, 1, 2]);
    const best = await km.loadLayersModel(path);
    expect(Array.from(best.predict(x.slice(0, 4)).dataSync())).toEqual(Array.from(model.predict(x.slice(0, 4)).dataSync()));
  });

  it('modelCheckpoint: bad arguments and a monitored value missing from the logs', async () => {
    expect(() => km.callbacks.modelCheckpoint({ filepath: '' })).toThrow(/needs a filepath to save to.*Received: filepath=""/);
    expect(() => km.callbacks.modelCheckpoint({ filepath: 'a', mode: 'up' as 'max' })).toThrow(/modelCheckpoint: mode must be 'auto', 'min' or 'max'. Received: mode="up"/);
    const model = mlp(km.optimizers.adam());
    const checkpoint = km.callbacks.modelCheckpoint({ filepath: join(dir, 'never'), saveBestOnly: true });
    await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [checkpoint] })).rejects.toThrow("modelCheckpoint monitors 'val_loss', but fit has no validation data: give fit validationData or validationSplit, or monitor 'loss'.");
    const badPath = km.callbacks.modelCheckpoint({ filepath: join(dir, 'ckpt-{val_acc:.2f}') });
    await expect(model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [badPath] })).rejects.toThrow(/uses \{val_acc\}, which is not in the epoch logs/);
  });

  it('formats filepath placeholders as Keras does', async () => {
    const { formatCheckpointPath } = await import('../callbacks/model_checkpoint.js');
    expect(formatCheckpointPath('m-{epoch:02d}-{val_loss:.3f}', 4, { val_loss: 0.123456 })).toBe('m-05-0.123');
  });
});

describe('optimizer state is interchangeable with tfjs', () => {
  it('tfjs continues Adam training from kerasm state with the updates kerasm makes', async () => {
    // ε tiny: tfjs adds it to √v̂, Keras to √v (see tfjs_parity.test.ts).
    const model = mlp(km.optimizers.adam({ learningRate: 0.003, epsilon: 1e-10 }));
    const xs = x.slice(0, 100);
    const ys = y.slice(0, 100);
    await model.fit(xs, ys, { epochs: 3, batchSize: 100, shuffle: false, verbose: 0 });
    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (artifacts = a)), { includeOptimizer: true });
    expect(artifacts!.weightSpecs!.filter((w) => w.group === 'optimizer').map((w) => w.name)).toEqual([
      'iter', ...['m', 'v'].flatMap((s) => model.layers.flatMap((l) => l.weightSpecs.map((w) => `${w.name}/${s}`))),
    ]);

    const before = model.getWeights().map((w) => w.dataSync());
    const tfX = tf.tensor(xs.dataSync(), [...xs.shape]);
    const tfY = tf.tensor(ys.dataSync(), [100], 'float32');
    const resumed = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const restarted = await tfl.loadLayersModel(tf.io.fromMemory({ ...artifacts, weightSpecs: artifacts!.weightSpecs!.slice(0, 4), weightData: artifacts!.weightData!.slice(0, 4 * model.countParams()) } as tf.io.ModelArtifacts));
    await model.fit(xs, ys, { epochs: 1, batchSize: 100, shuffle: false, verbose: 0 });
    for (const m of [resumed, restarted]) await m.fit(tfX, tfY, { epochs: 1, batchSize: 100, shuffle: false, verbose: 0 });

    // ‖ours − theirs‖ / ‖step taken‖: Adam's near-sign updates amplify float rounding on tiny gradients, so compare norms.
    const ours = model.getWeights().map((w) => w.dataSync());
    const relativeGap = (other: tfl.LayersModel) => {
      let gap = 0;
      let step = 0;
      other.getWeights().forEach((w, i) => {
        const theirs = w.dataSync();
        for (let j = 0; j < theirs.length; j++) {
          gap += (ours[i][j] - theirs[j]) ** 2;
          step += (ours[i][j] - before[i][j]) ** 2;
        }
      });
      return Math.sqrt(gap / step);
    };
    expect(relativeGap(resumed)).toBeLessThan(1e-3);
    expect(relativeGap(restarted)).toBeGreaterThan(0.1);
  });
});

describe('saved learning-rate schedules', () => {
  it('are written beside the current rate, which tfjs-layers reads as a number', async () => {
    const schedule = km.optimizers.schedules.cosineDecay({ initialLearningRate: 0.003, decaySteps: 40 });
    const model = mlp(km.optimizers.adam({ learningRate: schedule }));
    await model.fit(x.slice(0, 400), y.slice(0, 400), { epochs: 1, batchSize: 20, verbose: 0 });
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: true });
    const config = saved!.trainingConfig!.optimizer_config.config;
    // 20 of 40 steps done: half way down the cosine.
    expect(config.learningRate).toBeCloseTo(0.0015, 9);
    expect(config.learningRateSchedule).toEqual({ class_name: 'CosineDecay', config: schedule.getConfig() });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect((theirs.optimizer.getConfig() as { learningRate: number }).learningRate).toBeCloseTo(0.0015, 9);
  });

  it("refuse to save SGD's momentum once a schedule has brought the rate to 0, naming the way out", async () => {
    const model = mlp(km.optimizers.sgd({ momentum: 0.9, learningRate: km.optimizers.schedules.cosineDecay({ initialLearningRate: 0.05, decaySteps: 5 }) }));
    await model.fit(x.slice(0, 100), y.slice(0, 100), { epochs: 1, batchSize: 20, verbose: 0 });
    await expect(model.save(km.io.withSaveHandler(async () => undefined), { includeOptimizer: true })).rejects.toThrow(
      "Cannot save SGD's momentum state while its learning rate is 0 (a schedule that reached 0): tfjs' Momentum format stores velocity / learningRate. Save with { includeOptimizer: false }",
    );
  });

  it("load from a Keras file's learning_rate object with snake_case keys", async () => {
    const model = mlp(km.optimizers.adam());
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (saved = a)), { includeOptimizer: false });
    const keras = { module: 'keras.optimizers.schedules', class_name: 'ExponentialDecay', config: { initial_learning_rate: 0.01, decay_steps: 100, decay_rate: 0.5, staircase: true, name: 'ExponentialDecay' } };
    saved!.trainingConfig = { loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'], optimizer_config: { class_name: 'Adam', config: { learning_rate: keras, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 } } };
    const loaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    expect(loaded.optimizer?.schedule?.className).toBe('ExponentialDecay');
    expect(loaded.optimizer?.schedule?.at(250)).toBeCloseTo(0.01 * 0.25, 12);
  });
});
