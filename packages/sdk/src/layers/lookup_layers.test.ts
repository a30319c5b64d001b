import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

// Discretization and IntegerLookup against naive loops on every backend here, their adapt results,
// learning through an Embedding, save/load, and their errors.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const random = new Random(31);
const values = (t: km.Tensor) => Array.from(t.dataSync());

// The bin of x: how many boundaries are ≤ x (Keras' b[i-1] ≤ x < b[i] gives bin i).
const naiveBin = (x: number, boundaries: readonly number[]) => boundaries.filter((b) => b <= x).length;

describe.each(BACKENDS_HERE)('on %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('Discretization bins values, those on a boundary going to the bin above, as a naive count', () => {
    const boundaries = [-1.5, -0.25, 0, 0.5, 2];
    const x = [...boundaries, ...Array.from({ length: 55 }, () => Math.fround(random.uniform(-3, 3)))];
    const y = values(km.layers.discretization({ binBoundaries: boundaries }).apply(km.tensor(x, [6, 10])));
    expect(y).toEqual(x.map((v) => naiveBin(v, boundaries)));
  });

  it('IntegerLookup maps tokens, the mask token and unknown tokens, and invert maps the indices back', () => {
    const vocabulary = [40, 7, 1000, -3];
    const tokens = [7, 0, 40, 5, -3, 1000, 0, 8, -1, 7, 12, 40];
    const table = [0, -1, ...vocabulary]; // index → token: mask 0 at 0, OOV -1 at 1
    const lookup = km.layers.integerLookup({ vocabulary, maskToken: 0 });
    const indices = values(lookup.apply(km.tensor(Int32Array.from(tokens), [3, 4])));
    expect(indices).toEqual(tokens.map((t) => (t === 0 ? 0 : table.indexOf(t) >= 2 ? table.indexOf(t) : 1)));
    const inverse = km.layers.integerLookup({ vocabulary, maskToken: 0, invert: true });
    const back = values(inverse.apply(km.tensor([...indices, 9, -2], [2, 7])));
    expect(back).toEqual([...tokens.map((t) => (t === 0 || vocabulary.includes(t) ? t : -1)), -1, -1]);
  });

  it("IntegerLookup with several OOV indices puts an unknown token at floormod(token, n), as Keras, in 'int' and an encoding", () => {
    const tokens = [12, 37, 1000, -7, 36, 0];
    const floormod = (t: number, n: number) => t - n * Math.floor(t / n);
    const lookup = km.layers.integerLookup({ vocabulary: [12, 36], numOovIndices: 3, maskToken: 0 });
    const expected = tokens.map((t) => (t === 0 ? 0 : t === 12 ? 4 : t === 36 ? 5 : 1 + floormod(t, 3)));
    expect(values(lookup.apply(km.tensor(Int32Array.from(tokens), [2, 3])))).toEqual(expected);
    const counts = km.layers.integerLookup({ vocabulary: [12, 36], numOovIndices: 3, outputMode: 'count' });
    // Encodings leave no mask index: 37 → 1, 1000 → 1, -7 → 2 (floormod), 0 → 0.
    expect(values(counts.apply(km.tensor(Int32Array.from(tokens), [1, 6])))).toEqual([1, 2, 1, 1, 1]);
  });
});

describe('Discretization', () => {
  it('adapt with numBins sets each boundary b_i with at most i·n/numBins values below it and more at or below it', async () => {
    const x = Array.from({ length: 997 }, () => Math.fround(random.uniform(-5, 5) ** 3));
    for (const numBins of [2, 4, 7]) {
      const layer = km.layers.discretization({ numBins });
      await layer.adapt(km.data.array(Array.from({ length: 997 }, (_, i) => km.tensor([x[i]], [1]))).batch(100));
      const boundaries = layer.binBoundaries!;
      expect(boundaries).toHaveLength(numBins - 1);
      boundaries.forEach((b, k) => {
        const target = ((k + 1) * x.length) / numBins;
        expect(x.filter((v) => v < b).length).toBeLessThanOrEqual(target);
        expect(x.filter((v) => v <= b).length).toBeGreaterThan(target);
      });
      // Equally filled bins: each holds about n/numBins values.
      const y = values(layer.apply(km.tensor(x, [x.length, 1])));
      for (let bin = 0; bin < numBins; bin++) expect(Math.abs(y.filter((v) => v === bin).length - x.length / numBins)).toBeLessThanOrEqual(1);
    }
  });

  it('refuses unsorted boundaries, bad options, using it before adapt, and non-finite data', async () => {
    expect(() => km.layers.discretization({ binBoundaries: [0, 2, 1] })).toThrow(/binBoundaries must be in ascending order, but 1 at position 2 follows 2. Received: binBoundaries=\[0,2,1\]/);
    expect(() => km.layers.discretization({})).toThrow(/needs binBoundaries \(e.g. \[0, 1, 2\]\) or numBins/);
    expect(() => km.layers.discretization({ numBins: 1 })).toThrow(/numBins must be an integer of at least 2. Received: numBins=1/);
    expect(() => km.layers.discretization({ numBins: 3, binBoundaries: [1] })).toThrow(/numBins=3 and 1 binBoundaries/);
    expect(() => km.layers.discretization({ numBins: 3, outputMode: 'tf_idf' as 'int' })).toThrow(/outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count'. Received: outputMode="tf_idf"/);
    expect(() => km.layers.discretization({ numBins: 3, sparse: true })).toThrow(/sparse outputs are not supported. Received: sparse=true. Remove it/);
    expect(() => km.layers.hashing({ numBins: 3, sparse: true })).toThrow(/sparse outputs are not supported. Received: sparse=true/);
    expect(() => km.layers.discretization({ numBins: 3, outputMode: 'bits' as 'int' })).toThrow(/Received: outputMode="bits"/);
    const model = km.sequential([km.layers.discretization({ numBins: 3, inputShape: [2] })]);
    expect(() => model.predict(km.tensor([1, 2], [1, 2]))).toThrow(/has no bin boundaries yet. Call await layer.adapt\(data\)/);
    await expect(km.layers.discretization({ numBins: 2 }).adapt(km.tensor([1, NaN], [2, 1]))).rejects.toThrow(/adapt received NaN at position 1/);
    await expect(km.layers.discretization({ binBoundaries: [1] }).adapt(km.tensor([1], [1, 1]))).rejects.toThrow(/binBoundaries without numBins, so adapt has nothing to learn/);
  });
});

describe('IntegerLookup', () => {
  it('adapt orders the vocabulary by descending count, ties by the larger token first, leaving out the special tokens and cutting to maxTokens', async () => {
    const tokens = Array.from({ length: 600 }, () => Math.floor(random.uniform(-4, 14)));
    tokens.push(0, 0, -1);
    const counts = new Map<number, number>();
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    // A naive selection: repeatedly take the most frequent remaining token, the larger on a tie.
    const expected: number[] = [];
    const left = new Map(counts);
    left.delete(0);
    left.delete(-1);
    while (left.size > 0 && expected.length < 8) {
      let best: number | null = null;
      for (const [t, c] of left) if (best === null || c > left.get(best)! || (c === left.get(best)! && t > best)) best = t;
      expected.push(best!);
      left.delete(best!);
    }
    const lookup = km.layers.integerLookup({ maskToken: 0, maxTokens: 10 });
    await lookup.adapt(km.tensor(Int32Array.from(tokens), [tokens.length, 1]));
    expect(lookup.getVocabulary()).toEqual([0, -1, ...expected]);
    expect(lookup.vocabularySize()).toBe(10);
    // Ties really occur in a small example: 5 and 9 twice each, 3 once.
    const small = km.layers.integerLookup();
    await small.adapt(km.tensor(Int32Array.of(5, 9, 3, 9, 5), [5]));
    expect(small.getVocabulary()).toEqual([-1, 9, 5, 3]);
  });

  it('integerLookup → embedding → globalAveragePooling1d → dense learns whether a sequence holds a rare id', async () => {
    km.utils.setRandomSeed(5);
    const [n, length] = [512, 6];
    const ids = [1001, 2002, 3003, 4004, 5005, 6006, 7007, 9999];
    const x = new Int32Array(n * length);
    const y = new Float32Array(n);
    for (let s = 0; s < n; s++) {
      for (let p = 0; p < length; p++) x[s * length + p] = ids[Math.floor(random.uniform(0, 7))];
      if (s % 2 === 0) x[s * length + Math.floor(random.uniform(0, length))] = 9999;
      y[s] = x.slice(s * length, (s + 1) * length).includes(9999) ? 1 : 0;
    }
    const lookup = km.layers.integerLookup({ inputShape: [length] });
    await lookup.adapt(km.tensor(x, [n, length]));
    const model = km.sequential([
      lookup,
      km.layers.embedding({ inputDim: lookup.vocabularySize(), outputDim: 8 }),
      km.layers.globalAveragePooling1d(),
      km.layers.dense({ units: 1, activation: 'sigmoid' }),
    ]);
    model.compile({ optimizer: km.optimizers.adam(0.05), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const xs = km.tensor(x, [n, length]);
    await model.fit(xs, km.tensor(y, [n, 1]), { epochs: 15, batchSize: 32, verbose: 0 });
    const [, accuracy] = (await model.evaluate(xs, km.tensor(y, [n, 1]))) as number[];
    expect(accuracy).toBeGreaterThan(0.95);
  });

  it('refuses fractions and unknown tokens without an OOV index, bad options, and use before adapt', async () => {
    const model = km.sequential([km.layers.integerLookup({ vocabulary: [3, 4], inputShape: [2] }), km.layers.embedding({ inputDim: 3, outputDim: 2 })]);
    expect(() => model.predict(km.tensor([3, 4.5], [1, 2]))).toThrow(/reads x as whole-number tokens from -2\^24 to 2\^24 \(what float32 batches hold exactly\), but it holds 4.5 at sample 0 \(position 1 of the sample\)/);
    expect(() => model.predict(km.tensor(Int32Array.of(3, 16777217), [1, 2]))).toThrow(/but it holds 16777217 at sample 0/);
    const strict = km.sequential([km.layers.integerLookup({ vocabulary: [3, 4], numOovIndices: 0, inputShape: [2] })]);
    expect(values(strict.predict(km.tensor(Int32Array.of(4, 3), [1, 2])) as km.Tensor)).toEqual([1, 0]);
    expect(() => strict.predict(km.tensor(Int32Array.of(4, 8), [1, 2]))).toThrow(/numOovIndices=0, so every token must be in its vocabulary, but x holds 8 at sample 0/);
    expect(() => km.layers.integerLookup({ numOovIndices: -1 })).toThrow(/numOovIndices must be a whole number from 0 .* Received: numOovIndices=-1\./);
    expect(() => km.layers.integerLookup({ numOovIndices: 1.5 })).toThrow(/numOovIndices must be a whole number from 0 .* Received: numOovIndices=1\.5\./);
    expect(() => km.layers.integerLookup({ outputMode: 'tfidf' as 'int' })).toThrow(/outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count', 'tf_idf'. Received: outputMode="tfidf"/);
    expect(() => km.layers.integerLookup({ vocabulary: [1, 2, 1] })).toThrow(/holds 1 twice/);
    expect(() => km.layers.integerLookup({ vocabulary: [1, -1] })).toThrow(/holds -1, the oovToken, after its first entries; the special tokens get their own indices\. Remove it, or list the special tokens first \(\[-1\]\)/);
    expect(() => km.layers.integerLookup({ vocabulary: [1.5] })).toThrow(/vocabulary must be a list of whole numbers from -2\^24 to 2\^24 \(what float32 batches hold exactly\). Received: vocabulary=\[1.5\]/);
    expect(() => km.layers.integerLookup({ vocabulary: [1, 2, 3], maxTokens: 3 })).toThrow(/exceeds maxTokens=3/);
    expect(() => km.layers.integerLookup({ maskTokn: 0 } as km.layers.IntegerLookupArgs)).toThrow(/has no option 'maskTokn'; did you mean 'maskToken'/);
    expect(() => km.layers.integerLookup().getVocabulary()).toThrow(/has no vocabulary yet. Call await layer.adapt\(data\)/);
    await expect(km.layers.integerLookup().adapt(km.tensor([1, 2.5], [2]))).rejects.toThrow(/adapt reads whole-number tokens from -2\^24 to 2\^24 \(what float32 batches hold exactly\), but received 2.5 at position 1/);
    await expect(km.layers.integerLookup({ invert: true, vocabulary: [1] }).adapt(km.tensor([1], [1]))).rejects.toThrow(/invert: true\), so adapt has nothing to learn/);
  });

  it('IntegerLookup adapt refuses a given vocabulary (option or setVocabulary), as Keras does, and keeps it; adapting again learns afresh', async () => {
    const refusal = /Cannot adapt IntegerLookup layer '.*' after setting a static vocabulary via the vocabulary option \(a saved config's too\) or setVocabulary\(\) \(Keras refuses it after the vocabulary option; kerasm after any, so tokens are never re-indexed under a trained model\): .* make a new layer without vocabulary and adapt that; to replace this one's, call setVocabulary\(tokens\)\./;
    const set = km.layers.integerLookup();
    set.setVocabulary([7, 8]);
    for (const layer of [km.layers.integerLookup({ vocabulary: [7, 8] }), set]) {
      await expect(layer.adapt(km.tensor(Int32Array.of(5, 5), [2]))).rejects.toThrow(refusal);
      expect(layer.getVocabulary()).toEqual([-1, 7, 8]);
    }
    const learned = km.layers.integerLookup();
    await learned.adapt(km.tensor(Int32Array.of(1, 1, 2), [3]));
    await learned.adapt(km.tensor(Int32Array.of(3), [1]));
    expect(learned.getVocabulary()).toEqual([-1, 3]);
  });
});

describe('save and load', () => {
  it('round-trips both layers with Keras 3 config names and their adapted state; tfjs-layers 4.22 refuses the file', async () => {
    const bins = km.layers.discretization({ numBins: 4, inputShape: [3] });
    await bins.adapt(km.tensor(Array.from({ length: 300 }, () => random.uniform(-2, 2)), [100, 3]));
    const lookup = km.layers.integerLookup({ maskToken: 0 });
    await lookup.adapt(km.tensor(Int32Array.of(0, 1, 1, 2, 3, 3, 3), [7]));
    const model = km.sequential([bins, lookup, km.layers.embedding({ inputDim: 4 + 2, outputDim: 2 }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    const artifacts = await kerasmArtifacts(model);
    const configs = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const saved = (cls: string) => configs.find((l) => l.class_name === cls)!.config;
    expect(saved('Discretization')).toMatchObject({ bin_boundaries: bins.binBoundaries, num_bins: 4, epsilon: 0.01, output_mode: 'int' });
    expect(saved('IntegerLookup')).toMatchObject({ vocabulary: [3, 1, 2], mask_token: 0, oov_token: -1, num_oov_indices: 1, max_tokens: null, invert: false, output_mode: 'int' });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    const x = km.tensor(Array.from({ length: 12 }, () => random.uniform(-2, 2)), [4, 3]);
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(values(model.predict(x) as km.Tensor));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: Discretization/);
  });
});
