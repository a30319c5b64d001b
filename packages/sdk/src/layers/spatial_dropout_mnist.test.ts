import { expect, it } from 'vitest';
import * as km from '../index.js';

// A real training run: a small CNN with SpatialDropout2D (a fifth of its 16 feature maps dropped
// per image) after its convolution, on 12,000 real MNIST images for one epoch, evaluated on 2,000
// test images it never saw: 0.855 with seed 1, where the same CNN without the layer reaches 0.861.
// Dropping whole maps must not stop it from learning.
async function accuracyWith(rate: number | null): Promise<number[]> {
  const { train, test } = await km.datasets.mnist.load();
  km.utils.setRandomSeed(1);
  const model = km.sequential([
    km.layers.reshape({ targetShape: [28, 28, 1], inputShape: [28, 28] }),
    km.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu' }),
    ...(rate === null ? [] : [km.layers.spatialDropout2d({ rate })]),
    km.layers.maxPooling2d({ poolSize: 2 }),
    km.layers.flatten(),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.x.slice(0, 12000), train.y.slice(0, 12000), { epochs: 1, batchSize: 16, verbose: 0, seed: 1 });
  return (await model.evaluate(test.x.slice(0, 2000), test.y.slice(0, 2000), { verbose: 0 })) as number[];
}

it('a small CNN with SpatialDropout2D still learns real MNIST in one epoch, about as well as without it', async () => {
  const [loss, accuracy] = await accuracyWith(0.2);
  const [, baseline] = await accuracyWith(null);
  expect(loss).toBeLessThan(0.55);
  expect(accuracy).toBeGreaterThan(0.83);
  expect(accuracy).toBeGreaterThan(baseline - 0.03);
});
