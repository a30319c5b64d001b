import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

const [trainCount, testCount, pixels] = [600, 200, 28 * 28];
let clean: { train: Float32Array; test: Float32Array };

beforeAll(async () => {
  await km.ready();
  const { train, test } = await km.datasets.mnist.load({ trainSamples: trainCount, testSamples: testCount });
  clean = { train: train.x.dataSync(), test: test.x.dataSync() };
});

/** Gaussian-ish noise (a sum of uniforms) added to each pixel, clipped to [0, 1]. */
function noisy(images: Float32Array, seed: number): Float32Array {
  const random = new Random(seed);
  return images.map((v) => Math.min(1, Math.max(0, v + 0.4 * (random.uniform(-1, 1) + random.uniform(-1, 1) + random.uniform(-1, 1)) / Math.sqrt(3))));
}

describe('denoising autoencoder on real MNIST (a small convolutional autoencoder)', () => {
  it('Conv2D stride 2 down, SeparableConv2D, Conv2DTranspose stride 2 up: reconstruction error on held-out digits falls well below predicting the mean image', async () => {
    km.utils.setRandomSeed(3);
    const model = km.sequential([
      km.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
      km.layers.separableConv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      km.layers.conv2dTranspose({ filters: 1, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }),
    ]);
    // Binary cross-entropy, as Keras' denoising example trains: with MSE, half of the seeds tried
    // collapsed to black images (the sigmoid saturates and MSE's gradient there vanishes).
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.003 }), loss: 'binaryCrossentropy', metrics: ['meanSquaredError'] });
    const shape = (n: number) => [n, 28, 28, 1];
    const history = await model.fit(km.tensor(noisy(clean.train, 1), shape(trainCount)), km.tensor(clean.train, shape(trainCount)), { epochs: 4, batchSize: 16, verbose: 0 });

    // The baseline: every reconstruction is the training set's mean image.
    const mean = new Float64Array(pixels);
    clean.train.forEach((v, i) => (mean[i % pixels] += v / trainCount));
    const meanImageError = clean.test.reduce((s, v, i) => s + (v - mean[i % pixels]) ** 2, 0) / clean.test.length;
    const [, testError] = await model.evaluate(km.tensor(noisy(clean.test, 2), shape(testCount)), km.tensor(clean.test, shape(testCount)), { verbose: 0 });
    expect(history.history.loss[3]).toBeLessThan(history.history.loss[0]);
    expect(testError).toBeLessThan(0.3 * meanImageError);
  });
});
