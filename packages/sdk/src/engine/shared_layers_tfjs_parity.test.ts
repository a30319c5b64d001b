import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { weightOrder } from './params.js';

// tfjs-layers 4.22 shares layers between calls, so it is the reference: the same siamese model,
// the same initial weights and batches; losses and weights must agree after several SGD steps.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

/** Two image inputs through one Conv2D, one Flatten and one Dense tower, concatenated into a softmax head. */
function siamese<T>(api: {
  input: (shape: number[], name: string) => T;
  conv: () => { apply: (x: T) => T };
  flatten: () => { apply: (x: T) => T };
  embed: () => { apply: (x: T) => T };
  concat: () => { apply: (x: T[]) => T };
  head: () => { apply: (x: T) => T };
}): { inputs: T[]; output: T } {
  const a = api.input([6, 6, 1], 'left');
  const b = api.input([6, 6, 1], 'right');
  const [conv, flatten, embed] = [api.conv(), api.flatten(), api.embed()];
  const tower = (x: T) => embed.apply(flatten.apply(conv.apply(x)));
  return { inputs: [a, b], output: api.head().apply(api.concat().apply([tower(a), tower(b)])) };
}

const convArgs = { filters: 3, kernelSize: 3, activation: 'relu', name: 'conv' } as const;
const embedArgs = { units: 8, activation: 'tanh', name: 'embed' } as const;
const headArgs = { units: 3, activation: 'softmax', name: 'head' } as const;

function kerasmSiamese(): km.LayersModel {
  const { inputs, output } = siamese<km.SymbolicTensor>({
    input: (shape, name) => km.input({ shape, name }),
    conv: () => km.layers.conv2d(convArgs),
    flatten: () => km.layers.flatten({ name: 'flatten' }),
    embed: () => km.layers.dense(embedArgs),
    concat: () => km.layers.concatenate({ name: 'concat' }),
    head: () => km.layers.dense(headArgs),
  });
  return km.model({ inputs, outputs: output, name: 'siamese' });
}

/**
 * A tfjs layer as a function of symbolic tensors: tfjs-layers types `apply` as returning any of
 * Tensor, SymbolicTensor or arrays of them, while a symbolic call of a one-output layer returns one.
 */
function symbolic(layer: tfl.layers.Layer): { apply: (x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) => tfl.SymbolicTensor } {
  return { apply: (x) => layer.apply(x) as tfl.SymbolicTensor };
}

function tfjsSiamese(): tfl.LayersModel {
  const { inputs, output } = siamese<tfl.SymbolicTensor>({
    input: (shape, name) => tfl.input({ shape, name }),
    conv: () => symbolic(tfl.layers.conv2d(convArgs)),
    flatten: () => symbolic(tfl.layers.flatten({ name: 'flatten' })),
    embed: () => symbolic(tfl.layers.dense(embedArgs)),
    concat: () => symbolic(tfl.layers.concatenate({ name: 'concat' })),
    head: () => symbolic(tfl.layers.dense(headArgs)),
  });
  return tfl.model({ inputs, outputs: output, name: 'siamese' });
}

/** Copies kerasm's weights into the tfjs model, layer by layer by name. */
function copyWeights(from: km.LayersModel, to: tfl.LayersModel): void {
  const values = from.getWeights();
  const specs = weightOrder(from.allLayers);
  for (const layer of from.layers) {
    const own = specs.flatMap(({ layer: l }, i) => (l === layer ? [values[i]] : []));
    if (own.length > 0) to.getLayer(layer.name).setWeights(own.map((w) => tf.tensor(w.dataSync(), [...w.shape])));
  }
}

function flatWeights(model: km.LayersModel): Map<string, Float32Array> {
  const values = model.getWeights();
  return new Map(weightOrder(model.allLayers).map(({ spec }, i) => [spec.name, values[i].dataSync() as Float32Array]));
}

function tfjsWeights(model: tfl.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

/** Per weight of `ours`: ‖ours − theirs‖ / ‖ours − initial‖, the distance from the shared start must agree. */
function expectSameTrajectory(initial: Map<string, Float32Array>, ours: Map<string, Float32Array>, theirs: Map<string, Float32Array>, tolerance: number): void {
  for (const [name, w] of ours) {
    let [diff, moved] = [0, 0];
    w.forEach((v, j) => {
      diff += (v - theirs.get(name)![j]) ** 2;
      moved += (v - initial.get(name)![j]) ** 2;
    });
    expect(Math.sqrt(moved), `${name} moved`).toBeGreaterThan(1e-3);
    expect(Math.sqrt(diff / moved), `${name} against tfjs`).toBeLessThan(tolerance);
  }
}

describe('shared layers against tfjs-layers 4.22 (cpu backend)', () => {
  it('a siamese model with a shared Conv2D, Flatten and Dense: predictions, losses and weights after SGD agree', async () => {
    km.utils.setRandomSeed(21);
    const model = kerasmSiamese();
    const reference = tfjsSiamese();
    expect(model.countParams()).toBe(reference.countParams());
    copyWeights(model, reference);

    const random = new Random(4);
    const n = 48;
    const pixels = () => Float32Array.from({ length: n * 36 }, () => random.uniform(0, 1));
    const [left, right] = [pixels(), pixels()];
    const labels = Float32Array.from({ length: n }, () => Math.floor(random.next() * 3));
    const ours = [km.tensor(left, [n, 6, 6, 1]), km.tensor(right, [n, 6, 6, 1])];
    const theirs = [tf.tensor(left, [n, 6, 6, 1]), tf.tensor(right, [n, 6, 6, 1])];

    const predicted = model.predict(ours).dataSync();
    const expected = (reference.predict(theirs) as tf.Tensor).dataSync();
    predicted.forEach((p, i) => expect(Math.abs(p - expected[i])).toBeLessThan(1e-6));

    const initial = flatWeights(model);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
    reference.compile({ optimizer: tf.train.sgd(0.5), loss: 'sparseCategoricalCrossentropy' });
    const history = await model.fit(ours, km.tensor(Int32Array.from(labels), [n], 'int32'), { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const refHistory = await reference.fit(theirs, tf.tensor(labels, [n]), { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    history.history.loss.forEach((loss, i) => expect(Math.abs(loss - (refHistory.history.loss[i] as number))).toBeLessThan(1e-5));

    expect([...tfjsWeights(reference).keys()].sort()).toEqual([...initial.keys()].sort());
    expectSameTrajectory(initial, flatWeights(model), tfjsWeights(reference), 1e-4);
  });

  // BatchNormalization keeps per-call batch statistics in each node's workspace. Its moving
  // statistics are checked in the next test: they depend on the order of the calls.
  it('a Dense and a BatchNormalization shared by two inputs: losses and trainable weights agree', async () => {
    km.utils.setRandomSeed(22);
    const build = <T>(input: (name: string) => T, dense: (args: object) => { apply: (x: T) => T }, bn: () => { apply: (x: T) => T }, concat: () => { apply: (x: T[]) => T }) => {
      const [a, b] = [input('left'), input('right')];
      const [embed, norm] = [dense({ units: 4, activation: 'relu', name: 'embed' }), bn()];
      const joined = concat().apply([norm.apply(embed.apply(a)), norm.apply(embed.apply(b))]);
      return { inputs: [a, b], output: dense({ units: 2, activation: 'softmax', name: 'head' }).apply(joined) };
    };
    const ours = build<km.SymbolicTensor>((name) => km.input({ shape: [5], name }), (args) => km.layers.dense(args as km.layers.DenseArgs), () => km.layers.batchNormalization({ name: 'norm' }), () => km.layers.concatenate({ name: 'concat' }));
    const theirs = build<tfl.SymbolicTensor>((name) => tfl.input({ shape: [5], name }), (args) => symbolic(tfl.layers.dense(args as Parameters<typeof tfl.layers.dense>[0])), () => symbolic(tfl.layers.batchNormalization({ name: 'norm' })), () => symbolic(tfl.layers.concatenate({ name: 'concat' })));
    const model = km.model({ inputs: ours.inputs, outputs: ours.output });
    const reference = tfl.model({ inputs: theirs.inputs, outputs: theirs.output });
    copyWeights(model, reference);

    const random = new Random(6);
    const n = 32;
    const rows = () => Float32Array.from({ length: n * 5 }, () => random.uniform(-2, 2));
    const [left, right] = [rows(), rows()];
    const labels = Float32Array.from({ length: n }, () => Math.floor(random.next() * 2));
    const initial = flatWeights(model);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.3 }), loss: 'sparseCategoricalCrossentropy' });
    reference.compile({ optimizer: tf.train.sgd(0.3), loss: 'sparseCategoricalCrossentropy' });
    const history = await model.fit([km.tensor(left, [n, 5]), km.tensor(right, [n, 5])], km.tensor(Int32Array.from(labels), [n], 'int32'), { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    const refHistory = await reference.fit([tf.tensor(left, [n, 5]), tf.tensor(right, [n, 5])], tf.tensor(labels, [n]), { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    history.history.loss.forEach((loss, i) => expect(Math.abs(loss - (refHistory.history.loss[i] as number))).toBeLessThan(1e-5));
    const trainable = new Map([...flatWeights(model)].filter(([name]) => !name.includes('moving_')));
    expect(trainable.size).toBe(6);
    expectSameTrajectory(initial, trainable, tfjsWeights(reference), 1e-4);
  });

  // Each call updates the moving statistics from the previous call's result, in node order (here
  // the left input's call first). tfjs-layers 4.22 updates at each call too, but runs this graph's
  // two calls right first, so its values differ; both orders are computed by hand.
  it('a shared BatchNormalization updates its moving statistics once per call', async () => {
    const build = <T>(input: (name: string) => T, bn: () => { apply: (x: T) => T }, concat: () => { apply: (x: T[]) => T }, dense: () => { apply: (x: T) => T }) => {
      const [a, b] = [input('left'), input('right')];
      const norm = bn();
      return { inputs: [a, b], output: dense().apply(concat().apply([norm.apply(a), norm.apply(b)])) };
    };
    const ours = build<km.SymbolicTensor>((name) => km.input({ shape: [3], name }), () => km.layers.batchNormalization({ momentum: 0.5, name: 'norm' }), () => km.layers.concatenate(), () => km.layers.dense({ units: 1 }));
    const theirs = build<tfl.SymbolicTensor>((name) => tfl.input({ shape: [3], name }), () => symbolic(tfl.layers.batchNormalization({ momentum: 0.5, name: 'norm' })), () => symbolic(tfl.layers.concatenate()), () => symbolic(tfl.layers.dense({ units: 1 })));
    const model = km.model({ inputs: ours.inputs, outputs: ours.output });
    const reference = tfl.model({ inputs: theirs.inputs, outputs: theirs.output });
    // Batch means [2, 3, 4] and [20, 30, 40], batch variances 1 and 100, from moving statistics 0 and 1.
    const [left, right] = [[[1, 2, 3], [3, 4, 5]], [[10, 20, 30], [30, 40, 50]]];
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    reference.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await model.fit([km.tensor(left), km.tensor(right)], km.tensor([[0], [0]]), { epochs: 1, batchSize: 2, verbose: 0 });
    await reference.fit([tf.tensor(left), tf.tensor(right)], tf.zeros([2, 1]), { epochs: 1, batchSize: 2, verbose: 0 });
    const update = (m: number, batch: number) => 0.5 * m + 0.5 * batch;
    const moving = (w: Map<string, Float32Array>) => [Array.from(w.get('norm/moving_mean')!), Array.from(w.get('norm/moving_variance')!)];
    const [mean, variance] = moving(flatWeights(model));
    [2, 3, 4].forEach((b, c) => expect(mean[c]).toBeCloseTo(update(update(0, b), 10 * b), 5));
    variance.forEach((v) => expect(v).toBeCloseTo(update(update(1, 1), 100), 4));
    const [refMean, refVariance] = moving(tfjsWeights(reference));
    [2, 3, 4].forEach((b, c) => expect(refMean[c]).toBeCloseTo(update(update(0, 10 * b), b), 5));
    refVariance.forEach((v) => expect(v).toBeCloseTo(update(update(1, 100), 1), 4));
  });
});
