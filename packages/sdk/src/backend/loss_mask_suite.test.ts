import { describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from './registry.js';
import type { Backend } from './backend.js';
import { BACKENDS_HERE, deviceIO, runsOn } from '../testing/backends_here.js';
import { expectClose } from '../testing/expect_close.js';
import { expectWasmTrajectory } from '../testing/wasm_trajectory.js';
import { paddedSequences } from '../testing/padded_sequences.js';
import { Random } from '../utils/random.js';

// Masked and weighted losses on every backend that runs here: the weight and masked-count kernels
// against float64 loops, then a per-step tagger on padded sequences against the wasm loss trajectory.
const random = new Random(57);
const ROWS = 6;
const COLS = 3;
const mask = Float32Array.from([1, 0, 1, 1, 0, 1]);
const perSample = Float32Array.from([2, 0.5, 1]); // 3 samples of 2 positions
const logits = Float32Array.from({ length: ROWS * COLS }, () => random.uniform(-2, 2));
const labels = Int32Array.from([0, 2, 1, 1, 0, 2]);
const targets = Float32Array.from({ length: ROWS * COLS }, () => random.uniform(-1, 1));

describe.each(BACKENDS_HERE)('masked and weighted losses on backend %s', (name) => {
  let b: Backend;
  const { upload, download } = deviceIO(() => b);

  runsOn(name, (current) => (b = current));

  it('lossWeights, maskSum and the masked, weighted loss and accuracy kernels match float64 loops', async () => {
    const valid = mask.reduce((a, v) => a + v, 0);
    const expectedWeights = Array.from(mask, (m, i) => (m * perSample[Math.floor(i / 2)]) / valid);
    const [pm, ps, pw] = [mask, perSample, new Float32Array(ROWS)].map(upload);
    b.lossWeights(pm, ps, 2, pw, ROWS);
    expectClose(await download(pw, ROWS), expectedWeights, 1e-6);
    expect(await b.maskSum(pm, ROWS)).toBe(valid);

    // Softmax cross-entropy with labels: Σ w·(−log softmax) and gradient w·(p − onehot).
    const [pl, plab, pg] = [logits, labels, new Float32Array(ROWS * COLS)].map(upload);
    const loss = await b.softmaxCrossEntropy(pl, plab, true, pl, pg, ROWS, COLS, 1, pw);
    let expectedLoss = 0;
    const expectedGrad: number[] = [];
    for (let r = 0; r < ROWS; r++) {
      const row = Array.from(logits.subarray(r * COLS, (r + 1) * COLS));
      const max = Math.max(...row);
      const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
      const p = row.map((v) => Math.exp(v - max) / sum);
      expectedLoss -= expectedWeights[r] * Math.log(p[labels[r]]);
      p.forEach((pj, j) => expectedGrad.push(expectedWeights[r] * (pj - (j === labels[r] ? 1 : 0))));
    }
    expect(loss).toBeCloseTo(expectedLoss, 5);
    expectClose(await download(pg, ROWS * COLS), expectedGrad, 1e-5);

    // MSE with one weight per row of COLS elements.
    const [pp, pt, pd] = [logits, targets, new Float32Array(ROWS * COLS)].map(upload);
    const mse = await b.meanSquaredError(pp, pt, pd, ROWS * COLS, 0.5, pw, COLS);
    const diffs = Array.from(logits, (v, i) => v - targets[i]);
    expect(mse).toBeCloseTo(diffs.reduce((s, d, i) => s + expectedWeights[Math.floor(i / COLS)] * d * d, 0), 5);
    expectClose(await download(pd, ROWS * COLS), diffs.map((d, i) => expectedWeights[Math.floor(i / COLS)] * d), 1e-5);

    const [praw] = [logits].map(upload);
    const argmax = (r: number) => {
      const row = Array.from(logits.subarray(r * COLS, (r + 1) * COLS));
      return row.indexOf(Math.max(...row));
    };
    const hits = labels.reduce((s, l, r) => s + (mask[r] && argmax(r) === l ? 1 : 0), 0);
    expect(await b.countArgmaxMatches(praw, plab, true, ROWS, COLS, pm)).toBe(hits);

    // A weighted metric's weights, m·w unnormalized, weigh each matching row (and each element of a binary match).
    const metricWeights = Array.from(mask, (m, i) => m * perSample[Math.floor(i / 2)]);
    const pmw = upload(new Float32Array(ROWS));
    b.lossWeights(pm, ps, 2, pmw, ROWS, false);
    expectClose(await download(pmw, ROWS), metricWeights, 1e-7);
    const weightedHits = labels.reduce((s, l, r) => s + (argmax(r) === l ? metricWeights[r] : 0), 0);
    expect(await b.countArgmaxMatches(praw, plab, true, ROWS, COLS, pmw)).toBeCloseTo(weightedHits, 6);
    const binary = Float32Array.from(targets, (v) => (v > 0 ? 1 : 0));
    const binaryHits = Array.from(logits).reduce((s, v, i) => s + ((v > 0.5 ? 1 : 0) === binary[i] ? metricWeights[Math.floor(i / COLS)] : 0), 0);
    expect(await b.countBinaryMatches(praw, upload(binary), ROWS * COLS, 0.5, pmw, COLS)).toBeCloseTo(binaryHits, 6);
    [pm, ps, pw, pl, plab, pg, pp, pt, pd, praw, pmw].forEach((id) => b.free(id));
  });

  it('a per-step tagger on padded sequences (Embedding maskZero → LSTM → Dense) follows the wasm loss trajectory', async () => {
    const n = 8;
    const steps = 5;
    const { tokens } = paddedSequences(n, steps, 6, 1, 4);
    const tags = Int32Array.from(tokens, (t, i) => (t === 0 ? i % 3 : t % 3));
    await expectWasmTrajectory(name, () => ({
      model: km.sequential([
        km.layers.embedding({ inputDim: 6, outputDim: 3, inputShape: [steps], maskZero: true }),
        km.layers.lstm({ units: 4, returnSequences: true }),
        km.layers.dense({ units: 3, activation: 'softmax' }),
      ]),
      x: km.tensor(tokens, [n, steps], 'int32'),
      y: km.tensor(tags, [n, steps], 'int32'),
    }), 'sparseCategoricalCrossentropy', 4);
    b = backend();
  });

  it('two inputs padded apart, their masks merged by an Add (their AND), follow the wasm loss trajectory', async () => {
    const n = 8;
    const steps = 5;
    const [first, second] = [paddedSequences(n, steps, 6, 1, 5, 'end'), paddedSequences(n, steps, 6, 1, 6, 'start')];
    const tags = Int32Array.from(first.tokens, (t, i) => (t + second.tokens[i]) % 3);
    await expectWasmTrajectory(name, () => {
      const [a, c] = [km.input({ shape: [steps] }), km.input({ shape: [steps] })];
      const embed = (x: km.SymbolicTensor) => km.layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(x) as km.SymbolicTensor;
      const merged = km.layers.add().apply([embed(a), embed(c)]) as km.SymbolicTensor;
      const tagged = km.layers.dense({ units: 3, activation: 'softmax' }).apply(km.layers.lstm({ units: 4, returnSequences: true }).apply(merged) as km.SymbolicTensor) as km.SymbolicTensor;
      return {
        model: km.model({ inputs: [a, c], outputs: tagged }),
        x: [km.tensor(first.tokens, [n, steps], 'int32'), km.tensor(second.tokens, [n, steps], 'int32')],
        y: km.tensor(tags, [n, steps], 'int32'),
      };
    }, 'sparseCategoricalCrossentropy', 4);
    b = backend();
  });
});
