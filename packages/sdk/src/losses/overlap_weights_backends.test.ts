import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { runsOn } from '../testing/backends_here.js';
import { overlapReference } from '../testing/focal_reference.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';
import { Random } from '../utils/random.js';

// Dice and Tversky with sample weights, class weights and a mask, on the wasm core and tfjs-cpu: the
// loss fit logs for one batch against Keras 3's reduce_weighted_values written out in float64 (the
// overlaps over `axis`, times the weights, summed, over their count; a mask m scaled to
// m·size/Σm first; a [batch] weight expanded over the kept axes), and that step's SGD update (lr 1)
// against finite differences of the same formula through a float64 Dense layer.
const ROWS = 5;
const K = 3;

interface Case {
  loss: km.losses.Loss;
  /** Keras' axis counting the batch as 0, or null for the whole batch. */
  axes: number[] | null;
  /** The output's shape without the batch; its last axis is the Dense layer's units. */
  shape: number[];
  tversky?: { alpha: number; beta: number };
  /** One weight per sample, or with `temporal` one per position. */
  sampleWeight?: number[];
  temporal?: boolean;
  classWeight?: Record<number, number>;
  /** A Masking layer first, with the inputs of some positions all zero. */
  masked?: boolean;
}

const sampleWeight = [1, 0.5, 2, 0, 2.5];
const cases: [string, Case][] = [
  ['dice per sample (axis [1, 2]) with sampleWeight', { loss: km.losses.dice({ axis: [1, 2] }), axes: [1, 2], shape: [2, 3], sampleWeight }],
  ['tversky α=0.3, β=0.7 per sample and class (axis 1, transposed) with sampleWeight', {
    loss: km.losses.tversky({ alpha: 0.3, beta: 0.7, axis: 1 }), axes: [1], shape: [2, 3], tversky: { alpha: 0.3, beta: 0.7 }, sampleWeight,
  }],
  ['dice over the whole batch with sampleWeight: the one overlap times the mean weight', { loss: km.losses.dice(), axes: null, shape: [2, 3], sampleWeight }],
  ['dice per sample of a [3] output with classWeight, by the argmax of each target row', { loss: km.losses.dice({ axis: 1 }), axes: [1], shape: [3], classWeight: { 0: 0.5, 1: 3, 2: 0.25 } }],
  ['tversky α=0.6, β=0.2 per position (axis -1) after a Masking layer, with sampleWeight', {
    loss: km.losses.tversky({ alpha: 0.6, beta: 0.2, axis: -1 }), axes: [2], shape: [3, 2], tversky: { alpha: 0.6, beta: 0.2 }, sampleWeight, masked: true,
  }],
  ['dice per position (axis -1) with temporal sampleWeight [n, 3]', { loss: km.losses.dice({ axis: -1 }), axes: [2], shape: [3, 2], sampleWeight: Array.from({ length: ROWS * 3 }, (_, i) => 0.2 * ((i * 7) % 5)), temporal: true }],
  ['dice over axes [1, 3] of a [1, 3, 2] output (transposed; axis 1 has size 1) with temporal sampleWeight [n, 1, 3]', {
    loss: km.losses.dice({ axis: [1, 3] }), axes: [1, 3], shape: [1, 3, 2], sampleWeight: Array.from({ length: ROWS * 3 }, (_, i) => 0.3 * ((i * 4) % 7)), temporal: true,
  }],
  ['dice over the whole batch after a Masking layer: unchanged, as in Keras 3', { loss: km.losses.dice(), axes: null, shape: [3, 2], masked: true }],
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Dense(units, sigmoid) on each row of `inputs` ([rows, K]) in float64; params = kernel then bias. */
function denseForward(params: number[], inputs: number[], units: number): number[] {
  return Array.from({ length: (inputs.length / K) * units }, (_, i) => {
    const [r, j] = [Math.floor(i / units), i % units];
    let z = params[K * units + j];
    for (let q = 0; q < K; q++) z += inputs[r * K + q] * params[q * units + j];
    return sigmoid(z);
  });
}

/** Keras 3's sample_weight after apply_mask, one per position ([batch] weights expanded over the positions). */
function positionWeights(c: Case, targets: number[], mask: number[]): number[] {
  const units = c.shape[c.shape.length - 1];
  const positions = size(c.shape) / units;
  const classOf = (b: number) => {
    const row = targets.slice(b * units, (b + 1) * units);
    return row.indexOf(Math.max(...row));
  };
  const masked = mask.reduce((a, b) => a + b, 0);
  return mask.map((m, i) => {
    const b = Math.floor(i / positions);
    const w = c.temporal ? c.sampleWeight![i] : c.sampleWeight ? c.sampleWeight[b] : c.classWeight ? (c.classWeight[classOf(b)] ?? 1) : 1;
    return c.masked ? (w * m * mask.length) / masked : w;
  });
}

/** Σ overlap·weight over the overlaps, over their count; over the whole batch, the overlap times the weights' mean. */
function kerasLoss(c: Case, y: number[], t: number[], weights: number[]): number {
  const overlap = (ys: number[], ts: number[]) => overlapReference(ys, ts, c.tversky);
  const units = c.shape[c.shape.length - 1];
  if (c.axes === null) return (overlap(y, t) * weights.reduce((a, b) => a + b, 0)) / weights.length;
  const dims = [ROWS, ...c.shape];
  const groups = new Map<string, { ys: number[]; ts: number[]; weights: Set<number> }>();
  y.forEach((v, i) => {
    const key = dims.map((d, k) => Math.floor(i / size(dims.slice(k + 1))) % d).filter((_, k) => !c.axes!.includes(k)).join(',');
    const group = groups.get(key) ?? groups.set(key, { ys: [], ts: [], weights: new Set() }).get(key)!;
    group.ys.push(v);
    group.ts.push(t[i]);
    group.weights.add(weights[Math.floor(i / units)]);
  });
  return [...groups.values()].reduce((sum, g) => {
    // Keras multiplies each overlap by one weight: the cases here give one to each.
    if (g.weights.size !== 1) throw new Error(`the reference overlap covers weights ${[...g.weights]}`);
    return sum + overlap(g.ys, g.ts) * [...g.weights][0];
  }, 0) / groups.size;
}

describe.each(['wasm', 'tfjs-cpu'])('Dice and Tversky weighted on backend %s', (name) => {
  runsOn(name, () => {});

  it.each(cases)('%s: the logged loss is Keras 3\'s, one SGD step its finite differences', async (_label, c) => {
    km.utils.setRandomSeed(3);
    const random = new Random(12);
    const units = c.shape[c.shape.length - 1];
    const inputShape = [...c.shape.slice(0, -1), K];
    const positions = size(c.shape) / units;
    const mask = Array.from({ length: ROWS * positions }, (_, i) => (c.masked && i % 3 === 1 ? 0 : 1));
    const inputs = Array.from({ length: ROWS * positions * K }, (_, i) => (mask[Math.floor(i / K)] ? random.uniform(-1.5, 1.5) : 0));
    const targets = Array.from({ length: ROWS * size(c.shape) }, () => (random.uniform(0, 1) < 0.4 ? 1 : 0));
    const dense = km.layers.dense({ units, activation: 'sigmoid', ...(c.masked ? {} : { inputShape }) });
    const model = km.sequential(c.masked ? [km.layers.masking({ maskValue: 0, inputShape }), dense] : [dense]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: c.loss });

    const before = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const weights = positionWeights(c, targets, mask);
    const loss = (params: number[]) => kerasLoss(c, denseForward(params, inputs, units), targets, weights);
    const unweighted = kerasLoss(c, denseForward(before, inputs, units), targets, weights.map(() => 1));
    const sampleWeight = c.sampleWeight && km.tensor(c.sampleWeight, c.temporal ? [ROWS, ...c.shape.slice(0, -1)] : [ROWS]);
    const { history } = await model.fit(km.tensor(inputs, [ROWS, ...inputShape]), km.tensor(targets, [ROWS, ...c.shape]), { batchSize: ROWS, shuffle: false, verbose: 0, sampleWeight, classWeight: c.classWeight });

    expect(history.loss[0]).toBeCloseTo(loss(before), 5);
    // The weights change the loss, except a mask over the whole batch, which Keras 3 leaves as it is.
    if (!(c.masked && c.axes === null)) expect(Math.abs(loss(before) - unweighted)).toBeGreaterThan(1e-3);
    else expect(loss(before)).toBeCloseTo(unweighted, 12);
    expectSgdStepMatchesLoss(before, model.getWeights().flatMap((w) => Array.from(w.dataSync())), loss);
  });
});
