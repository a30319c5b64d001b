import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';

// Subtract, Identity and the global poolings' keepdims beyond the finite-difference cases of
// shape_layers.test.ts: masks, tfjs ops as the reference, errors, saving.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(12);
const draw = (shape: number[]) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-2, 2));

describe('Subtract', () => {
  it('equals tf.sub on the same inputs, and its input gradients are dy and −dy as tf.grads gives them', async () => {
    const shape = [3, 4, 2];
    const [a, b] = [draw(shape), draw(shape)];
    const got = km.layers.subtract().apply([km.tensor(a, shape), km.tensor(b, shape)]);
    expect(got.shape).toEqual(shape);
    expect(Array.from(got.dataSync())).toEqual(Array.from(tf.sub(tf.tensor(a, shape), tf.tensor(b, shape)).dataSync()));
    // Input gradients read through a bias-free Dense before each input (x·W with x = 1: dL/dW = dL/dinput).
    const dy = draw([1, 6]);
    const [wa, wb] = [draw([1, 6]), draw([1, 6])];
    const theirs = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.sub(p, q), tf.tensor(dy, [1, 6]))))([tf.tensor(wa, [1, 6]), tf.tensor(wb, [1, 6])]);
    const feeds = [km.input({ shape: [1] }), km.input({ shape: [1] })];
    const lifted = feeds.map((f) => km.layers.dense({ units: 6, useBias: false }).apply(f));
    const probe = km.model({ inputs: feeds, outputs: km.layers.subtract().apply(lifted) });
    probe.setWeights([km.tensor(wa, [1, 6]), km.tensor(wb, [1, 6])]);
    const before = probe.getWeights().map((w) => w.dataSync().slice());
    probe.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'meanSquaredError' });
    const ones = [km.tensor([1], [1, 1]), km.tensor([1], [1, 1])];
    // MSE over 6 outputs with targets y − 3·dy: dL/dy = 2(y − t)/6 = dy.
    const y = probe.predict(ones).dataSync();
    await probe.fit(ones, km.tensor(Array.from(y, (v, j) => v - 3 * dy[j]), [1, 6]), { epochs: 1, batchSize: 1, shuffle: false, verbose: 0 });
    probe.getWeights().forEach((w, k) => w.dataSync().forEach((v, j) => expect(before[k][j] - v).toBeCloseTo(theirs[k].dataSync()[j], 5)));
  });

  it('ANDs the masks of two padded sequences, as Add does: a masked mean after it averages the steps both inputs keep', () => {
    const [steps, dim, vocab] = [5, 3, 7];
    const ids = [[1, 2, 3, 0, 0], [4, 0, 5, 6, 1]];
    const otherIds = [[2, 2, 0, 1, 0], [3, 3, 3, 3, 3]];
    const [left, right] = [km.input({ shape: [steps] }), km.input({ shape: [steps] })];
    const [embedLeft, embedRight] = [km.layers.embedding({ inputDim: vocab, outputDim: dim, maskZero: true }), km.layers.embedding({ inputDim: vocab, outputDim: dim, maskZero: true })];
    const difference = km.layers.identity().apply(km.layers.subtract().apply([embedLeft.apply(left), embedRight.apply(right)]));
    const model = km.model({ inputs: [left, right], outputs: km.layers.globalAveragePooling1d().apply(difference) });
    const [tableLeft, tableRight] = [embedLeft, embedRight].map((e) => Array.from(e.getWeights()[0].dataSync()));
    const got = model.predict([km.tensor(ids.flat(), [2, steps]), km.tensor(otherIds.flat(), [2, steps])]).arraySync() as number[][];
    ids.forEach((row, s) => {
      const kept = row.map((id, t) => id !== 0 && otherIds[s][t] !== 0);
      const count = kept.filter(Boolean).length;
      for (let d = 0; d < dim; d++) {
        const sum = row.reduce((acc, id, t) => acc + (kept[t] ? tableLeft[id * dim + d] - tableRight[otherIds[s][t] * dim + d] : 0), 0);
        expect(got[s][d]).toBeCloseTo(sum / count, 5);
      }
    });
  });

  it('rejects other than two inputs and inputs of different shapes, naming them', () => {
    const [a, b, c] = [km.input({ shape: [4] }), km.input({ shape: [4] }), km.input({ shape: [4] })];
    expect(() => km.layers.subtract({ name: 'diff' }).apply([a, b, c])).toThrow(/Subtract layer 'diff' takes exactly two inputs \(it computes x0 − x1\), but received 3: \(None, 4\), \(None, 4\), \(None, 4\)\. Call it as layer\.apply\(\[x0, x1\]\)/);
    expect(() => km.layers.subtract().apply([a])).toThrow(/takes exactly two inputs .* but received 1/);
    expect(() => km.layers.subtract().apply([a, km.input({ shape: [5] })])).toThrow(/Subtract layer '.*' cannot broadcast its inputs' shapes together: \(None, 4\) and \(None, 5\)/);
    expect(() => km.layers.subtract({ axis: 1 } as never)).toThrow(/km\.layers\.subtract.*axis/);
  });
});

describe('Identity', () => {
  it('passes values and the mask on: a masked mean after it equals one without it', () => {
    const ids = km.tensor([[3, 1, 0, 0], [2, 2, 2, 0]], [2, 4]);
    const x = km.input({ shape: [4] });
    const embedding = km.layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true });
    const embedded = embedding.apply(x);
    const direct = km.model({ inputs: x, outputs: km.layers.globalAveragePooling1d().apply(embedded) });
    const through = km.model({ inputs: x, outputs: km.layers.globalAveragePooling1d().apply(km.layers.identity().apply(embedded)) });
    expect(Array.from(through.predict(ids).dataSync())).toEqual(Array.from(direct.predict(ids).dataSync()));
    const values = draw([2, 3, 4]);
    expect(Array.from(km.layers.identity().apply(km.tensor(values, [2, 3, 4])).dataSync())).toEqual(Array.from(values));
    expect(() => km.layers.identity().apply([km.input({ shape: [2] }), km.input({ shape: [2] })])).toThrow(/Layer '.*' \(Identity\) takes one input, but received 2/);
  });
});

describe('keepdims on the global poolings', () => {
  const cases: [string, (keepdims: boolean) => km.layers.Layer, number[], number[]][] = [
    ['GlobalAveragePooling1D', (keepdims) => km.layers.globalAveragePooling1d({ keepdims }), [3, 5, 4], [1]],
    ['GlobalMaxPooling1D', (keepdims) => km.layers.globalMaxPooling1d({ keepdims }), [3, 5, 4], [1]],
    ['GlobalAveragePooling2D', (keepdims) => km.layers.globalAveragePooling2d({ keepdims }), [3, 4, 5, 2], [1, 2]],
    ['GlobalMaxPooling2D', (keepdims) => km.layers.globalMaxPooling2d({ keepdims }), [3, 4, 5, 2], [1, 2]],
    ['GlobalAveragePooling3D', (keepdims) => km.layers.globalAveragePooling3d({ keepdims }), [2, 3, 4, 2, 3], [1, 2, 3]],
    ['GlobalMaxPooling3D', (keepdims) => km.layers.globalMaxPooling3d({ keepdims }), [2, 3, 4, 2, 3], [1, 2, 3]],
  ];

  it.each(cases)('%s keeps the pooled axes as size 1, with the values of tf.mean / tf.max(keepDims: true)', (name, make, shape, axes) => {
    const x = draw(shape);
    const expected = (name.includes('Average') ? tf.mean : tf.max)(tf.tensor(x, shape), axes, true);
    const got = make(true).apply(km.tensor(x, shape));
    expect(got.shape).toEqual(expected.shape);
    got.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i], 5));
    expect(make(false).apply(km.tensor(x, shape)).shape).toEqual([shape[0], shape[shape.length - 1]]);
    expect(make(true).apply(km.input({ shape: shape.slice(1) })).shape).toEqual(expected.shape.slice(1));
  });

  it('GlobalAveragePooling1D with keepdims still averages only the unmasked steps', () => {
    const x = km.input({ shape: [4] });
    const embedding = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true });
    const model = km.model({ inputs: x, outputs: km.layers.globalAveragePooling1d({ keepdims: true }).apply(embedding.apply(x)) });
    expect(model.outputs[0].shape).toEqual([1, 3]);
    const table = Array.from(embedding.getWeights()[0].dataSync());
    const got = model.predict(km.tensor([[4, 2, 0, 0]], [1, 4])).dataSync();
    for (let d = 0; d < 3; d++) expect(got[d]).toBeCloseTo((table[4 * 3 + d] + table[2 * 3 + d]) / 2, 6);
  });

  it('rejects a keepdims that is not a boolean, naming it', () => {
    expect(() => km.layers.globalAveragePooling2d({ keepdims: 1 as never, name: 'gap' })).toThrow(/GlobalAveragePooling2D layer 'gap': keepdims must be true or false\. Received: keepdims=1\./);
    expect(() => km.layers.globalMaxPooling3d({ keepdims: 'yes' as never })).toThrow(/GlobalMaxPooling3D layer '.*': keepdims must be true or false\. Received: keepdims="yes"\./);
    expect(() => km.layers.globalMaxPooling1d({ keepDims: true } as never)).toThrow(/no option 'keepDims'; did you mean 'keepdims'\?/);
  });
});

describe('saving Subtract, Identity and keepdims in the LayersModel format', () => {
  it('writes Keras\' class names and keys and loads back with the same predictions; tfjs-layers 4.22 refuses Subtract and Identity and ignores keepdims', async () => {
    km.utils.setRandomSeed(6);
    const [a, b] = [km.input({ shape: [4, 4, 2] }), km.input({ shape: [4, 4, 2] })];
    const difference = km.layers.identity({ name: 'tap' }).apply(km.layers.subtract({ name: 'diff' }).apply([a, b]));
    const pooled = km.layers.globalMaxPooling2d({ keepdims: true, name: 'gmp' }).apply(difference);
    const model = km.model({ inputs: [a, b], outputs: km.layers.dense({ units: 2 }).apply(km.layers.flatten().apply(pooled)) });
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; name: string; config: Record<string, unknown> }[] } }).config.layers;
    const byName = Object.fromEntries(layers.map((l) => [l.name, l]));
    expect([byName.diff.class_name, byName.tap.class_name, byName.gmp.class_name]).toEqual(['Subtract', 'Identity', 'GlobalMaxPooling2D']);
    expect(byName.gmp.config).toMatchObject({ keepdims: true, data_format: 'channels_last' });
    const xs = [km.tensor(draw([3, 4, 4, 2]), [3, 4, 4, 2]), km.tensor(draw([3, 4, 4, 2]), [3, 4, 4, 2])];
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(Array.from(reloaded.predict(xs).dataSync())).toEqual(Array.from(model.predict(xs).dataSync()));
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: (Subtract|Identity)/);
    // tfjs builds [c] where the file says keepdims, so the Flatten after it no longer fits.
    const pooling = km.sequential([km.layers.globalAveragePooling2d({ keepdims: true, inputShape: [3, 3, 2] }), km.layers.flatten(), km.layers.dense({ units: 2 })]);
    await expect(tfl.loadLayersModel(tf.io.fromMemory((await kerasmArtifacts(pooling)) as tf.io.ModelArtifacts))).rejects.toThrow(/incompatible with layer flatten/);
  });
});
