import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { withSavedWeightNames } from './tfjs_state_names.js';

// tfjs-layers 4.22 names optimizer state after its variables' session-unique names: a model made
// after another with the same layer names lists (and saves) `base/kernel_1/m` for the weight saved
// as `base/kernel`. kerasm takes those names for its own weights' states, where only one can be meant.

const X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]];
const Y = [[1.0], [-0.5], [0.3], [2.2]];
const LR = 0.05;
const fitArgs = { epochs: 4, batchSize: 4, shuffle: false, verbose: 0 as const };

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

type Names = readonly [string, string];
const values = (m: { getWeights(): { dataSync(): ArrayLike<number> }[] }) => m.getWeights().map((w) => Array.from(w.dataSync()));
const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - b[i][j]))));

function tfjsModel([first, second]: Names): tfl.LayersModel {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', name: first }), tfl.layers.dense({ units: 1, name: second })] });
  model.compile({ optimizer: tf.train.adam(LR, 0.9, 0.999, 1e-7), loss: 'meanSquaredError' });
  return model;
}

/** A tfjs model made after another with the same layer names, so its variables are suffixed, trained 4 steps from fixed weights. */
async function suffixedTfjsModel(names: Names): Promise<tfl.LayersModel> {
  tfjsModel(names);
  const model = tfjsModel(names);
  let at = 0;
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => 0.6 * Math.sin(++at)), w.shape)));
  await model.fit(tf.tensor(X), tf.tensor(Y), fitArgs);
  return model;
}

function kerasmModel([first, second]: Names): km.Sequential {
  const model = km.sequential([km.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', name: first }), km.layers.dense({ units: 1, name: second })]);
  model.compile({ optimizer: km.optimizers.adam({ learningRate: LR, epsilon: 1e-7 }), loss: 'meanSquaredError' });
  return model;
}

/** The same architecture in kerasm, with `theirs`' weights, built. */
function kerasmTwin(theirs: tfl.LayersModel, names: Names): km.Sequential {
  const model = kerasmModel(names);
  model.setWeights(theirs.getWeights().map((w) => km.tensor(Float32Array.from(w.dataSync()), [...w.shape])));
  return model;
}

async function tfjsArtifacts(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })), { includeOptimizer: true });
  return artifacts!;
}

const stateNames = ([first, second]: Names) => ['iter', ...['m', 'v'].flatMap((s) => [`${first}/kernel/${s}`, `${first}/bias/${s}`, `${second}/kernel/${s}`, `${second}/bias/${s}`])];

// 'dense' and 'dense_1': a layer name that itself ends in '_1' is kept, only the variable's suffix goes.
describe.each([[['base', 'head'] as const], [['dense', 'dense_1'] as const]])('a tfjs list whose state names carry a session suffix, layers %j', (names) => {
  it('optimizer.setWeights takes it as this model\'s state, and training continues as tfjs-layers 4.22 does', async () => {
    const theirs = await suffixedTfjsModel(names);
    const state = await theirs.optimizer.getWeights();
    expect(state.slice(1).every(({ name }) => /_\d+\/[mv]$/.test(name))).toBe(true);
    const ours = kerasmTwin(theirs, names);
    await ours.optimizer!.setWeights(state);
    const listed = await ours.optimizer!.getWeights();
    expect(listed.map((w) => w.name)).toEqual(stateNames(names));
    listed.forEach((w, i) => expect(Array.from(w.tensor.dataSync())).toEqual(Array.from(state[i].tensor.dataSync())));

    const restarted = kerasmTwin(theirs, names);
    await theirs.fit(tf.tensor(X), tf.tensor(Y), fitArgs);
    for (const m of [ours, restarted]) await m.fit(km.tensor(X), km.tensor(Y), fitArgs);
    expect(maxDifference(values(ours), values(theirs))).toBeLessThan(1e-5);
    // The control: a fresh Adam ends elsewhere, so the state moved.
    expect(maxDifference(values(restarted), values(theirs))).toBeGreaterThan(1e-3);
  });

  it('a file tfjs saved with { includeOptimizer: true } loads with its optimizer state and continues as tfjs does', async () => {
    const theirs = await suffixedTfjsModel(names);
    const artifacts = await tfjsArtifacts(theirs);
    const saved = artifacts.weightSpecs!.map((w) => w.name);
    // tfjs saves the weights under their saved names and the state under the variables' names.
    expect(saved.slice(0, 4)).toEqual([`${names[0]}/kernel`, `${names[0]}/bias`, `${names[1]}/kernel`, `${names[1]}/bias`]);
    expect(saved.slice(5).every((name) => /_\d+\/[mv]$/.test(name))).toBe(true);
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts as km.io.ModelArtifacts));
    expect(ours.optimizer!.iterations).toBe(4);
    expect((await ours.optimizer!.getWeights()).map((w) => w.name)).toEqual(stateNames(names));

    await theirs.fit(tf.tensor(X), tf.tensor(Y), fitArgs);
    await ours.fit(km.tensor(X), km.tensor(Y), fitArgs);
    expect(maxDifference(values(ours), values(theirs))).toBeLessThan(1e-5);
  });
});

describe('where a suffixed name could mean more than one state', () => {
  const names = ['base', 'head'] as const;

  it('setWeights refuses two entries for one state (one exact, or both suffixed), naming them and the fix, and changes nothing', async () => {
    const theirs = await suffixedTfjsModel(names);
    const state = await theirs.optimizer.getWeights();
    const kernelM = state.find((s) => /^base\/kernel_\d+\/m$/.test(s.name))!;
    const ours = kerasmTwin(theirs, names);
    await ours.trainOnBatch(km.tensor(X), km.tensor(Y));
    const before = (await ours.optimizer!.getWeights()).map((w) => Array.from(w.tensor.dataSync()));

    const withExact = [...state, { name: 'base/kernel/m', tensor: kernelM.tensor }];
    await expect(ours.optimizer!.setWeights(withExact)).rejects.toThrow(
      `Adam.setWeights: '${kernelM.name}' and 'base/kernel/m' stand for the optimizer state 'base/kernel/m' of weight 'base/kernel' (tfjs names a state after its variable's session-unique name, which adds '_<n>' to the weight name of a model made after another with the same layer names), so which one is that weight's is ambiguous. ` +
        "Pass one entry per state, from one model: name each after its weight's saved name ('base/kernel/m'; in tfjs, w.originalName of model.weights, then '/m') and leave out the other model's.",
    );
    const twoSuffixed = [...state, { name: 'base/kernel_99/m', tensor: kernelM.tensor }];
    await expect(ours.optimizer!.setWeights(twoSuffixed)).rejects.toThrow(`'${kernelM.name}' and 'base/kernel_99/m' stand for the optimizer state 'base/kernel/m' of weight 'base/kernel'`);
    expect((await ours.optimizer!.getWeights()).map((w) => Array.from(w.tensor.dataSync()))).toEqual(before);
    expect(ours.optimizer!.iterations).toBe(1);
  });

  it('loading refuses a file whose optimizer weights name one state twice, naming them', async () => {
    const theirs = await suffixedTfjsModel(names);
    const artifacts = await tfjsArtifacts(theirs);
    const biasM = artifacts.weightSpecs!.find((w) => /^base\/bias_\d+\/m$/.test(w.name))!.name;
    const headBiasM = artifacts.weightSpecs!.find((w) => /^head\/bias_\d+\/m$/.test(w.name))!.name;
    const edited = { ...artifacts, weightSpecs: artifacts.weightSpecs!.map((w) => (w.name === headBiasM ? { ...w, name: 'base/bias/m' } : w)) };
    await expect(km.loadLayersModel(km.io.fromMemory(edited as km.io.ModelArtifacts))).rejects.toThrow(`'${biasM}' and 'base/bias/m' stand for the optimizer state 'base/bias/m' of weight 'base/bias'`);
  });

  it("a frozen layer's suffixed state is set aside for it, as its exact name is", async () => {
    const theirs = await suffixedTfjsModel(names);
    const state = await theirs.optimizer.getWeights();
    const ours = kerasmModel(names);
    ours.layers[0].trainable = false;
    ours.getWeights(); // builds it, laying Adam out for the head alone
    await ours.optimizer!.setWeights(state);
    const listed = await ours.optimizer!.getWeights();
    expect(listed.map((w) => w.name)).toEqual(['iter', 'head/kernel/m', 'head/bias/m', 'base/kernel/m', 'base/bias/m', 'head/kernel/v', 'head/bias/v', 'base/kernel/v', 'base/bias/v']);
    const given = new Map(state.map((s) => [s.name.replace(/_\d+\//, '/'), Array.from(s.tensor.dataSync())]));
    for (const { name, tensor } of listed.slice(1)) expect(Array.from(tensor.dataSync())).toEqual(given.get(name));
  });
});

describe('withSavedWeightNames', () => {
  const known = new Set(['iter', 'scale/w/m', 'scale/w/v', 'scale/w_1/m', 'base/kernel/m']);
  const named = (...names: string[]) => names.map((name) => ({ name }));

  it("keeps a name that is a state, though its weight's name ends in '_<n>', and renames a suffixed one", () => {
    expect(withSavedWeightNames(named('iter', 'scale/w_1/m', 'scale/w/m', 'base/kernel_3/m'), known, 'test').map((e) => e.name)).toEqual(['iter', 'scale/w_1/m', 'scale/w/m', 'base/kernel/m']);
  });

  it("leaves a name alone whose weight part is one of the model's weights, or whose unsuffixed name is no state, for the caller's error", () => {
    expect(withSavedWeightNames(named('scale/w_1/v', 'other/kernel_1/m', 'base/kernel/x'), known, 'test').map((e) => e.name)).toEqual(['scale/w_1/v', 'other/kernel_1/m', 'base/kernel/x']);
  });
});
