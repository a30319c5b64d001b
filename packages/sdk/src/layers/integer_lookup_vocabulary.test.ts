import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// IntegerLookup as Keras 3 configures and fills it: the integer dtype its configs carry, a
// vocabulary that starts with the special tokens (getVocabulary's output), and the bound on
// numOovIndices (shared with StringLookup). Expected indices are Keras' (docstring examples, floormod).
beforeAll(() => km.ready());

const values = (t: km.Tensor) => Array.from(t.dataSync());
const ids = (...v: number[]) => km.tensor(Int32Array.from(v), [1, v.length]);

// IntegerLookup(vocabulary=[1, 2], num_oov_indices=2).get_config() in Keras 3, as a model file holds it.
const KERAS_CONFIG = {
  name: 'integer_lookup', trainable: true, dtype: 'int64', batch_input_shape: [null, 4], max_tokens: null, num_oov_indices: 2, mask_token: null, oov_token: -1,
  vocabulary: [1, 2], vocabulary_dtype: 'int64', idf_weights: null, invert: false, output_mode: 'int', sparse: false, pad_to_max_tokens: false, vocabulary_size: 4,
};
// 1 and 2 have indices 2 and 3; 5 and 6 go to OOV indices floormod(5, 2) = 1 and floormod(6, 2) = 0.
const KERAS_INDICES = [2, 3, 1, 0];

describe("IntegerLookup configs with Keras' dtype", () => {
  it("loads Keras 3's config (dtype 'int64', snake_case keys) through modelFromJSON, layerFromConfig and fromConfig", async () => {
    const topology = { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: 'IntegerLookup', config: KERAS_CONFIG }] }, keras_version: '3.6.0', backend: 'tensorflow' };
    const model = await km.models.modelFromJSON({ modelTopology: topology });
    expect(values(model.predict(ids(1, 2, 5, 6)) as km.Tensor)).toEqual(KERAS_INDICES);
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'int64' }, registered_name: null };
    for (const dtype of ['int64', 'int32', 'float32', policy]) {
      const layer = km.layers.layerFromConfig('IntegerLookup', { ...KERAS_CONFIG, dtype }) as km.layers.IntegerLookup;
      expect(layer.numOovIndices).toBe(2);
      expect(values(layer.apply(ids(1, 2, 5, 6)) as km.Tensor)).toEqual(KERAS_INDICES);
    }
    const own = km.layers.integerLookup({ vocabulary: [1, 2], numOovIndices: 2, inputShape: [4] });
    expect(values(km.layers.IntegerLookup.fromConfig(JSON.parse(JSON.stringify(own.getConfig()))).apply(ids(1, 2, 5, 6)) as km.Tensor)).toEqual(KERAS_INDICES);
  });

  it('refuses a dtype or vocabulary_dtype Keras would not write, naming the fix', () => {
    for (const dtype of ['string', 'float64', 7]) {
      expect(() => km.layers.layerFromConfig('IntegerLookup', { ...KERAS_CONFIG, dtype })).toThrow(
        new RegExp(`IntegerLookup config: dtype must be one Keras saves for IntegerLookup: an integer dtype \\('int64' for outputMode 'int'\\) or 'float32' \\(the encodings\\); kerasm outputs the indices as whole float32 numbers either way\\. Received: dtype=${JSON.stringify(dtype)}\\. Remove dtype\\.`),
      );
    }
    expect(() => km.layers.layerFromConfig('IntegerLookup', { ...KERAS_CONFIG, vocabulary_dtype: 'int32' })).toThrow(/vocabulary_dtype must be 'int64', the only one Keras' IntegerLookup takes\. Received: vocabulary_dtype="int32"\. Remove it or set it to 'int64'\./);
    // The layer function itself still computes in float32 only.
    expect(() => km.layers.integerLookup({ dtype: 'int64' } as never)).toThrow(/kerasm computes in float32 only/);
  });
});

describe('IntegerLookup vocabulary with its special tokens first', () => {
  it("drops the leading special tokens (the mask token, then one OOV token per OOV index), as Keras' set_vocabulary does", () => {
    expect(km.layers.integerLookup({ vocabulary: [-1, -1, 5], numOovIndices: 2 }).getVocabulary()).toEqual([-1, -1, 5]);
    expect(km.layers.integerLookup({ vocabulary: [-1, 5] }).getVocabulary()).toEqual([-1, 5]);
    const masked = km.layers.integerLookup({ vocabulary: [0, -1, 7, 8], maskToken: 0 });
    expect(masked.getVocabulary()).toEqual([0, -1, 7, 8]);
    expect(masked.getConfig().vocabulary).toEqual([7, 8]);
    expect(values(masked.apply(ids(0, 7, 8, 9)))).toEqual([0, 2, 3, 1]);
    const copy = km.layers.integerLookup({ numOovIndices: 2 });
    copy.setVocabulary(km.layers.integerLookup({ vocabulary: [5, 6], numOovIndices: 2 }).getVocabulary());
    expect(copy.getVocabulary()).toEqual([-1, -1, 5, 6]);
  });

  it("inverts a forward lookup through its getVocabulary(), Keras 3's docstring example", () => {
    const layer = km.layers.integerLookup({ vocabulary: [12, 36, 1138, 42] });
    const inverse = km.layers.integerLookup({ vocabulary: layer.getVocabulary(), invert: true });
    const forward = layer.apply(km.tensor(Int32Array.of(12, 1138, 42, 42, 1000, 36), [2, 3]));
    expect(values(inverse.apply(forward))).toEqual([12, 1138, 42, 42, -1, 36]);
  });

  it("takes 'tf_idf' weights for the special tokens too when the vocabulary lists them, and saves both", () => {
    const layer = km.layers.integerLookup({ vocabulary: [-1, 5, 6], idfWeights: [0.3, 1, 2], outputMode: 'tf_idf' });
    // 5 once (weight 1), 9 unknown once (the OOV weight given, 0.3), 6 absent.
    expect(values(layer.apply(ids(5, 9)))).toEqual([0.3, 1, 0].map(Math.fround));
    const config = JSON.parse(JSON.stringify(layer.getConfig())) as Record<string, unknown>;
    expect(config).toMatchObject({ vocabulary: [-1, 5, 6], idfWeights: [0.3, 1, 2] });
    expect(values(km.layers.IntegerLookup.fromConfig(config).apply(ids(5, 9)))).toEqual([0.3, 1, 0].map(Math.fround));
    // Without the special tokens' weights, the OOV index weighs the mean, (1 + 2) / 2.
    expect(values(km.layers.integerLookup({ vocabulary: [-1, 5, 6], idfWeights: [1, 2], outputMode: 'tf_idf' }).apply(ids(5, 9)))).toEqual([1.5, 1, 0]);
    expect(() => km.layers.integerLookup({ vocabulary: [-1, 5, 6], idfWeights: [1], outputMode: 'tf_idf' })).toThrow(/needs idfWeights, one finite number per vocabulary token \(2 or 3\)\. Received: idfWeights=\[1\]/);
  });

  it('refuses a special token anywhere else, saying to list the special tokens first', () => {
    const message = /IntegerLookup layer '.*': the vocabulary holds -1, the oovToken, after its first entries; the special tokens get their own indices\. Remove it, or list the special tokens first \(\[-1,-1\]\), as getVocabulary\(\) does\./;
    // One OOV token where there are two OOV indices is not getVocabulary()'s list, as in Keras.
    expect(() => km.layers.integerLookup({ vocabulary: [-1, 5], numOovIndices: 2 })).toThrow(message);
    expect(() => km.layers.integerLookup({ vocabulary: [-1, -1, 5, -1], numOovIndices: 2 })).toThrow(message);
    // Keras' order is the mask token first.
    expect(() => km.layers.integerLookup({ vocabulary: [-1, 0, 5], maskToken: 0 })).toThrow(/holds -1, the oovToken, after its first entries; .* list the special tokens first \(\[0,-1\]\)/);
  });
});

describe('numOovIndices bound', () => {
  it('refuses more than 2^24 OOV indices with an error (no out-of-memory abort), in both lookups', () => {
    for (const n of [2 ** 24 + 1, 2 ** 31 - 1]) {
      const message = new RegExp(`numOovIndices can be at most 2\\^24 \\(16777216\\): the indices are whole float32 numbers, exact only up to 2\\^24, and getVocabulary\\(\\) lists the OOV token once per index\\. Received: numOovIndices=${n}\\. Use fewer OOV indices`);
      expect(() => km.layers.stringLookup({ vocabulary: ['a'], numOovIndices: n })).toThrow(message);
      expect(() => km.layers.integerLookup({ vocabulary: [1], numOovIndices: n })).toThrow(message);
      expect(() => km.layers.StringLookup.fromConfig({ num_oov_indices: n })).toThrow(message);
    }
    expect(km.layers.stringLookup({ numOovIndices: 2 ** 24 }).numOovIndices).toBe(2 ** 24);
  });
});
