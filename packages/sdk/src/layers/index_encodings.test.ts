import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { Random } from '../utils/random.js';

// Keras' one_hot, multi_hot, count and tf_idf outputs of IntegerLookup, Hashing and Discretization,
// against a naive encoding of the indices on every backend here; adapt's idf weights, shapes,
// save/load, learning, and the errors.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
type Mode = 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

/** Keras' encoding of each sample's indices over `depth` columns; a null index (the mask token) is left out. */
function naiveEncoding(samples: (number | null)[][], mode: Mode, depth: number, idf: readonly number[] = []): number[] {
  const rows = mode === 'one_hot' ? samples.flat().map((i) => [i]) : samples;
  return rows.flatMap((row) => {
    const out = new Array<number>(depth).fill(0);
    for (const i of row) if (i !== null) out[i] = mode === 'multi_hot' || mode === 'one_hot' ? 1 : out[i] + 1;
    return mode === 'tf_idf' ? out.map((c, j) => Math.fround(c * idf[j])) : out;
  });
}

const vocabulary = [40, 7, 1000, -3];
const tokens = [7, 0, 40, 5, 7, 1000, 0, 8, -3, 7, 12, 40];
// Encodings leave the mask token (0) out: the OOV index is 0 and the vocabulary starts at 1.
const lookupIndex = (t: number) => (t === 0 ? null : vocabulary.includes(t) ? vocabulary.indexOf(t) + 1 : 0);
const samples = (perSample: number, index: (t: number) => number | null) =>
  Array.from({ length: tokens.length / perSample }, (_, s) => tokens.slice(s * perSample, (s + 1) * perSample).map(index));

describe.each(BACKENDS_HERE)('on %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it.each(['one_hot', 'multi_hot', 'count'] as const)('IntegerLookup %s encodes the indices, dropping the mask token', (mode) => {
    const perSample = mode === 'one_hot' ? 1 : 4;
    const lookup = km.layers.integerLookup({ vocabulary, maskToken: 0, outputMode: mode });
    const y = lookup.apply(km.tensor(Int32Array.from(tokens), [tokens.length / perSample, perSample])) as km.Tensor;
    expect(y.shape).toEqual([tokens.length / perSample, 5]);
    expect(values(y)).toEqual(naiveEncoding(samples(perSample, lookupIndex), mode, 5));
  });

  it('IntegerLookup tf_idf weighs the counts, the OOV index by the mean weight, and pads to maxTokens with zeros', () => {
    const idfWeights = [0.5, 1.25, 2, 0.75];
    const lookup = km.layers.integerLookup({ vocabulary, maskToken: 0, outputMode: 'tf_idf', idfWeights, maxTokens: 8, padToMaxTokens: true });
    const y = lookup.apply(km.tensor(Int32Array.from(tokens), [3, 4])) as km.Tensor;
    expect(y.shape).toEqual([3, 8]);
    const byIndex = [1.125, ...idfWeights, 0, 0, 0];
    expect(values(y)).toEqual(naiveEncoding(samples(4, lookupIndex), 'tf_idf', 8, byIndex));
  });

  it('Hashing and Discretization encode their bins; one_hot of several values per sample adds an axis', () => {
    const hashing = km.layers.hashing({ numBins: 6, outputMode: 'count' });
    const ids = Int32Array.from({ length: 20 }, (_, i) => i * 37 - 200);
    expect(values(hashing.apply(km.tensor(ids, [4, 5])) as km.Tensor)).toEqual(naiveEncoding(samples5(ids, (v) => hashing.bin(v)), 'count', 6));
    const boundaries = [-1, 0, 2];
    const x = Array.from({ length: 12 }, (_, i) => Math.fround(i * 0.37 - 1.6));
    const bins = km.layers.discretization({ binBoundaries: boundaries, outputMode: 'one_hot' });
    const y = bins.apply(km.tensor(x, [3, 4])) as km.Tensor;
    expect(y.shape).toEqual([3, 4, 4]);
    expect(values(y)).toEqual(naiveEncoding([x.map((v) => boundaries.filter((b) => b <= v).length)], 'one_hot', 4));
  });
});

function samples5(ids: Int32Array, bin: (v: number) => number): number[][] {
  return Array.from({ length: ids.length / 5 }, (_, s) => Array.from(ids.subarray(s * 5, s * 5 + 5), bin));
}

describe('adapt with tf_idf', () => {
  it('learns idf = ln(1 + documents / (1 + documents holding the token)) per vocabulary token, documents being rows', async () => {
    const docs = [
      [1, 2, 2, 0],
      [2, 3, 0, 0],
      [4, 2, 1, 1],
      [5, 5, 5, 5],
      [1, 0, 0, 0],
    ];
    const lookup = km.layers.integerLookup({ outputMode: 'tf_idf', maskToken: 0 });
    await lookup.adapt(km.tensor(Int32Array.from(docs.flat()), [5, 4]));
    const learned = lookup.getVocabulary().slice(1);
    expect(learned).toEqual([5, 2, 1, 4, 3]); // by count, ties by the larger token
    const idf = learned.map((t) => Math.log(1 + 5 / (1 + docs.filter((d) => d.includes(t)).length)));
    expect(lookup.getConfig().idfWeights).toEqual(idf);
    const y = values(lookup.apply(km.tensor(Int32Array.from([2, 2, 9, 0]), [1, 4])) as km.Tensor);
    const mean = idf.reduce((a, b) => a + b, 0) / idf.length;
    expect(y).toEqual([mean, 0, 2 * idf[1], 0, 0, 0].map(Math.fround));
  });
});

describe('in a model', () => {
  it('integerLookup multi_hot → dense learns whether a basket holds a given item, saves and loads', async () => {
    const random = new Random(3);
    const n = 600;
    const baskets = Int32Array.from({ length: n * 6 }, () => 1 + Math.floor(random.uniform(0, 30)));
    const y = Array.from({ length: n }, (_, s) => (baskets.subarray(s * 6, s * 6 + 6).includes(13) ? 1 : 0));
    const lookup = km.layers.integerLookup({ outputMode: 'multi_hot', inputShape: [6] });
    await lookup.adapt(km.tensor(baskets, [n, 6]));
    km.utils.setRandomSeed(2);
    const model = km.sequential([lookup, km.layers.dense({ units: 1, activation: 'sigmoid' })]);
    model.compile({ optimizer: km.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = km.tensor(baskets, [n, 6]);
    await model.fit(x, km.tensor(y, [n, 1]), { epochs: 20, batchSize: 32, verbose: 0, seed: 1 });
    const [, accuracy] = await model.evaluate(x, km.tensor(y, [n, 1]));
    expect(accuracy).toBeGreaterThan(0.97);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(values(model.predict(x) as km.Tensor));
    expect(reloaded.layers[0].getConfig()).toMatchObject({ outputMode: 'multi_hot', padToMaxTokens: false });
  });

  it('an adapted tf_idf lookup reloads with its idf weights', async () => {
    const lookup = km.layers.integerLookup({ outputMode: 'tf_idf', inputShape: [3] });
    await lookup.adapt(km.tensor(Int32Array.of(1, 2, 3, 1, 1, 4, 2, 5, 5), [3, 3]));
    const model = km.sequential([lookup]);
    const reloaded = await km.loadLayersModel(km.io.fromMemory(await kerasmArtifacts(model)));
    const x = km.tensor(Int32Array.of(1, 5, 9, 4, 4, 2), [2, 3]);
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(values(model.predict(x) as km.Tensor));
  });
});

describe('errors name the option and the fix', () => {
  it.each([
    [() => km.layers.integerLookup({ vocabulary, invert: true, outputMode: 'multi_hot' }), /invert maps indices back to tokens, so outputMode must be 'int'/],
    [() => km.layers.integerLookup({ outputMode: 'count', padToMaxTokens: true }), /padToMaxTokens pads an encoded output to maxTokens, so it needs .* and maxTokens. Received: outputMode="count", maxTokens=null/],
    [() => km.layers.integerLookup({ vocabulary, idfWeights: [1, 1, 1, 1] }), /idfWeights weigh the counts of outputMode 'tf_idf' only/],
    [() => km.layers.integerLookup({ vocabulary, outputMode: 'tf_idf' }), /'tf_idf' with a given vocabulary needs its idfWeights, one per token/],
    [() => km.layers.integerLookup({ vocabulary, outputMode: 'tf_idf', idfWeights: [1, 2] }), /needs idfWeights, one finite number per vocabulary token \(4\). Received: idfWeights=\[1,2\]/],
    [() => km.layers.hashing({ numBins: 3, outputMode: 'multi_hot', sparse: true }), /sparse outputs are not supported. Received: sparse=true/],
  ])('%#', (make, message) => {
    expect(make).toThrow(message);
  });

  it('an encoding takes token lists, not images', () => {
    const layer = km.layers.discretization({ binBoundaries: [0], outputMode: 'count' });
    expect(() => layer.apply(km.tensor(new Array<number>(8).fill(0), [2, 2, 2]))).toThrow(/takes a batch of token lists, shape \(None, length\), but received \(None, 2, 2\)/);
  });
});
