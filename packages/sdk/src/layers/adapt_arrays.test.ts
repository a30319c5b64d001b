// adapt on plain JS arrays, as Keras' adapt takes lists: the same result as on the km.tensor of them.
import { describe, expect, it } from 'vitest';
import * as km from '../index.js';

const weights = (layer: km.layers.Layer) => layer.getWeights().map((w) => ({ shape: w.shape, values: Array.from(w.dataSync()) }));

describe('adapt on plain arrays', () => {
  it('Normalization: nested arrays and typed-array rows give the tensor form\'s mean, variance and count, and a naive float64 mean and variance', async () => {
    const rows = [[63, 233.5], [67, 286], [37, 250.25], [41, 204], [56, 236]];
    const fromArray = km.layers.normalization();
    await fromArray.adapt(rows);
    const fromTensor = km.layers.normalization();
    await fromTensor.adapt(km.tensor(rows));
    const fromTypedRows = km.layers.normalization();
    await fromTypedRows.adapt(rows.map((r) => Float32Array.from(r)));
    expect(weights(fromArray)).toEqual(weights(fromTensor));
    expect(weights(fromTypedRows)).toEqual(weights(fromTensor));
    const [mean, variance, count] = fromArray.getWeights().map((w) => Array.from(w.dataSync()));
    for (let f = 0; f < 2; f++) {
      const column = rows.map((r) => r[f]);
      const m = column.reduce((a, b) => a + b, 0) / column.length;
      expect(mean[f]).toBeCloseTo(m, 4);
      expect(variance[f]).toBeCloseTo(column.reduce((a, v) => a + (v - m) ** 2, 0) / column.length, 3);
    }
    expect(count).toEqual([5]);
    // Samples of [2, 2] with per-entry statistics, as the tensor form.
    const grid = [[[1, 2], [3, 4]], [[5, 7], [9, 12]]];
    const [a, b] = [km.layers.normalization({ axis: [1, 2] }), km.layers.normalization({ axis: [1, 2] })];
    await a.adapt(grid);
    await b.adapt(km.tensor(grid));
    expect(weights(a)).toEqual(weights(b));
  });

  it('Normalization: refuses text, ragged rows and a flat list (as the tensor form), naming the fix', async () => {
    await expect(km.layers.normalization().adapt([['fixed'], ['normal']] as never)).rejects.toThrow(/adapt reads numbers, but the array holds text \("fixed"\)\. Adapt a km\.layers\.stringLookup on text/);
    await expect(km.layers.normalization().adapt([[1, 2], [3]])).rejects.toThrow(/adapt could not read the array as samples: Nested arrays are ragged/);
    await expect(km.layers.normalization().adapt([1, 2, 3])).rejects.toThrow(/adapt takes batches of samples, shape \[samples, \.\.\.features\], but received shape \[3\]\. Add a features axis, e\.g\. reshape to \[3, 1\]/);
    await expect(km.layers.normalization().adapt(km.tensor([1, 2, 3]))).rejects.toThrow(/received shape \[3\]/);
  });

  it('IntegerLookup: a flat or nested array learns the vocabulary (and tf-idf weights) of the tensor form, most frequent first', async () => {
    const tokens = [4, 4, 9, 2, 9, 4, 7];
    const fromArray = km.layers.integerLookup();
    await fromArray.adapt(tokens);
    const fromTensor = km.layers.integerLookup();
    await fromTensor.adapt(km.tensor(Int32Array.from(tokens)));
    expect(fromArray.getVocabulary()).toEqual(fromTensor.getVocabulary());
    // Naive: counts 4→3, 9→2, then 7 and 2 once each, the larger token first.
    expect(fromArray.getVocabulary()).toEqual([-1, 4, 9, 7, 2]);
    const documents = [[4, 4, 9], [2, 9, 9], [7, 4, 1]];
    const [tfidfArray, tfidfTensor] = [km.layers.integerLookup({ outputMode: 'tf_idf' }), km.layers.integerLookup({ outputMode: 'tf_idf' })];
    await tfidfArray.adapt(documents);
    await tfidfTensor.adapt(km.tensor(documents));
    expect(tfidfArray.getConfig()).toEqual({ ...tfidfTensor.getConfig(), name: tfidfArray.name });
    expect(tfidfArray.getVocabulary()).toEqual(tfidfTensor.getVocabulary());
  });

  it('IntegerLookup: refuses a token past 2^24 (not rounded to a float32 first), a fraction and text', async () => {
    await expect(km.layers.integerLookup().adapt([1, 2 ** 24 + 1])).rejects.toThrow(/adapt reads whole-number tokens from -2\^24 to 2\^24 .*received 16777217 at position 1/);
    await expect(km.layers.integerLookup().adapt([1, 1.5])).rejects.toThrow(/received 1\.5 at position 1/);
    await expect(km.layers.integerLookup().adapt(['a', 'b'] as never)).rejects.toThrow(/the array holds text \("a"\)\. Adapt a km\.layers\.stringLookup on text/);
  });

  it('Discretization and StringLookup: arrays as their tensor and dataset forms', async () => {
    const values = [[0.5], [3], [1.5], [2], [9], [4]];
    const [a, b] = [km.layers.discretization({ numBins: 3 }), km.layers.discretization({ numBins: 3 })];
    await a.adapt(values);
    await b.adapt(km.tensor(values));
    expect(a.getConfig().binBoundaries).toEqual(b.getConfig().binBoundaries);
    // A batch of a csv text column is a string[]: StringLookup adapts on it as on the dataset of its strings.
    const [c, d] = [km.layers.stringLookup(), km.layers.stringLookup()];
    await c.adapt(['normal', 'fixed', 'normal', 'reversible']);
    await d.adapt(km.data.array(['normal', 'fixed', 'normal', 'reversible']));
    expect(c.getVocabulary()).toEqual(d.getVocabulary());
  });
});
