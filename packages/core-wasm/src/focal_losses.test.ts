import { describe, expect, it } from 'vitest';
import { coreFor, expectClose, finiteDifferences, FLAVORS, get, put, randomArray } from './test_support.js';

// Keras 3's formulas, written as plainly as its Python (sigmoid/softmax first, then clip), in float64.
const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

interface BinaryCase { gamma: number; alpha: number; balance: boolean; smoothing: number; fromLogits: boolean }

function binaryFocal(y: number[], t: number[], o: BinaryCase, weights?: number[], repeat = 1): number {
  return y.reduce((sum, yi, i) => {
    const ti = t[i] * (1 - o.smoothing) + 0.5 * o.smoothing;
    const p = o.fromLogits ? sigmoid(yi) : yi;
    const bce = -(ti * Math.log(clip(p)) + (1 - ti) * Math.log(1 - clip(p)));
    const pt = ti * p + (1 - ti) * (1 - p);
    const balance = o.balance ? ti * o.alpha + (1 - ti) * (1 - o.alpha) : 1;
    return sum + (weights ? weights[Math.floor(i / repeat)] : 1) * balance * (1 - pt) ** o.gamma * bce;
  }, 0);
}

function categoricalFocal(y: number[], t: number[], cols: number, alpha: number, gamma: number, smoothing: number, fromLogits: boolean, weights?: number[]): number {
  let total = 0;
  for (let r = 0; r < y.length / cols; r++) {
    let row = y.slice(r * cols, (r + 1) * cols);
    if (fromLogits) {
      const e = row.map(Math.exp);
      row = e.map((v) => v / e.reduce((a, b) => a + b, 0));
    }
    const sum = row.reduce((a, b) => a + b, 0);
    let loss = 0;
    row.forEach((v, c) => {
      const q = clip(v / sum);
      const tc = t[r * cols + c] * (1 - smoothing) + smoothing / cols;
      loss += alpha * (1 - q) ** gamma * -tc * Math.log(q);
    });
    total += (weights ? weights[r] : 1) * loss;
  }
  return total;
}

/** Σ over the groups of each one's overlap loss, times the sum of its values' weights (one per `repeat` values) when given. */
function overlap(y: number[], t: number[], groups: number, tversky?: { alpha: number; beta: number }, weights?: number[], repeat = 1): number {
  const size = y.length / groups;
  let total = 0;
  for (let g = 0; g < groups; g++) {
    const [yg, tg] = [y.slice(g * size, (g + 1) * size), t.slice(g * size, (g + 1) * size)];
    let w = weights ? 0 : 1;
    for (let i = g * size; weights && i < (g + 1) * size; i++) w += weights[Math.floor(i / repeat)];
    const tp = yg.reduce((s, v, i) => s + v * tg[i], 0);
    if (tversky) {
      const fp = yg.reduce((s, v, i) => s + (1 - v) * tg[i], 0);
      const fn = yg.reduce((s, v, i) => s + v * (1 - tg[i]), 0);
      total += w * (1 - tp / (tp + fp * tversky.alpha + fn * tversky.beta + EPS));
    } else {
      total += w * (1 - (2 * tp) / (tg.reduce((a, b) => a + b, 0) + yg.reduce((a, b) => a + b, 0) + EPS));
    }
  }
  return total;
}

const binaryCases: [string, BinaryCase][] = [
  ['probabilities, γ=2', { gamma: 2, alpha: 0.25, balance: false, smoothing: 0, fromLogits: false }],
  ['logits, class balancing, label smoothing', { gamma: 2, alpha: 0.25, balance: true, smoothing: 0.1, fromLogits: true }],
  ['logits, γ=0.5', { gamma: 0.5, alpha: 0.6, balance: true, smoothing: 0, fromLogits: true }],
  ['probabilities, γ=0 (plain BCE)', { gamma: 0, alpha: 0.25, balance: false, smoothing: 0, fromLogits: false }],
];

describe.each(FLAVORS)('focal and overlap loss kernels (%s)', (flavor) => {
  it.each(binaryCases)('binaryFocalCrossEntropy, %s: loss and weighted loss match float64, gradient its finite differences', async (_label, o) => {
    const core = await coreFor(flavor);
    for (const n of [1, 17, 63]) {
      const y = o.fromLogits ? randomArray(n, n + 3, -3, 3) : randomArray(n, n + 3, 0.02, 0.98);
      const t = Float32Array.from(randomArray(n, n + 9), (v, i) => (i % 5 === 2 ? 0.3 : v > 0 ? 1 : 0));
      const [py, pt, pd] = [put(core, y), put(core, t), core.malloc(4 * n)];
      const loss = core.binaryFocalCrossEntropy(py, pt, pd, n, 0.5, o.gamma, o.alpha, o.balance, o.smoothing, o.fromLogits);
      const f = (v: number[]) => binaryFocal(v, Array.from(t), o);
      expect(Math.abs(loss - f(Array.from(y)))).toBeLessThan(1e-6 * Math.max(1, loss));
      expectClose(get(core, pd, n), finiteDifferences(y, (v) => 0.5 * f(v)), 1e-3, 1e-5);
      // One weight per 1 element when n is odd, so the groups line up: masks and sample weights.
      const weights = Float32Array.from({ length: n }, (_, i) => (i % 3) * 0.5);
      const pw = put(core, weights);
      const weighted = core.binaryFocalCrossEntropy(py, pt, pd, n, 1, o.gamma, o.alpha, o.balance, o.smoothing, o.fromLogits, pw, 1);
      expect(Math.abs(weighted - binaryFocal(Array.from(y), Array.from(t), o, Array.from(weights)))).toBeLessThan(1e-6 * Math.max(1, weighted));
      expectClose(get(core, pd, n), finiteDifferences(y, (v) => binaryFocal(v, Array.from(t), o, Array.from(weights))), 1e-3, 1e-5);
      for (const ptr of [py, pt, pd, pw]) core.free(ptr);
    }
  });

  it('binaryFocalCrossEntropy on saturated probabilities clips to float32 bounds, as Keras (float32) and tfjs do', async () => {
    const core = await coreFor(flavor);
    const y = Float32Array.from([1, 0, 1]);
    const t = Float32Array.from([0, 1, 1]);
    const [py, pt, pd] = [put(core, y), put(core, t), core.malloc(12)];
    const loss = core.binaryFocalCrossEntropy(py, pt, pd, 3, 1, 0, 0.25, false, 0, false);
    // γ = 0: plain BCE, −log(1 − f32(1 − 1e-7)) − log(f32(1e-7)) − log(f32(1 − 1e-7)) = 15.942 + 16.118 + 1.2e-7.
    const [low, high] = [Math.fround(EPS), Math.fround(1 - EPS)];
    expect(loss).toBeCloseTo(-Math.log(1 - high) - Math.log(low) - Math.log(high), 4);
    expect(loss).toBeCloseTo(32.0605, 3);
    // Outside the clip the cross-entropy is flat.
    expect(Array.from(get(core, pd, 3))).toEqual([0, 0, 0]);
    for (const ptr of [py, pt, pd]) core.free(ptr);
  });

  it('binaryFocalCrossEntropy from logits stays finite where a sigmoid saturates', async () => {
    const core = await coreFor(flavor);
    const y = Float32Array.from([60, -60, 40, -40]);
    const t = Float32Array.from([0, 1, 1, 0]);
    const [py, pt, pd] = [put(core, y), put(core, t), core.malloc(16)];
    const loss = core.binaryFocalCrossEntropy(py, pt, pd, 4, 1, 2, 0.25, false, 0, true);
    // Two confident mistakes (|x|·1²) and two confident hits (≈0).
    expect(loss).toBeCloseTo(120, 4);
    expectClose(get(core, pd, 4), [1, -1, 0, 0], 1e-6, 1e-6);
    for (const ptr of [py, pt, pd]) core.free(ptr);
  });

  it.each([
    ['probabilities that do not sum to 1', false, 0, 0.25, 2],
    ['logits with label smoothing', true, 0.2, 0.25, 2],
    ['logits, α=1, γ=0 (plain cross-entropy)', true, 0, 1, 0],
  ] as const)('categoricalFocalCrossEntropy, %s: loss matches float64, gradient its finite differences', async (_label, fromLogits, smoothing, alpha, gamma) => {
    const core = await coreFor(flavor);
    const [rows, cols] = [7, 5];
    const y = fromLogits ? randomArray(rows * cols, 41, -2, 2) : randomArray(rows * cols, 41, 0.05, 1);
    const t = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === (i * 3 + 1) % cols ? 1 : 0));
    const weights = Float32Array.from({ length: rows }, (_, r) => 0.25 * r);
    const [py, pt, pprob, pd, pw] = [put(core, y), put(core, t), core.malloc(4 * rows * cols), core.malloc(4 * rows * cols), put(core, weights)];
    const f = (v: number[], w?: number[]) => categoricalFocal(v, Array.from(t), cols, alpha, gamma, smoothing, fromLogits, w);
    const loss = core.categoricalFocalCrossEntropy(py, pt, pprob, pd, rows, cols, 0.5, alpha, gamma, smoothing, fromLogits);
    expect(Math.abs(loss - f(Array.from(y)))).toBeLessThan(1e-6 * Math.max(1, loss));
    expectClose(get(core, pd, rows * cols), finiteDifferences(y, (v) => 0.5 * f(v)), 1e-3, 1e-5);
    const weighted = core.categoricalFocalCrossEntropy(py, pt, pprob, pd, rows, cols, 1, alpha, gamma, smoothing, fromLogits, pw);
    expect(Math.abs(weighted - f(Array.from(y), Array.from(weights)))).toBeLessThan(1e-6 * Math.max(1, weighted));
    expectClose(get(core, pd, rows * cols), finiteDifferences(y, (v) => f(v, Array.from(weights))), 1e-3, 1e-5);
    if (fromLogits) {
      const e = Array.from(y.subarray(0, cols), Math.exp);
      expectClose(get(core, pprob, cols), e.map((v) => v / e.reduce((a, b) => a + b, 0)), 1e-5, 1e-7);
    }
    for (const ptr of [py, pt, pprob, pd, pw]) core.free(ptr);
  });

  it.each([
    ['dice over the whole batch', 1, undefined],
    ['dice per group of an odd size', 3, undefined],
    ['tversky α=0.3, β=0.7', 1, { alpha: 0.3, beta: 0.7 }],
    ['tversky α=0.8, β=0.1 per group', 3, { alpha: 0.8, beta: 0.1 }],
  ] as const)('overlapLoss, %s: loss matches float64, gradient its finite differences', async (_label, groups, tversky) => {
    const core = await coreFor(flavor);
    const n = 3 * 21;
    const y = randomArray(n, 77, 0, 1);
    const t = Float32Array.from(randomArray(n, 78), (v) => (v > 0.2 ? 1 : 0));
    const [py, pt, pd] = [put(core, y), put(core, t), core.malloc(4 * n)];
    const coefficients = tversky ? [1, 1 - tversky.alpha - tversky.beta, tversky.alpha, tversky.beta] : [2, 0, 1, 1];
    const loss = core.overlapLoss(py, pt, pd, groups, n / groups, 0.5, coefficients[0], coefficients[1], coefficients[2], coefficients[3]);
    const f = (v: number[]) => overlap(v, Array.from(t), groups, tversky);
    expect(Math.abs(loss - f(Array.from(y)))).toBeLessThan(1e-6);
    expect(loss).toBeGreaterThan(0.1 * groups);
    expectClose(get(core, pd, n), finiteDifferences(y, (v) => 0.5 * f(v)), 1e-3, 1e-6);
    for (const ptr of [py, pt, pd]) core.free(ptr);
  });

  it.each([
    ['dice, 3 groups of 21, a weight per 7 values (groups cover several weights)', 3, 7, undefined],
    ['tversky α=0.3, β=0.7, 9 groups of 7, a weight per 21 values (weights cover several groups)', 9, 21, { alpha: 0.3, beta: 0.7 }],
  ] as const)('overlapLoss weighted, %s: each group times the sum of its values\' weights', async (_label, groups, repeat, tversky) => {
    const core = await coreFor(flavor);
    const n = 3 * 21;
    const y = randomArray(n, 79, 0, 1);
    const t = Float32Array.from(randomArray(n, 80), (v) => (v > 0.4 ? 1 : 0));
    const weights = Float32Array.from({ length: n / repeat }, (_, i) => 0.1 + 0.3 * i);
    const [py, pt, pd, pw] = [put(core, y), put(core, t), core.malloc(4 * n), put(core, weights)];
    const coefficients = tversky ? [1, 1 - tversky.alpha - tversky.beta, tversky.alpha, tversky.beta] : [2, 0, 1, 1];
    const f = (v: number[]) => overlap(v, Array.from(t), groups, tversky, Array.from(weights), repeat);
    const loss = core.overlapLoss(py, pt, pd, groups, n / groups, 0.5, coefficients[0], coefficients[1], coefficients[2], coefficients[3], pw, repeat);
    expect(Math.abs(loss - f(Array.from(y)))).toBeLessThan(1e-5);
    expect(Math.abs(loss - overlap(Array.from(y), Array.from(t), groups, tversky))).toBeGreaterThan(0.1);
    expectClose(get(core, pd, n), finiteDifferences(y, (v) => 0.5 * f(v)), 1e-3, 1e-6);
    for (const ptr of [py, pt, pd, pw]) core.free(ptr);
  });
});
