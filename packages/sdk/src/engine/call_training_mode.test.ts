import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, tfjsArtifacts } from '../io/testing/round_trip.js';
import { randomStatistics } from '../testing/batch_norm_reference.js';
import { Random } from '../utils/random.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const values = (t: km.Tensor) => Array.from(t.dataSync());
const weightValues = (layer: km.layers.Layer | km.LayersModel) => layer.getWeights().map(values);
const uniform = (random: Random, n: number, lo: number, hi: number) => Array.from({ length: n }, () => random.uniform(lo, hi));
const symbolic = (t: km.SymbolicTensor | km.SymbolicTensor[]) => t as km.SymbolicTensor;

describe('a layer call with a fixed mode (Keras layer(x, training=...))', () => {
  const random = new Random(7);
  const x = km.tensor(uniform(random, 16 * 4 * 4 * 2, -1, 1), [16, 4, 4, 2]);
  const y = km.tensor(uniform(random, 16 * 2, -1, 1), [16, 2]);

  /** input [4, 4, 2] → Dense(3) → (`middle`) → Flatten → Dense(2), trained with SGD; returns the losses and final weights. */
  async function train(middle: ((h: km.SymbolicTensor) => km.SymbolicTensor) | null, weights?: km.Tensor[]): Promise<{ losses: number[]; weights: number[][]; model: km.LayersModel }> {
    km.utils.setRandomSeed(3);
    const input = km.input({ shape: [4, 4, 2] });
    const h = symbolic(km.layers.dense({ units: 3, activation: 'tanh' }).apply(input));
    const flat = symbolic(km.layers.flatten().apply(middle ? middle(h) : h));
    const model = km.model({ inputs: input, outputs: symbolic(km.layers.dense({ units: 2 }).apply(flat)) });
    if (weights) model.setWeights(weights);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError' });
    const history = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    return { losses: history.history.loss as number[], weights: model.getWeights().map(values), model };
  }

  const inferenceOnly: [string, () => km.layers.Layer][] = [
    ['Dropout', () => km.layers.dropout({ rate: 0.5 })],
    ['SpatialDropout2D', () => km.layers.spatialDropout2d({ rate: 0.5 })],
    ['GaussianDropout', () => km.layers.gaussianDropout({ rate: 0.5 })],
    ['AlphaDropout', () => km.layers.alphaDropout({ rate: 0.3 })],
    ['GaussianNoise', () => km.layers.gaussianNoise({ stddev: 1 })],
    ['RandomFlip', () => km.layers.randomFlip()],
    ['RandomContrast', () => km.layers.randomContrast({ factor: 0.5 })],
  ];

  it.each(inferenceOnly)('%s applied with { training: false } passes through in fit, forward and backward: the model trains as it would without it', async (_, make) => {
    const initial = (await train(null)).model.getWeights();
    const fixed = await train((h) => symbolic(make().apply(h, { training: false })), initial);
    const reference = await train(null, initial);
    expect(fixed.losses).toEqual(reference.losses);
    expect(fixed.weights).toEqual(reference.weights);
  });

  it('without the flag the same Dropout drops in fit, so the losses differ (the check above can fail)', async () => {
    const initial = (await train(null)).model.getWeights();
    const free = await train((h) => symbolic(km.layers.dropout({ rate: 0.5 }).apply(h)), initial);
    expect(free.losses).not.toEqual((await train(null, initial)).losses);
  });

  it('Dropout with { training: true } keeps dropping in predict and evaluate (Monte Carlo dropout)', async () => {
    km.utils.setRandomSeed(5);
    const input = km.input({ shape: [64] });
    const model = km.model({ inputs: input, outputs: symbolic(km.layers.dropout({ rate: 0.5 }).apply(input, { training: true })) });
    const ones = km.tensor(new Float32Array(4 * 64).fill(1), [4, 64]);
    const first = values(model.predict(ones));
    const second = values(model.predict(ones));
    expect(new Set(first)).toEqual(new Set([0, 2]));
    expect(second).not.toEqual(first);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    // Every kept value is 2 and every dropped one 0, so the squared error against ones is 1 everywhere.
    expect((await model.evaluate(ones, ones, { verbose: 0 }))[0]).toBeCloseTo(1, 6);
  });

  it('BatchNormalization with { training: true } normalizes with the batch statistics in predict and moves its moving mean', () => {
    const input = km.input({ shape: [3] });
    const bn = km.layers.batchNormalization();
    const model = km.model({ inputs: input, outputs: symbolic(bn.apply(input, { training: true })) });
    const data = uniform(new Random(9), 6 * 3, 2, 6);
    const out = values(model.predict(km.tensor(data, [6, 3])));
    for (let c = 0; c < 3; c++) {
      const column = out.filter((_, i) => i % 3 === c);
      expect(column.reduce((s, v) => s + v, 0) / 6).toBeCloseTo(0, 5);
      expect(column.reduce((s, v) => s + v * v, 0) / 6).toBeCloseTo(1, 2);
    }
    expect(values(bn.getWeights()[2]).every((m) => m > 0)).toBe(true);
  });
});

describe('a model applied with { training: false } (Keras base(x, training=False))', () => {
  const N = 12;
  const random = new Random(21);
  const xValues = uniform(random, N * 6, -2, 2);
  const x = km.tensor(xValues, [N, 6]);
  const y = km.tensor(Int32Array.from({ length: N }, (_, i) => i % 3), [N], 'int32');

  /** A base with BatchNormalization and Dropout under a new head; `training` as the base is applied. */
  function classifier(training: boolean | undefined): { model: km.LayersModel; base: km.LayersModel; bn: km.layers.Layer } {
    km.utils.setRandomSeed(8);
    const bn = km.layers.batchNormalization();
    const base = km.sequential([km.layers.dense({ units: 5, inputShape: [6] }), bn, km.layers.dropout({ rate: 0.5 })]);
    bn.setWeights(randomStatistics(new Random(2), 5));
    const input = km.input({ shape: [6] });
    const features = symbolic(base.apply(input, training === undefined ? {} : { training }));
    const model = km.model({ inputs: input, outputs: symbolic(km.layers.dense({ units: 3, activation: 'softmax' }).apply(features)) });
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    return { model, base, bn };
  }

  /** The loss evaluate gives before a one-batch epoch of fit, and the loss that epoch reports. */
  async function evaluatedThenFitted(model: km.LayersModel): Promise<[number, number]> {
    const [evaluated] = await model.evaluate(x, y, { verbose: 0 });
    const fitted = (await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 })).history.loss[0] as number;
    return [evaluated, fitted];
  }

  it('keeps the base in inference mode in fit, also once it is unfrozen to fine-tune: the moving statistics stay, gamma and the kernels train', async () => {
    const { model, base, bn } = classifier(false);
    const [evaluated, fitted] = await evaluatedThenFitted(model);
    expect(fitted).toBeCloseTo(evaluated, 5);
    const statistics = weightValues(bn).slice(2);
    const before = weightValues(base);
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(weightValues(bn).slice(2)).toEqual(statistics);
    expect(weightValues(bn)[0]).not.toEqual(before[2]);
    expect(weightValues(base)[0]).not.toEqual(before[0]);

    const free = classifier(undefined);
    const [freeEvaluated, freeFitted] = await evaluatedThenFitted(free.model);
    expect(Math.abs(freeFitted - freeEvaluated)).toBeGreaterThan(0.01);
    expect(weightValues(free.bn).slice(2)).not.toEqual(statistics);
  });

  it('on data, { training: true } runs the model as fit does, on the whole input as one batch (tfjs model.apply(x, { training: true }))', () => {
    const { model, base, bn } = classifier(undefined);
    const statistics = weightValues(bn).slice(2);
    const features = values(base.apply(x, { training: true }) as km.Tensor);
    // Half the features dropped, the kept ones normalized with the batch statistics and scaled by 2.
    expect(features.filter((v) => v === 0).length).toBeGreaterThan(N * 5 * 0.25);
    expect(weightValues(bn).slice(2)).not.toEqual(statistics);
    const inference = values(model.apply(x) as km.Tensor);
    expect(inference).toEqual(values(model.predict(x)));
    expect(values(model.apply(x, { training: true }) as km.Tensor)).not.toEqual(inference);
  });

  it("a layer call's fixed mode is saved in its kwargs too, and loaded back", async () => {
    const input = km.input({ shape: [6] });
    const dropout = km.layers.dropout({ rate: 0.5, name: 'mc_dropout' });
    const model = km.model({ inputs: input, outputs: symbolic(dropout.apply(input, { training: true })) });
    const artifacts = await kerasmArtifacts(model);
    expect(JSON.stringify(artifacts.modelTopology)).toMatch(/"name":"mc_dropout",.*"inbound_nodes":\[\[\["input_\d+",0,0,\{"training":true\}\]\]\]/);
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(new Set(values(loaded.predict(km.tensor(new Float32Array(8 * 6).fill(1), [8, 6]))))).toEqual(new Set([0, 2]));
  });

  it('a call inside the model that fixed its own mode keeps it', () => {
    const inner = km.input({ shape: [6] });
    const dropping = km.model({ inputs: inner, outputs: symbolic(km.layers.dropout({ rate: 0.5 }).apply(inner, { training: true })) });
    const input = km.input({ shape: [6] });
    const outer = km.model({ inputs: input, outputs: symbolic(dropping.apply(input, { training: false })) });
    const ones = km.tensor(new Float32Array(8 * 6).fill(1), [8, 6]);
    expect(new Set(values(outer.predict(ones)))).toEqual(new Set([0, 2]));
  });

  it('saves the mode in the call kwargs as Keras 2 does, and the loaded model (kerasm or tfjs-layers) keeps it', async () => {
    const { model, base, bn } = classifier(false);
    const artifacts = await kerasmArtifacts(model);
    const topology = JSON.stringify(artifacts.modelTopology);
    expect(topology).toMatch(new RegExp(`"name":"${base.name}","class_name":"Sequential",.*"inbound_nodes":\\[\\[\\["input_\\d+",0,0,\\{"training":false\\}\\]\\]\\]`));
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    loaded.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const [evaluated, fitted] = await evaluatedThenFitted(loaded);
    expect(fitted).toBeCloseTo(evaluated, 5);
    expect(weightValues((loaded.getLayer(base.name) as km.LayersModel).getLayer(bn.name)).slice(2)).toEqual(weightValues(bn).slice(2));
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const expected = (inTfjs.predict(tf.tensor(xValues, [N, 6])) as tf.Tensor).dataSync();
    values(model.predict(x)).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));

    // Keras 3 writes each call once, as {args, kwargs}.
    const keras3 = structuredClone(artifacts);
    for (const entry of (keras3.modelTopology as { config: { layers: { inbound_nodes: unknown[] }[] } }).config.layers) {
      entry.inbound_nodes = (entry.inbound_nodes as [string, number, number, Record<string, unknown>][][]).map((node) => ({
        args: node.map(([name, n, t]) => ({ class_name: '__keras_tensor__', config: { shape: null, dtype: 'float32', keras_history: [name, n, t] } })),
        kwargs: node[0][3],
      }));
    }
    const fromKeras3 = await km.loadLayersModel(km.io.fromMemory(keras3));
    fromKeras3.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const [keras3Evaluated, keras3Fitted] = await evaluatedThenFitted(fromKeras3);
    expect(keras3Fitted).toBeCloseTo(keras3Evaluated, 5);
  });

  it("reads the mode of a nested model's call from a file (Keras 2's kwargs) and gives it to the inner layers", async () => {
    const bn = tfl.layers.batchNormalization({ name: 'base_bn' });
    const base = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, inputShape: [6], name: 'base_dense' }), bn], name: 'base' });
    const input = tfl.input({ shape: [6] });
    const theirs = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(base.apply(input)) as tfl.SymbolicTensor });
    const artifacts = await tfjsArtifacts(theirs);
    const json = JSON.stringify(artifacts.modelTopology);
    const fixed = json.replace(/(\[\["input\d*",0,0,)\{\}(\]\])/, '$1{"training":false}$2');
    expect(fixed).not.toBe(json);
    const loaded = await km.loadLayersModel(km.io.fromMemory({ ...artifacts, modelTopology: JSON.parse(fixed) }));
    const baseBn = (loaded.getLayer('base') as km.LayersModel).getLayer('base_bn');
    const statistics = weightValues(baseBn).slice(2);
    loaded.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    await loaded.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(weightValues(baseBn).slice(2)).toEqual(statistics);
  });

  it('refuses to stack a model with a fixed-mode call in a Sequential model, which cannot keep it', () => {
    const inner = km.input({ shape: [6] });
    const dropping = km.model({ inputs: inner, outputs: symbolic(km.layers.dropout({ rate: 0.5 }).apply(inner, { training: true })), name: 'mc' });
    expect(() => km.sequential([dropping])).toThrow(/Model 'mc' cannot be added to a Sequential model: its layer 'dropout(_\d+)?' was applied with \{ training: true \}, which a Sequential model cannot keep\. Apply it in a functional model instead/);
  });
});
