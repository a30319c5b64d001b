import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const X = [[1, 2], [3, 4], [5, 6], [7, 8]];
const Y = [[1], [2], [3], [4]];

function ourModel(): km.LayersModel {
  const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
  return model;
}

function theirModel(): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
  return model;
}

describe("tfjs' top-level callback names", () => {
  it('km.Callback and km.EarlyStopping are the km.callbacks classes, and a subclass sees params and model', async () => {
    expect(km.Callback).toBe(km.callbacks.Callback);
    expect(km.EarlyStopping).toBe(km.callbacks.EarlyStopping);
    const seen: unknown[] = [];
    class Recorder extends km.Callback {
      override onEpochEnd(epoch: number) {
        seen.push([epoch, this.params?.epochs, typeof this.model.getWeights]);
      }
    }
    await ourModel().fit(km.tensor(X), km.tensor(Y), { epochs: 2, verbose: 0, callbacks: [new Recorder()] });
    expect(seen).toEqual([[0, 2, 'function'], [1, 2, 'function']]);
  });

  it("km.CustomCallback runs an object's hooks with this the callback, as tfjs' does", async () => {
    const seen: unknown[] = [];
    const callback = new km.CustomCallback({
      onTrainBegin() { seen.push(['begin', this.params?.samples]); },
      onEpochEnd(epoch, logs) { seen.push([epoch, typeof logs.loss, this.model.stopTraining]); },
    });
    expect(callback).toBeInstanceOf(km.Callback);
    await ourModel().fit(km.tensor(X), km.tensor(Y), { epochs: 2, verbose: 0, callbacks: [callback] });
    expect(seen).toEqual([['begin', 4], [0, 'number', false], [1, 'number', false]]);
    expect(() => new km.CustomCallback({ onEpochEnds: () => {} } as never)).toThrow(/no option 'onEpochEnds'; did you mean 'onEpochEnd'/);
  });
});

describe("fit's params, as tfjs gives them", () => {
  const FIELDS = ['epochs', 'initialEpoch', 'samples', 'batchSize', 'verbose', 'doValidation', 'metrics'] as const;

  it("this.params in a plain-object callback and history.params hold tfjs' fields with tfjs' values", async () => {
    let ours: km.FitParams | null | undefined;
    let theirs: Record<string, unknown> | undefined;
    const args = { epochs: 2, batchSize: 2, validationSplit: 0.25, verbose: 0 as const };
    const history = await ourModel().fit(km.tensor(X), km.tensor(Y), { ...args, callbacks: { onTrainBegin(this: km.CustomCallbackArgs) { ours = this.params; } } });
    const tfHistory = await theirModel().fit(tf.tensor(X), tf.tensor(Y), { ...args, callbacks: { onTrainBegin() { theirs = (this as unknown as { params: Record<string, unknown> }).params; } } });
    expect(theirs).toBeDefined();
    for (const field of FIELDS) {
      expect(ours?.[field], field).toEqual(theirs![field]);
      expect(history.params[field], field).toEqual(tfHistory.params[field]);
    }
    // tfjs leaves steps null for tensors; kerasm counts the batches, as Keras does.
    expect(history.params.steps).toBe(2);
  });
});
