import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts, maxAbsDiff, tfjsArtifacts } from '../io/testing/round_trip.js';
import { registerTfjsChainedOpsForOrthogonal } from '../testing/tfjs_chained_ops.js';
import { Random } from '../utils/random.js';

// Bidirectional with mergeMode null and returnState against tfjs-layers 4.22: the same weights give
// the same outputs and the same losses over SGD steps, and the model moves both ways between
// kerasm and tfjs in the LayersModel format.
beforeAll(async () => {
  registerTfjsChainedOpsForOrthogonal();
  await tf.setBackend('cpu');
  await km.ready();
});

const [n, steps, features] = [16, 5, 3];
const random = new Random(83);
const xs = Float32Array.from({ length: n * steps * features }, () => random.uniform(-1, 1));

interface Case {
  name: string;
  ours: () => km.LayersModel;
  theirs: () => tfl.LayersModel;
}

const cases: Case[] = [
  {
    // tfjs 4.22's fit fails on a sequence output of this layer ('Operands could not be broadcast'),
    // so each direction's sequence is pooled (by a layer of its own) before its loss.
    name: 'GRU(returnSequences, returnState), mergeMode null: [forward, backward, hF, hB]',
    ours: () => {
      const x = km.input({ shape: [steps, features], name: 'x' });
      const [f, b, ...states] = km.layers.bidirectional({ layer: km.layers.gru({ units: 3, returnSequences: true, returnState: true }), mergeMode: null, name: 'bi' }).apply(x) as unknown as km.SymbolicTensor[];
      return km.model({ inputs: x, outputs: [km.layers.globalAveragePooling1d().apply(f), km.layers.globalMaxPooling1d().apply(b), ...states] });
    },
    theirs: () => {
      const x = tfl.input({ shape: [steps, features], name: 'x' });
      const [f, b, ...states] = tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 3, returnSequences: true, returnState: true }) as tfl.RNN, mergeMode: null as unknown as 'sum', name: 'bi' }).apply(x) as tfl.SymbolicTensor[];
      const pooled = [tfl.layers.globalAveragePooling1d().apply(f), tfl.layers.globalMaxPooling1d().apply(b)] as tfl.SymbolicTensor[];
      return tfl.model({ inputs: x, outputs: [...pooled, ...states] });
    },
  },
  {
    name: 'LSTM(returnState), mergeMode concat: [merged, hF, cF, hB, cB]',
    ours: () => {
      const x = km.input({ shape: [steps, features], name: 'x' });
      const outputs = km.layers.bidirectional({ layer: km.layers.lstm({ units: 2, returnState: true }), name: 'bi' }).apply(x) as unknown as km.SymbolicTensor[];
      return km.model({ inputs: x, outputs });
    },
    theirs: () => {
      const x = tfl.input({ shape: [steps, features], name: 'x' });
      const outputs = tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 2, returnState: true }) as tfl.RNN, name: 'bi' }).apply(x) as tfl.SymbolicTensor[];
      return tfl.model({ inputs: x, outputs });
    },
  },
];

const predictions = (p: km.Tensor | km.Tensor[] | tf.Tensor | tf.Tensor[]) => (Array.isArray(p) ? p : [p]).map((t) => t.dataSync());

describe('Bidirectional with several outputs: parity and interchange with tfjs-layers 4.22 (cpu backend)', () => {
  it.each(cases)('$name: same weights, same outputs and the same losses over 6 SGD steps', async (c) => {
    km.utils.setRandomSeed(14);
    const [ours, theirs] = [c.ours(), c.theirs()];
    theirs.getLayer('bi').setWeights(ours.getLayer('bi').getWeights().map((w) => tf.tensor(w.dataSync(), [...w.shape])));
    const ourOut = predictions(ours.predict(km.tensor(xs, [n, steps, features])) as km.Tensor[]);
    const theirOut = predictions(theirs.predict(tf.tensor(xs, [n, steps, features])) as tf.Tensor[]);
    expect(ourOut.length).toBe(theirOut.length);
    ourOut.forEach((o, k) => expect(maxAbsDiff(o, theirOut[k])).toBeLessThan(1e-5));
    const shapes = (ours.outputs as km.SymbolicTensor[]).map((t) => [n, ...(t.shape as number[])]);
    const targets = shapes.map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.uniform(-1, 1)));
    const losses = shapes.map(() => 'meanSquaredError');
    ours.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.5 }), loss: losses as km.LossName[] });
    theirs.compile({ optimizer: tf.train.sgd(0.5), loss: losses });
    const args = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 as const };
    const ourHistory = await ours.fit(km.tensor(xs, [n, steps, features]), targets.map((t, k) => km.tensor(t, shapes[k])), args);
    const theirHistory = await theirs.fit(tf.tensor(xs, [n, steps, features]), targets.map((t, k) => tf.tensor(t, shapes[k])), args);
    ourHistory.history.loss.forEach((loss, i) => expect(Math.abs(loss - (theirHistory.history.loss[i] as number))).toBeLessThan(1e-4));
    expect(ourHistory.history.loss[2]).not.toBeCloseTo(ourHistory.history.loss[0], 3);
  });

  it.each(cases)('$name: saved by kerasm, loads in tfjs; saved by tfjs, loads in kerasm; same outputs', async (c) => {
    km.utils.setRandomSeed(15);
    const ours = c.ours();
    const expected = predictions(ours.predict(km.tensor(xs, [n, steps, features])) as km.Tensor[]);
    const artifacts = await kerasmArtifacts(ours);
    const bi = (artifacts.modelTopology as { config: { layers: { name: string; config: Record<string, unknown> }[] } }).config.layers.find((l) => l.name === 'bi')!;
    expect(bi.config.merge_mode).toBe(c.name.includes('null') ? null : 'concat');
    const inTfjs = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    predictions(inTfjs.predict(tf.tensor(xs, [n, steps, features])) as tf.Tensor[]).forEach((p, k) => expect(maxAbsDiff(p, expected[k])).toBeLessThanOrEqual(1e-5));

    const theirs = c.theirs();
    const theirExpected = predictions(theirs.predict(tf.tensor(xs, [n, steps, features])) as tf.Tensor[]);
    const loaded = await km.loadLayersModel(km.io.fromMemory(await tfjsArtifacts(theirs)));
    predictions(loaded.predict(km.tensor(xs, [n, steps, features])) as km.Tensor[]).forEach((p, k) => expect(maxAbsDiff(p, theirExpected[k])).toBeLessThanOrEqual(1e-5));
  });
});
