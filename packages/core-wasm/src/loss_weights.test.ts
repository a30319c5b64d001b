import { describe, expect, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

// Weighted losses against the unweighted kernels (themselves tested against float64 loops) run on
// one row at a time, combined on the host: Σ_r w_r·loss_r and w_r·grad_r.

const ROWS = 7;
const COLS = 5;
/** Row weights with a masked row (0), a zero-weighted tail and non-unit weights. */
const WEIGHTS = Float32Array.from([0.5, 0, 2, 1, 0.25, 0, 3]);

type LossCall = (core: Core, p: number, t: number, dp: number, rows: number, weights: number) => number;

interface Case {
  readonly name: string;
  readonly sparse?: boolean;
  /** Output values in (0, 1), as probabilities, when the loss takes logs of them. */
  readonly probabilities?: boolean;
  readonly call: LossCall;
}

// Element kernels take one weight per `repeat` = COLS elements, so a row of COLS values has one weight.
const CASES: Case[] = [
  { name: 'softmaxCrossEntropySparse', sparse: true, call: (c, p, t, dp, rows, w) => c.softmaxCrossEntropySparse(p, t, p, dp, rows, COLS, 0.5, w) },
  { name: 'softmaxCrossEntropyDense', call: (c, p, t, dp, rows, w) => c.softmaxCrossEntropyDense(p, t, p, dp, rows, COLS, 0.5, w) },
  { name: 'categoricalCrossEntropy', probabilities: true, call: (c, p, t, dp, rows, w) => c.categoricalCrossEntropy(p, t, dp, rows, COLS, 0.5, w) },
  { name: 'sparseCategoricalCrossEntropy', sparse: true, probabilities: true, call: (c, p, t, dp, rows, w) => c.sparseCategoricalCrossEntropy(p, t, dp, rows, COLS, 0.5, w) },
  { name: 'binaryCrossEntropy', probabilities: true, call: (c, p, t, dp, rows, w) => c.binaryCrossEntropy(p, t, dp, rows * COLS, 0.5, w, COLS) },
  { name: 'meanSquaredError', call: (c, p, t, dp, rows, w) => c.meanSquaredError(p, t, dp, rows * COLS, 0.5, w, COLS) },
  { name: 'elementwiseLoss (huber)', call: (c, p, t, dp, rows, w) => c.elementwiseLoss(3, p, t, dp, rows * COLS, 0.5, 0.3, w, COLS) },
  { name: 'elementwiseLoss (logits BCE)', probabilities: true, call: (c, p, t, dp, rows, w) => c.elementwiseLoss(9, p, t, dp, rows * COLS, 0.5, 0.1, w, COLS) },
  { name: 'rowwiseLoss (cosine)', call: (c, p, t, dp, rows, w) => c.rowwiseLoss(1, p, t, dp, rows, COLS, 0.5, w) },
  { name: 'rowwiseLoss (categorical hinge)', call: (c, p, t, dp, rows, w) => c.rowwiseLoss(0, p, t, dp, rows, COLS, 0.5, w) },
];

function inputs(c: Case): { p: Float32Array; t: Float32Array | Int32Array } {
  const p = c.probabilities ? randomArray(ROWS * COLS, 3, 0.05, 0.95) : randomArray(ROWS * COLS, 3, -2, 2);
  const t = c.sparse ? Int32Array.from({ length: ROWS }, (_, r) => (r * 3) % COLS) : randomArray(ROWS * COLS, 4, 0, 1);
  return { p, t };
}

describe.each(FLAVORS)('weighted loss kernels (%s)', (flavor) => {
  it.each(CASES)('$name: Σ w_r·loss_r and w_r·grad_r, as one weighted call', async (c) => {
    const core = await coreFor(flavor);
    const { p, t } = inputs(c);
    const targetRow = c.sparse ? 1 : COLS;
    const pw = put(core, WEIGHTS);
    const pp = put(core, p);
    const pt = put(core, t);
    const pdp = put(core, new Float32Array(ROWS * COLS).fill(7));
    const weighted = c.call(core, pp, pt, pdp, ROWS, pw);
    const grad = get(core, pdp, ROWS * COLS);

    let expected = 0;
    const expectedGrad = new Float32Array(ROWS * COLS);
    for (let r = 0; r < ROWS; r++) {
      const rp = put(core, p.subarray(r * COLS, (r + 1) * COLS));
      const rt = put(core, t.subarray(r * targetRow, (r + 1) * targetRow));
      const rdp = put(core, new Float32Array(COLS));
      expected += WEIGHTS[r] * c.call(core, rp, rt, rdp, 1, 0);
      get(core, rdp, COLS).forEach((g, j) => (expectedGrad[r * COLS + j] = WEIGHTS[r] * g));
      [rp, rt, rdp].forEach((q) => core.free(q));
    }
    expect(weighted).toBeCloseTo(expected, 5);
    expect(weighted).not.toBe(0);
    expectClose(grad, expectedGrad, 1e-5, 1e-6);
    // Masked rows get exactly zero gradient, whatever was in the buffer before.
    expect(Array.from(grad.subarray(COLS, 2 * COLS), Math.abs)).toEqual(new Array(COLS).fill(0));
    [pw, pp, pt, pdp].forEach((q) => core.free(q));
  });

  it('lossWeights: m·w / Σm per position, w per sample or per position, and 0 everywhere when all is masked', async () => {
    const core = await coreFor(flavor);
    const n = 12;
    const mask = Float32Array.from({ length: n }, (_, i) => (i % 4 === 3 || i === 5 ? 0 : 1));
    const perSample = Float32Array.from([2, 0.5, 3]); // 3 samples of 4 positions
    const perPosition = randomArray(n, 5, 0, 2);
    const [pm, ps, pq, po] = [mask, perSample, perPosition, new Float32Array(n)].map((a) => put(core, a));
    const valid = mask.reduce((a, b) => a + b, 0);
    core.lossWeights(pm, ps, 4, po, n);
    expectClose(get(core, po, n), Array.from(mask, (m, i) => (m * perSample[Math.floor(i / 4)]) / valid), 1e-6, 1e-7);
    core.lossWeights(pm, pq, 1, po, n);
    expectClose(get(core, po, n), Array.from(mask, (m, i) => (m * perPosition[i]) / valid), 1e-6, 1e-7);
    core.lossWeights(0, ps, 4, po, n);
    expectClose(get(core, po, n), Array.from({ length: n }, (_, i) => perSample[Math.floor(i / 4)] / n), 1e-6, 1e-7);
    core.lossWeights(pm, 0, 1, po, n);
    expectClose(get(core, po, n), Array.from(mask, (m) => m / valid), 1e-6, 1e-7);
    // Unnormalized, the weights of a weighted metric: m·w.
    core.lossWeights(pm, ps, 4, po, n, false);
    expect(Array.from(get(core, po, n))).toEqual(Array.from(mask, (m, i) => m * perSample[Math.floor(i / 4)]));
    core.lossWeights(0, ps, 4, po, n, false);
    expect(Array.from(get(core, po, n))).toEqual(Array.from({ length: n }, (_, i) => perSample[Math.floor(i / 4)]));
    expect(core.maskSum(pm, n)).toBe(valid);
    const none = put(core, new Float32Array(n));
    core.lossWeights(none, ps, 4, po, n);
    expect(Array.from(get(core, po, n))).toEqual(new Array(n).fill(0));
    [pm, ps, pq, po, none].forEach((q) => core.free(q));
  });

  it('accuracy counts sum the weights of the matching rows and elements (a 0 leaves one out)', async () => {
    const core = await coreFor(flavor);
    const p = randomArray(ROWS * COLS, 8);
    const labels = Int32Array.from({ length: ROWS }, (_, r) => (r * 2) % COLS);
    const dense = randomArray(ROWS * COLS, 9, 0, 1);
    const binary = Float32Array.from(randomArray(ROWS * COLS, 10), (v) => (v > 0 ? 1 : 0));
    const argmax = (a: Float32Array, r: number) => {
      let best = 0;
      for (let j = 1; j < COLS; j++) if (a[r * COLS + j] > a[r * COLS + best]) best = j;
      return best;
    };
    let sparseHits = 0;
    let denseHits = 0;
    let binaryHits = 0;
    for (let r = 0; r < ROWS; r++) {
      if (argmax(p, r) === labels[r]) sparseHits += WEIGHTS[r];
      if (argmax(p, r) === argmax(dense, r)) denseHits += WEIGHTS[r];
      for (let j = 0; j < COLS; j++) if ((p[r * COLS + j] > 0.1 ? 1 : 0) === binary[r * COLS + j]) binaryHits += WEIGHTS[r];
    }
    const [pp, pl, pd, pb, pm] = [p, labels, dense, binary, WEIGHTS].map((a) => put(core, a));
    expect(core.countArgmaxMatchesSparse(pp, pl, ROWS, COLS, pm)).toBe(sparseHits);
    expect(core.countArgmaxMatchesDense(pp, pd, ROWS, COLS, pm)).toBe(denseHits);
    expect(core.countBinaryMatches(pp, pb, ROWS * COLS, 0.1, pm, COLS)).toBe(binaryHits);
    expect(sparseHits % 1 + binaryHits % 1).not.toBe(0);
    // Without weights every row counts once.
    const unweighted = Array.from({ length: ROWS * COLS }, (_, i) => (p[i] > 0.1 ? 1 : 0) === binary[i]).filter(Boolean).length;
    expect(core.countBinaryMatches(pp, pb, ROWS * COLS, 0.1)).toBe(unweighted);
    [pp, pl, pd, pb, pm].forEach((q) => core.free(q));
  });
});
