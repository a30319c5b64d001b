import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import type { Logs } from './callbacks.js';

beforeAll(() => km.ready());

// A linear problem whose validation targets are the negated training targets: the better the
// model fits the training data, the worse its validation loss, so monitors see no improvement after epoch 0.
function problem() {
  const n = 64;
  const xs = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5]);
  const ys = xs.map(([a, b, c]) => [2 * a - b + 0.5 * c]);
  return {
    x: km.tensor(xs),
    y: km.tensor(ys),
    validationData: [km.tensor(xs), km.tensor(ys.map(([v]) => [-v]))] as [km.Tensor, km.Tensor],
  };
}

function linearModel(optimizer: km.optimizers.Optimizer) {
  km.utils.setRandomSeed(5);
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'zeros' })]);
  model.compile({ optimizer, loss: 'mse' });
  return model;
}

const weightsOf = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

describe('built-in callbacks act on training', () => {
  it('earlyStopping stops after `patience` epochs without improvement and restores the best weights', async () => {
    const { x, y, validationData } = problem();
    const model = linearModel(km.optimizers.sgd({ learningRate: 0.05 }));
    const perEpoch: number[][][] = [];
    const stopper = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, y, {
      epochs: 20, batchSize: 16, validationData, verbose: 0,
      callbacks: [{ onEpochEnd: () => void perEpoch.push(weightsOf(model)) }, stopper],
    });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(stopper.bestEpoch).toBe(0);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(weightsOf(model)).toEqual(perEpoch[0]);
    expect(perEpoch[2]).not.toEqual(perEpoch[0]);
  });

  it('earlyStopping with restoreBestWeights puts the best weights back when training runs every epoch too, as Keras 3 does', async () => {
    const { x, y, validationData } = problem();
    const model = linearModel(km.optimizers.sgd({ learningRate: 0.05 }));
    const perEpoch: number[][][] = [];
    const stopper = km.callbacks.earlyStopping({ monitor: 'val_loss', patience: 10, restoreBestWeights: true });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, validationData, verbose: 0, callbacks: [{ onEpochEnd: () => void perEpoch.push(weightsOf(model)) }, stopper] });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(stopper.stoppedEpoch).toBe(-1);
    const best = history.history.val_loss.indexOf(Math.min(...history.history.val_loss));
    expect(stopper.bestEpoch).toBe(best);
    expect(best).toBeLessThan(2);
    expect(weightsOf(model)).toEqual(perEpoch[best]);
    expect(perEpoch[2]).not.toEqual(perEpoch[best]);
  });

  it('earlyStopping with minDelta ignores improvements smaller than it', async () => {
    const { x, y } = problem();
    const model = linearModel(km.optimizers.sgd({ learningRate: 0.001 }));
    const history = await model.fit(x, y, { epochs: 10, batchSize: 64, verbose: 0, callbacks: km.callbacks.earlyStopping({ monitor: 'loss', minDelta: 10 }) });
    expect(history.epoch).toEqual([0, 1]);
    const patient = linearModel(km.optimizers.sgd({ learningRate: 0.001 }));
    const full = await patient.fit(x, y, { epochs: 10, batchSize: 64, verbose: 0, callbacks: km.callbacks.earlyStopping({ monitor: 'loss' }) });
    expect(full.epoch).toHaveLength(10); // the loss keeps falling, so without minDelta it never stops
  });

  it('reduceLROnPlateau multiplies the learning rate by factor after `patience` flat epochs', async () => {
    const { x, y, validationData } = problem();
    const optimizer = km.optimizers.sgd({ learningRate: 0.05 });
    const model = linearModel(optimizer);
    const history = await model.fit(x, y, {
      epochs: 4, batchSize: 16, validationData, verbose: 0,
      callbacks: km.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 1 }),
    });
    expect(history.history.learning_rate).toEqual([0.05, 0.05, 0.025, 0.0125]);
    expect(optimizer.learningRate).toBeCloseTo(0.00625, 12);
  });

  it("reduceLROnPlateau with verbose: 1 prints Keras' line at each reduction", async () => {
    const { x, y, validationData } = problem();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await linearModel(km.optimizers.sgd({ learningRate: 0.05 })).fit(x, y, {
        epochs: 4, batchSize: 16, validationData, verbose: 0,
        callbacks: km.callbacks.reduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 1, verbose: 1 }),
      });
      expect(log.mock.calls.map(([line]) => line)).toEqual([2, 3, 4].map((epoch, k) => `Epoch ${epoch}: ReduceLROnPlateau reducing learning rate to ${0.025 / 2 ** k}.`));
    } finally {
      log.mockRestore();
    }
    expect(() => km.callbacks.reduceLROnPlateau({ verbose: 2 as 1 })).toThrow('ReduceLROnPlateau: verbose must be 0 or 1. Received: verbose=2.');
  });

  it('learningRateScheduler sets the rate at each epoch start', async () => {
    const { x, y } = problem();
    const optimizer = km.optimizers.sgd({ learningRate: 0.1 });
    const model = linearModel(optimizer);
    const seen: number[] = [];
    await model.fit(x, y, {
      epochs: 3, batchSize: 32, verbose: 0,
      callbacks: [km.callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1)), { onEpochEnd: () => void seen.push(optimizer.learningRate) }],
    });
    expect(seen).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('learningRateScheduler logs each epoch\'s rate as learning_rate in History, as Keras 3 does', async () => {
    const { x, y } = problem();
    const schedule = (epoch: number, rate: number) => (epoch < 2 ? rate : rate * 0.5);
    const history = await linearModel(km.optimizers.sgd({ learningRate: 0.1 })).fit(x, y, { epochs: 4, batchSize: 32, verbose: 0, callbacks: km.callbacks.learningRateScheduler(schedule) });
    const expected: number[] = [];
    for (let epoch = 0, rate = 0.1; epoch < 4; epoch++) expected.push((rate = schedule(epoch, rate)));
    expect(history.history.learning_rate).toEqual(expected);
  });

  it('terminateOnNaN halts on a diverging loss and leaves finite weights', async () => {
    const { x, y } = problem();
    const diverging = linearModel(km.optimizers.sgd({ learningRate: 1e4 }));
    const unguarded = await diverging.fit(x, y, { epochs: 5, batchSize: 8, verbose: 0 });
    expect(unguarded.history.loss.some((l) => !Number.isFinite(l))).toBe(true);
    expect(weightsOf(diverging).flat().some((v) => !Number.isFinite(v))).toBe(true);

    const model = linearModel(km.optimizers.sgd({ learningRate: 1e4 }));
    const atEpochStart: number[][][] = [];
    const guard = km.callbacks.terminateOnNaN();
    const history = await model.fit(x, y, {
      epochs: 5, batchSize: 8, verbose: 0,
      callbacks: [{ onEpochBegin: () => void atEpochStart.push(weightsOf(model)) }, guard],
    });
    expect(guard.stoppedBatch).toBeGreaterThanOrEqual(0);
    expect(history.epoch.length).toBeLessThan(5);
    const weights = weightsOf(model);
    expect(weights.flat().every(Number.isFinite)).toBe(true);
    expect(atEpochStart).toContainEqual(weights);
  });

  it('csvLogger writes a header and one row per epoch', async () => {
    const { x, y, validationData } = problem();
    const file = join(mkdtempSync(join(tmpdir(), 'kerasm-csv-')), 'log.csv');
    const history = await linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 3, validationData, verbose: 0, callbacks: km.callbacks.csvLogger(file) });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,loss,val_loss');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`1,${history.history.loss[1]},${history.history.val_loss[1]}`);
    await linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 1, validationData, verbose: 0, callbacks: km.callbacks.csvLogger(file, { append: true }) });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  it('a Callback subclass gets the model and fit params, and can stop training', async () => {
    const { x, y } = problem();
    const model = linearModel(km.optimizers.sgd());
    class StopAtOne extends km.callbacks.Callback {
      steps = 0;
      override onEpochEnd(epoch: number, _logs: Logs) {
        this.steps = this.params!.steps;
        if (epoch === 1) this.model.stopTraining = true;
      }
    }
    const stop = new StopAtOne();
    const history = await model.fit(x, y, { epochs: 9, batchSize: 16, verbose: 0, callbacks: [stop] });
    expect(history.epoch).toEqual([0, 1]);
    expect(stop.steps).toBe(4);
    expect(stop.model).toBe(model);
  });

  it("fit params name the logged values and whether there is validation, as tfjs' metrics and doValidation", async () => {
    const { x, y } = problem();
    const seen: km.callbacks.FitParams[] = [];
    const model = linearModel(km.optimizers.sgd());
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const record = { setParams: (p: km.callbacks.FitParams) => void seen.push({ ...p }) };
    const history = await model.fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [record] });
    await model.fit(x, y, { epochs: 1, verbose: 0, callbacks: [record] });
    expect(seen.map((p) => [p.doValidation, p.metrics])).toEqual([[true, ['loss', 'mae', 'val_loss', 'val_mae']], [false, ['loss', 'mae']]]);
    expect(seen[0].metrics).toEqual(Object.keys(history.history));
  });

  it('the progress bar is a callback', () => {
    let out = '';
    const logger = new km.callbacks.ProgbarLogger(new (class {
      epochBegin = (e: number, n: number) => (out += `begin ${e}/${n};`);
      batchEnd = (s: number, logs: Logs) => (out += `batch ${s} ${Object.keys(logs).join('+')};`);
      epochEnd = () => (out += 'end');
    })() as never);
    logger.setParams({ epochs: 2, steps: 1, samples: 4, batchSize: 4, verbose: 1, initialEpoch: 0 });
    logger.onEpochBegin(0);
    logger.onTrainBatchEnd(0, { batch: 0, size: 4, loss: 1 });
    logger.onEpochEnd(0, { loss: 1 });
    expect(out).toBe('begin 0/2;batch 1 loss;end');
  });
});

describe('callback errors', () => {
  it('a monitored key fit will plainly not log is refused before the first step, naming the fix', async () => {
    const { x, y } = problem();
    const model = linearModel(km.optimizers.sgd());
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(model.fit(x, y, { epochs: 2, verbose: 0, callbacks: km.callbacks.earlyStopping() }))
      .rejects.toThrow("EarlyStopping monitors 'val_loss', but fit has no validation data: give fit validationData or validationSplit, or monitor 'loss'.");
    await expect(model.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: km.callbacks.reduceLROnPlateau({ monitor: 'val_los' }) }))
      .rejects.toThrow("ReduceLROnPlateau monitors 'val_los', which fit does not log; did you mean 'val_loss'? fit logs: loss, val_loss.");
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(model.optimizer!.iterations).toBe(0);
  });

  it('a monitored key unlike any logged one is looked for at the epoch end, where a callback may have added it', async () => {
    const { x, y } = problem();
    // score = -loss rises as the loss falls; 'auto' minimises an unknown name, so the second epoch does not improve it.
    const addsScore = { onEpochEnd: (_epoch: number, logs?: Logs) => void (logs!.score = -logs!.loss) };
    const stopper = km.callbacks.earlyStopping({ monitor: 'score', patience: 0 });
    const history = await linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 3, verbose: 0, callbacks: [addsScore, stopper] });
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
    expect(stopper.stoppedEpoch).toBe(1);
    await expect(linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 2, verbose: 0, callbacks: km.callbacks.earlyStopping({ monitor: 'score' }) }))
      .rejects.toThrow(/EarlyStopping monitors 'score', which is not in the epoch logs. Received logs with keys: loss. /);
  });

  it('bad options say what was received', () => {
    expect(() => km.callbacks.earlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer. Received: patience=-1/);
    expect(() => km.callbacks.earlyStopping({ mode: 'up' as 'min' })).toThrow(/mode must be 'auto', 'min' or 'max'. Received: mode="up"/);
    expect(() => km.callbacks.reduceLROnPlateau({ factor: 1 })).toThrow(/factor must be in \(0, 1\) so the rate goes down. Received: factor=1/);
    expect(() => km.callbacks.csvLogger('')).toThrow(/CSVLogger expects a file path. Received: filename=/);
    expect(() => km.callbacks.learningRateScheduler(0.1 as never)).toThrow(/expects a function .* Received: number/);
  });

  it('a schedule returning a negative or non-finite rate stops fit with the epoch named; 0 freezes the weights, as in Keras', async () => {
    const { x, y } = problem();
    await expect(linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 2, verbose: 0, callbacks: km.callbacks.learningRateScheduler(() => Number.NaN) }))
      .rejects.toThrow(/must return a finite number ≥ 0. Received: NaN at epoch 0/);
    await expect(linearModel(km.optimizers.sgd()).fit(x, y, { epochs: 2, verbose: 0, callbacks: km.callbacks.learningRateScheduler((epoch) => 0.1 - epoch) }))
      .rejects.toThrow(/must return a finite number ≥ 0. Received: -0.9 at epoch 1/);
    const model = linearModel(km.optimizers.adam({ learningRate: 0 }));
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(history.history.loss[1]).toBe(history.history.loss[0]);
  });

  it('a callback used outside fit says how to attach it', () => {
    expect(() => km.callbacks.terminateOnNaN().model).toThrow(/TerminateOnNaN is not attached to a model: pass it to model.fit/);
  });
});
