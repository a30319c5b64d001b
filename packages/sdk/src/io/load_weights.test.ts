import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { tfjsArtifacts } from './testing/round_trip.js';

let dir: string;
beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'kerasm-weights-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const x = km.tensor(Float32Array.from({ length: 8 * 5 }, (_, i) => Math.sin(i * 0.7)), [8, 5]);
const y = km.tensor(Int32Array.from({ length: 8 }, (_, i) => i % 3), [8], 'int32');

/** The MLP under test; each call builds new layers, so their generated names differ from the last call's. */
function mlp(): km.Sequential {
  return km.sequential([km.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
}

/** A compiled MLP trained a little, so its weights are neither initial nor zero. */
async function trainedMlp(seed: number): Promise<km.Sequential> {
  km.utils.setRandomSeed(seed);
  const model = mlp();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  return model;
}

function weightValues(model: km.LayersModel | km.layers.Layer): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}
const values = weightValues;

describe('model.saveWeights and model.loadWeights', () => {
  it('an identical model built in the same program (other layer names) takes the weights by position and predicts the same', async () => {
    const trained = await trainedMlp(3);
    const path = join(dir, 'mlp');
    await trained.saveWeights(path);
    const twin = mlp();
    expect(twin.layers.map((l) => l.name)).not.toEqual(trained.layers.map((l) => l.name));
    expect(weightValues(twin)).not.toEqual(weightValues(trained));
    await twin.loadWeights(join(path, 'model.json'));
    expect(weightValues(twin)).toEqual(weightValues(trained));
    expect(Array.from(twin.predict(x).dataSync())).toEqual(Array.from(trained.predict(x).dataSync()));
  });

  it('weights pair by name when the file names them all, whatever their order', async () => {
    // A frozen first layer saves its weights after the trainable ones; the reader's are all trainable.
    km.utils.setRandomSeed(4);
    const first = km.layers.dense({ units: 4, inputShape: [5], name: 'first' });
    const saver = km.sequential([first, km.layers.dense({ units: 4, name: 'second' })]);
    first.trainable = false;
    const path = join(dir, 'frozen');
    await saver.saveWeights(path);
    const saved = JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as km.io.ModelJSON;
    expect(saved.weightsManifest[0].weights.map((w) => w.name)).toEqual(['second/kernel', 'second/bias', 'first/kernel', 'first/bias']);
    const reader = km.sequential([km.layers.dense({ units: 4, inputShape: [5], name: 'first' }), km.layers.dense({ units: 4, name: 'second' })]);
    await reader.loadWeights(path);
    expect(Array.from(reader.predict(x).dataSync())).toEqual(Array.from(saver.predict(x).dataSync()));
  });

  it('saves neither training config nor optimizer state, and the file also loads as an uncompiled model', async () => {
    const trained = await trainedMlp(5);
    const whole = join(dir, 'whole');
    const weightsOnly = join(dir, 'weights-only');
    await trained.save(whole, { includeOptimizer: true });
    await trained.saveWeights(weightsOnly);
    const read = async (folder: string) => JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as km.io.ModelJSON;
    const [wholeJson, weightsJson] = [await read(whole), await read(weightsOnly)];
    expect(wholeJson.trainingConfig).toBeDefined();
    expect(wholeJson.weightsManifest[0].weights.some((w) => w.group === 'optimizer')).toBe(true);
    expect(weightsJson.trainingConfig).toBeUndefined();
    expect(weightsJson.weightsManifest[0].weights.map((w) => w.name)).toEqual(trained.layers.flatMap((l) => [`${l.name}/kernel`, `${l.name}/bias`]));
    expect(weightsJson.modelTopology).toEqual(wholeJson.modelTopology);
    const loaded = await km.loadLayersModel(weightsOnly);
    expect(loaded.optimizer).toBeUndefined();
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(trained.predict(x).dataSync()));
  });

  it("reads a whole model's file, its optimizer state left alone, and the reader keeps training from its own state", async () => {
    const trained = await trainedMlp(6);
    const path = join(dir, 'with-optimizer');
    await trained.save(path, { includeOptimizer: true });
    const reader = mlp();
    reader.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await reader.loadWeights(path);
    expect(weightValues(reader)).toEqual(weightValues(trained));
    const history = await reader.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
    expect(weightValues(reader)).not.toEqual(weightValues(trained));
  });

  it("loads the weights of tfjs-layers' file for the same architecture, and predicts as tfjs does", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), tfl.layers.dense({ units: 3, activation: 'softmax' })] });
    const ours = mlp();
    await ours.loadWeights(km.io.fromMemory(await tfjsArtifacts(theirs)));
    const expected = tf.tidy(() => (theirs.predict(tf.tensor(x.dataSync(), [8, 5])) as tf.Tensor).dataSync());
    const got = ours.predict(x).dataSync();
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 6);
    theirs.dispose();
  });
});

describe('model.loadWeights with skipMismatch (Keras skip_mismatch)', () => {
  /** A named MLP with a head of `classes` units, and an extra layer before the head when asked. */
  function named(classes: number, extra = false): km.Sequential {
    return km.sequential([
      km.layers.dense({ units: 6, activation: 'tanh', inputShape: [5], name: 'features' }),
      ...(extra ? [km.layers.dense({ units: 6, name: 'extra' })] : []),
      km.layers.dense({ units: classes, activation: 'softmax', name: 'head' }),
    ]);
  }

  it('loads the base of a pretrained model under a new head, keeps the head and the new layer, and warns which it kept', async () => {
    km.utils.setRandomSeed(10);
    const pretrained = named(3);
    const path = join(dir, 'pretrained');
    await pretrained.saveWeights(path);
    const tuned = named(4, true);
    const [, headBefore, extraBefore] = [tuned.getLayer('features'), tuned.getLayer('head'), tuned.getLayer('extra')].map((l) => values(l));
    await expect(tuned.loadWeights(path)).rejects.toThrow(/fit this model neither by name/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await tuned.loadWeights(path, { skipMismatch: true });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0][0]).toBe(
        `kerasm: loadWeights from ${path}/model.json kept 4 of the model's weights as they were: weight 'extra/kernel' of layer 'extra' is not in the file; ` +
          "weight 'extra/bias' of layer 'extra' is not in the file; weight 'head/kernel' has shape [6, 3] in the manifest, but layer 'head' (Dense) expects [6, 4] for 'head/kernel'; " +
          "weight 'head/bias' has shape [3] in the manifest, but layer 'head' (Dense) expects [4] for 'head/bias'.",
      );
    } finally {
      warn.mockRestore();
    }
    expect(values(tuned.getLayer('features'))).toEqual(values(pretrained.getLayer('features')));
    expect(values(tuned.getLayer('head'))).toEqual(headBefore);
    expect(values(tuned.getLayer('extra'))).toEqual(extraBefore);
  });

  it('refuses to load nothing, and checks its option', async () => {
    const path = join(dir, 'unnamed');
    await mlp().saveWeights(path);
    const other = named(3);
    await expect(other.loadWeights(path, { skipMismatch: true })).rejects.toThrow(/no weight of the file fits this model by name, so skipMismatch would load nothing \(weight 'features\/kernel' of layer 'features' is not in the file\)/);
    await expect(other.loadWeights(path, { skipMismatch: 'yes' as unknown as boolean })).rejects.toThrow('loadWeights skipMismatch must be true or false. Received: skipMismatch="yes".');
    await expect(other.loadWeights(path, { skip_mismatch: true } as never)).rejects.toThrow(/loadWeights has no option 'skip_mismatch'; did you mean 'skipMismatch'\?/);
  });
});

describe('model.loadWeights refuses weights that do not fit, and the model keeps its own', () => {
  it('another architecture: says why by name and by position, and leaves every weight as it was', async () => {
    const trained = await trainedMlp(7);
    const path = join(dir, 'small');
    await trained.saveWeights(path);
    const wider = km.sequential([km.layers.dense({ units: 7, activation: 'tanh', inputShape: [5] }), km.layers.dense({ units: 3, activation: 'softmax' })]);
    const before = weightValues(wider);
    await expect(wider.loadWeights(path)).rejects.toThrow(
      /fit this model neither by name \(weight 'dense_\d+\/kernel' of layer 'dense_\d+' \(Dense\) is missing from the weights manifest \(found: dense_\d+\/kernel, .*\)\) nor by position \(weight 'dense_\d+\/kernel' has shape \[5, 6\] in the manifest, but layer 'dense_\d+' \(Dense\) expects \[5, 7\] for 'dense_\d+\/kernel'\)\. Load weights saved from a model of the same architecture\./,
    );
    const deeper = km.sequential([km.layers.dense({ units: 6, inputShape: [5] }), km.layers.dense({ units: 6 }), km.layers.dense({ units: 3 })]);
    await expect(deeper.loadWeights(path)).rejects.toThrow(/nor by position \(the file holds 4 weights and the model 6\)/);
    expect(weightValues(wider)).toEqual(before);
  });

  it('a truncated weights file: the loader names it, and the model keeps its weights', async () => {
    const trained = await trainedMlp(8);
    const path = join(dir, 'truncated');
    await trained.saveWeights(path);
    const [weightsFile] = (JSON.parse(await readFile(join(path, 'model.json'), 'utf8')) as km.io.ModelJSON).weightsManifest[0].paths;
    await truncate(join(path, weightsFile), 40);
    const twin = mlp();
    const before = weightValues(twin);
    await expect(twin.loadWeights(path)).rejects.toThrow(/truncated/);
    expect(weightValues(twin)).toEqual(before);
  });

  it("a map of tensors, as tfjs' loadWeights takes, is pointed to setWeights", async () => {
    const model = mlp();
    const map = Object.fromEntries(model.layers.flatMap((l) => [[`${l.name}/kernel`, km.tensor([0])]]));
    await expect(model.loadWeights(map as unknown as km.io.IOHandler)).rejects.toThrow(
      "loadWeights reads a saved model (a path, a URL or a km.io handler), not a map of tensors as tfjs' model.loadWeights does. To set weights from tensors, call model.setWeights([...]) with them in model.getWeights() order (4 tensors).",
    );
  });

  it('a model not built yet is asked to be built first', async () => {
    const trained = await trainedMlp(9);
    const path = join(dir, 'unbuilt');
    await trained.saveWeights(path);
    const unbuilt = km.sequential([km.layers.dense({ units: 6 }), km.layers.dense({ units: 3 })]);
    await expect(unbuilt.loadWeights(path)).rejects.toThrow(/is not built yet: give the first layer an inputShape, call model.build\(\[null, ...inputShape\]\), or call fit first/);
  });
});
