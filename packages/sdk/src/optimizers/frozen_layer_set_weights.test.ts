import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

// optimizer.setWeights given state for a layer frozen since the model was built: tfjs-layers 4.22
// keeps Adam's moments by position in the list of variables it trains, so a model that trained the
// layer lists its state, and the same model built with the layer frozen, then unfrozen and
// recompiled with that optimizer, continues from it. kerasm sets the state aside until the layer trains.

const X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]];
const Y = [[1.0], [-0.5], [0.3], [2.2]];
const LR = 0.05;
const fitArgs = { epochs: 4, batchSize: 4, shuffle: false, verbose: 0 as const };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const tfjsAdam = () => tf.train.adam(LR, 0.9, 0.999, 1e-7);
const values = (m: { getWeights(): { dataSync(): ArrayLike<number> }[] }) => m.getWeights().map((w) => Array.from(w.dataSync()));
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - b[i][j]))));

function tfjsModel(optimizer: tf.Optimizer, baseTrainable: boolean): tfl.LayersModel {
  // Seeded, so that every run compares the same numbers.
  const kernelInitializer = (seed: number) => tfl.initializers.glorotUniform({ seed });
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ units: 3, inputShape: [2], name: 'base', kernelInitializer: kernelInitializer(1) }), tfl.layers.dense({ units: 1, name: 'head', kernelInitializer: kernelInitializer(2) })],
  });
  model.layers[0].trainable = baseTrainable;
  model.compile({ optimizer, loss: 'meanSquaredError' });
  return model;
}

/** The base layer frozen before compile, then built: its optimizer holds state for the head alone. */
function frozenKerasmModel(): km.Sequential {
  const model = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [2], name: 'base' }), km.layers.dense({ units: 1, name: 'head' })] });
  model.layers[0].trainable = false;
  model.compile({ optimizer: km.optimizers.adam({ learningRate: LR }), loss: 'meanSquaredError' });
  model.getWeights();
  return model;
}

/**
 * A tfjs model trained 4 steps with every layer trainable: its weights (kerasm's order: trainable
 * first) and Adam's list. tfjs names the state after its variables, which get a suffix when a
 * variable of their name exists in the session (`base/kernel_2/m`); the list is renamed after the
 * weights' saved names, as a model made first in the session would list them.
 */
async function trainedInTfjs(): Promise<{ weights: number[][]; state: { name: string; tensor: tf.Tensor }[] }> {
  const model = tfjsModel(tfjsAdam(), true);
  await model.fit(tf.tensor(X), tf.tensor(Y), fitArgs);
  const [bk, bb, hk, hb] = values(model);
  const saved = new Map(model.weights.map((w) => [w.name, w.originalName]));
  const state = (await model.optimizer.getWeights()).map(({ name, tensor }) => {
    const cut = name.lastIndexOf('/');
    return { name: cut > 0 ? `${saved.get(name.slice(0, cut))}${name.slice(cut)}` : name, tensor };
  });
  return { weights: [hk, hb, bk, bb], state };
}

/** tfjs doing the same: the base frozen at compile, weights and state set, then unfrozen and recompiled with that optimizer, trained 4 steps. */
async function continuedInTfjs(weights: number[][], state: { name: string; tensor: tf.Tensor }[]): Promise<number[][]> {
  const optimizer = tfjsAdam();
  const model = tfjsModel(optimizer, false);
  const [hk, hb, bk, bb] = weights;
  model.setWeights([tf.tensor(hk, [3, 1]), tf.tensor(hb), tf.tensor(bk, [2, 3]), tf.tensor(bb)]);
  await optimizer.setWeights(state);
  model.layers[0].trainable = true;
  model.compile({ optimizer, loss: 'meanSquaredError' });
  await model.fit(tf.tensor(X), tf.tensor(Y), fitArgs);
  return values(model);
}

/** As in tfjs: trainable again, and compiled again with the same optimizer, which keeps its state. */
function unfreeze(model: km.LayersModel): void {
  model.layers[0].trainable = true;
  model.compile({ optimizer: model.optimizer!, loss: 'meanSquaredError' });
}

function setModelWeights(model: km.LayersModel, weights: number[][]): void {
  model.setWeights(model.getWeights().map((w, i) => km.tensor(Float32Array.from(weights[i]), [...w.shape])));
}

describe('optimizer.setWeights with state for a layer frozen since the model was built', () => {
  it("sets it aside: the frozen layer's steps leave it alone, and unfrozen, the model continues as tfjs-layers 4.22 does", async () => {
    const { weights, state } = await trainedInTfjs();
    const expected = await continuedInTfjs(weights, state);
    const model = frozenKerasmModel();
    setModelWeights(model, weights);
    await model.optimizer!.setWeights(state);
    expect(model.optimizer!.iterations).toBe(4);
    const listed = await model.optimizer!.getWeights();
    expect(listed.map((w) => w.name)).toEqual(['iter', 'head/kernel/m', 'head/bias/m', 'base/kernel/m', 'base/bias/m', 'head/kernel/v', 'head/bias/v', 'base/kernel/v', 'base/bias/v']);
    const given = new Map(state.map((s) => [s.name, Array.from(s.tensor.dataSync())]));
    for (const { name, tensor } of listed.slice(1)) expect(Array.from(tensor.dataSync())).toEqual(given.get(name));

    unfreeze(model);
    await model.fit(km.tensor(X), km.tensor(Y), fitArgs);
    // getWeights order after unfreezing: base, then head, as tfjs lists them.
    expect(maxDifference(values(model), expected)).toBeLessThan(1e-5);

    // The control: without the base's state it starts Adam afresh there and ends elsewhere.
    const fresh = frozenKerasmModel();
    setModelWeights(fresh, weights);
    await fresh.optimizer!.setWeights(state.filter((s) => !s.name.startsWith('base/')));
    unfreeze(fresh);
    await fresh.fit(km.tensor(X), km.tensor(Y), fitArgs);
    expect(maxDifference(values(fresh), expected)).toBeGreaterThan(1e-3);
  });

  it('keeps it through save({ includeOptimizer: true }) and loading, and tfjs-layers loads that file too', async () => {
    const { weights, state } = await trainedInTfjs();
    const expected = await continuedInTfjs(weights, state);
    const model = frozenKerasmModel();
    setModelWeights(model, weights);
    await model.optimizer!.setWeights(state);
    // A step while frozen moves the head, not the base's moments.
    await model.trainOnBatch(km.tensor(X), km.tensor(Y));
    const base = (await model.optimizer!.getWeights()).filter((w) => w.name.startsWith('base/')).map((w) => Array.from(w.tensor.dataSync()));
    expect(base).toEqual(state.filter((s) => s.name.startsWith('base/')).map((s) => Array.from(s.tensor.dataSync())));

    let artifacts: km.io.ModelArtifacts | undefined;
    await model.save(km.io.withSaveHandler(async (a) => void (artifacts = a)), { includeOptimizer: true });
    const loaded = await km.loadLayersModel(km.io.fromMemory(artifacts!));
    expect(loaded.layers[0].trainable).toBe(false);
    expect((await loaded.optimizer!.getWeights()).map((w) => w.name)).toEqual((await model.optimizer!.getWeights()).map((w) => w.name));
    for (const m of [model, loaded]) {
      unfreeze(m);
      await m.fit(km.tensor(X), km.tensor(Y), fitArgs);
    }
    expect(values(loaded)).toEqual(values(model));
    // One more step than tfjs took (the frozen one), so only close to it: the state was not lost.
    expect(maxDifference(values(model), expected)).toBeLessThan(0.05);
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect((await theirs.optimizer.getWeights()).length).toBe(9);
  });

  it("refuses a list that gives a frozen weight some of its states and not others, naming them, and leaves the state as it was", async () => {
    const { state } = await trainedInTfjs();
    const model = frozenKerasmModel();
    await model.trainOnBatch(km.tensor(X), km.tensor(Y));
    const before = (await model.optimizer!.getWeights()).map((w) => Array.from(w.tensor.dataSync()));
    await expect(model.optimizer!.setWeights(state.filter((s) => s.name !== 'base/kernel/v'))).rejects.toThrow(
      "Adam.setWeights: the list gives weight 'base/kernel' (of a layer frozen since the model was built) 'base/kernel/m' but not 'base/kernel/v'. Pass every state Adam keeps for a weight",
    );
    expect((await model.optimizer!.getWeights()).map((w) => Array.from(w.tensor.dataSync()))).toEqual(before);
    expect(model.optimizer!.iterations).toBe(1);
  });

  it('still refuses a name that belongs to no weight of the model, listing the frozen ones it takes', async () => {
    const { state } = await trainedInTfjs();
    const model = frozenKerasmModel();
    const renamed = state.map((s) => ({ name: s.name.replace('base/', 'other/'), tensor: s.tensor }));
    await expect(model.optimizer!.setWeights(renamed)).rejects.toThrow(
      "'other/kernel/m' names no state of Adam, which keeps state for its model's 2 trainable weights, and may be given state for its 2 frozen ones ('base/kernel', 'base/bias')",
    );
  });
});
