import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { fingerprint64, sipHash24 } from '../utils/string_hash.js';

// Hashing's bins from the decimal strings' hashes (the hashes are checked against published values
// in string_hash.test.ts), with the mask's bin 0 and the salt, on every backend here; errors; save and load.
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const bytes = (v: number) => new TextEncoder().encode(`${v}`);
const tokens = Int32Array.from([0, 1, -1, 7, 42, 16777216, -16777215, 123456, 0, 99, -5, 13]);

describe.each(BACKENDS_HERE)('Hashing on %s', (name) => {
  beforeAll(() => useBackend(name));
  afterAll(() => useBackend('wasm'));

  it('bins each value as FarmHash64(String(v)) mod numBins; maskValue takes bin 0 and shifts the rest by 1; salt switches to SipHash', () => {
    const x = km.tensor(tokens, [3, 4]);
    expect(values(km.layers.hashing({ numBins: 5 }).apply(x))).toEqual(Array.from(tokens, (v) => Number(fingerprint64(bytes(v)) % 5n)));
    expect(values(km.layers.hashing({ numBins: 5, maskValue: 0 }).apply(x))).toEqual(Array.from(tokens, (v) => (v === 0 ? 0 : 1 + Number(fingerprint64(bytes(v)) % 4n))));
    expect(values(km.layers.hashing({ numBins: 7, salt: [3, 11] }).apply(x))).toEqual(Array.from(tokens, (v) => Number(sipHash24(bytes(v), 3n, 11n) % 7n)));
  });
});

describe('Hashing', () => {
  it('spreads consecutive ids evenly over the bins', () => {
    const ids = Int32Array.from({ length: 4000 }, (_, i) => i);
    const bins = values(km.layers.hashing({ numBins: 8 }).apply(km.tensor(ids, [4000, 1])));
    for (let b = 0; b < 8; b++) expect(Math.abs(bins.filter((v) => v === b).length - 500)).toBeLessThan(100);
  });

  it('refuses fractions and values beyond 2^24 (naming the sample), and bad options', () => {
    const model = km.sequential([km.layers.hashing({ numBins: 4, inputShape: [2] })]);
    expect(() => model.predict(km.tensor([1, 2.5], [1, 2]))).toThrow(/hashes whole numbers from -2\^24 to 2\^24 \(what float32 batches hold exactly\), as Keras hashes int inputs, but x holds 2.5 at sample 0 \(position 1 of the sample\)/);
    expect(() => model.predict(km.tensor(Int32Array.of(16777217, 1), [1, 2]))).toThrow(/but x holds 16777217 at sample 0/);
    // Mid-network the values are checked as the layer reads them.
    const halved = km.sequential([km.layers.rescaling({ scale: 0.5, inputShape: [2] }), km.layers.hashing({ numBins: 4 })]);
    expect(() => halved.predict(km.tensor([2, 1], [1, 2]))).toThrow(/but its input holds 0.5 at sample 0 \(position 1 of the sample\)/);
    expect(() => km.layers.hashing({ numBins: 0 })).toThrow(/numBins must be a positive integer. Received: numBins=0/);
    expect(() => km.layers.hashing({ numBins: 4, salt: [1] as unknown as number })).toThrow(/salt must be a non-negative integer or a list of two. Received: salt=\[1\]/);
    expect(() => km.layers.hashing({ numBins: 4, maskValue: 0.5 })).toThrow(/maskValue must be a whole number or null/);
    expect(() => km.layers.hashing({ numBins: 4, outputMode: 'tf_idf' as 'int' })).toThrow(/outputMode must be one of 'int', 'one_hot', 'multi_hot', 'count'. Received: outputMode="tf_idf"/);
  });

  it('hashing → embedding trains, saves with Keras 3 config names and loads with the same predictions; tfjs-layers 4.22 refuses the file', async () => {
    const model = km.sequential([km.layers.hashing({ numBins: 16, maskValue: 0, salt: 7, inputShape: [3] }), km.layers.embedding({ inputDim: 16, outputDim: 2 }), km.layers.flatten(), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = km.tensor(Int32Array.from({ length: 30 }, (_, i) => i * 37), [10, 3]);
    await model.fit(x, km.tensor(new Float32Array(10).fill(1), [10, 1]), { epochs: 1, verbose: 0 });
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers[0]).toMatchObject({ class_name: 'Hashing', config: { num_bins: 16, mask_value: 0, salt: 7, output_mode: 'int', sparse: false } });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(values(reloaded.predict(x) as km.Tensor)).toEqual(values(model.predict(x) as km.Tensor));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: Hashing/);
  });
});
