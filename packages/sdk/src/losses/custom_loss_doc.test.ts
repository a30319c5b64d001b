import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { expectGradientsClose, finiteDifferenceGradient, kerasmGradients } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

// The two losses of docs/CUSTOM_LOSSES.md, as the doc prints them.

/** The pinball (quantile) loss: mean over the last axis of max(q·e, (q − 1)·e), e = target − prediction. */
function pinball(q: number): km.losses.Loss {
  return {
    name: 'pinball',
    sparseTargets: false,
    fusesSoftmax: false,
    validateTargets(y, outputShape) {
      const expected = [y.shape[0], ...outputShape];
      if (y.shape.join() !== expected.join()) throw new Error(`Loss 'pinball' expects targets of shape [${expected.join(', ')}]. Received: [${y.shape.join(', ')}].`);
    },
    compute(backend, output, targets, grad, batch, outputShape, _fusedSoftmax, weights) {
      const cols = outputShape[outputShape.length - 1]!;
      const rows = (batch * outputShape.reduce((a, b) => a * b, 1)) / cols; // positions in the batch
      const y = backend.read(output, rows * cols, 'float32');
      const t = backend.read(targets, rows * cols, 'float32');
      const w = weights ? backend.read(weights, rows, 'float32') : undefined;
      const g = new Float32Array(rows * cols);
      let mean = 0;
      for (let r = 0; r < rows; r++) {
        const share = w ? w[r]! : 1 / rows; // the position's weight in the batch mean
        for (let j = 0; j < cols; j++) {
          const i = r * cols + j;
          const e = t[i]! - y[i]!;
          mean += (share * Math.max(q * e, (q - 1) * e)) / cols;
          g[i] = (share * (e > 0 ? -q : 1 - q)) / cols; // d mean / d y[i]
        }
      }
      if (grad) backend.write(grad, g); // grad is 0 in evaluate and validation
      return mean * batch;
    },
  };
}

/** KL(N(mean, exp(logVar)) ‖ N(0, 1)) summed over the latent axis, from an output [mean | logVar]; the targets are placeholders. */
const latentKl: km.losses.Loss = {
  name: 'latentKl',
  sparseTargets: false,
  fusesSoftmax: false,
  validateTargets() {},
  compute(backend, output, _targets, grad, batch, outputShape, _fusedSoftmax, weights) {
    const d = outputShape[0]! / 2;
    const o = backend.read(output, batch * 2 * d, 'float32');
    const w = weights ? backend.read(weights, batch, 'float32') : undefined;
    const g = new Float32Array(batch * 2 * d);
    let mean = 0;
    for (let r = 0; r < batch; r++) {
      const share = w ? w[r]! : 1 / batch;
      for (let j = 0; j < d; j++) {
        const m = o[r * 2 * d + j]!;
        const logVar = o[r * 2 * d + d + j]!;
        mean += share * -0.5 * (1 + logVar - m * m - Math.exp(logVar));
        g[r * 2 * d + j] = share * m;
        g[r * 2 * d + d + j] = share * 0.5 * (Math.exp(logVar) - 1);
      }
    }
    if (grad) backend.write(grad, g);
    return mean * batch;
  },
};

/** The example in the TSDoc of `Loss` (losses.ts). */
const mse: km.losses.Loss = {
  name: 'mySquaredError', sparseTargets: false, fusesSoftmax: false,
  validateTargets() {},
  compute(backend, output, targets, grad, batch, outputShape) {
    const n = batch * outputShape.reduce((a, b) => a * b, 1);
    const y = backend.read(output, n, 'float32') as Float32Array, t = backend.read(targets, n, 'float32');
    if (grad) backend.write(grad, y.map((v, i) => (2 * (v - t[i])) / n));
    return (y.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / n) * batch;
  },
};

// Host references in float64.
const pinballOf = (q: number, t: number, y: number) => Math.max(q * (t - y), (q - 1) * (t - y));
const klOf = (m: number, logVar: number) => -0.5 * (1 + logVar - m * m - Math.exp(logVar));

/** Dense outputs x·W + b for rows of `k` inputs, from flat float64 params [kernel (k×units), bias (units)]. */
function denseRows(xs: number[][], params: readonly number[], units: number): number[][] {
  const k = xs[0].length;
  return xs.map((x) => Array.from({ length: units }, (_, j) => params[k * units + j] + x.reduce((s, v, q) => s + v * params[q * units + j], 0)));
}

describe('the custom losses of docs/CUSTOM_LOSSES.md', () => {
  const xs = [[0.5, -1, 2], [1.5, 0.2, -0.7], [-0.3, 0.8, 0.1], [2, 1, -1]];
  const ys = [[1, -2], [0.3, 3], [-1, 0.5], [4, 1]];

  it('pinball: evaluate gives the hand-computed loss, and one SGD step moves the weights by its finite-difference gradient, with and without sample weights', async () => {
    const q = 0.8;
    km.utils.setRandomSeed(3);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3], biasInitializer: 'glorotUniform' })]);
    const params = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const sampleWeights = [1, 3, 0.5, 2];
    // The batch mean as Keras reduces it: per-sample mean over the last axis, then Σ weight·loss / samples.
    const meanLoss = (p: readonly number[], sw = [1, 1, 1, 1]) => {
      const preds = denseRows(xs, p, 2);
      const total = preds.reduce((s, row, i) => s + (sw[i] * row.reduce((a, y, j) => a + pinballOf(q, ys[i][j], y), 0)) / 2, 0);
      return total / xs.length;
    };
    model.compile({ optimizer: 'sgd', loss: pinball(q) });
    const [loss] = await model.evaluate(km.tensor(xs), km.tensor(ys), { verbose: 0 });
    expect(loss).toBeCloseTo(meanLoss(params), 5);
    const [weighted] = await model.evaluate(km.tensor(xs), km.tensor(ys), { verbose: 0, sampleWeight: km.tensor(sampleWeights) });
    expect(weighted).toBeCloseTo(meanLoss(params, sampleWeights), 5);

    const grads = await kerasmGradients(model, pinball(q), km.tensor(xs), km.tensor(ys));
    const reference = finiteDifferenceGradient(params, (p) => meanLoss(p));
    expectGradientsClose(grads, [reference.slice(0, 6), reference.slice(6)], ['kernel', 'bias']);

    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: pinball(q) });
    await model.fit(km.tensor(xs), km.tensor(ys), { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, sampleWeight: km.tensor(sampleWeights) });
    const after = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const weightedReference = finiteDifferenceGradient(params, (p) => meanLoss(p, sampleWeights));
    expectGradientsClose([Float32Array.from(params, (v, i) => v - after[i])], [weightedReference], ['weights']);
  });

  it("the TSDoc example of Loss matches the built-in 'meanSquaredError' in value and gradient", async () => {
    km.utils.setRandomSeed(2);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [3] })]);
    model.compile({ optimizer: 'sgd', loss: mse });
    const [loss] = await model.evaluate(km.tensor(xs), km.tensor(ys), { verbose: 0 });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const [builtIn] = await model.evaluate(km.tensor(xs), km.tensor(ys), { verbose: 0 });
    expect(loss).toBeCloseTo(builtIn, 5);
    const ours = await kerasmGradients(model, mse, km.tensor(xs), km.tensor(ys));
    const theirs = await kerasmGradients(model, 'meanSquaredError', km.tensor(xs), km.tensor(ys));
    expectGradientsClose(ours, theirs.map((g) => Array.from(g)), ['kernel', 'bias'], 1e-5);
  });

  it('pinball: an output with several positions per sample ([steps, units]) averages over them, sample weights included', async () => {
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2, 3], biasInitializer: 'glorotUniform' })]);
    const params = model.getWeights().flatMap((t) => Array.from(t.dataSync()));
    const x = [xs.slice(0, 2), xs.slice(2, 4)]; // 2 samples of 2 steps
    const y = [ys.slice(0, 2), ys.slice(2, 4)];
    const sw = [0.5, 2];
    const preds = denseRows(xs, params, 2);
    const expected = preds.reduce((s, row, i) => s + (sw[Math.floor(i / 2)] * (pinballOf(0.3, ys[i][0], row[0]) + pinballOf(0.3, ys[i][1], row[1]))) / 2, 0) / 4;
    model.compile({ optimizer: 'sgd', loss: pinball(0.3) });
    const [loss] = await model.evaluate(km.tensor(x), km.tensor(y), { verbose: 0, sampleWeight: km.tensor(sw) });
    expect(loss).toBeCloseTo(expected, 5);
  });

  it('pinball: fit learns the q-quantile of the targets', async () => {
    km.utils.setRandomSeed(1);
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 20 }), loss: pinball(0.9) });
    const targets = km.tensor(Array.from({ length: 100 }, (_, i) => i + 1), [100, 1]); // 1..100: the 0.9-quantile is 90
    await model.fit(km.zeros([100, 1]), targets, { epochs: 60, batchSize: 100, verbose: 0 });
    const [prediction] = (model.predict(km.zeros([1, 1])) as km.Tensor).dataSync();
    expect(prediction).toBeGreaterThan(88);
    expect(prediction).toBeLessThan(92);
  });

  it('a VAE-style KL term on a second output: evaluate gives mse + weight·KL, and the SGD step matches its finite differences', async () => {
    km.utils.setRandomSeed(5);
    const input = km.input({ shape: [3] });
    const recon = km.layers.dense({ units: 2, name: 'recon' }).apply(input) as km.SymbolicTensor;
    const stats = km.layers.dense({ units: 4, name: 'stats', biasInitializer: 'glorotUniform' }).apply(input) as km.SymbolicTensor; // [mean (2) | logVar (2)]
    const model = km.model({ inputs: input, outputs: [recon, stats] });
    const [k1, b1, k2, b2] = model.getWeights().map((t) => Array.from(t.dataSync()));
    const klWeight = 0.5;
    const total = (p: readonly number[]) => {
      const r = denseRows(xs, p.slice(0, 8), 2);
      const s = denseRows(xs, p.slice(8), 4);
      const mse = r.reduce((a, row, i) => a + row.reduce((b, y, j) => b + (y - ys[i][j]) ** 2, 0) / 2, 0) / xs.length;
      const kl = s.reduce((a, row) => a + klOf(row[0], row[2]) + klOf(row[1], row[3]), 0) / xs.length;
      return [mse + klWeight * kl, mse, kl];
    };
    const params = [...k1, ...b1, ...k2, ...b2];
    const placeholders = km.zeros([xs.length, 4]);
    model.compile({ optimizer: 'sgd', loss: ['meanSquaredError', latentKl], lossWeights: [1, klWeight] });
    const [loss, reconLoss, klLoss] = await model.evaluate(km.tensor(xs), [km.tensor(ys), placeholders], { verbose: 0 });
    const [expectedLoss, expectedMse, expectedKl] = total(params);
    expect(reconLoss).toBeCloseTo(expectedMse, 5);
    expect(klLoss).toBeCloseTo(expectedKl, 5);
    expect(loss).toBeCloseTo(expectedLoss, 5);
    const logs = await model.evaluate(km.tensor(xs), [km.tensor(ys), placeholders], { verbose: 0, returnDict: true });
    expect(logs.stats_loss).toBeCloseTo(expectedKl, 5);

    const grads = await kerasmGradients(model, ['meanSquaredError', latentKl], km.tensor(xs), [km.tensor(ys), placeholders], [1, klWeight]);
    const reference = finiteDifferenceGradient(params, (p) => total(p)[0]);
    expectGradientsClose(grads, [reference.slice(0, 6), reference.slice(6, 8), reference.slice(8, 20), reference.slice(20)], ['recon/kernel', 'recon/bias', 'stats/kernel', 'stats/bias']);
  });
});
