import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// A tfjs program compiled with metrics: ['accuracy'] reads logs.acc and history.history.val_acc;
// kerasm logs Keras' names and lets those tfjs reads see the same values.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const xs = [[0, 1], [1, 0], [1, 1], [0, 0], [0.5, 1], [1, 0.2], [0.1, 0.9], [0.8, 0.3], [0.3, 0.3], [0.9, 0.9]];
const ys = xs.map(([a, b]) => [a > b ? 1 : 0]);
const fitArgs = { epochs: 2, batchSize: 4, validationSplit: 0.2, verbose: 0 as const };

describe("tfjs' log names for accuracy", () => {
  it('every log and history key tfjs writes for the same program reads the matching value in kerasm, while keys and JSON keep Keras\' names', async () => {
    const tfModel = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })] });
    tfModel.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const tfjsEpochKeys: string[][] = [];
    const tfjsHistory = await tfModel.fit(tf.tensor(xs), tf.tensor(ys), { ...fitArgs, callbacks: { onEpochEnd: async (_e, logs) => void tfjsEpochKeys.push(Object.keys(logs!)) } });

    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const seen: { keys: string[]; read: Record<string, number | undefined>; accuracy: number; valAccuracy: number; json: string }[] = [];
    const batchAcc: (number | undefined)[] = [];
    const history = await model.fit(km.tensor(xs), km.tensor(ys), {
      ...fitArgs,
      callbacks: {
        onBatchEnd: (_b, logs) => void batchAcc.push(logs.acc),
        onEpochEnd: (_e, logs) => void seen.push({ keys: Object.keys(logs), read: Object.fromEntries(tfjsEpochKeys[0].map((k) => [k, logs[k]])), accuracy: logs.accuracy, valAccuracy: logs.val_accuracy, json: JSON.stringify(logs) }),
      },
    });

    expect(Object.keys(tfjsHistory.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    for (const epoch of seen) {
      expect(epoch.read.acc).toBe(epoch.accuracy);
      expect(epoch.read.val_acc).toBe(epoch.valAccuracy);
      expect(Object.values(epoch.read).every((v) => typeof v === 'number')).toBe(true);
      expect(epoch.keys.sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
      expect(JSON.parse(epoch.json)).not.toHaveProperty('acc');
    }
    expect(batchAcc.every((v) => typeof v === 'number')).toBe(true);
    for (const key of Object.keys(tfjsHistory.history)) expect(history.history[key]).toHaveLength(2);
    expect(history.history.acc).toBe(history.history.accuracy);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  });

  it("leaves a metric the user named 'acc' alone, and adds nothing without accuracy", async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid' })]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['acc'] });
    const history = await model.fit(km.tensor(xs), km.tensor(ys), fitArgs);
    expect(Object.keys(history.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);

    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['mse'] });
    const plain = await model.fit(km.tensor(xs), km.tensor(ys), fitArgs);
    expect('acc' in plain.history).toBe(false);
  });
});
