import { expect, it } from 'vitest';
import * as km from '../index.js';

// A real training run with the preprocessing inside the model: MNIST pixels resized to 14x14 and
// standardized by a Normalization adapted (on the resized training images), then a small MLP,
// evaluated on 2,000 test images it never saw (0.874 after one epoch with seed 1).
it('MNIST through resizing(14, 14), an adapted normalization and an MLP trains to a sane accuracy', async () => {
  await km.ready();
  const { train, test } = await km.datasets.mnist.load();
  km.utils.setRandomSeed(1);
  const images = train.x.slice(0, 12000);
  const pixels = km.tensor(images.dataSync(), [12000, 28, 28, 1]);
  const resize = km.layers.resizing({ height: 14, width: 14, inputShape: [28, 28, 1] });
  const norm = km.layers.normalization();
  await norm.adapt(resize.apply(pixels));
  const model = km.sequential([resize, norm, km.layers.flatten(), km.layers.dense({ units: 64, activation: 'relu' }), km.layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(pixels, train.y.slice(0, 12000), { epochs: 1, batchSize: 32, verbose: 0 });
  const testPixels = km.tensor(test.x.slice(0, 2000).dataSync(), [2000, 28, 28, 1]);
  const [loss, accuracy] = (await model.evaluate(testPixels, test.y.slice(0, 2000), { verbose: 0 })) as number[];
  expect(loss).toBeLessThan(0.5);
  expect(accuracy).toBeGreaterThan(0.85);
});
