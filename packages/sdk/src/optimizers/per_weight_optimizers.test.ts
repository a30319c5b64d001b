import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { adafactorRule, lambRule, refStep, type RefOptions, type RefRule } from '../testing/optimizer_reference.js';
import { Random } from '../utils/random.js';

// Lamb and Adafactor work per weight tensor, so they are checked on a real model, whose weights
// the optimizer receives with their shapes: Dense(4) → Dense(2), kernels [3, 4] and [4, 2]
// (Adafactor factors them) and zero-initialised biases [4] and [2] (Lamb's ratio is 1 there).
const random = new Random(5);
const X = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => random.uniform(-1, 1)));
const Y = Array.from({ length: 6 }, () => Array.from({ length: 2 }, () => random.uniform(-1, 1)));
const SHAPES = [[3, 4], [4], [4, 2], [2]];
const STEPS = 5;

beforeAll(async () => {
  await km.ready();
});

/** Gradients of the mean squared error of the linear two-layer model, in float64, in weight order. */
function gradients(flat: Float64Array): Float64Array {
  const [w1, b1, w2, b2] = split(flat);
  const dW1 = new Float64Array(12), dB1 = new Float64Array(4), dW2 = new Float64Array(8), dB2 = new Float64Array(2);
  const scale = 2 / (X.length * 2);
  X.forEach((x, s) => {
    const h = [0, 1, 2, 3].map((j) => b1[j] + x.reduce((sum, xi, i) => sum + xi * w1[i * 4 + j], 0));
    const dy = [0, 1].map((k) => scale * (b2[k] + h.reduce((sum, hj, j) => sum + hj * w2[j * 2 + k], 0) - Y[s][k]));
    dy.forEach((d, k) => {
      dB2[k] += d;
      h.forEach((hj, j) => (dW2[j * 2 + k] += hj * d));
    });
    const dh = [0, 1, 2, 3].map((j) => dy.reduce((sum, d, k) => sum + d * w2[j * 2 + k], 0));
    dh.forEach((d, j) => {
      dB1[j] += d;
      x.forEach((xi, i) => (dW1[i * 4 + j] += xi * d));
    });
  });
  return Float64Array.from([...dW1, ...dB1, ...dW2, ...dB2]);
}

function split(flat: Float64Array): Float64Array[] {
  return [flat.subarray(0, 12), flat.subarray(12, 16), flat.subarray(16, 24), flat.subarray(24, 26)];
}

async function trainBoth(optimizer: km.optimizers.Optimizer, rule: RefRule, options: RefOptions): Promise<{ ours: number[]; expected: Float64Array; start: number[] }> {
  km.utils.setRandomSeed(11);
  const model = km.sequential([km.layers.dense({ units: 4, inputShape: [3] }), km.layers.dense({ units: 2 })]);
  model.compile({ optimizer, loss: 'meanSquaredError' });
  const start = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
  expect(model.getWeights().map((w) => w.shape)).toEqual(SHAPES);
  const expected = Float64Array.from(start);
  const state = {};
  for (let t = 1; t <= STEPS; t++) {
    await model.trainOnBatch(km.tensor(X), km.tensor(Y));
    refStep(rule, options, expected, gradients(expected), state, t);
  }
  return { ours: model.getWeights().flatMap((w) => Array.from(w.dataSync())), expected, start };
}

function expectClose(ours: number[], expected: Float64Array, start: number[]): void {
  let moved = 0;
  ours.forEach((v, i) => {
    expect(v).toBeCloseTo(expected[i], 5);
    moved = Math.max(moved, Math.abs(v - start[i]));
  });
  expect(moved).toBeGreaterThan(1e-2); // the weights really moved
}

describe('Lamb and Adafactor on a real model, against float64 references of Keras 3', () => {
  it('lamb: per-layer trust ratios over five trainOnBatch steps', async () => {
    const { ours, expected, start } = await trainBoth(km.optimizers.lamb({ learningRate: 0.05 }), lambRule(SHAPES), { lr: () => 0.05 });
    expectClose(ours, expected, start);
    // A ratio over the whole buffer instead of per weight gives other weights.
    const flat = Float64Array.from(start);
    const state = {};
    for (let t = 1; t <= STEPS; t++) refStep(lambRule([[26]]), { lr: () => 0.05 }, flat, gradients(flat), state, t);
    expect(Math.max(...ours.map((v, i) => Math.abs(v - flat[i])))).toBeGreaterThan(1e-3);
  });

  it("adafactor: factored kernels and unfactored biases", async () => {
    const { ours, expected, start } = await trainBoth(km.optimizers.adafactor({ learningRate: 0.1 }), adafactorRule(SHAPES), { lr: () => 0.1 });
    expectClose(ours, expected, start);
  });

  it('adafactor with weightDecay and clipnorm per weight', async () => {
    const options = { lr: () => 0.1, weightDecay: 0.2, clipnorm: 0.05, segments: [12, 4, 8, 2] };
    const { ours, expected, start } = await trainBoth(km.optimizers.adafactor({ learningRate: 0.1, weightDecay: 0.2, clipnorm: 0.05 }), adafactorRule(SHAPES), options);
    expectClose(ours, expected, start);
  });
});
