import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { kerasmArtifacts } from '../io/testing/round_trip.js';
import { expectClose } from '../testing/expect_close.js';
import { groupsOverAxes1And3, normalizeGroups } from '../testing/normalization_gradients.js';
import { finiteDifferences } from '../testing/reference_ops.js';
import { expectGradientsClose, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// UnitNormalization against a float64 loop of Keras 3's definition x·rsqrt(max(Σx², 1e-12)) over
// one or several axes (neighbours or not), its gradients through finite differences, saving and errors.
beforeAll(() => km.ready());

/** Float64 unit normalization of a [outer, reduce, inner] layout over the middle axis. */
function unitNormReference(x: ArrayLike<number>, outer: number, reduce: number, inner: number): number[] {
  const y = new Array<number>(x.length);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let squares = 0;
      for (let r = 0; r < reduce; r++) squares += x[(o * reduce + r) * inner + i] ** 2;
      const scale = 1 / Math.sqrt(Math.max(squares, 1e-12));
      for (let r = 0; r < reduce; r++) y[(o * reduce + r) * inner + i] = x[(o * reduce + r) * inner + i] * scale;
    }
  return y;
}

function randomValues(n: number, seed: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: n }, () => random.uniform(-3, 3));
}

/**
 * Dense(units) → UnitNormalization(axis) → Flatten → Dense(2) on samples of `positions` × `features`:
 * kerasm's gradients of every weight against float64 finite differences, where `normalize` is the
 * layer's reference on one sample's Dense outputs (row-major). Seeds: the model's, x's and y's.
 */
async function expectGradientsThrough(c: { positions: number[]; features: number; units: number; axis: number[]; seeds: [number, number, number] }, normalize: (h: number[]) => number[]): Promise<void> {
  const [BATCH, OUT] = [3, 2];
  const positions = c.positions.reduce((a, b) => a * b, 1);
  km.utils.setRandomSeed(c.seeds[0]);
  const model = km.sequential([
    km.layers.dense({ units: c.units, inputShape: [...c.positions, c.features], biasInitializer: 'glorotUniform' }),
    km.layers.unitNormalization({ axis: c.axis }),
    km.layers.flatten(),
    km.layers.dense({ units: OUT }),
  ]);
  const xs = randomValues(BATCH * positions * c.features, c.seeds[1]);
  const ys = randomValues(BATCH * OUT, c.seeds[2]);
  const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
  const [w1, b1, w2, b2] = weights;
  const loss = () => {
    let total = 0;
    for (let s = 0; s < BATCH; s++) {
      const h: number[] = [];
      for (let p = 0; p < positions; p++)
        for (let u = 0; u < c.units; u++) h.push(Array.from({ length: c.features }, (_, k) => xs[(s * positions + p) * c.features + k] * w1[k * c.units + u]).reduce((a, b) => a + b, b1[u]));
      const a = normalize(h);
      for (let o = 0; o < OUT; o++) total += (a.reduce((acc, v, i) => acc + v * w2[i * OUT + o], b2[o]) - ys[s * OUT + o]) ** 2 / OUT;
    }
    return total / BATCH;
  };
  const x = km.tensor(xs, [BATCH, ...c.positions, c.features]);
  expectGradientsClose(await kerasmGradients(model, 'meanSquaredError', x, km.tensor(ys, [BATCH, OUT])), finiteDifferences(weights, loss), ['kernel1', 'bias1', 'kernel2', 'bias2']);
}

describe('UnitNormalization', () => {
  it.each([
    { shape: [4, 7], axis: -1, layout: [4, 7, 1] },
    { shape: [2, 3, 5], axis: -1, layout: [6, 5, 1] },
    { shape: [2, 3, 5], axis: 1, layout: [2, 3, 5] },
    { shape: [2, 3, 4, 5], axis: [-2, -1], layout: [6, 20, 1] },
    { shape: [2, 3, 4, 5], axis: [1, 2], layout: [2, 12, 5] },
  ])('input $shape over axis $axis matches a float64 loop', ({ shape, axis, layout }) => {
    const values = randomValues(shape.reduce((a, b) => a * b, 1), shape.length);
    const y = km.layers.unitNormalization({ axis }).apply(km.tensor(values, shape));
    expect(y.shape).toEqual(shape);
    const [outer, reduce, inner] = layout;
    expectClose(y.dataSync(), unitNormReference(values, outer, reduce, inner), 1e-5);
  });

  it('axes that are not neighbours ([1, 3] of [2, 3, 4]): the values and the gradients through it against float64', async () => {
    const [A, X, U] = [2, 3, 4];
    const groups = groupsOverAxes1And3(A, X, U);
    const values = randomValues(2 * A * X * U, 9);
    const y = km.layers.unitNormalization({ axis: [1, 3] }).apply(km.tensor(values, [2, A, X, U]));
    const perSample = (h: number[]) => normalizeGroups(h, groups, (g) => unitNormReference(g, 1, g.length, 1));
    expectClose(y.dataSync(), [...perSample(values.slice(0, A * X * U)), ...perSample(values.slice(A * X * U))], 1e-5);

    await expectGradientsThrough({ positions: [A, X], features: 2, units: U, axis: [1, 3], seeds: [4, 10, 11] }, perSample);
  });

  it('a zero vector stays zero (the squared norm is clamped to 1e-12), and a tiny one is scaled by 1e6', () => {
    const y = km.layers.unitNormalization().apply(km.tensor([0, 0, 0, 3e-7, 0, 4e-7], [2, 3])).dataSync();
    expectClose(y, [0, 0, 0, 0.3, 0, 0.4], 1e-5);
  });

  it('gradients through it match float64 finite differences (Dense before it, so through its input gradient)', async () => {
    await expectGradientsThrough({ positions: [2], features: 4, units: 5, axis: [1, 2], seeds: [3, 5, 6] }, (h) => unitNormReference(h, 1, h.length, 1));
  });

  it('saves and loads with Keras 3 config names; tfjs-layers, which has no UnitNormalization, refuses the file', async () => {
    const model = km.sequential([km.layers.dense({ units: 4, inputShape: [3, 2] }), km.layers.unitNormalization({ axis: [1, 2] })]);
    const artifacts = await kerasmArtifacts(model);
    const layers = (artifacts.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    expect(layers.find((l) => l.class_name === 'UnitNormalization')!.config).toMatchObject({ axis: [1, 2] });
    const reloaded = await km.loadLayersModel(km.io.fromMemory(artifacts));
    expect(reloaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    const x = km.tensor(randomValues(12, 8), [2, 3, 2]);
    expect(Array.from(reloaded.predict(x).dataSync())).toEqual(Array.from(model.predict(x).dataSync()));

    await tf.setBackend('cpu');
    await expect(tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts))).rejects.toThrow(/Unknown layer: UnitNormalization/);
  });

  describe('bad input', () => {
    it.each([
      [{ axis: 1.5 }, 'axis must be an integer or a non-empty list of distinct integers, e.g. -1 or [-2, -1]. Received: axis=1.5.'],
      [{ axis: [] }, 'Received: axis=[].'],
      [{ axis: [2, 2] }, 'Received: axis=[2,2].'],
    ])('%j is refused in the constructor', (args, message) => {
      expect(() => km.layers.unitNormalization(args as never)).toThrow(message);
    });

    it('refuses the batch axis, an axis past the rank, and axes that alternate with the others too often', () => {
      const on = (axis: number | number[], inputShape: number[]) => () => km.sequential([km.layers.unitNormalization({ axis, inputShape })]);
      expect(on(0, [4])).toThrow("UnitNormalization layer 'unit_normalization");
      expect(on(0, [4])).toThrow('axes 1 to 1 (or -1 to -1) can be normalised, not the batch axis 0 nor an axis past the input\'s rank 2. Received: axis=0 for input shape (None, 4).');
      expect(on(-3, [4])).toThrow('Received: axis=-3');
      expect(on([1, 3, 5], [2, 3, 2, 3, 2])).toThrow(/axes \[1,3,5\] of inputs of shape \(None, 2, 3, 2, 3, 2\) alternate with the other axes too often for kerasm's transposes/);
    });

    it('names the option meant for an unknown one', () => {
      expect(() => km.layers.unitNormalization({ axes: -1 } as never)).toThrow("km.layers.unitNormalization has no option 'axes'; did you mean 'axis'?");
    });
  });
});
