import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { adamRule } from '../testing/optimizer_reference.js';
import type { OptimizedWeight } from './optimizer.js';

// One optimizer shared by models that take turns (a GAN's discriminator and combined model) keeps
// each weight set's state laid out where it is: a switch to a layout seen before allocates nothing
// and copies only the state of the weights both layouts train. The steps must stay Keras 3's: one
// state per weight, one iteration count for all.

const LR = 0.05;

beforeAll(async () => {
  await km.ready();
});

afterEach(() => vi.restoreAllMocks());

/** The values of a model's weights, as float32 arrays in `getWeights()` order. */
const values = (model: km.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

const batch = (step: number, rows: number, columns: number, phase: number) =>
  km.tensor(Float32Array.from({ length: rows * columns }, (_, i) => Math.sin(step * 1.7 + phase + i * 0.9)), [rows, columns]);

function denseModel(name: string, seed: number): km.Sequential {
  km.utils.setRandomSeed(seed);
  return km.sequential({ name, layers: [km.layers.dense({ units: 4, inputShape: [3], name: `${name}_first` }), km.layers.dense({ units: 2, name: `${name}_second` })] });
}

describe('one optimizer shared by models that take turns', () => {
  it('steps each model bit for bit as a twin with its own optimizer at the same step count, through three layouts and a detach', async () => {
    const shared = km.optimizers.adam({ learningRate: LR });
    const [a, b] = [denseModel('a', 1), denseModel('b', 2)];
    const [twinA, twinB] = [denseModel('twin_a', 1), denseModel('twin_b', 2)];
    twinA.setWeights(a.getWeights());
    twinB.setWeights(b.getWeights());
    expect(values(twinA)).toEqual(values(a));
    a.compile({ optimizer: shared, loss: 'meanSquaredError' });
    b.compile({ optimizer: shared, loss: 'meanSquaredError' });
    const own = new Map<km.LayersModel, km.optimizers.Optimizer>([[twinA, km.optimizers.adam({ learningRate: LR })], [twinB, km.optimizers.adam({ learningRate: LR })]]);
    for (const [twin, optimizer] of own) twin.compile({ optimizer, loss: 'meanSquaredError' });
    // The first use attaches and counts from 0: after it, each twin is set to the shared count.
    for (const model of [a, b, twinA, twinB]) model.predict(batch(0, 2, 3, 0));
    const step = async (model: km.LayersModel, twin: km.LayersModel, i: number) => {
      own.get(twin)!.iterations = shared.iterations;
      const [x, y] = [batch(i, 6, 3, 0), batch(i, 6, 2, 2)];
      await model.trainOnBatch(x, y);
      await twin.trainOnBatch(x, y);
    };
    for (let i = 0; i < 12; i++) {
      // Every third turn, a's first layer is frozen: a third layout, so a kept one is set aside.
      const frozen = i % 3 === 2;
      a.getLayer('a_first').trainable = !frozen;
      twinA.getLayer('twin_a_first').trainable = !frozen;
      await step(a, twinA, i);
      await step(b, twinB, i);
    }
    expect(shared.iterations).toBe(24);
    expect(values(a)).toEqual(values(twinA));
    expect(values(b)).toEqual(values(twinB));
    // Disposing a frees its weights' state only: b trains on from its own moments.
    a.dispose();
    for (let i = 12; i < 15; i++) await step(b, twinB, i);
    expect(values(b)).toEqual(values(twinB));
    expect(shared.iterations).toBe(27);
  });

  it('models sharing a trained layer follow a float64 Keras 3 reference, with one state for the shared layer', async () => {
    km.utils.setRandomSeed(9);
    const trunk = km.layers.dense({ units: 3, inputShape: [2], name: 'trunk' });
    const left = km.sequential({ name: 'left', layers: [trunk, km.layers.dense({ units: 1, name: 'left_head' })] });
    const right = km.sequential({ name: 'right', layers: [trunk, km.layers.dense({ units: 1, name: 'right_head' })] });
    const optimizer = km.optimizers.adam({ learningRate: LR });
    left.compile({ optimizer, loss: 'meanSquaredError' });
    right.compile({ optimizer, loss: 'meanSquaredError' });
    const reference = new Map<string, Float64Array>();
    for (const model of [left, right]) model.weights.forEach((w, i) => reference.set(w.name, Float64Array.from(model.getWeights()[i].dataSync())));
    const start = new Map([...reference].map(([name, v]) => [name, Float64Array.from(v)]));
    const state = new Map<string, Record<string, Float64Array>>();
    const rule = adamRule();
    let t = 0;
    // Three layouts in turn (left, right, left with the trunk frozen): the trunk's state goes
    // between the first two, and each switch sets a kept layout aside.
    for (let round = 0; round < 4; round++) {
      for (const [model, head, trunkTrains] of [[left, 'left_head', true], [right, 'right_head', true], [left, 'left_head', false]] as const) {
        trunk.trainable = trunkTrains;
        const x = batch(round * 3 + t, 4, 2, 0).dataSync() as Float32Array;
        const y = batch(round * 5 + t, 4, 1, 1).dataSync() as Float32Array;
        await model.trainOnBatch(km.tensor(x, [4, 2]), km.tensor(y, [4, 1]));
        const grads = linearGradients(reference, 'trunk', head, x, y);
        t++;
        for (const [name, g] of grads) {
          if (!trunkTrains && name.startsWith('trunk/')) continue;
          const s = state.get(name) ?? {};
          state.set(name, s);
          rule(reference.get(name)!, g, s, t, LR);
        }
      }
    }
    trunk.trainable = true;
    expect(optimizer.iterations).toBe(12);
    let moved = 0;
    for (const model of [left, right]) {
      model.weights.forEach((w, i) => model.getWeights()[i].dataSync().forEach((v, j) => {
        expect(Math.abs(v - reference.get(w.name)![j])).toBeLessThan(2e-5);
        moved = Math.max(moved, Math.abs(v - start.get(w.name)![j]));
      }));
    }
    expect(moved).toBeGreaterThan(1e-2);
  });
});

/** Mean-squared-error gradients of `x → first (dense) → second (dense, 1 unit)`, both linear, in float64. */
function linearGradients(w: Map<string, Float64Array>, first: string, second: string, x: Float32Array, y: Float32Array): Map<string, Float64Array> {
  const [w1, b1, w2, b2] = [`${first}/kernel`, `${first}/bias`, `${second}/kernel`, `${second}/bias`].map((n) => w.get(n)!);
  const [g1, gb1, g2, gb2] = [w1, b1, w2, b2].map((v) => new Float64Array(v.length));
  const rows = y.length;
  const units = b1.length;
  for (let n = 0; n < rows; n++) {
    const h = Array.from({ length: units }, (_, k) => b1[k] + x[2 * n] * w1[k] + x[2 * n + 1] * w1[units + k]);
    const r = (2 * (b2[0] + h.reduce((sum, hk, k) => sum + hk * w2[k], 0) - y[n])) / rows;
    gb2[0] += r;
    h.forEach((hk, k) => {
      g2[k] += hk * r;
      gb1[k] += r * w2[k];
      g1[k] += x[2 * n] * r * w2[k];
      g1[units + k] += x[2 * n + 1] * r * w2[k];
    });
  }
  return new Map([[`${first}/kernel`, g1], [`${first}/bias`, gb1], [`${second}/kernel`, g2], [`${second}/bias`, gb2]]);
}

describe('Optimizer.attach between weight sets seen before', () => {
  const weight = (size: number): OptimizedWeight => ({ key: {}, shape: [size] });
  const slot = (optimizer: km.optimizers.Optimizer, name: string) => optimizer.stateSlots().find((s) => s.name === name)!.id;
  const read = (optimizer: km.optimizers.Optimizer, name: string, length: number) => Array.from(backend().read(slot(optimizer, name), length, 'float32'));

  it('switching allocates nothing and copies only the state of the weights both layouts hold', () => {
    const be = backend();
    const [p, q, r] = [weight(3), weight(5), weight(2)];
    const optimizer = km.optimizers.adam();
    optimizer.attach(be, [p, q]);
    be.write(slot(optimizer, 'm'), Float32Array.from({ length: 8 }, (_, i) => i + 1));
    optimizer.attach(be, [q, r]);
    // q's moments came along; r is new.
    expect(read(optimizer, 'm', 7)).toEqual([4, 5, 6, 7, 8, 0, 0]);
    be.write(slot(optimizer, 'm'), Float32Array.of(40, 50, 60, 70, 80, 90, 100));
    const alloc = vi.spyOn(be, 'alloc');
    const free = vi.spyOn(be, 'free');
    const copy = vi.spyOn(be, 'copy');
    for (let i = 0; i < 10; i++) {
      optimizer.attach(be, [p, q]);
      optimizer.attach(be, [q, r]);
    }
    expect([alloc.mock.calls.length, free.mock.calls.length]).toEqual([0, 0]);
    // Per switch: q's two slots (m and v); p and r stay where they are.
    expect(copy.mock.calls.length).toBe(20 * 2);
    expect(read(optimizer, 'm', 7)).toEqual([40, 50, 60, 70, 80, 90, 100]);
    optimizer.attach(be, [p, q]);
    expect(read(optimizer, 'm', 8)).toEqual([1, 2, 3, 40, 50, 60, 70, 80]);
    optimizer.detach();
  });

  it('a third layout sets aside the least recently used one, and every weight keeps its state', () => {
    const be = backend();
    const [p, q, r] = [weight(2), weight(3), weight(4)];
    const optimizer = km.optimizers.adam();
    const sets = [[p], [q], [r]];
    for (const [i, set] of sets.entries()) {
      optimizer.attach(be, set);
      be.write(slot(optimizer, 'v'), new Float32Array(set[0].shape[0]).fill(i + 1));
    }
    for (let round = 0; round < 3; round++) {
      for (const [i, set] of sets.entries()) {
        optimizer.attach(be, set);
        expect(read(optimizer, 'v', set[0].shape[0])).toEqual(new Array(set[0].shape[0]).fill(i + 1));
      }
    }
    // Saving reads the state of a weight outside the layout, wherever it is kept.
    optimizer.attach(be, [p]);
    const aside = [q, r].map((w) => Array.from(be.read(optimizer.setAsideState(w.key).get('v')!, w.shape[0], 'float32')));
    expect(aside).toEqual([[2, 2, 2], [3, 3, 3, 3]]);
    optimizer.detach();
  });

  it('a layout whose weights all moved to the current one is freed, not kept', () => {
    const be = backend();
    const [p, q] = [weight(5), weight(3)];
    const optimizer = km.optimizers.adam();
    const empty = be.memoryBytes();
    optimizer.attach(be, [p, q]);
    const both = be.memoryBytes() - empty;
    optimizer.detach();
    optimizer.attach(be, [p]);
    be.write(slot(optimizer, 'm'), Float32Array.of(1, 2, 3, 4, 5));
    optimizer.attach(be, [p, q]);
    expect(be.memoryBytes() - empty).toBe(both);
    expect(read(optimizer, 'm', 8)).toEqual([1, 2, 3, 4, 5, 0, 0, 0]);
    optimizer.detach();
    expect(be.memoryBytes()).toBe(empty);
  });

  it('detaching one weight set after many switches frees its state and leaves the other\'s', () => {
    const be = backend();
    for (const endOn of ['mine', 'other'] as const) {
      const mine = [weight(6), weight(1)];
      const other = [weight(4), weight(3)];
      const optimizer = km.optimizers.adam();
      const empty = be.memoryBytes();
      optimizer.attach(be, other);
      be.write(slot(optimizer, 'm'), Float32Array.from({ length: 7 }, (_, i) => 10 - i));
      const otherOnly = be.memoryBytes();
      for (let i = 0; i < 8; i++) {
        optimizer.attach(be, mine);
        optimizer.attach(be, other);
      }
      if (endOn === 'mine') optimizer.attach(be, mine);
      optimizer.iterations = 7;
      optimizer.detach(mine.map((w) => w.key));
      expect(be.memoryBytes()).toBe(otherOnly);
      optimizer.attach(be, other);
      expect(read(optimizer, 'm', 7)).toEqual([10, 9, 8, 7, 6, 5, 4]);
      expect(optimizer.iterations).toBe(7);
      optimizer.detach(other.map((w) => w.key));
      expect(be.memoryBytes()).toBe(empty);
      // No state left: the next model starts afresh.
      optimizer.attach(be, mine);
      expect(optimizer.iterations).toBe(0);
      optimizer.detach();
    }
  });
});
