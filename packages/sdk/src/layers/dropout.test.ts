import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmGradients } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

describe('Dropout behaves differently in training and inference', () => {
  it('passes inputs through unchanged at inference (predict, evaluate)', () => {
    const model = km.sequential([km.layers.dropout({ rate: 0.5, inputShape: [6] })]);
    const x = km.tensor([[1, -2, 3, -4, 5, -6], [0.5, 0.25, 0, 1, 2, 3]]);
    expect(model.predict(x).arraySync()).toEqual(x.arraySync());
  });

  it('drops units and rescales the rest while training: the gradient is the masked, 1/(1 − rate)-scaled one', async () => {
    km.utils.setRandomSeed(2);
    const [inputs, units, rate] = [5, 64, 0.5];
    const model = km.sequential([
      km.layers.dense({ units, inputShape: [inputs], useBias: false }),
      km.layers.dropout({ rate, seed: 7 }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = [[0.3, -0.7, 0.2, 0.9, -0.4]];
    const x = km.tensor(xs);
    const y = km.tensor([Array.from({ length: units }, (_, j) => Math.sin(j))]);
    const kernel = model.getWeights()[0].arraySync() as number[][];
    const [grad] = await kerasmGradients(model, 'meanSquaredError', x, y);
    const z = Array.from({ length: units }, (_, j) => xs[0].reduce((s, v, i) => s + v * kernel[i][j], 0));
    let dropped = 0;
    for (let j = 0; j < units; j++) {
      const column = xs[0].map((_, i) => grad[i * units + j]);
      if (column.every((g) => g === 0)) {
        dropped++;
        continue;
      }
      // Kept unit: output = z·2, loss mean((out − t)²) → d/dK[i][j] = x_i · 2 · 2(2z − t)/units.
      const keep = 1 / (1 - rate);
      const expected = xs[0].map((v) => (v * keep * 2 * (keep * z[j] - Math.sin(j))) / units);
      column.forEach((g, i) => expect(g).toBeCloseTo(expected[i], 5));
    }
    expect(dropped).toBeGreaterThan(units * 0.25);
    expect(dropped).toBeLessThan(units * 0.75);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => km.layers.dropout({ rate: 1 })).toThrow(/rate must be a number in \[0, 1\)\. Received: rate=1\./);
  });
});

describe('convolution and pooling layers reject bad arguments with the received value', () => {
  it('Conv2D', () => {
    expect(() => km.layers.conv2d({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer\. Received: filters=0\./);
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: [3, 0] })).toThrow(/kernelSize must be a positive integer or a pair of them\. Received: kernelSize=\[3,0\]\./);
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as 'same' })).toThrow(/padding must be 'valid' or 'same'\. Received: padding="full"\./);
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/strides above 1 cannot be combined with dilationRate above 1/);
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'NCHW' as 'channelsLast' })).toThrow(/dataFormat must be 'channelsLast' \(\[n, \.\.\., channels\]\) or 'channelsFirst' \(\[n, channels, \.\.\.\]\)\. Received: dataFormat="NCHW"/);
    expect(() => km.layers.convLstm2d({ filters: 2, kernelSize: 3, dataFormat: 'NCHW' as 'channelsLast' })).toThrow(/dataFormat must be 'channelsLast' .* or 'channelsFirst' .*\. Received: dataFormat="NCHW"/);
  });

  it('Conv2D on 2-D images suggests adding a channels axis; a too-small input says so', () => {
    expect(() => km.sequential([km.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [28, 28], name: 'c' })]).summary({ lineLength: 65, printFn: () => {} })).toThrow(/Conv2D layer 'c' expects inputs of shape \(None, height, width, channels\), but received \(None, 28, 28\)\. Add a channels axis, e\.g\. km\.layers\.reshape\(\{ targetShape: \[28, 28, 1\] \}\)/);
    expect(() => km.sequential([km.layers.maxPooling2d({ poolSize: 3, inputShape: [2, 2, 1], name: 'p' })]).summary({ lineLength: 65, printFn: () => {} })).toThrow(/Layer 'p': the input \(None, 2, 2, 1\) is smaller than its 3x3 window/);
  });

  it('Reshape to a different number of values', () => {
    expect(() => km.sequential([km.layers.reshape({ targetShape: [5, 5], inputShape: [28, 28], name: 'r' })]).summary({ lineLength: 65, printFn: () => {} })).toThrow(/Reshape layer 'r' cannot reshape \(None, 28, 28\) \(784 values per sample\) to \[5, 5\]/);
    expect(() => km.layers.reshape({ targetShape: [-1, -1] })).toThrow(/at most one -1\. Received: targetShape=\[-1,-1\]/);
  });

  it('Dropout with a noiseShape that is not a list of sizes', () => {
    expect(() => km.layers.dropout({ rate: 0.5, noiseShape: [1, -4], name: 'd' })).toThrow(/Dropout layer 'd': noiseShape must be null or a list of positive integers and nulls.*Received: noiseShape=\[1,-4\]/);
  });
});
