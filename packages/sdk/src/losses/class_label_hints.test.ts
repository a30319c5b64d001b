import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, classes] = [6, 3, 4];
const labels = Array.from({ length: n * steps }, (_, i) => (i * 7) % classes);

/** addition-rnn's decoder: a softmax over the classes at each of `steps` positions. */
function tagger(loss: km.LossName): km.Sequential {
  const model = km.sequential([
    km.layers.lstm({ units: 5, inputShape: [steps, 2], returnSequences: true }),
    km.layers.timeDistributed({ layer: km.layers.dense({ units: classes, activation: 'softmax' }) }),
  ]);
  model.compile({ optimizer: 'sgd', loss });
  return model;
}

/** Mean over samples and steps of −log p[label], from the model's own probabilities: a naive loop. */
function naiveCrossEntropy(probs: Float32Array, y: readonly number[]): number {
  let sum = 0;
  y.forEach((label, r) => (sum -= Math.log(probs[r * classes + label])));
  return sum / y.length;
}

describe('categoricalCrossentropy given integer labels of a sequence output (addition-rnn)', () => {
  const x = km.randomNormal([n, steps, 2], 0, 1, 'float32', 3);

  it.each([
    ['[n, steps]', [n, steps]],
    ['[n, steps, 1]', [n, steps, 1]],
  ])('labels %s name sparseCategoricalCrossentropy and toCategorical, and both fixes give the naive loss', async (_, shape) => {
    const model = tagger('categoricalCrossentropy');
    const y = km.tensor(labels, shape);
    await expect(model.evaluate(x, y, { verbose: 0 })).rejects.toThrow(
      `Loss 'categoricalCrossentropy' expects targets of shape [${n}, ${steps}, ${classes}] but received targets of shape [${shape.join(', ')}] (float32). ` +
        `These look like integer class labels: use loss 'sparseCategoricalCrossentropy', or one-hot encode them with km.utils.toCategorical(y, ${classes}).`,
    );
    const expected = naiveCrossEntropy(model.predict(x).dataSync(), labels);
    const [oneHotLoss] = await model.evaluate(x, km.utils.toCategorical(y, classes), { verbose: 0 });
    expect(oneHotLoss).toBeCloseTo(expected, 5);
    const sparse = tagger('sparseCategoricalCrossentropy');
    sparse.setWeights(model.getWeights());
    const [sparseLoss] = await sparse.evaluate(x, y, { verbose: 0 });
    expect(sparseLoss).toBeCloseTo(expected, 5);
  });

  it('keeps the flatten hint for one label per sample against an output with several positions', async () => {
    const model = tagger('categoricalCrossentropy');
    await expect(model.evaluate(x, km.tensor(labels.slice(0, n), [n]), { verbose: 0 })).rejects.toThrow(/put km\.layers\.flatten\(\) or a global pooling layer before the last Dense layer/);
  });
});

describe('categoricalCrossentropy on a 1-unit output', () => {
  const x = km.tensor(Array.from({ length: 16 }, (_, i) => Math.sin(i)), [8, 2]);
  const y01 = [0, 1, 1, 0, 1, 0, 0, 1];

  it('is refused, naming binaryCrossentropy, where it would train on a loss of 0 (tfjs-layers 4.22 refuses its targets too)', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const message = /model's output \(None, 1\) has 1 unit, so the loss would be 0 whatever the weights and nothing would train\. For two classes with a 1-unit sigmoid output use loss 'binaryCrossentropy'/;
    await expect(model.fit(x, km.tensor(y01, [8, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(message);
    await expect(model.evaluate(x, km.tensor(y01, [8]), { verbose: 0 })).rejects.toThrow(message);
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
    theirs.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await expect(theirs.fit(tf.tensor(x.dataSync(), [8, 2]), tf.tensor(y01, [8, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(/categorical_crossentropy/);
  });

  it('is refused with fromLogits and label smoothing too', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.categoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }) });
    await expect(model.evaluate(x, km.tensor(y01, [8, 1]), { verbose: 0 })).rejects.toThrow(/has 1 unit, so the loss would be 0/);
  });

  it('categoricalFocalCrossentropy, which divides each row by its sum alike, is refused naming binaryFocalCrossentropy', async () => {
    // Keras' focal term on a normalized 1-unit row: p = 1, so −α·(1 − p)^γ·t·log p is 0 for every sample.
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalFocalCrossentropy' });
    await expect(model.fit(x, km.tensor(y01, [8, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(
      /Loss 'categoricalFocalCrossentropy' compares rows of class probabilities, but the model's output \(None, 1\) has 1 unit.*use loss 'binaryFocalCrossentropy'/,
    );
  });
});

describe('binaryCrossentropy given one-hot rows of two classes for a 1-unit sigmoid', () => {
  it('says to pass the 0/1 labels (the second column), which give the naive loss', async () => {
    const x = km.tensor(Array.from({ length: 16 }, (_, i) => Math.cos(i)), [8, 2]);
    const y01 = [0, 1, 1, 0, 1, 0, 0, 1];
    const model = km.sequential([km.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    await expect(model.evaluate(x, km.oneHot(km.tensor1d(y01, 'int32'), 2), { verbose: 0 })).rejects.toThrow(
      "Loss 'binaryCrossentropy' expects targets of shape [8, 1] but received targets of shape [8, 2] (int32). These look like one-hot rows of 2 classes, but the output's one unit is the probability of class 1: " +
        "pass the 0/1 labels themselves (shape [8, 1], the rows' second column), or end the model with km.layers.dense({ units: 2, activation: 'softmax' }) and use loss 'categoricalCrossentropy'.",
    );
    const p = model.predict(x).dataSync();
    const expected = y01.reduce((s, t, i) => s - (t * Math.log(p[i]) + (1 - t) * Math.log(1 - p[i])), 0) / y01.length;
    const [loss] = await model.evaluate(x, km.tensor(y01, [8, 1]), { verbose: 0 });
    expect(loss).toBeCloseTo(expected, 5);
  });
});
