import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

// Normalization with kept axes other than the last, and invert, against float64 loops on every backend here.
beforeAll(() => km.ready());

const random = new Random(47);
const values = (t: km.Tensor) => Array.from(t.dataSync());

/** Float64 mean and biased variance of x [n, ...shape] for each entry of the kept sample axes (1-based, as Keras counts them). */
function keptMoments(x: number[], shape: number[], kept: number[]): { mean: number[]; variance: number[]; featureOf: (p: number) => number } {
  const perSample = shape.reduce((a, b) => a * b, 1);
  const featureOf = (p: number) => {
    const index = shape.map((_, k) => Math.floor(p / shape.slice(k + 1).reduce((a, b) => a * b, 1)) % shape[k]);
    return kept.reduce((f, a) => f * shape[a - 1] + index[a - 1], 0);
  };
  const features = kept.reduce((f, a) => f * shape[a - 1], 1);
  const groups: number[][] = Array.from({ length: features }, () => []);
  x.forEach((v, i) => groups[featureOf(i % perSample)].push(v));
  const mean = groups.map((g) => g.reduce((a, b) => a + b, 0) / g.length);
  const variance = groups.map((g, f) => g.reduce((a, v) => a + (v - mean[f]) ** 2, 0) / g.length);
  return { mean, variance, featureOf };
}

describe.each(BACKENDS_HERE)('Normalization on other axes and inverted, on %s', (name) => {
  beforeAll(() => useBackend(name));

  it.each([
    [[1], [3, 4, 2]],
    [[1, 3], [3, 4, 2]],
    [[-2], [5, 3]],
    [null, [4, 3]],
  ] as const)('axis=%j over samples %j: adapt gives the float64 statistics of each kept entry, apply standardizes with them, invert maps back', async (axis, shape) => {
    const n = 40;
    const size = n * shape.reduce((a, b) => a * b, 1);
    const x = Array.from({ length: size }, (_, i) => Math.fround(5 + random.uniform(-2, 3) * ((i % 7) + 1)));
    const kept = axis === null ? [] : axis.map((a) => (a < 0 ? a + shape.length + 1 : a));
    const { mean, variance, featureOf } = keptMoments(x, [...shape], kept);
    const layer = km.layers.normalization({ axis: axis === null ? null : [...axis] });
    await layer.adapt(km.tensor(x, [n, ...shape]));
    const [m, v, count] = layer.getWeights();
    expect(m.shape).toEqual(kept.map((a) => shape[a - 1]));
    expectClose(values(m), mean, 1e-5);
    expectClose(values(v), variance, 1e-4);
    expect(values(count)).toEqual([size / mean.length]);
    const perSample = size / n;
    const standardized = x.map((value, i) => (value - mean[featureOf(i % perSample)]) / Math.sqrt(variance[featureOf(i % perSample)]));
    const y = values(layer.apply(km.tensor(x, [n, ...shape])));
    expectClose(y, standardized, 1e-4);

    const inverse = km.layers.normalization({ axis: axis === null ? null : [...axis], invert: true });
    await inverse.adapt(km.tensor(x, [n, ...shape]));
    expectClose(values(inverse.apply(km.tensor(y, [n, ...shape]))), x, 1e-3);
    // Against the float64 definition y = mean + x·√variance on other inputs too.
    const z = Array.from({ length: size }, () => random.uniform(-2, 2));
    expectClose(values(inverse.apply(km.tensor(z, [n, ...shape]))), z.map((value, i) => mean[featureOf(i % perSample)] + value * Math.sqrt(variance[featureOf(i % perSample)])), 1e-4);
  });

  it('invert with a fixed mean and variance multiplies by max(√variance, 1e-7) and passes dy·√variance back', async () => {
    const layer = km.layers.normalization({ mean: [10, -1], variance: [4, 0], invert: true, inputShape: [2] });
    expectClose(values(layer.apply(km.tensor([1, 5, -0.5, 2], [2, 2]))), [12, -1 + 5e-7, 9, -1 + 2e-7], 1e-6);
    // A Dense layer before it gets dy·√variance: with x = 1, kernels of ones and MAE below the target
    // (dL/dy = -1 per output), the first kernel's gradient is -[√4, 1e-7], so SGD(1) makes it [3, 1 + 1e-7].
    const inverse = km.layers.normalization({ mean: [10, -1], variance: [4, 0], invert: true });
    const first = km.layers.dense({ units: 2, useBias: false, kernelInitializer: 'ones', inputShape: [1] });
    const model = km.sequential([first, inverse, km.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' })]);
    model.compile({ optimizer: km.optimizers.sgd(1), loss: 'meanAbsoluteError' });
    await model.fit(km.tensor([1], [1, 1]), km.tensor([100], [1, 1]), { epochs: 1, batchSize: 1, verbose: 0 });
    expectClose(values(first.getWeights()[0]), [3, 1], 1e-6);
  });
});

describe('Normalization on a kept axis other than the last: gradient', () => {
  it.each([false, true])('invert=%s: a Dense layer before it gets dy divided (or, inverted, multiplied) by the √variance of each entry\'s row', async (invert) => {
    // x = 1 and kernels of ones below an MAE target: dL/dy = -1 for each normalized value, so SGD(1)
    // moves the first kernel's entry j by +1/√variance[row(j)] (or +√variance[row(j)] inverted).
    const first = km.layers.dense({ units: 6, useBias: false, kernelInitializer: 'ones', inputShape: [1] });
    const model = km.sequential([
      first,
      km.layers.reshape({ targetShape: [2, 3] }),
      km.layers.normalization({ axis: 1, mean: [0.5, -0.5], variance: [4, 9], invert }),
      km.layers.flatten(),
      km.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones' }),
    ]);
    model.compile({ optimizer: km.optimizers.sgd(1), loss: 'meanAbsoluteError' });
    await model.fit(km.tensor([1], [1, 1]), km.tensor([1000], [1, 1]), { epochs: 1, batchSize: 1, verbose: 0 });
    const std = [2, 2, 2, 3, 3, 3];
    expectClose(values(first.getWeights()[0]), std.map((s) => 1 + (invert ? s : 1 / s)), 1e-5);
  });
});

describe('Normalization axis config', () => {
  it('saves axis and invert as given and loads them back with the same outputs', async () => {
    const layer = km.layers.normalization({ axis: [1, 2], invert: true, inputShape: [2, 3] });
    const model = km.sequential([layer]);
    await layer.adapt(km.tensor(Array.from({ length: 60 }, () => random.uniform(-1, 1)), [10, 2, 3]));
    let saved: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (saved = a)));
    const config = (saved!.modelTopology as { config: { layers: { config: Record<string, unknown> }[] } }).config.layers[0].config;
    expect(config).toMatchObject({ axis: [1, 2], invert: true });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(saved!));
    const x = km.tensor(Array.from({ length: 12 }, () => random.uniform(-1, 1)), [2, 2, 3]);
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(values(model.predict(x) as km.Tensor));
  });
});
