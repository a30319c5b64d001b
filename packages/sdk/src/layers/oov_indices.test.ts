import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// Several out-of-vocabulary indices (Keras' num_oov_indices > 1) in StringLookup and IntegerLookup:
// Keras 3's docstring examples, buckets checked against published FarmHash values (not this code's),
// Python's floormod for integers, the special tokens, encodings, invert and configs.
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());

// Fingerprint64 of these strings as published by the tecnickcom/farmhash64 port of farmhashna::Hash64
// (its tests); lengths 3 to 131 bytes cover every branch of the hash.
const PUBLISHED_FINGERPRINTS: [string, bigint][] = [
  ['abc', 0x24a5b3a074e7f369n],
  ['ab', 0xaa8d6e5242ada51en],
  ['0123456789', 0xad052244b781c4ebn],
  ['0123456789=012345', 0x46a7416ed4861e3bn],
  ['Discard medicine more than two years old.', 0xe8f89ab6df9bdd25n],
  ['For every action there is an equal and opposite government program.', 0x55182f8859eca4cen],
  ['The fugacity of a constituent in a mixture of gases at a given temperature is proportional to its mole fraction.  Lewis-Randall Rule', 0x098eff6958c5e91an],
];

/** Python's floormod (Keras' tf.math.floormod): the remainder with the sign of the divisor. */
const floormod = (a: number, n: number) => a - n * Math.floor(a / n);

describe('StringLookup with several OOV indices', () => {
  it("reproduces Keras 3's docstring example: 'm' and 'z' go to OOV indices 0 and 1", () => {
    const layer = km.layers.stringLookup({ vocabulary: ['a', 'b', 'c', 'd'], numOovIndices: 2 });
    expect(values(layer.apply([['a', 'c', 'd'], ['m', 'z', 'b']]))).toEqual([2, 4, 5, 0, 1, 3]);
    expect(layer.getVocabulary()).toEqual(['[UNK]', '[UNK]', 'a', 'b', 'c', 'd']);
    expect(layer.getVocabulary(false)).toEqual(['a', 'b', 'c', 'd']);
    expect(layer.vocabularySize()).toBe(6);
  });

  it('puts an unknown token at its FarmHash Fingerprint64 modulo numOovIndices, after the mask token', () => {
    const layer = km.layers.stringLookup({ vocabulary: ['x'], numOovIndices: 7, maskToken: '' });
    const tokens = PUBLISHED_FINGERPRINTS.map(([s]) => s);
    expect(values(layer.apply(['', ...tokens, 'x']))).toEqual([0, ...PUBLISHED_FINGERPRINTS.map(([, h]) => 1 + Number(h % 7n)), 8]);
    expect(layer.getVocabulary()).toEqual(['', ...new Array(7).fill('[UNK]'), 'x']);
  });

  it('encodes the OOV indices as their own columns, weighs each by the mean idf, and inverts them to the OOV token', () => {
    // 'abc' → bucket 1 and 'ab' → bucket 0 of 2 (published fingerprints, odd and even).
    expect(PUBLISHED_FINGERPRINTS.slice(0, 2).map(([, h]) => h % 2n)).toEqual([1n, 0n]);
    const multiHot = km.layers.stringLookup({ vocabulary: ['a', 'b'], numOovIndices: 2, outputMode: 'multi_hot' });
    expect(values(multiHot.apply([['abc', 'a'], ['ab', 'ab']]))).toEqual([0, 1, 1, 0, 1, 0, 0, 0]);
    const count = km.layers.stringLookup({ vocabulary: ['a', 'b'], numOovIndices: 2, outputMode: 'count' });
    expect(values(count.apply(['ab', 'ab', 'b', 'abc']))).toEqual([2, 1, 0, 1]);
    const oneHot = km.layers.stringLookup({ vocabulary: ['a'], numOovIndices: 2, outputMode: 'one_hot' });
    expect(values(oneHot.apply(['abc', 'a']))).toEqual([0, 1, 0, 0, 0, 1]);
    // tf_idf: mean(1, 3) = 2 for each OOV index, as Keras pads the weights.
    const tfIdf = km.layers.stringLookup({ vocabulary: ['a', 'b'], idfWeights: [1, 3], numOovIndices: 2, outputMode: 'tf_idf' });
    expect(values(tfIdf.apply(['ab', 'a', 'a', 'b', 'abc']))).toEqual([2, 2, 2, 3]);
    // Given with the special tokens first (as getVocabulary lists them), their own weights are kept.
    const listed = km.layers.stringLookup({ vocabulary: ['[UNK]', '[UNK]', 'a', 'b'], idfWeights: [5, 6, 1, 3], numOovIndices: 2, outputMode: 'tf_idf' });
    expect(listed.getVocabulary()).toEqual(['[UNK]', '[UNK]', 'a', 'b']);
    expect(values(listed.apply(['ab', 'abc', 'b']))).toEqual([5, 6, 0, 3]);
    const inverse = km.layers.stringLookup({ vocabulary: ['a', 'b'], numOovIndices: 2, maskToken: '', invert: true });
    expect(inverse.apply([0, 1, 2, 3, 4, 9])).toEqual(['', '[UNK]', '[UNK]', 'a', 'b', '[UNK]']);
  });

  it('adapt leaves room for every OOV index under maxTokens', async () => {
    const layer = km.layers.stringLookup({ numOovIndices: 3, maxTokens: 5 });
    await layer.adapt(['c', 'a', 'a', 'b', 'b', 'b']);
    expect(layer.getVocabulary()).toEqual(['[UNK]', '[UNK]', '[UNK]', 'b', 'a']);
    expect(() => km.layers.stringLookup({ numOovIndices: 3, maxTokens: 3 })).toThrow(/maxTokens must be an integer above 3 \(the mask and out-of-vocabulary indices\)/);
  });

  it("round-trips numOovIndices through getConfig, and reads Keras' num_oov_indices", () => {
    const layer = km.layers.stringLookup({ vocabulary: ['a', 'b', 'c', 'd'], numOovIndices: 2 });
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ numOovIndices: 2, vocabulary: ['a', 'b', 'c', 'd'] });
    const keras = { name: 'string_lookup', num_oov_indices: 2, vocabulary: ['a', 'b', 'c', 'd'], oov_method: 'floormod', salt: null, mask_token: null };
    for (const restored of [km.layers.StringLookup.fromConfig(config), km.layers.StringLookup.fromConfig(keras), km.layers.layerFromConfig('StringLookup', keras) as km.layers.StringLookup]) {
      expect(restored.numOovIndices).toBe(2);
      expect(values(restored.apply([['a', 'c', 'd'], ['m', 'z', 'b']]))).toEqual([2, 4, 5, 0, 1, 3]);
    }
  });

  it('TextVectorization keeps one OOV index, as Keras 3 (it has no num_oov_indices option)', () => {
    expect(() => km.layers.textVectorization({ numOovIndices: 2 } as never)).toThrow(/km\.layers\.textVectorization has no option 'numOovIndices'/);
  });
});

describe('IntegerLookup with several OOV indices', () => {
  it("reproduces Keras 3's docstring example: 37 and 1000 go to OOV indices 1 and 0 (floormod 2)", () => {
    const layer = km.layers.integerLookup({ vocabulary: [12, 36, 1138, 42], numOovIndices: 2 });
    expect(values(layer.apply(km.tensor(Int32Array.of(12, 1138, 42, 37, 1000, 36), [2, 3])))).toEqual([2, 4, 5, 1, 0, 3]);
    expect(layer.getVocabulary()).toEqual([-1, -1, 12, 36, 1138, 42]);
    expect(layer.vocabularySize()).toBe(6);
  });

  it("maps an unknown token t to floormod(t, n) after the mask token, as Python's % does for negatives", () => {
    const tokens = [5, -7, 0, 9, -1, 16777216, -16777216, 4, 3, -3];
    const layer = km.layers.integerLookup({ vocabulary: [4, 9], numOovIndices: 3, maskToken: 0 });
    const expected = tokens.map((t) => (t === 0 ? 0 : t === 4 ? 4 : t === 9 ? 5 : 1 + floormod(t, 3)));
    expect(expected).toContain(3); // -7 → floormod 2: the sign follows the divisor, not JavaScript's %.
    const model = km.sequential([km.layers.integerLookup({ vocabulary: [4, 9], numOovIndices: 3, maskToken: 0, inputShape: [5] })]);
    expect(values(layer.apply(km.tensor(Int32Array.from(tokens), [2, 5])))).toEqual(expected);
    expect(values(model.predict(km.tensor(Int32Array.from(tokens), [2, 5])) as km.Tensor)).toEqual(expected);
  });

  it('encodes the OOV indices as their own columns and inverts them to the OOV token', () => {
    const multiHot = km.layers.integerLookup({ vocabulary: [12], numOovIndices: 2, outputMode: 'multi_hot' });
    expect(values(multiHot.apply(km.tensor(Int32Array.of(37, 12, 1000, 1000), [2, 2])))).toEqual([0, 1, 1, 1, 0, 0]);
    const tfIdf = km.layers.integerLookup({ vocabulary: [12, 36], idfWeights: [1, 3], numOovIndices: 2, outputMode: 'tf_idf' });
    expect(values(tfIdf.apply(km.tensor(Int32Array.of(37, 37, 12, 36), [1, 4])))).toEqual([0, 4, 1, 3]);
    const inverse = km.layers.integerLookup({ vocabulary: [12, 36], numOovIndices: 2, invert: true });
    expect(values(inverse.apply(km.tensor(Int32Array.of(0, 1, 2, 3, 7), [1, 5])))).toEqual([-1, -1, 12, 36, -1]);
  });

  it("round-trips numOovIndices through a config, and refuses Keras' salt and oov_method 'farmhash', which hash otherwise", () => {
    const layer = km.layers.integerLookup({ vocabulary: [12, 36, 1138, 42], numOovIndices: 2 });
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    expect(config.numOovIndices).toBe(2);
    const restored = km.layers.layerFromConfig('IntegerLookup', { ...config, oovMethod: 'floormod', salt: null }) as km.layers.IntegerLookup;
    expect(values(restored.apply(km.tensor(Int32Array.of(37, 1000), [1, 2])))).toEqual([1, 0]);
    expect(() => km.layers.layerFromConfig('IntegerLookup', { ...config, oovMethod: 'farmhash' })).toThrow(/oov_method='farmhash', which makes Keras hash out-of-vocabulary integers by FarmHash .* kerasm maps them as Keras' default does, floormod\(token, numOovIndices\)\. Save the layer with oov_method='floormod'/);
    expect(() => km.layers.layerFromConfig('IntegerLookup', { ...config, salt: 7 })).toThrow(/the config gives salt=7, which makes Keras hash out-of-vocabulary tokens with SipHash/);
  });
});
