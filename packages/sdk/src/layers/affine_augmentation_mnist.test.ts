import { expect, it } from 'vitest';
import * as km from '../index.js';

// A real training run with augmentation inside the model: a small CNN behind randomTranslation and
// randomRotation learns MNIST from shifted and turned digits, then is evaluated on 2,000 clean test
// images (the augmentation passes them through): 0.92 after one epoch with seed 1.
it('MNIST: a CNN behind randomTranslation + randomRotation still reaches a high accuracy on the clean test set', async () => {
  await km.ready();
  const { train, test } = await km.datasets.mnist.load();
  km.utils.setRandomSeed(1);
  const count = 12000;
  const pixels = km.tensor(train.x.slice(0, count).dataSync(), [count, 28, 28, 1]);
  const model = km.sequential([
    km.layers.randomTranslation({ heightFactor: 0.1, widthFactor: 0.1, fillMode: 'constant', inputShape: [28, 28, 1] }),
    km.layers.randomRotation({ factor: 0.04, fillMode: 'constant' }),
    km.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu' }),
    km.layers.maxPooling2d({ poolSize: 2 }),
    km.layers.flatten(),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.004 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(pixels, train.y.slice(0, count), { epochs: 1, batchSize: 32, verbose: 0 });
  const testPixels = km.tensor(test.x.slice(0, 2000).dataSync(), [2000, 28, 28, 1]);
  const [, accuracy] = (await model.evaluate(testPixels, test.y.slice(0, 2000), { verbose: 0 })) as number[];
  expect(accuracy).toBeGreaterThan(0.88);
});
