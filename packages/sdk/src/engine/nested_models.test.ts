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
  it('Sequential([encoder, decoder]) lists both models and holds their layers, predicts decoder(encoder(x)) and trains both', async () => {
    km.utils.setRandomSeed(5);
    const enc = km.sequential([km.layers.dense({ units: 4, activation: 'relu', inputShape: [6] })]);
    const dec = km.sequential([km.layers.dense({ units: 6, inputShape: [4] })]);
    const autoencoder = km.sequential([enc, dec]);
    expect(autoencoder.layers).toEqual([enc, dec]);
    expect(autoencoder.allLayers).toEqual([...enc.layers, ...dec.layers]);
    expect(autoencoder.getLayer(enc.name)).toBe(enc);
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
    const inner = enc.layers[0].name;
    expect(() => autoencoder.getLayer(inner)).toThrow(`Model '${autoencoder.name}' has no layer named '${inner}'. Its layers are: '${enc.name}', '${dec.name}'. '${inner}' is a layer of a model inside this one: reach it with model.getLayer('${enc.name}').getLayer('${inner}').`);
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
    expect(stacked.layers.map((l) => l.className)).toEqual(['Functional', 'Dense']);
    expect(stacked.allLayers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense']);
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

describe('a model inside another is one of its layers, as in Keras and tfjs', () => {
  /** A siamese scorer: one Sequential base applied to two inputs, joined, then scored. */
  function siamese(): { model: km.LayersModel; base: km.Sequential } {
    const base = km.sequential({ name: 'tower', layers: [km.layers.dense({ units: 4, inputShape: [6], name: 'tower_in' }), km.layers.dense({ units: 3, name: 'tower_out' })] });
    const [left, right] = [km.input({ shape: [6], name: 'left' }), km.input({ shape: [6], name: 'right' })];
    const joined = km.layers.concatenate({ name: 'join' }).apply([base.apply(left) as km.SymbolicTensor, base.apply(right) as km.SymbolicTensor]) as km.SymbolicTensor;
    return { model: km.model({ inputs: [left, right], outputs: km.layers.dense({ units: 1, name: 'score' }).apply(joined) as km.SymbolicTensor, name: 'siamese' }), base };
  }

  it('layers lists the model, getLayer finds it, allLayers lists every layer once', () => {
    const { model, base } = siamese();
    expect(model.layers.map((l) => `${l.name} (${l.className})`)).toEqual(['left (InputLayer)', 'right (InputLayer)', 'tower (Sequential)', 'join (Concatenate)', 'score (Dense)']);
    expect(model.layers[2]).toBe(base);
    expect(model.getLayer('tower')).toBe(base);
    expect(model.getLayer(undefined, 2)).toBe(base);
    expect(model.allLayers.map((l) => l.name)).toEqual(['tower_in', 'tower_out', 'join', 'score']);
    expect(model.weightSpecs.map((w) => w.name)).toEqual(['tower_in/kernel', 'tower_in/bias', 'tower_out/kernel', 'tower_out/bias', 'score/kernel', 'score/bias']);
  });

  it("summary shows it as one row, with a line per application, and the layers after it read base[call][output], as Keras' does", () => {
    const { model } = siamese();
    const lines: string[] = [];
    model.summary(undefined, undefined, (line) => lines.push(line));
    const rows = lines.slice(4).filter((l) => /^ \S+ \(|^ {10,}\S/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([
      ['left (InputLayer)', '(None, 6)', '0'],
      ['right (InputLayer)', '(None, 6)', '0'],
      ['tower (Sequential)', '(None, 3)', '43', 'left[0][0]'],
      ['right[0][0]'],
      ['join (Concatenate)', '(None, 6)', '0', 'tower[0][0], tower[1][0]'],
      ['score (Dense)', '(None, 1)', '7', 'join[0][0]'],
    ]);
    expect(lines).toContain('Total params: 50');
  });

  it('model.layers[1].trainable = false (after the InputLayer) freezes all of the base, as in Keras', async () => {
    const input = km.input({ shape: [6] });
    const base = encoder();
    const classifier = km.model({ inputs: input, outputs: km.layers.dense({ units: 3, activation: 'softmax' }).apply(base.apply(input) as km.SymbolicTensor) as km.SymbolicTensor });
    classifier.layers[1].trainable = false;
    expect(base.trainable).toBe(false);
    const frozen = values(base);
    classifier.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await classifier.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(values(base)).toEqual(frozen);
  });

  it('a model has the layer members Keras and tfjs give it: className, getConfig, input, output, built', () => {
    const { model, base } = siamese();
    expect([model.className, base.className]).toEqual(['Functional', 'Sequential']);
    expect(model.getConfig()).toEqual(JSON.parse(model.toJSON()).config);
    expect(base.input).toBe(base.inputs[0]);
    expect(base.output).toBe(base.outputs[0]);
    expect(model.input).toEqual(model.inputs);
    expect(km.sequential([km.layers.dense({ units: 2 })]).built).toBe(false);
    expect(base.built).toBe(true);
    const twoHeads = km.model({ inputs: model.inputs, outputs: [model.outputs[0], model.getLayer('join').output as km.SymbolicTensor], name: 'two_heads' });
    expect(() => twoHeads.output).toThrow("Model 'two_heads' has 2 outputs; read them from model.outputs.");
  });

  it('a model nested two deep is listed at each level, and getLayer of an inner layer names the way to it', () => {
    const inner = km.sequential({ name: 'inner', layers: [km.layers.dense({ units: 4, inputShape: [6], name: 'deep' })] });
    const middle = km.sequential({ name: 'middle', layers: [inner, km.layers.dense({ units: 2, name: 'mid_out' })] });
    const input = km.input({ shape: [6] });
    const outer = km.model({ inputs: input, outputs: middle.apply(input) as km.SymbolicTensor, name: 'outer' });
    expect(outer.layers).toEqual([outer.getLayer(input.name), middle]);
    expect(middle.layers).toEqual([inner, middle.allLayers[1]]);
    expect(outer.allLayers.map((l) => l.name)).toEqual(['deep', 'mid_out']);
    expect(() => outer.getLayer('deep')).toThrow(`Model 'outer' has no layer named 'deep'. Its layers are: '${input.name}', 'middle'. 'deep' is a layer of a model inside this one: reach it with model.getLayer('middle').getLayer('inner').getLayer('deep').`);
  });

  it('cloneModel with a cloneFunction clones a nested model as a model of the cloned layers', () => {
    const { model, base } = siamese();
    const clone = km.models.cloneModel(model, { cloneFunction: (layer) => km.layers.layerFromConfig(layer.className, layer.getConfig()) });
    const [, , tower] = clone.layers;
    expect(tower).not.toBe(base);
    expect(`${tower.name} (${tower.className})`).toBe('tower (Sequential)');
    expect((tower as km.LayersModel).allLayers).toEqual(clone.allLayers.slice(0, 2));
    clone.setWeights(model.getWeights());
    const inputs = [x, km.tensor(xValues.map((v) => 1 - v), [N, 6])];
    sameValues(clone.predict(inputs), model.predict(inputs));
  });
});
