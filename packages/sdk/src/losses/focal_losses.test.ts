import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import type { BinaryFocalOptions, CategoricalFocalOptions } from '../backend/backend.js';
import { binaryFocalTerms, categoricalFocalRows, overlapReference } from '../testing/focal_reference.js';
import { expectGradientsClose, finiteDifferenceGradient, kerasmGradients } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// The focal, Dice and Tversky losses through a compiled model: evaluate against Keras' formulas and
// reductions in float64 on the model's predictions, and one SGD step against finite differences
// of the whole float64 forward pass (so the batch scaling and the fused softmax are covered).
beforeAll(() => km.ready());

const ROWS = 6;
const K = 4;
const UNITS = 3;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/**
 * Keras' Dice or Tversky over `axes` of a batch of `shape` (batch first): `reference` on the values
 * that share their other coordinates, averaged over those groups.
 */
const overAxes = (shape: number[], axes: number[], reference: (y: number[], t: number[]) => number) => (y: number[], t: number[]) => {
  const groups = new Map<string, [number[], number[]]>();
  y.forEach((v, i) => {
    const coords = shape.map((_, k) => Math.floor(i / shape.slice(k + 1).reduce((a, b) => a * b, 1)) % shape[k]);
    const key = coords.filter((_, k) => !axes.includes(k)).join(',');
    const group = groups.get(key) ?? groups.set(key, [[], []]).get(key)!;
    group[0].push(v);
    group[1].push(t[i]);
  });
  return mean([...groups.values()].map(([ys, ts]) => reference(ys, ts)));
};
const binary = (o: Partial<BinaryFocalOptions> = {}): BinaryFocalOptions => ({ gamma: 2, alpha: 0.25, applyClassBalancing: false, labelSmoothing: 0, fromLogits: false, ...o });
const categorical = (o: Partial<CategoricalFocalOptions> = {}): CategoricalFocalOptions => ({ alpha: 0.25, gamma: 2, labelSmoothing: 0, fromLogits: false, ...o });

type Activation = 'sigmoid' | 'softmax' | 'linear';
interface Case {
  loss: string | km.losses.Loss;
  activation: Activation;
  /** Positions per sample: 1 for a [units] output, 2 for [2, units]. */
  positions: number;
  targets: 'binary' | 'oneHot';
  /** Keras' batch loss from the outputs and targets, both flat and row-major. */
  reference: (outputs: number[], targets: number[]) => number;
}

const cases: [string, Case][] = [
  ['binary_focal_crossentropy on a sigmoid output', { loss: 'binary_focal_crossentropy', activation: 'sigmoid', positions: 1, targets: 'binary', reference: (y, t) => mean(binaryFocalTerms(y, t, binary())) }],
  ['binaryFocalCrossentropy from logits, balanced and smoothed, at 2 positions', {
    loss: km.losses.binaryFocalCrossentropy({ gamma: 1, alpha: 0.75, applyClassBalancing: true, fromLogits: true, labelSmoothing: 0.1 }), activation: 'linear', positions: 2, targets: 'binary',
    reference: (y, t) => mean(binaryFocalTerms(y, t, binary({ gamma: 1, alpha: 0.75, applyClassBalancing: true, fromLogits: true, labelSmoothing: 0.1 }))),
  }],
  ['categorical_focal_crossentropy on a softmax output (fused)', { loss: 'categorical_focal_crossentropy', activation: 'softmax', positions: 1, targets: 'oneHot', reference: (y, t) => mean(categoricalFocalRows(y, t, UNITS, categorical())) }],
  ['categoricalFocalCrossentropy from logits with label smoothing, at 2 positions', {
    loss: km.losses.categoricalFocalCrossentropy({ fromLogits: true, alpha: 1, gamma: 0.5, labelSmoothing: 0.05 }), activation: 'linear', positions: 2, targets: 'oneHot',
    reference: (y, t) => mean(categoricalFocalRows(y, t, UNITS, categorical({ fromLogits: true, alpha: 1, gamma: 0.5, labelSmoothing: 0.05 }))),
  }],
  ['dice over the whole batch, at 2 positions', { loss: 'dice', activation: 'sigmoid', positions: 2, targets: 'binary', reference: (y, t) => overlapReference(y, t) }],
  ['tversky α=0.3, β=0.7', { loss: km.losses.tversky({ alpha: 0.3, beta: 0.7 }), activation: 'sigmoid', positions: 1, targets: 'binary', reference: (y, t) => overlapReference(y, t, { alpha: 0.3, beta: 0.7 }) }],
  ['dice per sample (axis [1, 2]) at 2 positions', { loss: km.losses.dice({ axis: [1, 2] }), activation: 'sigmoid', positions: 2, targets: 'binary', reference: overAxes([ROWS, 2, UNITS], [1, 2], (y, t) => overlapReference(y, t)) }],
  ['tversky α=0.6, β=0.2 per position (axis -1) at 2 positions', {
    loss: km.losses.tversky({ alpha: 0.6, beta: 0.2, axis: -1 }), activation: 'sigmoid', positions: 2, targets: 'binary', reference: overAxes([ROWS, 2, UNITS], [2], (y, t) => overlapReference(y, t, { alpha: 0.6, beta: 0.2 })),
  }],
  ['dice per sample and channel (axis 1, over the positions)', { loss: km.losses.dice({ axis: 1 }), activation: 'sigmoid', positions: 2, targets: 'binary', reference: overAxes([ROWS, 2, UNITS], [1], (y, t) => overlapReference(y, t)) }],
  ['tversky α=0.3, β=0.5 per channel over the batch and positions (axis [0, 1])', {
    loss: km.losses.tversky({ alpha: 0.3, beta: 0.5, axis: [0, 1] }), activation: 'sigmoid', positions: 2, targets: 'binary', reference: overAxes([ROWS, 2, UNITS], [0, 1], (y, t) => overlapReference(y, t, { alpha: 0.3, beta: 0.5 })),
  }],
  ['dice per position over the batch and channels (axis [0, -1])', { loss: km.losses.dice({ axis: [0, -1] }), activation: 'sigmoid', positions: 2, targets: 'binary', reference: overAxes([ROWS, 2, UNITS], [0, 2], (y, t) => overlapReference(y, t)) }],
  ['dice over every axis listed (axis [0, 1])', { loss: km.losses.dice({ axis: [0, 1] }), activation: 'sigmoid', positions: 1, targets: 'binary', reference: (y, t) => overlapReference(y, t) }],
];

function activate(z: number[], activation: Activation): number[] {
  if (activation === 'sigmoid') return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === 'linear') return z;
  return z.map((_, i) => {
    const row = z.slice(i - (i % UNITS), i - (i % UNITS) + UNITS);
    return Math.exp(z[i]) / row.reduce((a, v) => a + Math.exp(v), 0);
  });
}

/** Dense(UNITS) on every position of `inputs` ([rows·positions, K]) in float64; params = kernel then bias. */
function denseForward(params: number[], inputs: number[], activation: Activation): number[] {
  const z = Array.from({ length: (inputs.length / K) * UNITS }, (_, i) => {
    const [r, j] = [Math.floor(i / UNITS), i % UNITS];
    return params[K * UNITS + j] + Array.from({ length: K }, (_, q) => inputs[r * K + q] * params[q * UNITS + j]).reduce((a, b) => a + b, 0);
  });
  return activate(z, activation);
}

describe('focal, Dice and Tversky losses in a compiled model', () => {
  it.each(cases)('%s: evaluate matches Keras\' formula and one SGD step its finite differences', async (_label, c) => {
    km.utils.setRandomSeed(3);
    const random = new Random(12);
    const shape = c.positions === 1 ? [K] : [c.positions, K];
    const model = km.sequential([km.layers.dense({ units: UNITS, activation: c.activation, inputShape: shape })]);
    const inputs = Array.from({ length: ROWS * c.positions * K }, () => random.uniform(-1.5, 1.5));
    const targets = Array.from({ length: ROWS * c.positions * UNITS }, (_, i) => (c.targets === 'binary' ? (random.uniform(0, 1) < 0.35 ? 1 : 0) : i % UNITS === Math.floor(i / UNITS) % UNITS ? 1 : 0));
    const x = km.tensor(inputs, [ROWS, ...shape]);
    const y = km.tensor(targets, c.positions === 1 ? [ROWS, UNITS] : [ROWS, c.positions, UNITS]);

    model.compile({ optimizer: 'sgd', loss: c.loss });
    const predictions = Array.from(model.predict(x).dataSync());
    const [evaluated] = await model.evaluate(x, y, { batchSize: ROWS, verbose: 0 });
    expect(evaluated).toBeCloseTo(c.reference(predictions, targets), 5);

    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const expected = finiteDifferenceGradient(params, (p) => c.reference(denseForward(p, inputs, c.activation), targets));
    const grads = await kerasmGradients(model, c.loss, x, y);
    expectGradientsClose(grads, [expected.slice(0, K * UNITS), expected.slice(K * UNITS)], ['kernel', 'bias']);
  });

  it("Keras' documented Dice example: per sample over axis (1, 2, 3), and over the whole batch", async () => {
    const yTrue = km.tensor([1, 1, 0, 0, 1, 1, 0, 0], [2, 2, 2, 1]);
    const yPred = km.tensor([0, 1, 0, 1, 0.4, 0, 0, 0.9], [2, 2, 2, 1]);
    const identity = km.sequential([km.layers.activation({ activation: 'linear', inputShape: [2, 2, 1] })]);
    identity.compile({ optimizer: 'sgd', loss: km.losses.dice({ axis: [1, 2, 3] }) });
    // Keras gives the per-sample losses [0.5, 0.75757575], which sum_over_batch_size averages.
    expect((await identity.evaluate(yPred, yTrue, { verbose: 0 }))[0]).toBeCloseTo((0.5 + 0.75757575) / 2, 6);
    identity.compile({ optimizer: 'sgd', loss: 'dice' });
    expect((await identity.evaluate(yPred, yTrue, { verbose: 0 }))[0]).toBeCloseTo(0.6164384, 6);
  });

  it('dice in batches: each batch is one overlap, and evaluate weighs the batches by their size as Keras does', async () => {
    km.utils.setRandomSeed(5);
    const random = new Random(4);
    const model = km.sequential([km.layers.dense({ units: 2, activation: 'sigmoid', inputShape: [3] })]);
    model.compile({ optimizer: 'adam', loss: 'dice' });
    const inputs = Array.from({ length: 30 }, () => random.uniform(-1, 1));
    const targets = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const x = km.tensor(inputs, [10, 3]);
    const predictions = Array.from(model.predict(x).dataSync());
    const batch = (from: number, to: number) => overlapReference(predictions.slice(2 * from, 2 * to), targets.slice(2 * from, 2 * to));
    const expected = (4 * batch(0, 4) + 4 * batch(4, 8) + 2 * batch(8, 10)) / 10;
    const [evaluated] = await model.evaluate(x, km.tensor(targets, [10, 2]), { batchSize: 4, verbose: 0 });
    expect(evaluated).toBeCloseTo(expected, 5);
  });
});
