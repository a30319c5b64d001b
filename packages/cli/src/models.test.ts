import * as km from '@kerasm/sdk';
import { describe, expect, it } from 'vitest';
import { buildModel } from './models.js';

describe('the networks kerasm train builds', () => {
  it('cnn is the Keras MNIST convnet, layer by layer', () => {
    const model = buildModel('cnn', 64);
    expect(model.layers.map((l) => l.className)).toEqual(['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
    expect(model.countParams()).toBe(320 + 18496 + 16010);
  });

  it('resnet is a functional model with residual Add layers that predicts 10 classes', async () => {
    await km.ready();
    const model = buildModel('resnet', 64);
    expect(model.layers.filter((l) => l.className === 'Add')).toHaveLength(2);
    const probabilities = model.predict(km.tensor(new Float32Array(2 * 784), [2, 28, 28]));
    expect(probabilities.shape).toEqual([2, 10]);
    const rows = probabilities.arraySync() as number[][];
    rows.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
  });
});
