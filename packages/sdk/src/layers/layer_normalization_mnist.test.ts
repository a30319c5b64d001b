import { expect, it } from 'vitest';
import * as km from '../index.js';

// A real training run: an MLP with LayerNormalization or RMSNormalization on 12,000 real MNIST images
// for one epoch, evaluated on 2,000 test images it never saw (with seed 1: LayerNormalization 0.8885,
// RMSNormalization 0.8955; the same MLP without either: 0.8855).
it.each([
  ['LayerNormalization', () => km.layers.layerNormalization()],
  ['RMSNormalization', () => km.layers.rmsNormalization()],
])('an MLP with %s learns real MNIST in one epoch', async (_name, normalization) => {
  const { train, test } = await km.datasets.mnist.load();
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 64 }),
    normalization(),
    km.layers.activation({ activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x.slice(0, 12000), train.y.slice(0, 12000), { epochs: 1, batchSize: 32, verbose: 0 });
  const [loss, accuracy] = (await model.evaluate(test.x.slice(0, 2000), test.y.slice(0, 2000), { verbose: 0 })) as number[];
  expect(loss).toBeLessThan(0.5);
  expect(accuracy).toBeGreaterThan(0.85);
});
