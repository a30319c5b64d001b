import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { tfjsDigitOnly } from '../testing/nested_heads.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from './testing/round_trip.js';

/*
 * A model built on one output of a two-headed model nested in it: the file holds every weight of
 * the nested model, the unused head's included, as tfjs writes and requires them.
 */

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

const N = 5;
const xValues = Float32Array.from({ length: N * 6 }, (_, i) => Math.sin(i * 1.3));
const digitTargets = Float32Array.from({ length: N * 3 }, (_, i) => Math.cos(i * 0.7));

/** outer = inner(x)[digit], with inner: [6] -> trunk -> { digit_head [3], parity_head [1] }. */
function kerasmModel(named: boolean): km.LayersModel {
  const input = km.input({ shape: [6], name: 'inner_input' });
  const h = km.layers.dense({ units: 5, activation: 'tanh', name: 'trunk' }).apply(input) as km.SymbolicTensor;
  const digit = km.layers.dense({ units: 3, name: 'digit_head' }).apply(h) as km.SymbolicTensor;
  const parity = km.layers.dense({ units: 1, activation: 'sigmoid', name: 'parity_head' }).apply(h) as km.SymbolicTensor;
  const inner = km.model({ inputs: input, outputs: named ? { digit, parity } : [digit, parity], name: 'inner' });
  const x = km.input({ shape: [6], name: 'features' });
  const out = named ? inner.apply<Record<string, km.SymbolicTensor>>(x).digit : (inner.apply(x) as km.SymbolicTensor[])[0];
  return km.model({ inputs: x, outputs: out, name: 'outer' });
}

const parityOf = (model: tfl.LayersModel) => (model.getLayer('inner') as tfl.LayersModel).getLayer('parity_head').getWeights().map((w) => Array.from(w.dataSync()));
const kmParityOf = (model: km.LayersModel) => (model.getLayer('inner') as km.LayersModel).getLayer('parity_head').getWeights().map((w) => Array.from(w.dataSync()));

describe('saving and loading a model that uses some outputs of a nested model', () => {
  for (const named of [false, true]) {
    it(`kerasm's file (${named ? 'named' : 'listed'} outputs) holds the unused head's weights, and tfjs and kerasm load it`, async () => {
      km.utils.setRandomSeed(named ? 11 : 12);
      const ours = kerasmModel(named);
      const artifacts = await kerasmArtifacts(ours);
      expect(artifacts.weightSpecs!.map((w) => w.name)).toEqual(['trunk/kernel', 'trunk/bias', 'digit_head/kernel', 'digit_head/bias', 'parity_head/kernel', 'parity_head/bias']);
      const x = km.tensor(xValues, [N, 6]);
      const predicted = ours.predict(x).dataSync();

      const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
      expect(maxAbsDiff((inTfjs.predict(tf.tensor(xValues, [N, 6])) as tf.Tensor).dataSync(), predicted)).toBeLessThan(1e-6);
      expect(parityOf(inTfjs)).toEqual(kmParityOf(ours));
      expect(inTfjs.countParams()).toBe(ours.countParams());

      const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
      expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(predicted));
      expect(kmParityOf(reloaded)).toEqual(kmParityOf(ours));
    });
  }

  it("kerasm loads tfjs' file of that structure, the unused head's weights included", async () => {
    const theirs = tfjsDigitOnly();
    const artifacts = await tfjsArtifacts(theirs);
    expect(artifacts.weightSpecs!.map((w) => w.name)).toContain('parity_head/kernel');
    const ours = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(ours.countParams()).toBe(theirs.countParams());
    expect(ours.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(theirs.getWeights().map((w) => Array.from(w.dataSync())));
    expect(kmParityOf(ours)).toEqual(parityOf(theirs));
    const expected = (theirs.predict(tf.tensor(xValues, [N, 6])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(km.tensor(xValues, [N, 6])).dataSync(), expected)).toBeLessThan(1e-6);
  });

  it('Adam state saved with the model covers the weights with a gradient, as tfjs keeps it, and both libraries resume from it', async () => {
    km.utils.setRandomSeed(13);
    const ours = kerasmModel(false);
    ours.compile({ optimizer: km.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    await ours.fit(km.tensor(xValues, [N, 6]), km.tensor(digitTargets, [N, 3]), { epochs: 2, verbose: 0 });
    const parity = kmParityOf(ours);
    let artifacts!: km.io.ModelArtifacts;
    await ours.save(km.io.withSaveHandler(async (saved) => void (artifacts = saved)), { includeOptimizer: true });
    const optimizerNames = artifacts.weightSpecs!.filter((w) => w.group === 'optimizer').map((w) => w.name);
    expect(optimizerNames.filter((name) => name.startsWith('parity_head'))).toEqual([]);
    expect(optimizerNames).toContain('digit_head/kernel/m');

    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    await reloaded.fit(km.tensor(xValues, [N, 6]), km.tensor(digitTargets, [N, 3]), { epochs: 1, verbose: 0 });
    expect(kmParityOf(reloaded)).toEqual(parity);

    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    expect(parityOf(inTfjs)).toEqual(parity);
    await inTfjs.fit(tf.tensor(xValues, [N, 6]), tf.tensor(digitTargets, [N, 3]), { epochs: 1, verbose: 0 });
    expect(parityOf(inTfjs)).toEqual(parity);
  });
});
