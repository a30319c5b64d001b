import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectSameSgdFit } from '../testing/tfjs_fit_parity.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const N = 24;
const xValues = Float32Array.from({ length: N * 6 }, (_, i) => Math.sin(i * 0.37));
const x = km.tensor(xValues, [N, 6]);
const labels = Int32Array.from({ length: N }, (_, i) => (i * 7) % 3);
const y = km.tensor(labels, [N], 'int32');

const values = (model: km.LayersModel | km.layers.Layer) => model.getWeights().map((w) => Array.from(w.dataSync()));
const sameValues = (a: km.Tensor, b: km.Tensor) => expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));

/** A functional feature extractor [6] -> [4]. */
function encoder(): km.LayersModel {
  const input = km.input({ shape: [6] });
  const hidden = km.layers.dense({ units: 8, activation: 'tanh' }).apply(input) as km.SymbolicTensor;
  return km.model({ inputs: input, outputs: km.layers.dense({ units: 4, activation: 'relu' }).apply(hidden) as km.SymbolicTensor });
}

describe('a model applied as a layer (Keras model(x), tfjs model.apply)', () => {
  it('computes its outputs on new symbolic inputs: the outer model predicts head(inner(x)), and the weights are the inner model\'s', () => {
    km.utils.setRandomSeed(1);
    const inner = encoder();
    const input = km.input({ shape: [6] });
    const head = km.layers.dense({ units: 3, activation: 'softmax' });
    const outer = km.model({ inputs: input, outputs: head.apply(inner.apply(input) as km.SymbolicTensor) });
    expect(outer.countParams()).toBe(inner.countParams() + head.countParams());
    sameValues(outer.predict(x), head.apply(inner.predict(x)));
  });

  it('training the outer model trains the inner one, which then predicts with the new weights', async () => {
    km.utils.setRandomSeed(2);
    const inner = encoder();
    const input = km.input({ shape: [6] });
    const outer = km.model({ inputs: input, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(inner.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    const before = inner.predict(x).dataSync().slice();
    outer.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await outer.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(Array.from(inner.predict(x).dataSync())).not.toEqual(Array.from(before));
    expect(values(outer).slice(0, 4)).toEqual(values(inner));
  });

  it('applied twice (a siamese network), it is one set of weights; a model with several outputs gives a list', () => {
    km.utils.setRandomSeed(3);
    const inner = encoder();
    const [left, right] = [km.input({ shape: [6] }), km.input({ shape: [6] })];
    const distance = km.layers.subtract().apply([inner.apply(left) as km.SymbolicTensor, inner.apply(right) as km.SymbolicTensor]) as km.SymbolicTensor;
    const siamese = km.model({ inputs: [left, right], outputs: distance });
    expect(siamese.countParams()).toBe(inner.countParams());
    const flipped = km.tensor(xValues.map((v) => -v), [N, 6]);
    const [a, b] = [inner.predict(x).dataSync(), inner.predict(flipped).dataSync()];
    expect(Array.from(siamese.predict([x, flipped]).dataSync())).toEqual(Array.from(a, (v, i) => Math.fround(v - b[i])));

    const twoHeads = km.model({ inputs: left, outputs: [km.layers.dense({ units: 2 }).apply(left) as km.SymbolicTensor, km.layers.dense({ units: 5 }).apply(left) as km.SymbolicTensor] });
    const outputs = twoHeads.apply(km.input({ shape: [6] }));
    expect(Array.isArray(outputs) && outputs.map((o) => o.shape)).toEqual([[2], [5]]);
  });

  it('on data it is predict', () => {
    km.utils.setRandomSeed(4);
    const inner = encoder();
    sameValues(inner.apply(x) as km.Tensor, inner.predict(x));
    sameValues(inner.apply(x, { training: false }) as km.Tensor, inner.predict(x));
  });

  it('refuses inputs that do not fit, naming the input and the shape', () => {
    const inner = encoder();
    expect(() => inner.apply(km.input({ shape: [7] }))).toThrow(new RegExp(`Model '${inner.name}'\\.apply expects input 'input_\\d+' of shape \\(None, 6\\), but received \\(None, 7\\)\\. Reshape`));
    expect(() => inner.apply([km.input({ shape: [6] }), km.input({ shape: [6] })])).toThrow(/\.apply takes 1 input \('input_\d+'\), but received 2/);
    expect(() => inner.apply(km.input({ shape: [6] }), { training: 0 } as never)).toThrow(new RegExp(`Model '${inner.name}'.apply: training must be true or false\\. Received: training=0\\.`));
    expect(() => inner.apply(km.input({ shape: [6] }), { trainng: true } as never)).toThrow(/has no option 'trainng'; did you mean 'training'\?/);
  });
});

describe('models stacked in a Sequential model', () => {
  it('Sequential([encoder, decoder]) holds both models\' layers, predicts decoder(encoder(x)) and trains both', async () => {
    km.utils.setRandomSeed(5);
    const enc = km.sequential([km.layers.dense({ units: 4, activation: 'relu', inputShape: [6] })]);
    const dec = km.sequential([km.layers.dense({ units: 6, inputShape: [4] })]);
    const autoencoder = km.sequential([enc, dec]);
    expect(autoencoder.layers).toEqual([...enc.layers, ...dec.layers]);
    sameValues(autoencoder.predict(x), dec.predict(enc.predict(x)));
    const before = values(enc);
    autoencoder.compile({ optimizer: 'adam', loss: 'mse' });
    await autoencoder.fit(x, x, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(values(enc)).not.toEqual(before);
    sameValues(autoencoder.predict(x), dec.predict(enc.predict(x)));
    // Saved, the decoder's first layer keeps its input shape; kerasm and tfjs-layers both load it.
    const artifacts = await kerasmArtifacts(autoencoder);
    sameValues((await km.loadLayersModel(km.io.fromMemory(artifacts))).predict(x), autoencoder.predict(x));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const theirs = (inTfjs.predict(tf.tensor(xValues, [N, 6])) as tf.Tensor).dataSync();
    autoencoder.predict(x).dataSync().forEach((v, i) => expect(v).toBeCloseTo(theirs[i], 5));
    expect(() => autoencoder.getLayer(enc.name)).toThrow(new RegExp(`has no layer named '${enc.name}'\\. Its layers are: 'dense_\\d+', 'dense_\\d+'\\. A model applied inside this one is not listed, its layers are`));
    expect(() => km.sequential([enc, km.sequential([km.layers.dense({ units: 6, inputShape: [5] })])]).countParams()).toThrow(
      /Layer 'dense_\d+' declares inputShape \(None, 5\), but the layer before it, 'dense_\d+', outputs \(None, 4\)\. Remove inputShape from it/,
    );
  });

  it('a Sequential block without an input shape is built by its first apply, and a chain-shaped functional model can be stacked', () => {
    km.utils.setRandomSeed(6);
    const block = km.sequential([km.layers.dense({ units: 5, activation: 'relu' }), km.layers.dense({ units: 2 })]);
    const input = km.input({ shape: [6] });
    const out = block.apply(input) as km.SymbolicTensor;
    expect(out.shape).toEqual([2]);
    sameValues(km.model({ inputs: input, outputs: out }).predict(x), block.predict(x));
    const stacked = km.sequential([encoder(), km.layers.dense({ units: 1 })]);
    expect(stacked.layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense']);
  });

  it('a functional model that branches cannot be stacked, and the error says to apply it instead', () => {
    const input = km.input({ shape: [6] });
    const branches = km.model({ inputs: input, outputs: km.layers.add().apply([km.layers.dense({ units: 3 }).apply(input) as km.SymbolicTensor, km.layers.dense({ units: 3 }).apply(input) as km.SymbolicTensor]) as km.SymbolicTensor });
    expect(() => km.sequential([branches])).toThrow(`Model '${branches.name}' cannot be added to a Sequential model: its layers do not form a single chain from one input to one output. Apply it in a functional model instead: km.model({ inputs, outputs: ${branches.name}.apply(x) }).`);
  });
});

describe('model.trainable', () => {
  it('false freezes every layer of a base model inside a classifier: fit moves only the head, as tfjs-layers does with the same weights', async () => {
    km.utils.setRandomSeed(7);
    const base = km.sequential([km.layers.dense({ units: 8, activation: 'tanh', inputShape: [6] }), km.layers.dense({ units: 4, activation: 'relu' })]);
    const input = km.input({ shape: [6] });
    const head = km.layers.dense({ units: 3, activation: 'softmax' });
    const classifier = km.model({ inputs: input, outputs: head.apply(base.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    base.trainable = false;
    expect(base.trainable).toBe(false);
    expect(classifier.trainable).toBe(false);
    const frozen = values(base);

    const theirBase = tfl.sequential({ layers: [tfl.layers.dense({ units: 8, activation: 'tanh', inputShape: [6] }), tfl.layers.dense({ units: 4, activation: 'relu' })] });
    theirBase.setWeights(base.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    theirBase.trainable = false;
    const theirInput = tfl.input({ shape: [6] });
    const theirHead = tfl.layers.dense({ units: 3, activation: 'softmax' });
    const theirs = tfl.model({ inputs: theirInput, outputs: theirHead.apply(theirBase.apply(theirInput)) as tfl.SymbolicTensor });
    theirHead.setWeights(head.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));

    const losses = await expectSameSgdFit(classifier, theirs, xValues, [N, 6], labels, { learningRate: 0.5, epochs: 3, batchSize: 8, weightDigits: 5 });
    expect(losses[2]).toBeLessThan(losses[0]);
    expect(values(base)).toEqual(frozen);

    base.trainable = true;
    expect(classifier.trainable).toBe(true);
    await classifier.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(values(base)).not.toEqual(frozen);
  });
});
