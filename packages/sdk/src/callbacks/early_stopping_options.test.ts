// EarlyStopping's baseline, startFromEpoch and verbose, as Keras 3 defines them, driven by a real fit
// whose monitored value a callback before the stopper scripts epoch by epoch.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import type { Logs } from './callbacks.js';

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

/** Fits a small model for up to `values.length` epochs, logging values[epoch] as 'scripted'; returns the epochs run. */
async function epochsRun(values: number[], stopper: km.callbacks.EarlyStopping, key = 'scripted'): Promise<number> {
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const script = { onEpochEnd: (epoch: number, logs?: Logs) => void (logs![key] = values[epoch]) };
  const history = await model.fit(km.tensor([[1, 2], [3, 4]]), km.tensor([[1], [2]]), { epochs: values.length, verbose: 0, callbacks: [script, stopper] });
  return history.epoch.length;
}

describe('earlyStopping options', () => {
  // Rising values, logged by a callback before the stopper (fit has no validation data here, so the
  // keys are training ones): 'max' runs them all, 'min' stops once patience 1 has run out.
  const rising = [0.5, 0.6, 0.7, 0.8, 0.9];
  it.each(['AUC', 'Precision', 'Recall', 'BinaryAccuracy', 'F1Score', 'fbeta_score', 'mean_io_u', 'r2_score', 'cosine_similarity', 'sensitivity_at_specificity'])(
    "mode 'auto' maximises %s, as Keras 3 does, whatever its case",
    async (key) => {
      const expected = await epochsRun(rising, km.callbacks.earlyStopping({ monitor: key, mode: 'max', patience: 1 }), key);
      expect(expected).toBe(rising.length);
      expect(await epochsRun(rising, km.callbacks.earlyStopping({ monitor: key, patience: 1 }), key)).toBe(expected);
    },
  );

  it.each(['loss', 'mae', 'MeanSquaredError', 'kl_divergence'])("mode 'auto' minimises %s", async (key) => {
    const expected = await epochsRun(rising, km.callbacks.earlyStopping({ monitor: key, mode: 'min', patience: 1 }), key);
    expect(expected).toBe(2);
    expect(await epochsRun(rising, km.callbacks.earlyStopping({ monitor: key, patience: 1 }), key)).toBe(expected);
  });

  it('baseline: improvements that do not beat it leave the patience count running, as in Keras 3', async () => {
    const values = [1.0, 0.9, 0.8, 0.95, 0.96, 0.97, 0.98];
    // Without a baseline each improvement restarts the count: stop at the second epoch without one.
    expect(await epochsRun(values, km.callbacks.earlyStopping({ monitor: 'scripted', patience: 2 }))).toBe(5);
    // Never below 0.5: the count runs from epoch 0, and the first epoch without improvement stops it.
    const above = km.callbacks.earlyStopping({ monitor: 'scripted', patience: 2, baseline: 0.5 });
    expect(await epochsRun(values, above)).toBe(4);
    expect([above.stoppedEpoch, above.bestEpoch]).toEqual([3, 2]);
    // 0.8 beats 0.85: from there on it counts as without a baseline.
    expect(await epochsRun(values, km.callbacks.earlyStopping({ monitor: 'scripted', patience: 2, baseline: 0.85 }))).toBe(5);
    // In 'max' mode the baseline is a floor to rise above.
    const rising = [0.1, 0.2, 0.3, 0.25, 0.2, 0.1];
    expect(await epochsRun(rising, km.callbacks.earlyStopping({ monitor: 'scripted', mode: 'max', patience: 2 }))).toBe(5);
    expect(await epochsRun(rising, km.callbacks.earlyStopping({ monitor: 'scripted', mode: 'max', patience: 2, baseline: 0.9 }))).toBe(4);
  });

  it('startFromEpoch ignores the warm-up epochs', async () => {
    const values = [5, 4, 3, 9, 9, 9, 9];
    expect(await epochsRun(values, km.callbacks.earlyStopping({ monitor: 'scripted', patience: 1 }))).toBe(4);
    const late = km.callbacks.earlyStopping({ monitor: 'scripted', patience: 1, startFromEpoch: 3 });
    expect(await epochsRun(values, late)).toBe(5);
    expect(late.bestEpoch).toBe(3);
  });

  it("verbose: 1 prints Keras' lines when it stops and when it restores the best weights", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await epochsRun([3, 2, 2.5, 2.6], km.callbacks.earlyStopping({ monitor: 'scripted', patience: 2, restoreBestWeights: true, verbose: 1 }));
    expect(log.mock.calls.map(([line]) => line)).toEqual(['Epoch 4: early stopping', 'Restoring model weights from the end of the best epoch: 2.']);
    log.mockClear();
    await epochsRun([3, 2, 2.5, 2.6], km.callbacks.earlyStopping({ monitor: 'scripted', patience: 2 }));
    expect(log).not.toHaveBeenCalled();
  });

  it('bad values name the option', () => {
    expect(() => km.callbacks.earlyStopping({ startFromEpoch: -1 })).toThrow('EarlyStopping: startFromEpoch must be a non-negative integer. Received: startFromEpoch=-1.');
    expect(() => km.callbacks.earlyStopping({ baseline: Number.NaN })).toThrow('EarlyStopping: baseline must be a finite number. Received: baseline=NaN.');
    expect(() => km.callbacks.earlyStopping({ verbose: 2 as 1 })).toThrow('EarlyStopping: verbose must be 0 or 1. Received: verbose=2.');
  });
});
