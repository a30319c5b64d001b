import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { savedArtifacts } from '../testing/saved_artifacts.js';
import { expectSameModelFit } from '../testing/tfjs_model_parity.js';
import { Random } from '../utils/random.js';

// Softmax over any axes: outputs against a float64 loop; training against tfjs-layers 4.22, directly
// for a list of axes, and through Permute → Softmax(−1) → Permute for one non-last axis, which
// tfjs-layers 4.22 refuses ("Softmax along a non-last dimension is not yet supported").
beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const random = new Random(61);
const draw = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-2, 2));

/** Softmax of row-major `x` (shape batch first) over `axes`, each group of positions that differ only there normalized together. */
function naiveSoftmax(x: Float32Array, shape: readonly number[], axes: readonly number[]): number[] {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const groupOf = (i: number) => shape.map((d, a) => (axes.includes(a) ? 0 : Math.floor(i / strides[a]) % d)).join(',');
  const sums = new Map<string, number>();
  const maxes = new Map<string, number>();
  x.forEach((v, i) => maxes.set(groupOf(i), Math.max(maxes.get(groupOf(i)) ?? -Infinity, v)));
  x.forEach((v, i) => sums.set(groupOf(i), (sums.get(groupOf(i)) ?? 0) + Math.exp(v - maxes.get(groupOf(i))!)));
  return Array.from(x, (v, i) => Math.exp(v - maxes.get(groupOf(i))!) / sums.get(groupOf(i))!);
}

describe('Softmax over any axes', () => {
  const shape = [2, 3, 4, 2];
  it.each<[number | number[], number[]]>([[1, [1]], [2, [2]], [-3, [1]], [[1, 3], [1, 3]], [[-2, -1], [2, 3]], [[1, 2, 3], [1, 2, 3]]])('axis %j: values against a float64 loop', (axis, axes) => {
    const x = draw(shape.reduce((a, b) => a * b, 1));
    const model = km.sequential([km.layers.softmax({ axis, inputShape: shape.slice(1) })]);
    const y = model.predict(km.tensor(x, shape)).dataSync();
    naiveSoftmax(x, shape, axes).forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6));
  });

  type Api = typeof km | typeof tfl;
  /** dense → [3, 4] grid → softmax over the 3 steps (tfjs: as permute → softmax → permute) → dense. */
  function acrossSteps(api: Api): km.LayersModel | tfl.LayersModel {
    const x = (api === km ? km.input({ shape: [5] }) : tfl.input({ shape: [5] })) as never;
    const grid = api.layers.reshape({ targetShape: [3, 4] }).apply(api.layers.dense({ units: 12, name: 'd' }).apply(x) as never) as never;
    const normalized = api === km
      ? km.layers.softmax({ axis: 1 }).apply(grid)
      : tfl.layers.permute({ dims: [2, 1] }).apply(tfl.layers.softmax({ axis: -1 }).apply(tfl.layers.permute({ dims: [2, 1] }).apply(grid)));
    const outputs = api.layers.dense({ units: 2, name: 'out' }).apply(api.layers.flatten().apply(normalized as never) as never) as never;
    return api === km ? km.model({ inputs: x, outputs }) : tfl.model({ inputs: x, outputs });
  }

  /** dense → [3, 2, 2] → softmax over `axes` jointly → dense, in both libraries. */
  function overAxes(api: Api, axes: number[]): km.LayersModel | tfl.LayersModel {
    const x = (api === km ? km.input({ shape: [5] }) : tfl.input({ shape: [5] })) as never;
    const grid = api.layers.reshape({ targetShape: [3, 2, 2] }).apply(api.layers.dense({ units: 12, name: 'd' }).apply(x) as never) as never;
    const normalized = api.layers.softmax({ axis: axes } as never).apply(grid) as never;
    const outputs = api.layers.dense({ units: 2, name: 'out' }).apply(api.layers.flatten().apply(normalized) as never) as never;
    return api === km ? km.model({ inputs: x, outputs }) : tfl.model({ inputs: x, outputs });
  }

  const n = 10;
  it('across a middle axis: predictions and 3 epochs of SGD match tfjs-layers 4.22 permuting around its last-axis softmax', async () => {
    km.utils.setRandomSeed(2);
    await expectSameModelFit({ ours: acrossSteps(km) as km.LayersModel, theirs: acrossSteps(tfl) as tfl.LayersModel, x: [[draw(n * 5), [n, 5]]], y: [[draw(n * 2), [n, 2]]], losses: ['meanSquaredError'] }, { learningRate: 0.5, batchSize: 4 });
  });

  it.each([[[1, 2]], [[2, 3]], [[1, 3]]])('over axes %j jointly: predictions and 3 epochs of SGD match tfjs-layers 4.22', async (axes) => {
    km.utils.setRandomSeed(3);
    await expectSameModelFit({ ours: overAxes(km, axes) as km.LayersModel, theirs: overAxes(tfl, axes) as tfl.LayersModel, x: [[draw(n * 5), [n, 5]]], y: [[draw(n * 2), [n, 2]]], losses: ['meanSquaredError'] }, { learningRate: 0.5, batchSize: 4 });
  });

  it('saves its axes, and across steps refuses a padded sequence\'s mask, which would give padding a share', async () => {
    const model = overAxes(km, [1, 2]) as km.LayersModel;
    const loaded = await km.loadLayersModel(km.io.fromMemory(await savedArtifacts(model, false)));
    const x = km.tensor(draw(3 * 5), [3, 5]);
    expect(Array.from(loaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));
    const tokens = km.input({ shape: [4] });
    const embedded = km.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true }).apply(tokens);
    const softmax = km.layers.softmax({ axis: 1, name: 'over_steps' });
    expect(() => km.model({ inputs: tokens, outputs: softmax.apply(embedded) })).toThrow(/Layer 'over_steps' \(Softmax\) normalizes across axis 1, so padded steps would take a share of each sample's softmax; it takes a mask only when it normalizes the last axis alone \(axis: -1, each step by itself\), and no mask across steps, but its input carries the mask of layer/);
    // The keras.io masking guide's TemporalSoftmax input: a [steps, 1] score per step, normalized across the steps.
    const scores = km.layers.dense({ units: 1 }).apply(embedded);
    expect(() => km.model({ inputs: tokens, outputs: km.layers.softmax({ axis: 1 }).apply(scores) })).toThrow(/\(Softmax\) normalizes across axis 1, so padded steps/);
    // Along the last axis each step normalizes alone, so the mask passes through.
    expect(() => km.model({ inputs: tokens, outputs: km.layers.softmax().apply(embedded) })).not.toThrow();
  });
});
