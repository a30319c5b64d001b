import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { conv2d, finiteDifferences, pool, type Image, type WindowSpec } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

beforeAll(() => km.ready());

function randomValues(n: number, random: Random): number[] {
  return Array.from({ length: n }, () => random.uniform(-1, 1));
}

/** Mean squared error over samples and output entries, as Keras' 'meanSquaredError' reduces it. */
function mse(outputs: number[][], targets: number[][]): number {
  return outputs.reduce((s, p, i) => s + p.reduce((t, v, j) => t + (v - targets[i][j]) ** 2, 0) / p.length, 0) / outputs.length;
}

interface ConvCase {
  name: string;
  input: [number, number, number];
  batch: number;
  first: WindowSpec;
  pooling: { kind: 'max' | 'avg'; spec: WindowSpec };
  second: WindowSpec;
}

const spec = (kernel: number, strides: [number, number], padding: 'valid' | 'same', dilation: [number, number] = [1, 1]): WindowSpec => ({ kernel: [kernel, kernel], strides, dilation, padding });

const cases: ConvCase[] = [
  { name: 'valid, stride 1, max pool, batch 1', input: [7, 6, 2], batch: 1, first: spec(3, [1, 1], 'valid'), pooling: { kind: 'max', spec: spec(2, [2, 2], 'valid') }, second: spec(1, [1, 1], 'valid') },
  { name: 'same, stride 2, avg pool same', input: [9, 7, 3], batch: 2, first: spec(3, [2, 2], 'same'), pooling: { kind: 'avg', spec: spec(2, [1, 1], 'same') }, second: spec(2, [1, 2], 'same') },
  { name: 'dilation 2, overlapping max pool', input: [9, 9, 1], batch: 3, first: spec(3, [1, 1], 'same', [2, 2]), pooling: { kind: 'max', spec: spec(3, [2, 2], 'same') }, second: spec(3, [1, 1], 'valid') },
  { name: 'odd kernel on odd strides, avg pool valid', input: [11, 8, 2], batch: 2, first: { kernel: [3, 2], strides: [2, 3], dilation: [1, 1], padding: 'valid' }, pooling: { kind: 'avg', spec: spec(2, [1, 1], 'valid') }, second: spec(1, [1, 1], 'same') },
];

describe('Conv2D and pooling gradients against float64 finite differences', () => {
  it.each(cases)('$name', async (c) => {
    const random = new Random(5);
    km.utils.setRandomSeed(9);
    const [filters1, filters2] = [4, 3];
    const pooling = c.pooling.kind === 'max'
      ? km.layers.maxPooling2d({ poolSize: c.pooling.spec.kernel, strides: c.pooling.spec.strides, padding: c.pooling.spec.padding })
      : km.layers.averagePooling2d({ poolSize: c.pooling.spec.kernel, strides: c.pooling.spec.strides, padding: c.pooling.spec.padding });
    const model = km.sequential([
      km.layers.conv2d({ filters: filters1, kernelSize: c.first.kernel, strides: c.first.strides, padding: c.first.padding, dilationRate: c.first.dilation, activation: 'tanh', inputShape: c.input, biasInitializer: 'glorotUniform' }),
      pooling,
      km.layers.conv2d({ filters: filters2, kernelSize: c.second.kernel, strides: c.second.strides, padding: c.second.padding, biasInitializer: 'glorotUniform' }),
      km.layers.flatten(),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const outSize = model.predict(km.tensor(new Float32Array(c.input.reduce((a, b) => a * b, 1)), [1, ...c.input])).shape[1];
    const xs = Array.from({ length: c.batch }, () => randomValues(c.input.reduce((a, b) => a * b, 1), random));
    const ys = Array.from({ length: c.batch }, () => randomValues(outSize, random));
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));

    const forward = (x: number[]): number[] => {
      const image: Image = { h: c.input[0], w: c.input[1], c: c.input[2], data: x };
      const h1 = conv2d(image, weights[0], weights[1], c.first);
      const pooled = pool({ ...h1, data: h1.data.map(Math.tanh) }, c.pooling.spec, c.pooling.kind);
      return conv2d(pooled, weights[2], weights[3], c.second).data;
    };
    const x = km.tensor(xs.flat(), [c.batch, ...c.input]);
    const y = km.tensor(ys.flat(), [c.batch, outSize]);
    const predicted = model.predict(x).arraySync() as number[][];
    xs.forEach((row, i) => forward(row).forEach((v, j) => expect(predicted[i][j]).toBeCloseTo(v, 5)));

    const expected = finiteDifferences(weights, () => mse(xs.map(forward), ys));
    expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, y), expected, ['kernel1', 'bias1', 'kernel2', 'bias2']);
  });
});
