import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';

let x: km.Tensor;
let y: km.Tensor;
const N = 600;

beforeAll(async () => {
  await km.ready();
  const data = await km.datasets.mnist.load();
  x = data.train.x.slice(0, N);
  y = data.train.y.slice(0, N);
});

function mlp(seed = 1): km.Sequential {
  km.utils.setRandomSeed(seed);
  const model = km.sequential([
    km.layers.flatten({ inputShape: [28, 28] }),
    km.layers.dense({ units: 16, activation: 'relu' }),
    km.layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** The same MNIST samples as a generator of { xs: 28×28 image, ys: label }: nothing held as one tensor. */
function samples(from = 0, to = N): km.data.Dataset<{ xs: km.Tensor; ys: number }> {
  return km.data.generator(function* () {
    const pixels = x.dataSync() as Float32Array;
    const labels = y.dataSync();
    for (let i = from; i < to; i++) yield { xs: pixels.subarray(i * 784, (i + 1) * 784), ys: labels[i] };
  }).map(({ xs, ys }) => ({ xs: km.tensor(xs, [28, 28]), ys }));
}

describe('fit and evaluate on a km.data dataset', () => {
  it('a generator dataset trains to the same losses and accuracy as the same data as tensors (no shuffling)', async () => {
    const fromTensors = await mlp().fit(x, y, { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
    const model = mlp();
    const fromDataset = await model.fit(samples().batch(32).prefetch(2), { epochs: 3, verbose: 0 });
    expect(fromDataset.history.loss).toHaveLength(3);
    expect(fromDataset.history.loss[2]).toBeLessThan(fromDataset.history.loss[0]);
    for (let e = 0; e < 3; e++) {
      expect(fromDataset.history.loss[e]).toBeCloseTo(fromTensors.history.loss[e], 6);
      expect(fromDataset.history.accuracy[e]).toBeCloseTo(fromTensors.history.accuracy[e], 6);
    }
    const [lossT, accT] = await model.evaluate(x, y, { batchSize: 50, verbose: 0 });
    const [lossD, accD] = await model.evaluate(samples().batch(50), { verbose: 0 });
    expect(lossD).toBeCloseTo(lossT, 5);
    expect(accD).toBeCloseTo(accT, 6);
    const [lossFirst] = await model.evaluate(samples().batch(50), { batches: 2, verbose: 0 });
    const [lossFirstT] = await model.evaluate(x.slice(0, 100), y.slice(0, 100), { batchSize: 50, verbose: 0 });
    expect(lossFirst).toBeCloseTo(lossFirstT, 5);
  });

  it("tfjs' fitDataset and evaluateDataset are fit and evaluate on a dataset", async () => {
    const viaFit = await mlp().fit(samples(0, 200).batch(32), { epochs: 2, verbose: 0 });
    const model = mlp();
    const viaFitDataset = await model.fitDataset(samples(0, 200).batch(32), { epochs: 2, verbose: 0 });
    expect(viaFitDataset.history).toEqual(viaFit.history);
    expect(await model.evaluateDataset(samples(200, 300).batch(50), { verbose: 0 })).toEqual(await model.evaluate(samples(200, 300).batch(50), { verbose: 0 }));
  });

  it('reports val_ metrics from a validation dataset equal to evaluate on it, and from [x, y] tensors', async () => {
    const model = mlp(2);
    const history = await model.fit(samples(0, 500).batch(32), { epochs: 1, verbose: 0, validationData: samples(500, N).batch(25) });
    const [valLoss, valAcc] = await model.evaluate(x.slice(500, 100), y.slice(500, 100), { verbose: 0 });
    expect(history.history.val_loss[0]).toBeCloseTo(valLoss, 5);
    expect(history.history.val_accuracy[0]).toBeCloseTo(valAcc, 6);
    const h2 = await model.fit(samples(0, 100).batch(32), { epochs: 1, verbose: 0, validationData: [x.slice(500, 100), y.slice(500, 100)] });
    expect(h2.history.val_loss).toHaveLength(1);
  });

  it('batchesPerEpoch reads on across epochs, and stops with a warning when the data runs out', async () => {
    let opened = 0;
    const counted = km.data.generator(function* () {
      opened++;
      const pixels = x.dataSync() as Float32Array;
      for (let i = 0; i < 320; i++) yield { xs: pixels.subarray(i * 784, (i + 1) * 784), ys: y.dataSync()[i] };
    }).map(({ xs, ys }) => ({ xs: km.tensor(xs, [28, 28]), ys })).batch(32);
    let batches = 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const history = await mlp(3).fit(counted, {
      epochs: 4, batchesPerEpoch: 4, verbose: 0,
      callbacks: { onBatchEnd: () => void batches++ },
    });
    // 10 batches: epochs 1 and 2 take 4 each, epoch 3 gets 2 and training stops.
    expect(opened).toBe(1);
    expect(batches).toBe(10);
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/batchesPerEpoch is 4, but the dataset ran out after 2 batches of epoch 3/));
    warn.mockRestore();
  });

  it('stops with one "ran out of data" warning when a one-shot source yields nothing on its second pass', async () => {
    const once = samples(0, 64).iterator();
    const oneShot = km.data.generator(() => ({ next: () => once.next() })).batch(32);
    const ends: number[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const history = await mlp(5).fit(oneShot, { epochs: 5, verbose: 0, callbacks: { onEpochEnd: (epoch) => void ends.push(epoch) } });
    const warnings = warn.mock.calls.map((call) => String(call[0]));
    warn.mockRestore();
    expect(history.epoch).toEqual([0]);
    expect(ends).toEqual([0]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/your input ran out of data; interrupting training\. Epoch 2 restarted the dataset, but it yielded no batches.*a function that makes a fresh iterator.*\.repeat\(\) and batchesPerEpoch/);
  });

  it('restarts the dataset each epoch without batchesPerEpoch, and stops growing memory after the first', async () => {
    const model = mlp(4);
    const sizes: number[] = [];
    await model.fit(samples(0, 330).shuffle(100, 1).batch(32), { epochs: 3, verbose: 0, callbacks: { onEpochEnd: () => void sizes.push(model.memoryBytes()) } });
    expect(new Set(sizes).size).toBe(1);
  });

  it('rejects datasets fit cannot read, saying how to build one', async () => {
    const model = mlp(5);
    await expect(model.fit(samples(), { verbose: 0 })).rejects.toThrow(/batch 0 has ys = number, not a batch tensor. Call .batch\(batchSize\)/);
    await expect(model.fit(km.data.array([{ a: 1 }]).batch(1), { verbose: 0 })).rejects.toThrow(/batch 0 is an object with keys \[a\]; expected \{ xs, ys \}/);
    await expect(model.fit(km.data.array([]), { verbose: 0 })).rejects.toThrow(/the dataset is empty/);
    await expect(model.fit(samples().batch(8), { batchesPerEpoch: 0 })).rejects.toThrow(/batchesPerEpoch must be a positive integer. Received: batchesPerEpoch=0/);
    await expect(model.fit(samples().batch(8), { validationData: [1, 2] as never, verbose: 0, epochs: 1, batchesPerEpoch: 1 })).rejects.toThrow(/validationData\[0\] must be a km.Tensor/);
    await expect(model.fit(samples().batch(8), { validationData: 'val' as never })).rejects.toThrow(/validationData \}\) needs a km.data dataset. Received: string/);
    await expect(model.evaluate(km.data.array([{ xs: [1, 2], ys: 0 }]).batch(1), { verbose: 0 })).rejects.toThrow(/evaluate\(dataset\) batch 0 xs/);
  });
});

describe('sample weights in a km.data dataset', () => {
  const weights = Array.from({ length: N }, (_, i) => [0.5, 2, 0, 1][i % 4]);
  /** The samples as { xs, ys, sampleWeight } elements, in order. */
  const weighted = () => km.data.zip({ xs: km.data.array(Array.from({ length: N }, (_, i) => x.slice(i, 1).reshape([28, 28]))), ys: km.data.array(Array.from(y.dataSync())), sampleWeight: km.data.array(weights) });
  const compiled = () => {
    const model = mlp(4);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', weightedMetrics: ['accuracy'] });
    return model;
  };

  it('{ xs, ys, sampleWeight } batches train and evaluate exactly as fit and evaluate with sampleWeight do', async () => {
    const fromTensors = compiled();
    const expected = await fromTensors.fit(x, y, { epochs: 2, batchSize: 50, shuffle: false, sampleWeight: weights, verbose: 0 });
    const fromDataset = compiled();
    const history = await fromDataset.fit(weighted().batch(50), { epochs: 2, verbose: 0 });
    expect(history.history.loss).toEqual(expected.history.loss);
    expect(history.history.accuracy).toEqual(expected.history.accuracy);
    const unweighted = await compiled().fit(x, y, { epochs: 2, batchSize: 50, shuffle: false, verbose: 0 });
    expect(history.history.loss).not.toEqual(unweighted.history.loss);
    expect(await fromDataset.evaluate(weighted().batch(64), { verbose: 0 })).toEqual(await fromTensors.evaluate(x, y, { sampleWeight: weights, batchSize: 64, verbose: 0 }));
  });

  it('refuses a key fit does not read, and weights that are not batched, naming the fix', async () => {
    const model = compiled();
    const renamed = km.data.zip({ xs: km.data.array([km.tensor([[0]])]), ys: km.data.array([1]), weights: km.data.array([2]) }).batch(1);
    await expect(model.fit(renamed, { verbose: 0 })).rejects.toThrow(/batch 0 has 'weights', which fit does not read: a batch is \{ xs, ys \}, or \{ xs, ys, sampleWeight \}/);
    const unbatched = km.data.array([{ xs: x.slice(0, 2), ys: y.slice(0, 2), sampleWeight: [1, 2] }]);
    await expect(model.evaluate(unbatched, { verbose: 0 })).rejects.toThrow(/batch 0 has sampleWeight = an array of length 2, not a batch tensor/);
  });
});
