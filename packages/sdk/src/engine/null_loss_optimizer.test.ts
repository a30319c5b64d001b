import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// Keras 3 gives the weights that feed only outputs compiled with a None loss no gradient, and its
// optimizers' `apply` drops them: no update, no weight decay, state untouched. kerasm's backward pass
// writes them a zero gradient, which its optimizers must skip to match.

beforeAll(() => km.ready());
afterEach(() => vi.restoreAllMocks());

/** features [3] -> trunk (4) -> fit (2), plus `idle` (3) reading the trunk unless `withIdle` is false. */
function model(withIdle = true): km.Functional {
  km.utils.setRandomSeed(11);
  const features = km.input({ shape: [3], name: 'features' });
  const trunk = km.layers.dense({ units: 4, activation: 'tanh', name: 'trunk' }).apply(features);
  const fit = km.layers.dense({ units: 2, name: 'fit' }).apply(trunk);
  if (!withIdle) return km.model({ inputs: features, outputs: fit });
  const idle = km.layers.dense({ units: 3, activation: 'relu', name: 'idle' }).apply(trunk);
  return km.model({ inputs: features, outputs: [fit, idle] });
}

/** The two-head model with the reference's trunk and fit weights (its idle head draws from the seed in between). */
function twoHeads(): km.Functional {
  const m = model();
  const one = model(false);
  for (const name of ['trunk', 'fit']) m.getLayer(name).setWeights(one.getLayer(name).getWeights());
  return m;
}

const n = 16;
const random = new Random(7);
const x = km.tensor(Array.from({ length: n }, () => [random.uniform(-1, 1), random.uniform(-1, 1), random.uniform(-1, 1)]));
const y = km.tensor(Array.from({ length: n }, () => [random.uniform(-1, 1), random.uniform(-1, 1)]));
const idleTargets = km.tensor(Array.from({ length: n * 3 }, () => random.uniform(0, 1)), [n, 3]);
const fitArgs = { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 } as const;

const layerValues = (m: km.LayersModel, name: string) => m.getLayer(name).getWeights().map((w) => Array.from(w.dataSync()));

/** The optimizer's state of the weights whose names start with `prefix`, by name. */
async function stateOf(optimizer: km.optimizers.Optimizer, prefix: string): Promise<Record<string, number[]>> {
  const entries = (await optimizer.getWeights()).filter((e) => e.name.startsWith(prefix));
  return Object.fromEntries(entries.map((e) => [e.name, Array.from(e.tensor.dataSync())]));
}

/**
 * Equal up to float32 rounding: the same weights lie at other offsets of the two models' buffers,
 * where a SIMD kernel may round its last lanes differently.
 */
function expectClose(actual: number[][], expected: number[][]): void {
  expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
  actual.forEach((a, j) => a.forEach((v, i) => expect(Math.abs(v - expected[j][i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[j][i])))));
}

const OPTIMIZERS: [string, () => km.optimizers.Optimizer][] = [
  ['AdamW', () => km.optimizers.adamw({ learningRate: 0.05 })],
  ['Adam with weightDecay', () => km.optimizers.adam({ learningRate: 0.05, weightDecay: 0.1 })],
  ['SGD with momentum and weightDecay', () => km.optimizers.sgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.05 })],
  ['Ftrl', () => km.optimizers.ftrl({ learningRate: 0.1 })],
  ['centered RMSprop with momentum and weightDecay', () => km.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true, weightDecay: 0.02 })],
  ['Adafactor (factored state)', () => km.optimizers.adafactor({ learningRate: 0.1 })],
  ['Adam accumulating 2 batches, with weightDecay', () => km.optimizers.adam({ learningRate: 0.05, weightDecay: 0.1, gradientAccumulationSteps: 2 })],
];

describe('weights that no loss term reaches (they feed only outputs compiled with a null loss)', () => {
  it.each(OPTIMIZERS)('%s leaves them as they were, and trains the rest as a model without them (to float32 rounding)', async (_, optimizer) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const reference = model(false);
    reference.compile({ optimizer: optimizer(), loss: 'meanSquaredError' });
    await reference.fit(x, y, fitArgs);

    const m = twoHeads();
    const idleBefore = layerValues(m, 'idle');
    m.compile({ optimizer: optimizer(), loss: ['meanSquaredError', null] });
    await m.fit(x, [y, idleTargets], fitArgs);

    expect(layerValues(m, 'idle')).toEqual(idleBefore);
    for (const name of ['trunk', 'fit']) expectClose(layerValues(m, name), layerValues(reference, name));
    expect(m.optimizer!.iterations).toBe(reference.optimizer!.iterations);
    expect(m.optimizer!.iterations).toBeGreaterThan(0);
    for (const prefix of ['trunk/', 'fit/']) {
      const [state, expected] = [await stateOf(m.optimizer!, prefix), await stateOf(reference.optimizer!, prefix)];
      expect(Object.keys(state)).toEqual(Object.keys(expected));
      expectClose(Object.values(state), Object.values(expected));
    }
  });

  it.each(OPTIMIZERS)('%s leaves their optimizer state as it was, and a layout made anew after a trainable flip too', async (_, optimizer) => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = model();
    m.compile({ optimizer: optimizer(), loss: ['meanSquaredError', 'meanSquaredError'] });
    // Both losses first, so the idle head's state is not the slots' initial values.
    await m.fit(x, [y, idleTargets], fitArgs);
    m.compile({ optimizer: m.optimizer!, loss: ['meanSquaredError', null] });
    const idleBefore = layerValues(m, 'idle');
    const stateBefore = await stateOf(m.optimizer!, 'idle/');
    const trunkBefore = layerValues(m, 'trunk');
    expect(Object.keys(stateBefore).length).toBeGreaterThan(0);
    expect(Object.values(stateBefore).flat().some((v) => v !== 0)).toBe(true);

    await m.fit(x, [y, idleTargets], fitArgs);
    expect(layerValues(m, 'idle')).toEqual(idleBefore);
    expect(await stateOf(m.optimizer!, 'idle/')).toEqual(stateBefore);
    expect(layerValues(m, 'trunk')).not.toEqual(trunkBefore);

    m.getLayer('trunk').trainable = false;
    await m.fit(x, [y, idleTargets], fitArgs);
    expect(layerValues(m, 'idle')).toEqual(idleBefore);
    expect(await stateOf(m.optimizer!, 'idle/')).toEqual(stateBefore);
  });

  it('says so once per compile, naming the weights; a model whose outputs all have a loss hears nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = model();
    m.compile({ optimizer: km.optimizers.adamw(), loss: ['meanSquaredError', null] });
    await m.fit(x, [y, idleTargets], fitArgs);
    await m.fit(x, [y, idleTargets], fitArgs);
    await m.trainOnBatch(x, [y, idleTargets]);
    const said = warn.mock.calls.map((c) => String(c[0])).filter((s) => s.includes('no loss term reaches'));
    expect(said).toEqual([
      "kerasm: no loss term reaches the weights ['idle/kernel', 'idle/bias'] (they feed only outputs compiled without a loss, or only masks), so the optimizer leaves them unchanged, as Keras does: no update, no weight decay, and their optimizer state stays as it was.",
    ]);
    m.compile({ optimizer: m.optimizer!, loss: ['meanSquaredError', null] });
    await m.fit(x, [y, idleTargets], fitArgs);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('no loss term reaches'))).toHaveLength(2);

    warn.mockClear();
    const both = model();
    both.compile({ optimizer: km.optimizers.adamw(), loss: ['meanSquaredError', 'meanSquaredError'] });
    await both.fit(x, [y, idleTargets], fitArgs);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('no loss term reaches'))).toHaveLength(0);
  });

  it('applies no constraint to them, as Keras skips them, while the trained weights keep theirs', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    km.utils.setRandomSeed(11);
    const features = km.input({ shape: [3] });
    const trunk = km.layers.dense({ units: 4, name: 'trunk', kernelConstraint: km.constraints.nonNeg() }).apply(features);
    const idle = km.layers.dense({ units: 3, name: 'idle', kernelConstraint: km.constraints.nonNeg() }).apply(trunk);
    const m = km.model({ inputs: features, outputs: [km.layers.dense({ units: 2, name: 'fit' }).apply(trunk), idle] });
    const idleBefore = layerValues(m, 'idle');
    expect(idleBefore[0].some((v) => v < 0)).toBe(true); // the constraint would change it
    m.compile({ optimizer: 'sgd', loss: ['meanSquaredError', null] });
    await m.fit(x, [y, idleTargets], fitArgs);
    expect(layerValues(m, 'idle')).toEqual(idleBefore);
    expect(layerValues(m, 'trunk')[0].every((v) => v >= 0)).toBe(true);
  });
});
