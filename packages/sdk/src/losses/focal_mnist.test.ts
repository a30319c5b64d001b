import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Focal loss on a real, imbalanced task: MNIST digit 0 against the rest, with most of the zeros
// dropped from the training set (about 3 % positives), as detection heads and rare classes see.
let train: { x: km.Tensor; y: km.Tensor; positives: number };
let test: { x: km.Tensor; zeros: boolean[] };

beforeAll(async () => {
  await km.ready();
  const data = await km.datasets.mnist.load({ trainSamples: 4000, testSamples: 2000 });
  const labels = data.train.y.dataSync();
  const keep = Array.from(labels.keys()).filter((i) => labels[i] !== 0 || i % 4 === 0);
  const pixels = data.train.x.dataSync();
  const x = new Float32Array(keep.length * 784);
  keep.forEach((i, row) => x.set(pixels.subarray(i * 784, (i + 1) * 784), row * 784));
  const y = keep.map((i) => (labels[i] === 0 ? 1 : 0));
  train = { x: km.tensor(x, [keep.length, 28, 28]), y: km.tensor(y, [keep.length, 1]), positives: y.reduce((a: number, b) => a + b, 0) };
  test = { x: data.test.x, zeros: Array.from(data.test.y.dataSync(), (d) => d === 0) };
});

describe('binary focal cross-entropy on imbalanced MNIST (0 against the rest)', () => {
  it('trains to a high recall and precision on the rare class', async () => {
    expect(train.positives / train.x.shape[0]).toBeLessThan(0.04);
    km.utils.setRandomSeed(7);
    const model = km.sequential([
      km.layers.flatten({ inputShape: [28, 28] }),
      km.layers.dense({ units: 16, activation: 'relu' }),
      km.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.005 }), loss: km.losses.binaryFocalCrossentropy({ gamma: 2, applyClassBalancing: true, alpha: 0.75 }) });
    const history = await model.fit(train.x, train.y, { epochs: 8, batchSize: 64, verbose: 0 });
    expect(history.history.loss[7]).toBeLessThan(history.history.loss[0]);

    const scores = model.predict(test.x).dataSync();
    let [hits, predicted] = [0, 0];
    test.zeros.forEach((zero, i) => {
      if (scores[i] > 0.5) predicted++;
      if (zero && scores[i] > 0.5) hits++;
    });
    const recall = hits / test.zeros.filter(Boolean).length;
    const precision = hits / predicted;
    // Measured 0.93 and 0.95 (plain binary cross-entropy on the same data and seeds 1, 2, 7: recall 0.85, 0.67, 0.93).
    expect(recall).toBeGreaterThan(0.85);
    expect(precision).toBeGreaterThan(0.85);
  });
});
