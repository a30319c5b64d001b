import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { tfjsArtifacts } from '../io/testing/round_trip.js';
import { Random } from '../utils/random.js';
import { relativeGap, weightValues } from '../testing/continuation_gap.js';

// optimizer.getWeights() and setWeights() against TensorFlow.js 4.22's: the same model (kerasm
// loads tfjs' file, so names and starting weights agree) trained full-batch on the same data.

const SAMPLES = 16;
let x: km.Tensor;
let y: km.Tensor;
let tfX: tf.Tensor;
let tfY: tf.Tensor;
const fitArgs = { epochs: 3, batchSize: SAMPLES, shuffle: false, verbose: 0 as const };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
  const random = new Random(21);
  const xs = Float32Array.from({ length: SAMPLES * 3 }, () => random.uniform(-1, 1));
  const ys = Float32Array.from({ length: SAMPLES * 2 }, () => random.uniform(-1, 1));
  x = km.tensor(xs, [SAMPLES, 3]);
  y = km.tensor(ys, [SAMPLES, 2]);
  tfX = tf.tensor(xs, [SAMPLES, 3]);
  tfY = tf.tensor(ys, [SAMPLES, 2]);
});

/** tfjs' default kernel initializer, seeded, so each run starts from the same weights (the Adam values above are compared at 1e-4). */
const seeded = (seed: number) => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed }) });

/** A tfjs model, and kerasm's twin loaded from its file: same weight names, same starting values. */
async function twins(tfjsOptimizer: tf.Optimizer, kerasmOptimizer: km.optimizers.Optimizer): Promise<{ theirs: tfl.LayersModel; ours: km.LayersModel }> {
  const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', ...seeded(1) }), tfl.layers.dense({ units: 2, ...seeded(2) })] });
  const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
  theirs.compile({ optimizer: tfjsOptimizer, loss: 'meanSquaredError' });
  ours.compile({ optimizer: kerasmOptimizer, loss: 'mse' });
  return { theirs, ours };
}

async function described(list: readonly { name: string; tensor: { shape: readonly number[]; dtype: string; data(): Promise<unknown> } }[]) {
  return Promise.all(list.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], dtype: tensor.dtype, values: Array.from((await tensor.data()) as Float32Array) })));
}

// tfjs' centered RMSProp adds ε under the root with the other sign, so that case takes ε = 0.
const cases = [
  { name: 'Adam', tfjs: () => tf.train.adam(0.02, 0.9, 0.999, 1e-7), kerasm: () => km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-7 }), states: ['m', 'v'] },
  { name: 'Momentum', tfjs: () => tf.train.momentum(0.05, 0.9), kerasm: () => km.optimizers.momentum(0.05, 0.9), states: ['momentum'] },
  { name: 'RMSProp centered with momentum', tfjs: () => tf.train.rmsprop(0.01, 0.8, 0.5, 0, true), kerasm: () => km.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 0, centered: true }), states: ['rms', 'momentum', 'mg'] },
  { name: 'Adagrad', tfjs: () => tf.train.adagrad(0.1, 0.01), kerasm: () => km.optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.01 }), states: ['accumulator'] },
  { name: 'SGD', tfjs: () => tf.train.sgd(0.1), kerasm: () => km.optimizers.sgd(0.1), states: [] },
];

describe("optimizer.getWeights() gives tfjs-layers 4.22's list", () => {
  it.each(cases)('$name: the same names, order, shapes and values after the same training', async ({ tfjs, kerasm, states }) => {
    const { theirs, ours } = await twins(tfjs(), kerasm());
    await theirs.fit(tfX, tfY, fitArgs);
    await ours.fit(x, y, fitArgs);
    const expected = await described(await theirs.optimizer.getWeights());
    const actual = await described(await ours.optimizer!.getWeights());
    const weightNames = theirs.trainableWeights.map((w) => w.originalName);
    expect(expected.map((e) => e.name)).toEqual(['iter', ...states.flatMap((s) => weightNames.map((w) => `${w}/${s}`))]);
    expect(actual.map(({ name, shape, dtype }) => ({ name, shape, dtype }))).toEqual(expected.map(({ name, shape, dtype }) => ({ name, shape, dtype })));
    expect(actual[0].values).toEqual([3]);
    actual.slice(1).forEach((a, i) => {
      const e = expected[i + 1].values;
      const scale = Math.max(...e.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      a.values.forEach((v, j) => expect(Math.abs(v - e[j])).toBeLessThanOrEqual(1e-4 * scale));
    });
  });

  it("before the first update it is [iter] at 0, as tfjs' is: for an optimizer no model used, and for one compiled into a built model", async () => {
    const tfjsFresh = await described(await tf.train.adam(0.01).getWeights());
    expect(tfjsFresh).toEqual([{ name: 'iter', shape: [], dtype: 'int32', values: [0] }]);
    const unused = km.optimizers.adam(0.01);
    expect(await described(await unused.getWeights())).toEqual(tfjsFresh);
    const { ours } = await twins(tf.train.adam(0.01), unused);
    ours.getWeights(); // builds the model, laying the optimizer's state out
    expect(await described(await unused.getWeights())).toEqual(tfjsFresh);
    // tfjs' fresh list restarts a trained optimizer.
    await ours.fit(x, y, fitArgs);
    await unused.setWeights(await tf.train.adam(0.01).getWeights());
    expect(unused.iterations).toBe(0);
    const restarted = ours.getWeights();
    const twin = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tfl.layers.dense({ units: 2 })] }))));
    twin.compile({ optimizer: km.optimizers.adam(0.01), loss: 'mse' });
    twin.setWeights(restarted);
    await ours.fit(x, y, fitArgs);
    await twin.fit(x, y, fitArgs);
    expect(weightValues(ours)).toEqual(weightValues(twin));
  });
});

describe('optimizer.setWeights() takes the other library’s list and training continues alike', () => {
  it.each(cases.filter((c) => c.states.length > 0))("$name: tfjs' list (tfjs tensors) into kerasm", async ({ tfjs, kerasm }) => {
    const { theirs, ours } = await twins(tfjs(), kerasm());
    const { ours: restarted } = await twins(tfjs(), kerasm());
    await theirs.fit(tfX, tfY, fitArgs);
    const trained = theirs.getWeights().map((w) => km.tensor(w.dataSync() as Float32Array, [...w.shape]));
    ours.setWeights(trained);
    restarted.setWeights(trained);
    await ours.optimizer!.setWeights(await theirs.optimizer.getWeights());
    expect(ours.optimizer!.iterations).toBe(3);

    const before = weightValues(theirs);
    await theirs.fit(tfX, tfY, fitArgs);
    await ours.fit(x, y, fitArgs);
    await restarted.fit(x, y, fitArgs);
    expect(relativeGap(weightValues(ours), weightValues(theirs), before)).toBeLessThan(1e-3);
    expect(relativeGap(weightValues(restarted), weightValues(theirs), before)).toBeGreaterThan(0.05);
  });

  it.each(cases.filter((c) => c.states.length > 0))("$name: kerasm's list into tfjs", async ({ tfjs, kerasm }) => {
    const { theirs, ours } = await twins(tfjs(), kerasm());
    const { theirs: restarted } = await twins(tfjs(), kerasm());
    await ours.fit(x, y, fitArgs);
    const trained = ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape]));
    theirs.setWeights(trained);
    restarted.setWeights(trained);
    const state = await ours.optimizer!.getWeights();
    await theirs.optimizer.setWeights(state.map(({ name, tensor }) => ({ name, tensor: tf.tensor(tensor.dataSync(), [...tensor.shape], tensor.dtype) })));

    const before = weightValues(ours);
    await ours.fit(x, y, fitArgs);
    await theirs.fit(tfX, tfY, fitArgs);
    await restarted.fit(tfX, tfY, fitArgs);
    expect(relativeGap(weightValues(theirs), weightValues(ours), before)).toBeLessThan(1e-3);
    expect(relativeGap(weightValues(restarted), weightValues(ours), before)).toBeGreaterThan(0.05);
  });
});

describe("a frozen layer's state moves between the libraries", () => {
  const ganData = (seed: number) => {
    const random = new Random(seed);
    const real = Float32Array.from({ length: 8 * 3 }, () => random.uniform(-1, 1));
    const z = Float32Array.from({ length: 8 * 2 }, () => random.uniform(-1, 1));
    return { real, z };
  };

  it("a GAN discriminator while it is frozen takes tfjs' full list, and its next step is tfjs'", async () => {
    // tfjs' GAN: the discriminator frozen to compile the combined model, and unfrozen for its own steps
    // (tfjs 4.22 drops from a model's training the weights frozen since its compile).
    const g = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2], ...seeded(3) })] });
    const d = tfl.sequential({ layers: [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'tanh', ...seeded(4) }), tfl.layers.dense({ units: 1, activation: 'sigmoid', ...seeded(5) })] });
    const dOptimizer = tf.train.adam(0.02, 0.9, 0.999, 1e-7);
    d.compile({ optimizer: dOptimizer, loss: 'binaryCrossentropy' });
    d.trainable = false;
    const combined = tfl.sequential({ layers: [g, d] });
    combined.compile({ optimizer: tf.train.adam(0.02), loss: 'binaryCrossentropy' });
    // kerasm's discriminator, with tfjs' weight names; trained a step of its own, then frozen as in its GAN loop.
    const ours = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(d)));
    ours.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-7 }), loss: 'binaryCrossentropy' });
    const restarted = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(d)));
    restarted.compile({ optimizer: km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-7 }), loss: 'binaryCrossentropy' });
    for (const model of [ours, restarted]) {
      model.trainable = true;
      await model.trainOnBatch(km.tensor(ganData(1).real, [8, 3]), km.ones([8, 1]));
      model.trainable = false;
      model.predict(km.tensor(ganData(1).real, [8, 3])); // laid out for no weights while frozen
    }
    for (let step = 2; step < 5; step++) {
      const { real, z } = ganData(step);
      d.trainable = true;
      await d.trainOnBatch(tf.tensor(real, [8, 3]), tf.ones([8, 1]));
      await d.trainOnBatch(g.predict(tf.tensor(z, [8, 2])) as tf.Tensor, tf.zeros([8, 1]));
      d.trainable = false;
      await combined.trainOnBatch(tf.tensor(z, [8, 2]), tf.ones([8, 1]));
    }
    const theirList = await dOptimizer.getWeights();
    const names = d.weights.map((w) => w.originalName);
    expect(theirList.map((w) => w.name)).toEqual(['iter', ...['m', 'v'].flatMap((s) => names.map((n) => `${n}/${s}`))]);
    const trained = d.getWeights().map((w) => km.tensor(w.dataSync() as Float32Array, [...w.shape]));
    for (const model of [ours, restarted]) model.setWeights(trained);
    await ours.optimizer!.setWeights(theirList);
    expect(ours.optimizer!.iterations).toBe(6);
    expect((await ours.optimizer!.getWeights()).map((w) => w.name)).toEqual(theirList.map((w) => w.name));

    const before = weightValues(d);
    const { real } = ganData(5);
    d.trainable = true;
    await d.trainOnBatch(tf.tensor(real, [8, 3]), tf.ones([8, 1]));
    for (const model of [ours, restarted]) {
      model.trainable = true;
      await model.trainOnBatch(km.tensor(real, [8, 3]), km.ones([8, 1]));
    }
    expect(relativeGap(weightValues(ours), weightValues(d), before)).toBeLessThan(1e-3);
    expect(relativeGap(weightValues(restarted), weightValues(d), before)).toBeGreaterThan(0.05);
  });

  it('with a layer frozen after a step: tfjs lists it and kerasm takes the list; kerasm lists it as tfjs does, and tfjs continues from it', async () => {
    const { theirs, ours } = await twins(tf.train.adam(0.02, 0.9, 0.999, 1e-7), km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-7 }));
    const { ours: restarted } = await twins(tf.train.adam(0.02), km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-7 }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      for (const model of [ours, restarted]) {
        await model.fit(x, y, fitArgs);
        model.layers[1].trainable = false;
        await model.fit(x, y, fitArgs);
      }
      await theirs.fit(tfX, tfY, fitArgs);
      const theirList = await theirs.optimizer.getWeights();
      // kerasm's list of its own state has tfjs' names, order and shapes, the frozen layer's included.
      const ourList = await ours.optimizer!.getWeights();
      expect(ourList.map((w) => [w.name, w.tensor.shape])).toEqual(theirList.map((w) => [w.name, w.tensor.shape]));
      const trained = theirs.getWeights().map((w) => km.tensor(w.dataSync() as Float32Array, [...w.shape]));
      for (const model of [ours, restarted]) model.setWeights(trained);
      await ours.optimizer!.setWeights(theirList);
      expect(ours.optimizer!.iterations).toBe(3);

      const before = weightValues(theirs);
      await theirs.fit(tfX, tfY, fitArgs);
      for (const model of [ours, restarted]) {
        model.layers[1].trainable = true;
        await model.fit(x, y, fitArgs);
      }
      expect(relativeGap(weightValues(ours), weightValues(theirs), before)).toBeLessThan(1e-3);
      expect(relativeGap(weightValues(restarted), weightValues(theirs), before)).toBeGreaterThan(0.05);

      // And back: kerasm's list, taken with the layer frozen, into a tfjs twin that continues alike.
      ours.layers[1].trainable = false;
      ours.predict(x);
      const fromUs = await ours.optimizer!.getWeights();
      const { theirs: twin } = await twins(tf.train.adam(0.02, 0.9, 0.999, 1e-7), km.optimizers.adam());
      twin.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
      await twin.optimizer.setWeights(fromUs.map(({ name, tensor }) => ({ name, tensor: tf.tensor(tensor.dataSync(), [...tensor.shape], tensor.dtype) })));
      const start = weightValues(ours);
      ours.layers[1].trainable = true;
      await ours.fit(x, y, fitArgs);
      await twin.fit(tfX, tfY, fitArgs);
      expect(relativeGap(weightValues(twin), weightValues(ours), start)).toBeLessThan(1e-3);
    } finally {
      warn.mockRestore();
    }
  });
});
