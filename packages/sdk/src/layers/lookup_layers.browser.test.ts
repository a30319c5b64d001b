import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { fingerprint64 } from '../utils/string_hash.js';

// The numeric preprocessing layers on every backend of the browser (the GPU ones included) against
// naive loops; the Node suites check the same on wasm, tfjs-cpu and tfjs-wasm.
beforeAll(() => km.ready());

const values = async (t: km.Tensor) => Array.from(await t.data());

describe.each(BACKENDS_HERE)('numeric preprocessing on %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('discretization, integerLookup (with invert), normalization over axis 1 inverted, and hashing', async () => {
    const boundaries = [-1, 0, 0.5, 2];
    const x = [-1, 0, 0.5, 2, -3, -0.5, 0.25, 1, 3, 0.4999, 2.0001, -1.0001];
    expect(await values(km.layers.discretization({ binBoundaries: boundaries }).apply(km.tensor(x, [3, 4])))).toEqual(x.map((v) => boundaries.filter((b) => b <= v).length));

    const tokens = [7, 0, 40, 5, -3, 1000, 0, 8];
    const vocabulary = [40, 7, 1000, -3];
    const indices = await values(km.layers.integerLookup({ vocabulary, maskToken: 0 }).apply(km.tensor(Int32Array.from(tokens), [2, 4])));
    expect(indices).toEqual(tokens.map((t) => (t === 0 ? 0 : vocabulary.includes(t) ? vocabulary.indexOf(t) + 2 : 1)));
    expect(await values(km.layers.integerLookup({ vocabulary, maskToken: 0, invert: true }).apply(km.tensor(indices, [2, 4])))).toEqual(tokens.map((t) => (t === 0 || vocabulary.includes(t) ? t : -1)));

    // Samples [2, 3] with one mean and variance per row (axis 1), inverted: y = mean[row] + x·√variance[row].
    const mean = [1, -2];
    const variance = [4, 9];
    const z = [0.5, -1, 2, 1, 0, -0.5, 1.5, 2.5, -2, 0.25, 3, -3];
    const inverted = await values(km.layers.normalization({ axis: 1, mean, variance, invert: true }).apply(km.tensor(z, [2, 2, 3])));
    z.forEach((v, i) => {
      const row = Math.floor(i / 3) % 2;
      expect(inverted[i]).toBeCloseTo(mean[row] + v * Math.sqrt(variance[row]), 5);
    });

    const ids = [0, 1, -1, 42, 99, 123456];
    const hashing = km.layers.hashing({ numBins: 5 });
    if (name === 'tfjs-webgpu') {
      expect(() => hashing.apply(km.tensor(Int32Array.from(ids), [2, 3]))).toThrow(/hashes on the host, which needs its input read back synchronously, and backend 'tfjs-webgpu' cannot/);
      return;
    }
    expect(await values(hashing.apply(km.tensor(Int32Array.from(ids), [2, 3])))).toEqual(ids.map((v) => Number(fingerprint64(new TextEncoder().encode(`${v}`)) % 5n)));
  });

  it("Keras' encodings: integerLookup tf_idf without the mask token, discretization count", async () => {
    // Indices of [7, 0, 40, 5 | 7, 7, -3, 0]: 7 → 2, 40 → 1, -3 → 4, 5 → OOV 0, the mask 0 left out.
    const idfWeights = [0.5, 1.25, 2, 0.75];
    const lookup = km.layers.integerLookup({ vocabulary: [40, 7, 1000, -3], maskToken: 0, outputMode: 'tf_idf', idfWeights });
    const tfIdf = await values(lookup.apply(km.tensor(Int32Array.of(7, 0, 40, 5, 7, 7, -3, 0), [2, 4])));
    [1.125, 0.5, 1.25, 0, 0, 0, 0, 2.5, 0, 0.75].forEach((v, i) => expect(tfIdf[i]).toBeCloseTo(v, 5));
    const counts = await values(km.layers.discretization({ binBoundaries: [0, 1], outputMode: 'count' }).apply(km.tensor([-1, 0.5, 2, 3, 0.2, 0.7], [2, 3])));
    expect(counts).toEqual([1, 1, 1, 0, 2, 1]);
  });
});
