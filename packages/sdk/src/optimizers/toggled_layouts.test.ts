import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import type { OptimizedWeight } from './optimizer.js';

// A model that flips a layer's `trainable` between steps lays its optimizer state out for two weight
// sets in turn. Once a set has come back, its layout is kept, so later toggles allocate nothing and
// copy only the state of the weights both sets train; each weight's moments stay exactly its own.

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

afterEach(() => vi.restoreAllMocks());

const weight = (size: number): OptimizedWeight => ({ key: {}, shape: [size] });
const slot = (optimizer: km.optimizers.Optimizer, name: string) => optimizer.stateSlots().find((s) => s.name === name)!.id;
const read = (optimizer: km.optimizers.Optimizer, name: string, length: number) => Array.from(backend().read(slot(optimizer, name), length, 'float32'));
const write = (optimizer: km.optimizers.Optimizer, name: string, values: number[]) => backend().write(slot(optimizer, name), Float32Array.from(values));

describe('Optimizer.attach toggled between a weight set and a part of it', () => {
  it('keeps the smaller layout once it came back: later toggles allocate and free nothing, and copy only the shared weights', () => {
    const be = backend();
    const [p, q] = [weight(3), weight(5)];
    const optimizer = km.optimizers.adam();
    const empty = be.memoryBytes();
    const all = [p, q];
    const part = [p];
    optimizer.attach(be, all);
    write(optimizer, 'm', [1, 2, 3, 4, 5, 6, 7, 8]);
    // The first toggle there and back frees the part's layout, as for a layer frozen once.
    optimizer.attach(be, part);
    optimizer.attach(be, all);
    const alloc = vi.spyOn(be, 'alloc');
    const free = vi.spyOn(be, 'free');
    // It comes back: it is made once more, then kept.
    optimizer.attach(be, part);
    optimizer.attach(be, all);
    expect([alloc.mock.calls.length, free.mock.calls.length]).toEqual([2, 0]);
    const toggling = be.memoryBytes() - empty;
    alloc.mockClear();
    const copy = vi.spyOn(be, 'copy');
    for (let i = 0; i < 10; i++) {
      optimizer.attach(be, part);
      // A step on the part writes p's moments only; one on all writes every weight's.
      write(optimizer, 'm', [10 * i, 10 * i + 1, 10 * i + 2]);
      optimizer.attach(be, all);
      expect(read(optimizer, 'm', 8)).toEqual([10 * i, 10 * i + 1, 10 * i + 2, 4, 5, 6, 7, 8]);
    }
    expect([alloc.mock.calls.length, free.mock.calls.length]).toEqual([0, 0]);
    // Per switch: p's two slots (m and v); q's state stays where it is.
    expect(copy.mock.calls.length).toBe(20 * 2);
    expect(be.memoryBytes() - empty).toBe(toggling);
    optimizer.detach();
    expect(be.memoryBytes()).toBe(empty);
  });

  it('a third weight set still sets aside the least recently used layout, and every weight keeps its state', () => {
    const be = backend();
    const [p, q, r] = [weight(2), weight(3), weight(4)];
    const optimizer = km.optimizers.adam();
    const empty = be.memoryBytes();
    optimizer.attach(be, [p, q]);
    write(optimizer, 'v', [1, 2, 3, 4, 5]);
    for (let i = 0; i < 3; i++) {
      optimizer.attach(be, [p]);
      write(optimizer, 'v', [10 + i, 20 + i]);
      optimizer.attach(be, [p, q]);
    }
    optimizer.attach(be, [r]);
    write(optimizer, 'v', [7, 7, 7, 7]);
    optimizer.attach(be, [q, r]);
    expect(read(optimizer, 'v', 7)).toEqual([3, 4, 5, 7, 7, 7, 7]);
    expect(Array.from(be.read(optimizer.setAsideState(p.key).get('v')!, 2, 'float32'))).toEqual([12, 22]);
    optimizer.attach(be, [p]);
    expect(read(optimizer, 'v', 2)).toEqual([12, 22]);
    optimizer.attach(be, [p, q]);
    expect(read(optimizer, 'v', 5)).toEqual([12, 22, 3, 4, 5]);
    optimizer.detach();
    expect(be.memoryBytes()).toBe(empty);
  });

  it('detaching the toggled weights forgets them: their set coming back is made afresh', () => {
    const be = backend();
    const [p, q] = [weight(3), weight(2)];
    const optimizer = km.optimizers.adam();
    for (let i = 0; i < 3; i++) {
      optimizer.attach(be, [p, q]);
      optimizer.attach(be, [p]);
    }
    write(optimizer, 'm', [1, 2, 3]);
    optimizer.detach([p.key]);
    optimizer.attach(be, [p, q]);
    expect(read(optimizer, 'm', 5).slice(0, 3)).toEqual([0, 0, 0]);
    optimizer.detach();
  });
});

// inputs → dense(3) → dense(1), both linear, trained on mean squared error.
const X = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.2, 2.0]];
const Y = [[1.0], [-0.5], [0.3], [2.2]];
const LR = 0.05;
const STEPS = 12;
/** Whether the first layer trains at a step: it is frozen at every other one. */
const firstTrains = (step: number) => step % 2 === 0;

function model(): km.Sequential {
  km.utils.setRandomSeed(7);
  const m = km.sequential({ layers: [km.layers.dense({ units: 3, inputShape: [2] }), km.layers.dense({ units: 1 })] });
  m.compile({ optimizer: km.optimizers.adam({ learningRate: LR }), loss: 'meanSquaredError' });
  return m;
}

const values = (m: km.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

/**
 * tfjs 4.22's Adam stepping the same toggles. It keeps moments by a variable's position in the
 * gradients it is given, so each step gives all four, in one order, with null for the frozen ones,
 * which it skips; with `forgetful`, a fresh optimizer at every step loses the moments instead.
 */
function tfjsRun(start: number[][], forgetful: boolean): number[][] {
  const variables = [tf.variable(tf.tensor(start[0], [2, 3])), tf.variable(tf.tensor(start[1])), tf.variable(tf.tensor(start[2], [3, 1])), tf.variable(tf.tensor(start[3]))];
  const [w1, b1, w2, b2] = variables;
  const [x, y] = [tf.tensor(X), tf.tensor(Y)];
  let adam = tf.train.adam(LR, 0.9, 0.999, 1e-7);
  for (let step = 0; step < STEPS; step++) {
    if (forgetful) adam = tf.train.adam(LR, 0.9, 0.999, 1e-7);
    const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(tf.add(tf.matMul(x, w1), b1), w2), b2)) as tf.Scalar, variables);
    const given = Object.fromEntries(variables.map((v, i) => [v.name, firstTrains(step) || i >= 2 ? grads[v.name] : null]));
    adam.applyGradients(given as unknown as Parameters<typeof adam.applyGradients>[0]);
    tf.dispose(Object.values(grads));
  }
  const result = variables.map((v) => Array.from(v.dataSync()));
  tf.dispose([...variables, x, y]);
  adam.dispose();
  return result;
}

const maxDifference = (a: number[][], b: number[][]) => Math.max(...a.flatMap((w, i) => w.map((v, j) => Math.abs(v - b[i][j]))));

describe('a model toggling a layer’s trainable at every step', () => {
  it('steps bit for bit as one whose optimizer state is set aside between steps, and as tfjs 4.22’s per-variable Adam', async () => {
    const [x, y] = [km.tensor(X), km.tensor(Y)];
    const toggled = model();
    const viaStash = model();
    const start = values(toggled);
    expect(values(viaStash)).toEqual(start);
    // Attaching viaStash's optimizer to two other weight sets evicts both of its layouts, so each of
    // its steps brings every weight's state back from where it was set aside: no kept layout.
    const strangers = [[weight(4)], [weight(6)]];
    for (let step = 0; step < STEPS; step++) {
      for (const m of [toggled, viaStash]) m.layers[0].trainable = firstTrains(step);
      const loss = await toggled.trainOnBatch(x, y);
      expect(await viaStash.trainOnBatch(x, y)).toBe(loss);
      for (const set of strangers) viaStash.optimizer!.attach(backend(), set);
      expect(values(toggled)).toEqual(values(viaStash));
    }
    expect(toggled.optimizer!.iterations).toBe(STEPS);
    // getWeights lists trainable weights first: unfrozen, it lists them as they were at the start.
    toggled.layers[0].trainable = true;
    const theirs = tfjsRun(start, false);
    expect(maxDifference(values(toggled), theirs)).toBeLessThan(2e-5);
    // An optimizer that lost the moments at each toggle ends elsewhere: the comparison can tell.
    expect(maxDifference(tfjsRun(start, true), theirs)).toBeGreaterThan(1e-2);
  });
});
