import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Keras 3's image augmentation layers default to training=True in `call`, so `augment(images)`
// augments (keras.io's previews and its `ds.map(lambda x, y: (augment(x), y))` pipelines); every
// other layer infers when called without `training`, and predict always infers.

beforeAll(() => km.ready());

const images = km.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 1);
const unchanged = (t: km.Tensor) => Array.from(t.dataSync()).every((v, i) => v === images.dataSync()[i]);

describe('a call on data without training', () => {
  it('augments with an augmentation layer or a model made of them, as Keras 3 does; predict and training: false do not', () => {
    const flip = km.layers.randomFlip({ mode: 'horizontal', seed: 3 });
    const flipped = flip.apply(images) as km.Tensor;
    expect(unchanged(flipped)).toBe(false);
    // Each image is itself or its mirror.
    const x = images.arraySync() as number[][][][];
    (flipped.arraySync() as number[][][][]).forEach((image, n) => {
      const mirrored = image.every((row, r) => row.every((pixel, c) => pixel[0] === x[n][r][7 - c][0]));
      const same = image.every((row, r) => row.every((pixel, c) => pixel[0] === x[n][r][c][0]));
      expect(mirrored || same).toBe(true);
    });
    expect(unchanged(flip.apply(images, { training: false }) as km.Tensor)).toBe(true);

    const augment = km.sequential([km.layers.randomFlip({ seed: 1, inputShape: [8, 8, 1] }), km.layers.randomRotation({ factor: 0.2, seed: 2 })]);
    expect(unchanged(augment.apply(images) as km.Tensor)).toBe(false);
    expect(unchanged(augment.predict(images) as km.Tensor)).toBe(true);
    expect(unchanged(augment.apply(images, { training: false }) as km.Tensor)).toBe(true);
  });

  it('leaves other layers in inference mode, as tfjs and Keras do: Dropout passes its input through', () => {
    const model = km.sequential([km.layers.randomContrast({ factor: 0.5, seed: 4, inputShape: [8, 8, 1] }), km.layers.dropout({ rate: 0.9, seed: 5 })]);
    const contrastOnly = km.sequential([km.layers.randomContrast({ factor: 0.5, seed: 4, inputShape: [8, 8, 1] })]);
    // Dropout at 0.9 in training mode would zero most values; in inference it changes none, so both models agree.
    expect(Array.from((model.apply(images) as km.Tensor).dataSync())).toEqual(Array.from((contrastOnly.apply(images) as km.Tensor).dataSync()));
    expect(unchanged(km.layers.dropout({ rate: 0.9 }).apply(images) as km.Tensor)).toBe(true);
  });
});

describe('predict on a km.data dataset', () => {
  it('says that predict takes tensors and how to predict a dataset batch by batch', () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
    const dataset = km.data.array([[1, 2], [3, 4]]).batch(2);
    expect(() => model.predict(dataset as never)).toThrow(/predict takes tensors and returns at once, so it cannot read a km\.data dataset.*for await \(const batch of dataset\) model\.predict\(batch\.xs\)/);
  });
});
