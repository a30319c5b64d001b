import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

// Two token inputs padded differently (at the end and at the start), so their masks differ.
const [n, steps, vocabulary] = [24, 6, 8];
const first = paddedSequences(n, steps, vocabulary, 1, 11, 'end');
const second = paddedSequences(n, steps, vocabulary, 1, 12, 'start');
const random = new Random(4);
const targets = Float32Array.from({ length: n }, () => random.uniform(-1, 1));

type Merge = 'add' | 'average' | 'multiply' | 'maximum' | 'minimum' | 'concatenate';

/** Embeddings of both inputs (the second masked or not) → merge (Concatenate along `axis`) → LSTM → Dense. */
function kerasmModel(merge: Merge, secondMasked = true, axis = -1): { model: km.LayersModel; layers: km.layers.Layer[] } {
  km.utils.setRandomSeed(5);
  const [a, b] = [km.input({ shape: [steps] }), km.input({ shape: [steps] })];
  const layers = [
    km.layers.embedding({ inputDim: vocabulary, outputDim: 3, maskZero: true }),
    km.layers.embedding({ inputDim: vocabulary, outputDim: 3, maskZero: secondMasked }),
    merge === 'concatenate' ? km.layers.concatenate({ axis }) : km.layers[merge](),
    km.layers.lstm({ units: 4 }),
    km.layers.dense({ units: 1 }),
  ] as km.layers.Layer[];
  const merged = layers[2].apply([layers[0].apply(a), layers[1].apply(b)] as km.SymbolicTensor[]) as km.SymbolicTensor;
  return { model: km.model({ inputs: [a, b], outputs: layers[4].apply(layers[3].apply(merged) as km.SymbolicTensor) as km.SymbolicTensor }), layers };
}

const inputs = () => [km.tensor(first.tokens, [n, steps], 'int32'), km.tensor(second.tokens, [n, steps], 'int32')];
const tfInputs = () => [tf.tensor(first.tokens, [n, steps], 'int32'), tf.tensor(second.tokens, [n, steps], 'int32')];
const OPS: Record<Exclude<Merge, 'concatenate'>, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  average: (x, y) => (x + y) / 2,
  multiply: (x, y) => x * y,
  maximum: Math.max,
  minimum: Math.min,
};

describe('masks from different layers merge as their logical AND, as in Keras 2 and tfjs-layers 4.22', () => {
  // tfjs 4.22's elementwise merges keep an extra axis on the merged mask and then fail in the LSTM, so
  // the reference runs tfjs' LSTM and Dense on each sample's kept steps only: a masked step carries the
  // state over, so the masked run must equal the run over the steps both inputs keep.
  it.each<Exclude<Merge, 'concatenate'>>(['add', 'average', 'multiply', 'maximum', 'minimum'])('%s: predictions equal tfjs run on the steps both inputs keep', (merge) => {
    const { model, layers } = kerasmModel(merge);
    const [tableA, tableB] = [layers[0], layers[1]].map((l) => l.getWeights()[0].dataSync());
    const head = tfl.sequential({ layers: [tfl.layers.lstm({ units: 4, unitForgetBias: true, inputShape: [null, 3] }), tfl.layers.dense({ units: 1 })] });
    head.setWeights([...layers[3].getWeights(), ...layers[4].getWeights()].map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const predictions = model.predict(inputs()).dataSync();
    for (let i = 0; i < n; i++) {
      const kept: number[][] = [];
      for (let t = 0; t < steps; t++) {
        const [ta, tb] = [first.tokens[i * steps + t], second.tokens[i * steps + t]];
        if (ta !== 0 && tb !== 0) kept.push([0, 1, 2].map((f) => OPS[merge](tableA[ta * 3 + f], tableB[tb * 3 + f])));
      }
      // With no step kept, the LSTM's state stays zero and the Dense gives its bias.
      const expected = kept.length === 0 ? layers[4].getWeights()[1].dataSync()[0] : (head.predict(tf.tensor([kept])) as tf.Tensor).dataSync()[0];
      expect(Math.abs(predictions[i] - expected), `sample ${i}`).toBeLessThan(1e-5);
    }
  });

  // Along the features the masks AND; along the steps (axis 1) they join end to end, as in Keras and
  // tfjs, an input without a mask counting as all kept.
  it.each([
    { axis: -1, secondMasked: true },
    { axis: 1, secondMasked: true },
    { axis: 1, secondMasked: false },
  ])('concatenate along axis $axis (second input masked: $secondMasked): same predictions as tfjs, and the same losses over 3 SGD epochs', async ({ axis, secondMasked }) => {
    const { model: ours, layers } = kerasmModel('concatenate', secondMasked, axis);
    // tfjs 4.22 cannot join an unmasked input's all-kept mask along the steps (its concat of shapes
    // [n, 6, 3] and [n, 6, 1] fails), so there its second input is every token shifted up by one into
    // a maskZero Embedding whose rows shift with it: the same values, with a mask that keeps all.
    const shift = secondMasked ? 0 : 1;
    const theirInputs = () => [tf.tensor(first.tokens, [n, steps], 'int32'), tf.tensor(second.tokens.map((t) => t + shift), [n, steps], 'int32')];
    const [ta, tb] = [tfl.input({ shape: [steps], dtype: 'int32' }), tfl.input({ shape: [steps], dtype: 'int32' })];
    const theirsLayers = [
      tfl.layers.embedding({ inputDim: vocabulary, outputDim: 3, maskZero: true }),
      tfl.layers.embedding({ inputDim: vocabulary + shift, outputDim: 3, maskZero: true }),
      tfl.layers.concatenate({ axis }),
      tfl.layers.lstm({ units: 4, unitForgetBias: true }),
      tfl.layers.dense({ units: 1 }),
    ];
    const merged = theirsLayers[2].apply([theirsLayers[0].apply(ta), theirsLayers[1].apply(tb)] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: [ta, tb], outputs: theirsLayers[4].apply(theirsLayers[3].apply(merged)) as tfl.SymbolicTensor });
    layers.forEach((layer, k) => k !== 1 && theirsLayers[k].setWeights(layer.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]))));
    const table = layers[1].getWeights()[0];
    theirsLayers[1].setWeights([tf.tensor([...new Array(3 * shift).fill(0), ...table.dataSync()], [vocabulary + shift, 3])]);
    const expected = (theirs.predict(theirInputs()) as tf.Tensor).dataSync();
    ours.predict(inputs()).dataSync().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThan(1e-5));
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    const args = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 as const };
    const oursLoss = (await ours.fit(inputs(), km.tensor(targets, [n, 1]), args)).history.loss;
    const theirsLoss = (await theirs.fit(theirInputs(), tf.tensor(targets, [n, 1]), args)).history.loss as number[];
    oursLoss.forEach((loss, i) => expect(Math.abs(loss - theirsLoss[i])).toBeLessThan(1e-5));
    expect(oursLoss[2]).not.toBeCloseTo(oursLoss[0], 3);
  });

  it('the second mask matters: without it, the LSTM reads steps the AND drops', () => {
    const [a, b] = [kerasmModel('add').model.predict(inputs()).dataSync(), kerasmModel('add', false).model.predict(inputs()).dataSync()];
    const differ = first.lengths.filter((_, i) => Math.abs(a[i] - b[i]) > 1e-6).length;
    // Sample 0 is unpadded in both; most others lose steps to the second input's padding.
    expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-6);
    expect(differ).toBeGreaterThan(n / 2);
  });
});
