import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { BACKENDS_HERE as BACKENDS, useBackend } from '../testing/backends_here.js';

// gradientAccumulationSteps N on every backend: N batches of b update as one batch of N·b would, on
// a mean loss. The reference is a float64 loop over the same linear model and optimizer formulas.
const [features, units, batch, steps, updates] = [5, 3, 4, 4, 2];
const random = new Random(21);
const rows = batch * steps * updates;
const x = Array.from({ length: rows }, () => Array.from({ length: features }, () => random.uniform(-1, 1)));
const y = Array.from({ length: rows }, () => Array.from({ length: units }, () => random.uniform(-1, 1)));

type Rule = (w: number[], g: number[], t: number, state: { m: number[]; v: number[] }) => void;
const LR = 0.05;
const sgdRule: Rule = (w, g) => g.forEach((gi, i) => (w[i] -= LR * gi));
const adamRule: Rule = (w, g, t, s) => {
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  const lrT = (LR * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  g.forEach((gi, i) => {
    s.m[i] = b1 * s.m[i] + (1 - b1) * gi;
    s.v[i] = b2 * s.v[i] + (1 - b2) * gi * gi;
    w[i] -= (lrT * s.m[i]) / (Math.sqrt(s.v[i]) + eps);
  });
};

/** Kernel then bias, flat, after `updates` steps on batches of batch·steps rows of the mean squared error. */
function reference(kernel: number[], bias: number[], rule: Rule): number[] {
  const w = [...kernel, ...bias];
  const state = { m: w.map(() => 0), v: w.map(() => 0) };
  const big = batch * steps;
  for (let u = 0; u < updates; u++) {
    const g = w.map(() => 0);
    for (let r = u * big; r < (u + 1) * big; r++) {
      for (let j = 0; j < units; j++) {
        let out = w[features * units + j];
        for (let i = 0; i < features; i++) out += x[r][i] * w[i * units + j];
        const d = (2 * (out - y[r][j])) / (big * units);
        for (let i = 0; i < features; i++) g[i * units + j] += d * x[r][i];
        g[features * units + j] += d;
      }
    }
    rule(w, g, u + 1, state);
  }
  return w;
}

describe('gradientAccumulationSteps on every backend', () => {
  afterAll(() => useBackend('wasm'));
  const cases: [string, (args: { gradientAccumulationSteps?: number }) => km.optimizers.Optimizer, Rule][] = [
    ['sgd', (args) => km.optimizers.sgd({ learningRate: LR, ...args }), sgdRule],
    ['adam', (args) => km.optimizers.adam({ learningRate: LR, ...args }), adamRule],
  ];

  async function train(name: string, optimizer: km.optimizers.Optimizer, batchSize: number) {
    await useBackend(name);
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ units, inputShape: [features], biasInitializer: 'glorotUniform' })]);
    const initial = await Promise.all(model.getWeights().map(async (t) => Array.from(await t.data())));
    model.compile({ optimizer, loss: 'mse' });
    await model.fit(km.tensor(x), km.tensor(y), { batchSize, epochs: 1, shuffle: false, verbose: 0 });
    const trained = (await Promise.all(model.getWeights().map(async (t) => Array.from(await t.data())))).flat();
    model.dispose();
    return { initial, trained };
  }

  for (const name of BACKENDS) {
    it.each(cases)(`${name}: %s with ${steps} accumulated batches of ${batch} steps as one batch of ${steps * batch}`, async (_, make, rule) => {
      const optimizer = make({ gradientAccumulationSteps: steps });
      const accumulated = await train(name, optimizer, batch);
      expect(optimizer.iterations).toBe(updates);
      expect(optimizer.accumulatedBatches).toBe(0);
      const whole = await train(name, make({}), batch * steps);
      const expected = reference(accumulated.initial[0], accumulated.initial[1], rule);
      accumulated.trained.forEach((value, i) => {
        expect(value).toBeCloseTo(expected[i], 5);
        expect(value).toBeCloseTo(whole.trained[i], 5);
      });
      // The weights moved: a test that passes with no update at all would prove nothing.
      expect(Math.max(...expected.map((e, i) => Math.abs(e - [...accumulated.initial[0], ...accumulated.initial[1]][i])))).toBeGreaterThan(0.01);
    });
  }
});
