import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

// Keras 3's model.stop_evaluating and model.stop_predicting (keras/src/backend/*/trainer.py): set to
// False at the start of evaluate/predict, checked after each batch's on_test_batch_end /
// on_predict_batch_end; evaluate returns the metrics of the batches seen, predict their outputs.
// fit's validation is self.evaluate(..., callbacks=callbacks), so each pass resets the flag.
beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

const ROWS = 12;
const xValues = Array.from({ length: ROWS }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) / 5]);
// The last rows' targets are far off, so stopping early changes the loss.
const yValues = Array.from({ length: ROWS }, (_, i) => [((i * 7) % 5) / 5 - 0.4 + (i >= 8 ? 2 : 0)]);
const x = km.tensor(xValues);
const y = km.tensor(yValues);
const firstRows = (values: number[][], n: number) => km.tensor(values.slice(0, n));

function regression(name: string, learningRate = 0.1): km.LayersModel {
  km.utils.setRandomSeed(3);
  const model = km.sequential({ name, layers: [km.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), km.layers.dense({ units: 1 })] });
  model.compile({ optimizer: km.optimizers.sgd({ learningRate }), loss: 'meanSquaredError', metrics: ['mae'] });
  return model;
}

/** A callback that sets `stopEvaluating` at the end of test batch `last`, counting the batches it sees. */
function stopAfter(model: km.LayersModel, last: number) {
  const seen: number[] = [];
  let ended: km.Logs | undefined;
  const callback: km.CustomCallbackArgs = {
    onTestBatchEnd: (batch) => {
      seen.push(batch);
      if (batch === last) model.stopEvaluating = true;
    },
    onTestEnd: (logs) => {
      ended = logs;
    },
  };
  return { callback, seen, ended: () => ended };
}

/** Keras' mean squared error and mean absolute error of the model's predictions for the first `n` rows, by a plain loop. */
function naiveLossAndMae(model: km.LayersModel, n: number): [number, number] {
  const predictions = model.predict(firstRows(xValues, n)).dataSync();
  let squared = 0;
  let absolute = 0;
  for (let i = 0; i < n; i++) {
    const d = predictions[i] - yValues[i][0];
    squared += d * d;
    absolute += Math.abs(d);
  }
  return [squared / n, absolute / n];
}

describe('model.stopEvaluating', () => {
  it('ends evaluate after the batch whose onTestBatchEnd set it: the loss and metrics of exactly those batches', async () => {
    const model = regression('stop_evaluate');
    const stop = stopAfter(model, 1);
    const stopped = await model.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true, callbacks: stop.callback });
    expect(stop.seen).toEqual([0, 1]);
    const [loss, mae] = naiveLossAndMae(model, 8);
    expect(stopped.loss).toBeCloseTo(loss, 6);
    expect(stopped.mae).toBeCloseTo(mae, 6);
    // The same as evaluating those 8 rows alone, and onTestEnd gets that result, as in Keras.
    const alone = await model.evaluate(firstRows(xValues, 8), firstRows(yValues, 8), { batchSize: 4, verbose: 0, returnDict: true });
    expect(stopped).toEqual(alone);
    expect(stop.ended()).toEqual(alone);
    // The whole data gives another loss, so the test above could fail.
    const all = await model.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true });
    expect(all.loss - stopped.loss).toBeGreaterThan(0.5);
  });

  it('stays set after evaluate, and the next evaluate sets it back to false before onTestBegin, as Keras does', async () => {
    const model = regression('stop_evaluate_reset');
    const stop = stopAfter(model, 0);
    await model.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: stop.callback });
    expect(model.stopEvaluating).toBe(true);
    const seen: number[] = [];
    let atBegin: boolean | undefined;
    await model.evaluate(x, y, { batchSize: 4, verbose: 0, callbacks: { onTestBegin: () => void (atBegin = model.stopEvaluating), onTestBatchEnd: (batch: number) => void seen.push(batch) } });
    expect(atBegin).toBe(false);
    expect(seen).toEqual([0, 1, 2]);
    // Set in onTestBegin (after the reset), it ends the pass after the first batch: Keras checks only after a batch.
    const early: number[] = [];
    const result = await model.evaluate(x, y, {
      batchSize: 4, verbose: 0, returnDict: true,
      callbacks: { onTestBegin: () => void (model.stopEvaluating = true), onTestBatchEnd: (batch: number) => void early.push(batch) },
    });
    expect(early).toEqual([0]);
    expect(result.loss).toBeCloseTo(naiveLossAndMae(model, 4)[0], 6);
  });

  it('ends evaluate(dataset) early too, without the warning about data running out before `batches`', async () => {
    const model = regression('stop_evaluate_dataset');
    const dataset = km.data.zip({ xs: km.data.array(xValues.map((row) => km.tensor(row))), ys: km.data.array(yValues.map((row) => km.tensor(row))) }).batch(4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = stopAfter(model, 0);
    const stopped = await model.evaluate(dataset, { batches: 3, verbose: 0, returnDict: true, callbacks: stop.callback });
    expect(stop.seen).toEqual([0]);
    expect(warn).not.toHaveBeenCalled();
    const [loss, mae] = naiveLossAndMae(model, 4);
    expect(stopped.loss).toBeCloseTo(loss, 6);
    expect(Object.values(stopped)[1]).toBeCloseTo(mae, 6);
    // Running out of data still warns.
    await model.evaluate(dataset, { batches: 4, verbose: 0 });
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("ends fit's validation pass early (its val_ logs cover the batches seen) without stopping fit; the next pass starts reset", async () => {
    // A learning rate of 0 keeps the weights, so the validation loss can be checked against evaluate.
    const model = regression('stop_validation', 0);
    const testBatches: number[][] = [];
    const history = await model.fit(x, y, {
      epochs: 2, batchSize: 6, verbose: 0, shuffle: false, validationData: [x, y], validationBatchSize: 4,
      callbacks: {
        onTestBegin: () => void testBatches.push([]),
        onTestBatchEnd: (batch) => {
          testBatches[testBatches.length - 1].push(batch);
          // Only the first epoch's pass is stopped.
          if (testBatches.length === 1) model.stopEvaluating = true;
        },
      },
    });
    expect(testBatches).toEqual([[0], [0, 1, 2]]);
    expect(history.epoch).toEqual([0, 1]);
    expect(history.history.val_loss[0]).toBeCloseTo(naiveLossAndMae(model, 4)[0], 6);
    expect(history.history.val_loss[1]).toBeCloseTo(naiveLossAndMae(model, ROWS)[0], 6);
  });

  it("ends fit(dataset)'s validation on a dataset early, without the validationBatches warning", async () => {
    const model = regression('stop_validation_dataset', 0);
    const batches = () => km.data.zip({ xs: km.data.array(xValues.map((row) => km.tensor(row))), ys: km.data.array(yValues.map((row) => km.tensor(row))) }).batch(4);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stop = stopAfter(model, 1);
    const history = await model.fit(batches(), { epochs: 1, verbose: 0, validationData: batches(), validationBatches: 3, callbacks: stop.callback });
    expect(stop.seen).toEqual([0, 1]);
    expect(warn).not.toHaveBeenCalled();
    expect(history.history.val_loss[0]).toBeCloseTo(naiveLossAndMae(model, 8)[0], 6);
  });
});

describe('model.stopPredicting', () => {
  it('ends predict after the batch whose onPredictBatchEnd set it: the outputs of exactly those rows, for every output', () => {
    km.utils.setRandomSeed(4);
    const input = km.input({ shape: [3] });
    const first = km.layers.dense({ units: 2, name: 'first' }).apply(input) as km.SymbolicTensor;
    const second = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'second' }).apply(first) as km.SymbolicTensor;
    const model = km.model({ inputs: input, outputs: [first, second] });
    const hooks: string[] = [];
    const stopped = model.predict<km.Tensor[]>(x, {
      batchSize: 5,
      callbacks: {
        onPredictBatchEnd: (batch) => {
          hooks.push(`batch ${batch}`);
          if (batch === 1) model.stopPredicting = true;
        },
        onPredictEnd: () => void hooks.push('end'),
      },
    });
    expect(hooks).toEqual(['batch 0', 'batch 1', 'end']);
    const alone = model.predict<km.Tensor[]>(firstRows(xValues, 10), { batchSize: 5 });
    expect(stopped.map((t) => t.shape)).toEqual([[10, 2], [10, 1]]);
    stopped.forEach((t, k) => expect(Array.from(t.dataSync())).toEqual(Array.from(alone[k].dataSync())));
  });

  it('is set back to false by the next predict (not by apply on data), and stopping at the last batch returns every row', () => {
    const model = regression('stop_predict_reset');
    model.stopPredicting = true;
    // apply on data is Keras' __call__, which leaves the flag (and runs the input as one batch).
    expect((model.apply(x) as km.Tensor).shape).toEqual([ROWS, 1]);
    expect(model.stopPredicting).toBe(true);
    expect(model.predict(x, { batchSize: 4 }).shape).toEqual([ROWS, 1]);
    expect(model.stopPredicting).toBe(false);
    const atLast = model.predict(x, { batchSize: 5, callbacks: { onPredictBatchEnd: (batch) => void (batch === 2 && (model.stopPredicting = true)) } });
    expect(atLast.shape).toEqual([ROWS, 1]);
    expect(model.stopPredicting).toBe(true);
  });

  it("prints the full step count when stopped, as a stopped evaluate does and Keras 3's progress bar ends at its target", async () => {
    const model = regression('stop_verbose');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const predicted = model.predict(x, { batchSize: 4, verbose: 1, callbacks: { onPredictBatchEnd: (batch) => void (batch === 0 && (model.stopPredicting = true)) } });
    expect(predicted.shape).toEqual([4, 1]);
    const stop = stopAfter(model, 0);
    await model.evaluate(x, y, { batchSize: 4, verbose: 1, callbacks: stop.callback });
    expect(stop.seen).toEqual([0]);
    const lines = log.mock.calls.map(([line]) => String(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^3\/3 - \d+\.\ds - \d+\.\dms\/step$/);
    expect(lines[1]).toMatch(/^3\/3 - \d+\.\ds - loss: /);
  });

  it('gives a shorter result on a backend off the wasm heap (tfjs-cpu), the rows copied out of the full-size buffer', async () => {
    const model = regression('stop_predict_device');
    const expected = Array.from(model.predict(firstRows(xValues, 4), { batchSize: 4 }).dataSync());
    await km.setBackend('tfjs-cpu');
    try {
      const stopped = model.predict(x, { batchSize: 4, callbacks: { onPredictBatchEnd: () => void (model.stopPredicting = true) } });
      expect(stopped.shape).toEqual([4, 1]);
      const values = await stopped.data();
      values.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    } finally {
      await km.setBackend('wasm');
    }
  });
});
