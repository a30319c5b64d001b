import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectClose } from '../testing/expect_close.js';
import { refResize, wholeImages } from '../testing/image_reference.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// The preprocessing layers' values against naive loops and tfjs' ops, their errors, and a save/load round trip.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const random = new Random(23);
const draw = (n: number) => Array.from({ length: n }, () => Math.fround(random.uniform(-2, 2)));
const values = (t: km.Tensor) => Array.from(t.dataSync());

describe('Resizing', () => {
  it.each([[5, 7, 3, 9, 4], [28, 28, 1, 14, 14], [4, 6, 4, 11, 13]])('%ix%ix%i -> %ix%i equals tf.image.resize with half-pixel centres, both interpolations', (h, w, c, outH, outW) => {
    const x = draw(2 * h * w * c);
    for (const interpolation of ['bilinear', 'nearest'] as const) {
      const y = km.layers.resizing({ height: outH, width: outW, interpolation }).apply(km.tensor(x, [2, h, w, c]));
      expect(y.shape).toEqual([2, outH, outW, c]);
      const image = tf.tensor4d(x, [2, h, w, c]);
      const expected = interpolation === 'bilinear' ? tf.image.resizeBilinear(image, [outH, outW], false, true) : tf.image.resizeNearestNeighbor(image, [outH, outW], false, true);
      expectClose(values(y), Array.from(expected.dataSync()), 1e-5);
    }
  });

  it('cropToAspectRatio resizes the largest centred window with the target aspect ratio', () => {
    const x = draw(6 * 10 * 2);
    const y = km.layers.resizing({ height: 4, width: 4, cropToAspectRatio: true }).apply(km.tensor(x, [1, 6, 10, 2]));
    expectClose(values(y), refResize('bilinear', x, { batch: 1, inH: 6, inW: 10, channels: 2, cropTop: 0, cropLeft: 2, cropH: 6, cropW: 6, outH: 4, outW: 4 }));
  });

  it('refuses bad options and non-image inputs, naming them', () => {
    expect(() => km.layers.resizing({ height: 0, width: 4 })).toThrow(/height must be a positive integer. Received: height=0/);
    expect(() => km.layers.resizing({ height: 4, width: 4, interpolation: 'bicubic' as 'nearest' })).toThrow(/interpolation must be 'bilinear' or 'nearest'. Received: interpolation="bicubic"/);
    expect(() => km.layers.resizing({ height: 4, width: 4, cropToAspectRatio: 'yes' as unknown as boolean })).toThrow(/cropToAspectRatio must be true or false/);
    expect(() => km.sequential([km.layers.resizing({ height: 4, width: 4, inputShape: [8, 8] })])).toThrow(/expects inputs of shape \(None, height, width, channels\)/);
  });
});

describe('CenterCrop', () => {
  it.each([[9, 8, 5, 5], [7, 7, 4, 2], [6, 9, 6, 9]])('%ix%i -> %ix%i keeps the window floor((in - out) / 2) in', (h, w, outH, outW) => {
    const c = 2;
    const x = draw(2 * h * w * c);
    const y = values(km.layers.centerCrop({ height: outH, width: outW }).apply(km.tensor(x, [2, h, w, c])));
    const [top, left] = [Math.floor((h - outH) / 2), Math.floor((w - outW) / 2)];
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) for (let i = 0; i < outH; i++) for (let j = 0; j < outW; j++) for (let k = 0; k < c; k++) expected.push(x[((b * h + top + i) * w + left + j) * c + k]);
    expect(y).toEqual(expected);
  });

  it('an input smaller than the target is resized from its largest window with the target aspect ratio, as Keras', () => {
    const x = draw(4 * 6 * 1);
    const y = km.layers.centerCrop({ height: 8, width: 8 }).apply(km.tensor(x, [1, 4, 6, 1]));
    expectClose(values(y), refResize('bilinear', x, { batch: 1, inH: 4, inW: 6, channels: 1, cropTop: 0, cropLeft: 1, cropH: 4, cropW: 4, outH: 8, outW: 8 }));
  });

  // tfjs crops with cropAndResize over a normalized box, which lands on Keras' pixels for these
  // sizes; docs/FROM_TFJS.md lists where it does not (a width margin of 1).
  it.each([[9, 8, 5, 6], [10, 10, 4, 4]])('%ix%i -> %ix%i matches tfjs-layers 4.22 CenterCrop', async (h, w, outH, outW) => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const x = draw(3 * h * w * 2);
    const ours = km.layers.centerCrop({ height: outH, width: outW }).apply(km.tensor(x, [3, h, w, 2]));
    const theirs = tfl.layers.centerCrop({ height: outH, width: outW }).apply(tf.tensor4d(x, [3, h, w, 2])) as tf.Tensor;
    expect(values(ours)).toEqual(Array.from(theirs.dataSync()));
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => km.layers.centerCrop({ height: 3, width: 2.5 })).toThrow(/width must be a positive integer. Received: width=2.5/);
  });
});

describe('CategoryEncoding', () => {
  const tokens = [0, 3, 3, 1, 2, 2, 2, 0];
  it.each([
    ['multiHot', [1, 1, 0, 1, 0, 1, 0, 1, 0, 0], [2, 5]],
    ['multi_hot', [1, 1, 0, 1, 0, 1, 0, 1, 0, 0], [2, 5]],
    ['count', [1, 1, 0, 2, 0, 1, 0, 3, 0, 0], [2, 5]],
  ] as const)('%s over [2, 4] tokens', (outputMode, expected, shape) => {
    const y = km.layers.categoryEncoding({ numTokens: 5, outputMode }).apply(km.tensor(Int32Array.from(tokens), [2, 4]));
    expect(y.shape).toEqual(shape);
    expect(values(y)).toEqual(expected);
  });

  it('oneHot gives one row per token, and [numTokens] for one token per sample', () => {
    const y = km.layers.categoryEncoding({ numTokens: 4, outputMode: 'oneHot' }).apply(km.tensor(Int32Array.from(tokens), [2, 4]));
    expect(y.shape).toEqual([2, 4, 4]);
    expect(values(y)).toEqual(tokens.flatMap((t) => [0, 1, 2, 3].map((k) => (k === t ? 1 : 0))));
    const single = km.layers.categoryEncoding({ numTokens: 4, outputMode: 'oneHot' }).apply(km.tensor(Int32Array.of(2, 0, 3), [3, 1]));
    expect(single.shape).toEqual([3, 4]);
    expect(values(single)).toEqual([0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
    expect(values(km.layers.categoryEncoding({ numTokens: 4, outputMode: 'one_hot' }).apply(km.tensor(Int32Array.of(2, 0, 3), [3, 1])))).toEqual(values(single));
  });


  it('counts right in every batch of a predict, the last one short, and per step inside TimeDistributed', () => {
    // Batch plans write each token's row offset once; every batch after the first reads them back.
    const [n, steps, length, depth] = [7, 3, 4, 5];
    const ids = Int32Array.from({ length: n * steps * length }, () => Math.floor(random.uniform(0, depth)));
    const model = km.sequential([km.layers.timeDistributed({ layer: km.layers.categoryEncoding({ numTokens: depth, outputMode: 'count' }), inputShape: [steps, length] })]);
    const naive = Array.from({ length: n * steps }, (_, row) => Array.from({ length: depth }, (_, k) => ids.slice(row * length, (row + 1) * length).filter((t) => t === k).length)).flat();
    for (const batchSize of [3, 2, 7]) expect(values(model.predict(km.tensor(Float32Array.from(ids), [n, steps, length]), { batchSize }) as km.Tensor)).toEqual(naive);
  });
  it('matches tfjs-layers 4.22 CategoryEncoding', async () => {
    const tfl = await import('@tensorflow/tfjs-layers');
    const x = Int32Array.from({ length: 6 * 5 }, () => Math.floor(random.uniform(0, 7)));
    for (const outputMode of ['multiHot', 'count'] as const) {
      const ours = km.layers.categoryEncoding({ numTokens: 7, outputMode }).apply(km.tensor(x, [6, 5]));
      const theirs = tfl.layers.categoryEncoding({ numTokens: 7, outputMode }).apply(tf.tensor2d(x, [6, 5], 'int32')) as tf.Tensor;
      expect(values(ours)).toEqual(Array.from(theirs.dataSync()));
    }
  });

  it('fit refuses a token at or above numTokens, a negative token and a fraction, naming the sample and the fix', async () => {
    const model = km.sequential([km.layers.categoryEncoding({ numTokens: 4, inputShape: [3] }), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const y = km.tensor(new Float32Array(2), [2, 1]);
    await expect(model.fit(km.tensor(Int32Array.of(0, 1, 2, 3, 4, 1), [2, 3]), y, { verbose: 0 })).rejects.toThrow(/token ids below numTokens=4, but x holds 4 at sample 1 \(position 1 of the sample\)\. Raise numTokens to at least 5/);
    await expect(model.fit(km.tensor(Int32Array.of(0, -1, 2, 3, 0, 1), [2, 3]), y, { verbose: 0 })).rejects.toThrow(/holds -1 at sample 0.*not negative numbers/);
    expect(() => model.predict(km.tensor(Float32Array.of(0, 1.5, 2, 3, 0, 1), [2, 3]))).toThrow(/holds 1.5 at sample 0.*not fractions/);
  });

  it('refuses bad options and inputs that are not token lists', () => {
    expect(() => km.layers.categoryEncoding({ numTokens: 4, outputMode: 'tfIdf' as 'count' })).toThrow(/outputMode must be 'oneHot', 'multiHot' or 'count' \(Keras' 'one_hot' and 'multi_hot' work too\). Received: outputMode="tfIdf"/);
    expect(() => km.layers.categoryEncoding({ numTokens: -2 })).toThrow(/numTokens must be a positive integer/);
    expect(() => km.sequential([km.layers.categoryEncoding({ numTokens: 4, inputShape: [2, 3] })])).toThrow(/takes a batch of token lists, shape \(None, length\), but received \(None, 2, 3\)/);
  });
});

describe('Normalization', () => {
  // Float64 mean and biased variance per feature, the definition adapt must match.
  function moments(x: number[], features: number): [number[], number[]] {
    const rows = x.length / features;
    const mean = Array.from({ length: features }, (_, j) => x.filter((_, i) => i % features === j).reduce((a, b) => a + b, 0) / rows);
    const variance = mean.map((m, j) => x.filter((_, i) => i % features === j).reduce((a, v) => a + (v - m) ** 2, 0) / rows);
    return [mean, variance];
  }

  it('adapt on a tensor and on a batched dataset gives the float64 mean and variance, then normalizes with them', async () => {
    const x = Array.from({ length: 50 * 2 * 3 }, (_, i) => 1000 + random.uniform(-3, 5) * ((i % 3) + 1));
    const [mean, variance] = moments(x, 3);
    const fromTensor = km.layers.normalization();
    await fromTensor.adapt(km.tensor(x, [50, 2, 3]));
    const fromDataset = km.layers.normalization();
    const rows = Array.from({ length: 50 }, (_, s) => km.tensor(x.slice(s * 6, (s + 1) * 6), [2, 3]));
    await fromDataset.adapt(km.data.array(rows).batch(16));
    for (const layer of [fromTensor, fromDataset]) {
      const [m, v, count] = layer.getWeights().map(values);
      expectClose(m, mean, 1e-6);
      expectClose(v, variance, 1e-5);
      expect(count).toEqual([100]);
      const y = values(layer.apply(km.tensor(x.slice(0, 12), [2, 2, 3])));
      expectClose(y, x.slice(0, 12).map((v2, i) => (v2 - mean[i % 3]) / Math.sqrt(variance[i % 3])), 1e-3);
    }
  });

  it('divides by max(√variance, 1e-7), as Keras, so a constant feature does not blow up', () => {
    const layer = km.layers.normalization({ mean: [1, 0], variance: [0, 4] });
    expectClose(values(layer.apply(km.tensor([1, 2, 1 + 1e-6, -2], [2, 2]))), [0, 1, 10, -1], 1e-4);
  });

  it('errors: used before adapt, half the statistics, other axes, invert, and data adapt cannot read', async () => {
    const model = km.sequential([km.layers.normalization({ inputShape: [3] })]);
    expect(() => model.predict(km.tensor(new Float32Array(6), [2, 3]))).toThrow(/has no mean and variance yet. Call await layer.adapt\(data\)/);
    expect(() => km.layers.normalization({ mean: [0] })).toThrow(/was given mean without variance/);
    expect(() => km.layers.normalization({ axis: 1.5 })).toThrow(/axis must be an integer, a list of distinct integers, or null. Received: axis=1.5/);
    expect(() => km.layers.normalization({ axis: [1, 1] })).toThrow(/Received: axis=\[1,1\]/);
    expect(() => km.sequential([km.layers.normalization({ axis: 3, mean: 0, variance: 1, inputShape: [2, 3] })])).toThrow(/axis=3 does not fit inputs of shape \(None, 2, 3\) \(axes 1 to 2, or -1 to -2; axis 0 is the batch/);
    expect(() => km.sequential([km.layers.normalization({ axis: 0, mean: 0, variance: 1, inputShape: [2] })])).toThrow(/axis 0 is the batch, which cannot keep statistics/);
    expect(() => km.layers.normalization({ invert: 'yes' as unknown as boolean })).toThrow(/invert must be true or false. Received: invert="yes"/);
    expect(() => km.layers.normalization({ mean: [0], variance: [-1] })).toThrow(/variance must be a non-negative finite number/);
    await expect(km.layers.normalization().adapt('rows' as unknown as km.Tensor)).rejects.toThrow(/adapt takes a km.Tensor of samples, an array of them \(nested arrays of numbers\) or a km.data Dataset of batches. Received: string/);
    await expect(km.layers.normalization().adapt(km.tensor([1, NaN], [2, 1]))).rejects.toThrow(/adapt received NaN at row 1, feature 0/);
    await expect(km.layers.normalization({ mean: 0, variance: 1 }).adapt(km.tensor([1, 2], [2, 1]))).rejects.toThrow(/fixed mean and variance, so adapt has nothing to learn/);
    expect(() => km.sequential([km.layers.normalization({ mean: [0, 1], variance: [1, 1, 1], inputShape: [3] })])).toThrow(/was given 3 variance values|was given 2 mean values/);
  });
});

describe('RandomFlip', () => {
  const [n, h, w] = [2000, 2, 3];
  const images = Array.from({ length: n * h * w }, (_, i) => i % (h * w));
  const x = km.tensor(images, [n, h, w, 1]);
  // Which way each image came out, from its first row.
  const flips = (y: number[]) => Array.from({ length: n }, (_, b) => {
    const image = y.slice(b * h * w, (b + 1) * h * w);
    return (image[0] === 2 || image[0] === 5 ? 1 : 0) + (image[0] >= 3 ? 2 : 0);
  });

  it('flips about half the images each way while training, independently, and passes them through at inference', () => {
    const layer = km.layers.randomFlip({ seed: 4 });
    const drawn = flips(values(layer.apply(x, { training: true })));
    const share = (bit: number) => drawn.filter((f) => f & bit).length / n;
    expect(share(1)).toBeGreaterThan(0.45);
    expect(share(1)).toBeLessThan(0.55);
    expect(share(2)).toBeGreaterThan(0.45);
    expect(share(2)).toBeLessThan(0.55);
    expect(drawn.filter((f) => f === 3).length / n).toBeGreaterThan(0.2);
    expect(drawn.filter((f) => f === 3).length / n).toBeLessThan(0.3);
    expect(values(layer.apply(x, { training: false }))).toEqual(images);
  });

  it('horizontal mode only mirrors left-right; the same seed draws the same flips', () => {
    const a = values(km.layers.randomFlip({ mode: 'horizontal', seed: 9 }).apply(x, { training: true }));
    const b = values(km.layers.randomFlip({ mode: 'horizontal', seed: 9 }).apply(x, { training: true }));
    expect(a).toEqual(b);
    expect(flips(a).every((f) => f <= 1)).toBe(true);
    const c = values(km.layers.randomFlip({ mode: 'horizontal', seed: 10 }).apply(x, { training: true }));
    expect(c).not.toEqual(a);
  });

  it('refuses an unknown mode', () => {
    expect(() => km.layers.randomFlip({ mode: 'diagonal' as 'vertical' })).toThrow(/mode must be 'horizontal', 'vertical' or 'horizontal_and_vertical'. Received: mode="diagonal"/);
  });
});

describe('save and load', () => {
  it('a model with every preprocessing layer saves and loads with its config, adapted statistics and predictions', async () => {
    const norm = km.layers.normalization();
    const model = km.sequential([
      km.layers.resizing({ height: 6, width: 5, interpolation: 'nearest', inputShape: [9, 7, 2] }),
      km.layers.randomFlip({ mode: 'vertical', seed: 3 }),
      km.layers.centerCrop({ height: 4, width: 4 }),
      norm,
      km.layers.flatten(),
      km.layers.dense({ units: 3 }),
    ]);
    const x = km.tensor(draw(4 * 9 * 7 * 2), [4, 9, 7, 2]);
    await norm.adapt(km.tensor(draw(10 * 4 * 4 * 2).map((v) => 3 * v + 1), [10, 4, 4, 2]));
    const expected = values(model.predict(x));
    const reloaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expect(reloaded.getWeights().map(values)).toEqual(model.getWeights().map(values));
    expect(values(reloaded.predict(x))).toEqual(expected);

    const encoder = km.sequential([km.layers.categoryEncoding({ numTokens: 6, outputMode: 'count', inputShape: [4] }), km.layers.dense({ units: 2 })]);
    const tokens = km.tensor(Int32Array.of(0, 5, 5, 1, 2, 2, 3, 4), [2, 4]);
    const again = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(encoder)));
    expect(values(again.predict(tokens))).toEqual(values(encoder.predict(tokens)));
  });
});
