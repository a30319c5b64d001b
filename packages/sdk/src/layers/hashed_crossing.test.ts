import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { crossHash, DEFAULT_CROSS_HASH_KEY } from '../utils/hash_cross.js';
import { fingerprint64 } from '../utils/string_hash.js';

// HashedCrossing's bins against values TensorFlow and Keras publish (sparse_cross_op_test.py,
// HashedCrossing's docstring and tests), in a model on every backend here, shapes, save and load, errors.
beforeAll(async () => {
  await km.ready();
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const feat1 = ['A', 'B', 'A', 'B', 'A'];
const feat2 = [101, 101, 101, 102, 102];

describe('the hashed cross', () => {
  it("gives tf.sparse.cross_hashed's published values (FingerprintCat64 chained from the default key, then mod num_buckets or 2^63 − 1)", () => {
    // sparse_cross_op_test.py: test_hashed_zero_bucket_no_hash_key, test_hashed_zero_bucket, test_hashed_no_hash_key, test_hashed_output.
    const strings = ['batch1-FC1-F1', 'batch1-FC2-F1', 'batch1-FC3-F1'];
    expect(crossHash(strings, 0)).toBe(1971693436396284976n);
    expect(crossHash(strings, 0, DEFAULT_CROSS_HASH_KEY + 1n)).toBe(4847552627144134031n);
    expect(crossHash(strings, 100)).toBe(83n);
    expect(crossHash(strings, 100, DEFAULT_CROSS_HASH_KEY + 1n)).toBe(31n);
  });

  it("crosses an integer by its own 64 bits, not its decimal string's hash (Keras' string × int examples tell them apart)", () => {
    expect(feat1.map((a, i) => crossHash([a, feat2[i]], 5))).toEqual([1n, 4n, 1n, 1n, 3n]);
    const decimal = (v: number) => fingerprint64(new TextEncoder().encode(String(v)));
    expect(feat1.map((a, i) => crossHash([a, decimal(feat2[i])], 5))).not.toEqual([1n, 4n, 1n, 1n, 3n]);
  });

  it("keeps ids that share their low bits apart (sparse_cross_op_test.py's test_hashed__has_no_collision, int features only)", () => {
    for (let j = 0; j < 10; j++) expect(crossHash([j, 359], 1024, DEFAULT_CROSS_HASH_KEY + 1n)).not.toBe(crossHash([j, 359 + 1024], 1024, DEFAULT_CROSS_HASH_KEY + 1n));
  });
});

describe('HashedCrossing on plain data (strings or integers)', () => {
  it("gives Keras' documented bins for every input shape: (), (batch,) and (batch, 1)", () => {
    const five = km.layers.hashedCrossing({ numBins: 5 });
    const ten = km.layers.hashedCrossing({ numBins: 10 });
    const column = five.apply([feat1, feat2]);
    expect([column.dtype, column.shape, values(column)]).toEqual(['int32', [5], [1, 4, 1, 1, 3]]);
    expect(values(ten.apply([feat1, feat2]))).toEqual([1, 4, 1, 6, 3]);
    const rows = ten.apply([feat1.map((v) => [v]), feat2.map((v) => [v])]);
    expect([rows.shape, values(rows)]).toEqual([[5, 1], [1, 4, 1, 6, 3]]);
    const scalar = ten.apply(['A', 101]);
    expect([scalar.shape, values(scalar)]).toEqual([[], [1]]);
    expect(five.bin(['B', 102])).toBe(1);
  });

  it("one-hots the bins as Keras' docstring shows, a row of numBins per sample", () => {
    const oneHot = km.layers.hashedCrossing({ numBins: 5, outputMode: 'one_hot' });
    const expected = [[0, 1, 0, 0, 0], [0, 0, 0, 0, 1], [0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 1, 0]];
    expect(oneHot.apply([feat1, feat2]).arraySync()).toEqual(expected);
    expect(oneHot.apply([feat1.map((v) => [v]), feat2.map((v) => [v])]).arraySync()).toEqual(expected);
    expect(oneHot.apply(['A', 101]).arraySync()).toEqual([0, 1, 0, 0, 0]);
  });
});

describe.each(BACKENDS_HERE)('HashedCrossing in a model on %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  const a = Int32Array.from([0, 1, -1, 7, 42, 16777216, -16777215, 123456]);
  const b = Int32Array.from([3, 3, 9, -2, 0, 5, 16777215, 8]);
  const c = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

  it('crosses int inputs of shape [1] as the host cross does, for 2 and 3 features, from [n] or [n, 1] data, as bins or one-hot rows', () => {
    const inputs = [0, 1, 2].map(() => km.input({ shape: [1], dtype: 'int32' }));
    const two = km.model({ inputs: inputs.slice(0, 2), outputs: km.layers.hashedCrossing({ numBins: 7 }).apply(inputs.slice(0, 2)) });
    const three = km.model({ inputs, outputs: km.layers.hashedCrossing({ numBins: 11, outputMode: 'one_hot' }).apply(inputs) });
    const bins2 = Array.from(a, (v, i) => Number(crossHash([v, b[i]], 7)));
    const out = two.predict([km.tensor(a, [8, 1]), km.tensor(b, [8, 1])]) as km.Tensor;
    expect([out.shape, values(out)]).toEqual([[8, 1], bins2]);
    expect(values(two.predict([km.tensor(a, [8]), km.tensor(b, [8])]) as km.Tensor)).toEqual(bins2);
    const oneHot = (three.predict([a, b, c].map((x) => km.tensor(x, [8, 1]))) as km.Tensor).arraySync() as number[][];
    expect(oneHot).toEqual(Array.from(a, (v, i) => Array.from({ length: 11 }, (_, j) => (j === Number(crossHash([v, b[i], c[i]], 11)) ? 1 : 0))));
  });

  it('computes on km.Tensors with apply, as on plain arrays of the same ids', () => {
    const layer = km.layers.hashedCrossing({ numBins: 13 });
    const out = layer.apply([km.tensor(a, [8, 1]), km.tensor(b, [8, 1])]);
    expect(values(out)).toEqual(values(layer.apply([Array.from(a), Array.from(b)])));
  });
});

describe('HashedCrossing', () => {
  it('feeds an Embedding that trains, saves with Keras 3 config names and loads with the same predictions', async () => {
    const [x1, x2] = [km.input({ shape: [1], dtype: 'int32' }), km.input({ shape: [1], dtype: 'int32' })];
    const crossed = km.layers.hashedCrossing({ numBins: 16, name: 'cross' }).apply([x1, x2]);
    const embedded = km.layers.flatten().apply(km.layers.embedding({ inputDim: 16, outputDim: 2 }).apply(crossed));
    const model = km.model({ inputs: [x1, x2], outputs: km.layers.dense({ units: 1 }).apply(embedded) });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = [km.tensor(Int32Array.from({ length: 10 }, (_, i) => i % 3), [10, 1]), km.tensor(Int32Array.from({ length: 10 }, (_, i) => i * 7), [10, 1])];
    await model.fit(xs, km.tensor(new Float32Array(10).fill(1), [10, 1]), { epochs: 1, verbose: 0 });
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'HashedCrossing')?.config).toMatchObject({ name: 'cross', num_bins: 16, output_mode: 'int', sparse: false });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(values(reloaded.predict(xs) as km.Tensor)).toEqual(values(model.predict(xs) as km.Tensor));
  });

  it("loads Keras 3's get_config (snake_case, its int64 dtype policy) and gives its config back", () => {
    const keras = { name: 'hc', num_bins: 5, output_mode: 'one_hot', sparse: false, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' } } };
    const layer = km.layers.layerFromConfig('HashedCrossing', keras) as km.layers.HashedCrossing;
    expect([layer.numBins, layer.outputMode, layer.name]).toEqual([5, 'one_hot', 'hc']);
    expect(km.layers.layerFromConfig('HashedCrossing', layer.getConfig()).getConfig()).toEqual(layer.getConfig());
  });

  it('refuses bad options, fewer than two features, other shapes, mismatched batch sizes and non-integer values, naming the fix', () => {
    expect(() => km.layers.hashedCrossing({ numBins: 0 })).toThrow(/numBins must be a positive integer, the number of bins the crosses are hashed into. Received: numBins=0/);
    expect(() => km.layers.hashedCrossing({ numBins: 2.5 })).toThrow(/Received: numBins=2.5/);
    expect(() => km.layers.hashedCrossing({ numBins: 4, outputMode: 'multi_hot' as 'int' })).toThrow(/outputMode must be one of 'int', 'one_hot'. Received: outputMode="multi_hot"/);
    expect(() => km.layers.hashedCrossing({ numBins: 4, sparse: true })).toThrow(/sparse outputs are not supported. Received: sparse=true/);
    expect(() => km.layers.hashedCrossing({ numBins: 4, numBin: 3 } as km.layers.HashedCrossingArgs)).toThrow(/numBin/);

    const layer = km.layers.hashedCrossing({ numBins: 4 });
    const x = km.input({ shape: [1], dtype: 'int32' });
    expect(() => layer.apply([x])).toThrow(/crosses two or more features, but received 1 input. Call it on a list of them: layer.apply\(\[a, b\]\)/);
    expect(() => layer.apply([['A', 'B']])).toThrow(/crosses two or more features: call it on a list of them, layer.apply\(\[feat1, feat2\]\). Received: a list of 1/);
    expect(() => layer.apply([x, km.input({ shape: [3] })])).toThrow(/crosses one value per sample of each feature, shape \(None, 1\), as Keras, but input 1 has shape \(None, 3\)/);
    expect(() => layer.apply([[['A', 'B']], [[1, 2]]])).toThrow(/feature 0 has rows of 2 values. Cross one column at a time/);

    expect(() => layer.apply([['A', 'B', 'C'], [1, 2]])).toThrow(/must have one shape, but mismatched batch sizes: feature 0 has 3 samples and feature 1 has 2. Give every feature one value per sample/);
    expect(() => layer.apply([['A', 'B'], [[1], [2]]])).toThrow(/feature 0 has shape \[2\] and feature 1 has shape \[2, 1\]/);
    expect(() => layer.apply([km.tensor(Int32Array.of(1, 2, 3), [3, 1]), km.tensor(Int32Array.of(1, 2), [2, 1])])).toThrow(/input 0 and input 1 must have the same number of samples, but input 0 has 3 \(shape \[3, 1\]\) and input 1 has 2/);

    expect(() => layer.apply([['A', 'B'], [1, 1.5]])).toThrow(/crosses strings or integers, as Keras refuses float features, but feature 1 holds 1.5 at sample 1. Pass category ids or strings/);
    const floats = km.input({ shape: [1] });
    const model = km.model({ inputs: [x, floats], outputs: layer.apply([x, floats]) });
    expect(() => model.predict([km.tensor(Int32Array.of(1, 2), [2, 1]), km.tensor([0, 2.5], [2, 1])])).toThrow(/crosses whole numbers from -2\^24 to 2\^24 in a model \(what float32 batches hold exactly\), as Keras crosses int features, but x\[1\] \('input_\d+'\) holds 2.5 at sample 1. Pass whole-number ids/);
    expect(() => km.layers.hashedCrossing({ numBins: 4 }).apply(x)).toThrow(/crosses two or more features, but received 1 input/);
    // Mid-network the values are checked as the layer reads them.
    const halved = km.model({ inputs: [x, floats], outputs: km.layers.hashedCrossing({ numBins: 4 }).apply([x, km.layers.rescaling({ scale: 0.5 }).apply(floats)]) });
    expect(() => halved.predict([km.tensor(Int32Array.of(1, 2), [2, 1]), km.tensor([2, 3], [2, 1])])).toThrow(/but its input holds 1.5 at sample 1/);
  });
});
