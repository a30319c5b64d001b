import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';

// The focal, Dice and Tversky losses in a saved training config: Keras' class names and snake_case
// options, loaded back to the same loss; tfjs-layers has none of them.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const x = km.tensor(Array.from({ length: 24 }, (_, i) => Math.sin(i)), [8, 3]);
const y = km.tensor(Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : 0)), [8, 2]);

const cases: [string, () => string | km.losses.Loss, string, unknown][] = [
  ['binary focal, configured', () => km.losses.binaryFocalCrossentropy({ gamma: 3, alpha: 0.6, applyClassBalancing: true, labelSmoothing: 0.1 }), 'sigmoid',
    { class_name: 'BinaryFocalCrossentropy', config: { gamma: 3, alpha: 0.6, apply_class_balancing: true, from_logits: false, label_smoothing: 0.1 } }],
  ['binary focal, by name', () => 'binary_focal_crossentropy', 'sigmoid', 'binary_focal_crossentropy'],
  ['categorical focal, configured', () => km.losses.categoricalFocalCrossentropy({ alpha: 0.5, gamma: 1, fromLogits: true }), 'linear',
    { class_name: 'CategoricalFocalCrossentropy', config: { alpha: 0.5, gamma: 1, from_logits: true, label_smoothing: 0 } }],
  ['dice', () => km.losses.dice(), 'sigmoid', 'dice'],
  ['tversky', () => km.losses.tversky({ alpha: 0.2, beta: 0.8 }), 'sigmoid', { class_name: 'Tversky', config: { alpha: 0.2, beta: 0.8 } }],
  ['dice per sample', () => km.losses.dice({ axis: [1] }), 'sigmoid', { class_name: 'Dice', config: { axis: [1] } }],
  ['tversky per sample', () => km.losses.tversky({ alpha: 0.7, beta: 0.3, axis: -1 }), 'sigmoid', { class_name: 'Tversky', config: { alpha: 0.7, beta: 0.3, axis: -1 } }],
];

describe('focal, Dice and Tversky losses in the saved training config', () => {
  it.each(cases)('%s: saved as Keras names it, loaded back to the same loss, and training resumes exactly', async (_label, loss, activation, saved) => {
    km.utils.setRandomSeed(9);
    const model = km.sequential([km.layers.dense({ units: 2, activation: activation as 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'adam', loss: loss() });
    await model.fit(x, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 });
    const artifacts = await savedArtifacts(model);
    expect(artifacts.trainingConfig?.loss).toEqual(saved);

    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
    const [ours, theirs] = [model, loaded].map((m) => m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 }));
    expect((await theirs).history.loss).toEqual((await ours).history.loss);
  });

  it('tfjs-layers cannot load these losses back (it has no focal, Dice or Tversky loss)', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'binary_focal_crossentropy' });
    await expect(tfl.loadLayersModel(tf.io.fromMemory((await savedArtifacts(model)) as tf.io.ModelArtifacts))).rejects.toThrow('Unknown loss binaryFocalCrossentropy');
  });

  it('Keras Dice configs load with their axis; one with another reduction loads uncompiled, saying why', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: 'dice' });
    const artifacts = await savedArtifacts(model);
    const withLoss = (loss: unknown) => km.io.fromMemory({ ...artifacts, trainingConfig: { ...artifacts.trainingConfig!, loss: loss as never } });
    const keras = { class_name: 'Dice', config: { name: 'dice', reduction: 'sum_over_batch_size', axis: null } };
    const loaded = await km.loadLayersModel(withLoss(keras));
    expect(await loaded.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));

    const perSample = await km.loadLayersModel(withLoss({ class_name: 'Dice', config: { name: 'dice', reduction: 'sum_over_batch_size', axis: [1] } }));
    model.compile({ optimizer: 'sgd', loss: km.losses.dice({ axis: [1] }) });
    expect(await perSample.evaluate(x, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));

    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => void warnings.push(message);
    try {
      const summed = await km.loadLayersModel(withLoss({ class_name: 'Dice', config: { reduction: 'sum', axis: null } }));
      expect(summed.optimizer).toBeUndefined();
    } finally {
      console.warn = warn;
    }
    expect(warnings.join('\n')).toMatch(/the loss Dice has reduction="sum", axis=null; kerasm has only reduction 'sum_over_batch_size'/);
  });
});
