import { describe, expect, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray, rng } from './test_support.js';

const EPS = 1e-7;
const clip = (p: number): number => Math.min(Math.max(p, EPS), 1 - EPS);

function softmax64(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const y = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let mx = -Infinity;
    for (let c = 0; c < cols; c++) mx = Math.max(mx, x[r * cols + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += (y[r * cols + c] = Math.exp(x[r * cols + c] - mx));
    for (let c = 0; c < cols; c++) y[r * cols + c] /= s;
  }
  return y;
}

/** Central finite differences of a float64 loss with respect to each input element. */
function numericGrad(loss: (x: Float64Array) => number, x0: ArrayLike<number>, h = 1e-6): Float64Array {
  const x = Float64Array.from(x0);
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const up = loss(x);
    x[i] = v - h;
    const down = loss(x);
    x[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Keras 3's categorical cross-entropy on probabilities in float64: each row divided by its sum, clipped, −Σ t·log. */
function normalisedCrossEntropy(x: ArrayLike<number>, t: ArrayLike<number>, rows: number, cols: number): number {
  let l = 0;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += x[r * cols + c];
    for (let c = 0; c < cols; c++) l -= t[r * cols + c] * Math.log(clip(x[r * cols + c] / s));
  }
  return l;
}

function randomLabels(rows: number, cols: number, seed: number): Int32Array {
  const r = rng(seed);
  return Int32Array.from({ length: rows }, () => Math.min(cols - 1, Math.floor(r(0, cols))));
}

function randomDistributions(rows: number, cols: number, seed: number): Float32Array {
  const t = randomArray(rows * cols, seed, 0, 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += t[r * cols + c];
    for (let c = 0; c < cols; c++) t[r * cols + c] /= s;
  }
  return t;
}

const SHAPES: [number, number][] = [[1, 1], [1, 3], [3, 17], [5, 10], [2, 65]];
const GRAD_SCALE = 0.25;

/** Runs a loss kernel on fresh buffers and returns its value and gradient. */
function run(core: Core, inputs: (Float32Array | Int32Array)[], outLen: number, call: (ptrs: number[], grad: number) => number) {
  const ptrs = inputs.map((x) => put(core, x));
  const grad = core.malloc(4 * outLen);
  const value = call(ptrs, grad);
  const g = get(core, grad, outLen);
  const withoutGrad = call(ptrs, 0);
  for (const p of [...ptrs, grad]) core.free(p);
  return { value, g, withoutGrad };
}

describe.each(FLAVORS)('losses (%s)', (flavor) => {
  it('softmaxCrossEntropySparse: probs, loss and gradient', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of SHAPES) {
      const logits = randomArray(rows * cols, rows * cols, -4, 4);
      const labels = randomLabels(rows, cols, cols);
      const ref = (x: Float64Array): number => {
        const p = softmax64(x, rows, cols);
        let l = 0;
        for (let r = 0; r < rows; r++) l -= Math.log(clip(p[r * cols + labels[r]]));
        return l;
      };
      const pl = put(core, logits), plab = put(core, labels), pp = core.malloc(4 * rows * cols), pd = core.malloc(4 * rows * cols);
      const loss = core.softmaxCrossEntropySparse(pl, plab, pp, pd, rows, cols, GRAD_SCALE);
      expect(loss).toBeCloseTo(ref(Float64Array.from(logits)), 4);
      expectClose(get(core, pp, rows * cols), softmax64(logits, rows, cols), 1e-5, 1e-7);
      const fd = numericGrad(ref, logits).map((v) => v * GRAD_SCALE);
      expectClose(get(core, pd, rows * cols), fd, 1e-4, 1e-6);
      // In place (probs = logits) and without a gradient.
      const loss2 = core.softmaxCrossEntropySparse(pl, plab, pl, 0, rows, cols, GRAD_SCALE);
      expect(loss2).toBeCloseTo(loss, 5);
      expectClose(get(core, pl, rows * cols), softmax64(logits, rows, cols), 1e-5, 1e-7);
      for (const p of [pl, plab, pp, pd]) core.free(p);
    }
  });

  it('softmaxCrossEntropyDense matches finite differences', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of SHAPES) {
      const logits = randomArray(rows * cols, 3 * rows + cols, -4, 4);
      // Unnormalised targets exercise the p·Σt − t form.
      const targets = randomArray(rows * cols, rows + 5 * cols, 0, 1);
      const ref = (x: Float64Array): number => {
        const p = softmax64(x, rows, cols);
        let l = 0;
        for (let i = 0; i < p.length; i++) l -= targets[i] * Math.log(clip(p[i]));
        return l;
      };
      const { value, g, withoutGrad } = run(core, [logits, targets], rows * cols, ([pl, pt], pd) =>
        core.softmaxCrossEntropyDense(pl, pt, core.malloc(4 * rows * cols), pd, rows, cols, GRAD_SCALE));
      expect(value).toBeCloseTo(ref(Float64Array.from(logits)), 4);
      expect(withoutGrad).toBe(value);
      expectClose(g, numericGrad(ref, logits).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);
    }
  });

  it('softmax cross-entropy is finite for huge logits and clips at ε', async () => {
    const core = await coreFor(flavor);
    const logits = Float32Array.from([1e4, -1e4, 0, 5e3]);
    const labels = Int32Array.from([1]);
    const { value, g } = run(core, [logits, labels], 4, ([pl, plab], pd) =>
      core.softmaxCrossEntropySparse(pl, plab, pl, pd, 1, 4, 1));
    expect(value).toBeCloseTo(-Math.log(EPS), 5);
    expectClose(g, [1, -1, 0, 0], 1e-6, 1e-6);
  });

  // Keras divides each row by its sum first, so rows that do not sum to 1 (sigmoid, linear outputs)
  // are read as the distribution they are proportional to.
  it('categoricalCrossEntropy on rows that do not sum to 1: −Σ t·log(clip(p / Σp))', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of SHAPES) {
      const p = randomArray(rows * cols, rows * 13 + cols, 0.05, 0.95);
      const t = randomDistributions(rows, cols, cols * 17 + rows);
      const ref = (x: Float64Array): number => normalisedCrossEntropy(x, t, rows, cols);
      const { value, g, withoutGrad } = run(core, [p, t], rows * cols, ([pp, pt], pd) =>
        core.categoricalCrossEntropy(pp, pt, pd, rows, cols, GRAD_SCALE));
      expect(value).toBeCloseTo(ref(Float64Array.from(p)), 5);
      expect(withoutGrad).toBe(value);
      expectClose(g, numericGrad(ref, p).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);
    }
  });

  it('sparseCategoricalCrossEntropy on rows that do not sum to 1: −log(clip(p[label] / Σp))', async () => {
    const core = await coreFor(flavor);
    for (const [rows, cols] of SHAPES) {
      const p = randomArray(rows * cols, rows * 19 + cols, 0.05, 0.95);
      const labels = randomLabels(rows, cols, rows + cols);
      const oneHot = new Float32Array(rows * cols);
      labels.forEach((label, r) => (oneHot[r * cols + label] = 1));
      const ref = (x: Float64Array): number => normalisedCrossEntropy(x, oneHot, rows, cols);
      const { value, g } = run(core, [p, labels], rows * cols, ([pp, plab], pd) =>
        core.sparseCategoricalCrossEntropy(pp, plab, pd, rows, cols, GRAD_SCALE));
      expect(value).toBeCloseTo(ref(Float64Array.from(p)), 5);
      expectClose(g, numericGrad(ref, p).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);
    }
  });

  it('cross-entropy on probabilities: the audit rows, and no slope through a clipped entry', async () => {
    const core = await coreFor(flavor);
    // Rows summing to 0.6 and 1.5 (sigmoid outputs): Keras and tfjs-layers give 1.09861.
    const p = Float32Array.from([0.2, 0.3, 0.1, 0.5, 0.5, 0.5]);
    const dense = run(core, [p, Float32Array.from([1, 0, 0, 0, 0, 1])], 6, ([pp, pt], pd) => core.categoricalCrossEntropy(pp, pt, pd, 2, 3, 1));
    const sparse = run(core, [p, Int32Array.from([0, 2])], 6, ([pp, pt], pd) => core.sparseCategoricalCrossEntropy(pp, pt, pd, 2, 3, 1));
    const keras = -Math.log(0.2 / 0.6) - Math.log(0.5 / 1.5);
    expect(dense.value).toBeCloseTo(keras, 6);
    expect(sparse.value).toBeCloseTo(keras, 6);
    expectClose(sparse.g, dense.g, 1e-6, 1e-7);
    // Class 0 far below ε of its row: its term is −t·log ε with no slope through p0, the others
    // still feel the row sum through the unclipped target mass (here 0.5 on class 1).
    const q = Float32Array.from([1e-9, 0.4, 0.6]);
    const t = Float32Array.from([0.5, 0.5, 0]);
    const clipped = run(core, [q, t], 3, ([pp, pt], pd) => core.categoricalCrossEntropy(pp, pt, pd, 1, 3, 1));
    expect(clipped.value).toBeCloseTo(-0.5 * Math.log(EPS) - 0.5 * Math.log(0.4 / (1 + 1e-9)), 5);
    const s = 1 + 1e-9;
    expectClose(clipped.g, [0.5 / s, -0.5 / 0.4 + 0.5 / s, 0.5 / s], 1e-5, 1e-7);
    const label0 = run(core, [q, Int32Array.from([0])], 3, ([pp, pt], pd) => core.sparseCategoricalCrossEntropy(pp, pt, pd, 1, 3, 1));
    expect(label0.value).toBeCloseTo(-Math.log(EPS), 5);
    expect(Array.from(label0.g)).toEqual([0, 0, 0]);
  });

  it('binaryCrossEntropy and meanSquaredError match finite differences', async () => {
    const core = await coreFor(flavor);
    for (const n of [1, 3, 17, 63, 65]) {
      const p = randomArray(n, n, 0.05, 0.95);
      const t = randomArray(n, 2 * n, 0, 1).map((v, i) => (i % 3 === 0 ? Math.round(v) : v));
      const bce = (x: Float64Array): number =>
        x.reduce((l, v, i) => l - (t[i] * Math.log(clip(v)) + (1 - t[i]) * Math.log(1 - clip(v))), 0);
      const b = run(core, [p, t], n, ([pp, pt], pd) => core.binaryCrossEntropy(pp, pt, pd, n, GRAD_SCALE));
      expect(b.value).toBeCloseTo(bce(Float64Array.from(p)), 5);
      expectClose(b.g, numericGrad(bce, p).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);

      const mse = (x: Float64Array): number => x.reduce((l, v, i) => l + (v - t[i]) ** 2, 0);
      const m = run(core, [p, t], n, ([pp, pt], pd) => core.meanSquaredError(pp, pt, pd, n, GRAD_SCALE));
      expect(m.value).toBeCloseTo(mse(Float64Array.from(p)), 5);
      expectClose(m.g, numericGrad(mse, p).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);
    }
  });

  it('binaryCrossEntropy clips probabilities 0 and 1 to float32 bounds, as Keras (float32) and tfjs do', async () => {
    const core = await coreFor(flavor);
    const [low, high] = [Math.fround(EPS), Math.fround(1 - EPS)];
    // [p, t]: saturated mistakes, a hit at the bound, and a label-smoothed saturated output.
    const cases: [number, number, number][] = [[1, 0, 0], [0, 1, 0], [1, 1, 0], [1, 0, 0.1]];
    for (const [p, t, s] of cases) {
      const { value, g } = run(core, [Float32Array.from([p]), Float32Array.from([t])], 1, ([pp, pt], pd) =>
        core.binaryCrossEntropy(pp, pt, pd, 1, 1, 0, 1, s));
      const [pc, ts] = [Math.min(Math.max(p, low), high), t * (1 - s) + 0.5 * s];
      expect(value).toBeCloseTo(-(ts * Math.log(pc) + (1 - ts) * Math.log(1 - pc)), 4);
      // The gradient is the clipped value's slope, as the tfjs backend's.
      expectClose(g, [(pc - ts) / (pc * (1 - pc))], 1e-5, 1e-7);
    }
    // p = 1 against 0 costs −log(1.1920929e-7) = 15.942 (Keras, tfjs), not −log(1e-7) = 16.118.
    const saturated = run(core, [Float32Array.from([1]), Float32Array.from([0])], 1, ([pp, pt], pd) => core.binaryCrossEntropy(pp, pt, pd, 1, 1));
    expect(saturated.value).toBeCloseTo(15.9424, 4);
  });

  it('binaryCrossEntropy with label smoothing: smoothed loss and gradient, weighted, targets left as given', async () => {
    const core = await coreFor(flavor);
    // [elements, smoothing, elements per weight]
    for (const [n, s, repeat] of [[1, 0.1, 1], [17, 0.2, 17], [65, 1, 5]] as const) {
      const p = randomArray(n, 3 * n, 0.05, 0.95);
      const t = Float32Array.from({ length: n }, (_, i) => (i % 5 === 2 ? 0.3 : i % 2));
      const weights = Float32Array.from({ length: Math.ceil(n / repeat) }, (_, g) => 0.5 + g);
      const bce = (x: Float64Array): number => {
        let l = 0;
        for (let i = 0; i < n; i++) {
          const ts = t[i] * (1 - s) + 0.5 * s;
          l -= weights[Math.floor(i / repeat)] * (ts * Math.log(clip(x[i])) + (1 - ts) * Math.log(1 - clip(x[i])));
        }
        return l;
      };
      const pw = put(core, weights);
      let targetsAfter: ArrayLike<number> = [];
      const b = run(core, [p, t], n, ([pp, pt], pd) => {
        const value = core.binaryCrossEntropy(pp, pt, pd, n, GRAD_SCALE, pw, repeat, s);
        targetsAfter = get(core, pt, n);
        return value;
      });
      core.free(pw);
      expect(b.value).toBeCloseTo(bce(Float64Array.from(p)), 5);
      expect(b.withoutGrad).toBe(b.value);
      expectClose(b.g, numericGrad(bce, p).map((v) => v * GRAD_SCALE), 1e-4, 1e-6);
      expect(Array.from(targetsAfter)).toEqual(Array.from(t));
    }
  });
});
