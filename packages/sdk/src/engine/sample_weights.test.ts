import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

const [N, IN, OUT] = [6, 4, 3];
const softmax = (z: number[]) => {
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

// Per-sample Keras losses in float64; the weighted batch loss is Σ wᵢ·Lᵢ / N ("sum_over_batch_size").
const cases = [
  { loss: 'sparseCategoricalCrossentropy', activation: 'softmax' as const, ref: (p: number[], t: number[]) => -Math.log(p[t[0]]), sparse: true },
  { loss: 'meanSquaredError', activation: 'linear' as const, ref: (p: number[], t: number[]) => p.reduce((s, v, i) => s + (v - t[i]) ** 2, 0) / p.length, sparse: false },
  { loss: 'cosineSimilarity', activation: 'linear' as const, ref: (p: number[], t: number[]) => {
    const n = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    return -p.reduce((s, v, i) => s + v * t[i], 0) / (n(p) * n(t));
  }, sparse: false },
];

function problem(sparse: boolean) {
  const random = new Random(5);
  const xs = Array.from({ length: N }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
  const ys = Array.from({ length: N }, (_, i) => (sparse ? [i % OUT] : Array.from({ length: OUT }, () => random.uniform(-1, 1))));
  const x = km.tensor(xs);
  const y = sparse ? km.tensor(ys.map((r) => r[0]), undefined, 'int32') : km.tensor(ys);
  return { xs, ys, x, y };
}

describe('sample weights: Keras sum_over_batch_size', () => {
  it.each(cases)('$loss: weighted loss and its gradient against float64 finite differences', async ({ loss, activation, ref, sparse }) => {
    km.utils.setRandomSeed(9);
    const model = km.sequential([km.layers.dense({ units: OUT, activation, inputShape: [IN], biasInitializer: 'glorotUniform' })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss });
    const { xs, ys, x, y } = problem(sparse);
    const weights = [0.5, 0, 2, 1, 3, 0.25];
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const refLoss = (w: number[]) => xs.reduce((s, row, i) => {
      const z = Array.from({ length: OUT }, (_, j) => w[IN * OUT + j] + row.reduce((acc, v, k) => acc + v * w[k * OUT + j], 0));
      return s + weights[i] * ref(activation === 'softmax' ? softmax(z) : z, ys[i]);
    }, 0) / N;

    // Batches of 4 and 2: the epoch value is still Σ wᵢ·Lᵢ over all samples / N.
    const [value] = await model.evaluate(x, y, { verbose: 0, batchSize: 4, sampleWeight: km.tensor(weights) });
    expect(Math.abs(value - refLoss(params)) / Math.max(1, Math.abs(refLoss(params)))).toBeLessThan(1e-5);
    const [unweighted] = await model.evaluate(x, y, { verbose: 0 });
    expect(Math.abs(unweighted - value)).toBeGreaterThan(1e-3);

    await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0, sampleWeight: weights });
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expectSgdStepMatchesLoss(params, after, refLoss);
  });

  it('classWeight trains exactly like the sample weights it stands for', async () => {
    const { x, y } = problem(true);
    const classWeight = { 0: 2, 2: 0.5 };
    const labels = Array.from(y.dataSync());
    const run = async (args: km.ModelFitArgs) => {
      km.utils.setRandomSeed(9);
      const model = km.sequential([km.layers.dense({ units: OUT, activation: 'softmax', inputShape: [IN] })]);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 4, seed: 1, verbose: 0, ...args });
      return [...history.history.loss, ...model.getWeights().flatMap((w) => Array.from(w.dataSync()))];
    };
    const viaClass = await run({ classWeight });
    const viaSample = await run({ sampleWeight: labels.map((c) => (classWeight as Record<number, number>)[c] ?? 1) });
    const plain = await run({});
    expect(viaClass).toEqual(viaSample);
    expect(viaClass[0]).not.toBeCloseTo(plain[0], 4);
  });

  it('one-hot targets take their class from the argmax', async () => {
    const { x } = problem(true);
    const y = km.utils.toCategorical(km.tensor([0, 1, 2, 0, 1, 2], undefined, 'int32'), OUT);
    km.utils.setRandomSeed(9);
    const model = km.sequential([km.layers.dense({ units: OUT, activation: 'softmax', inputShape: [IN] })]);
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const [plain] = await model.evaluate(x, y, { verbose: 0 });
    const history = await model.fit(x, y, { epochs: 1, batchSize: N, verbose: 0, classWeight: { 0: 0, 1: 0, 2: 0 } });
    expect(plain).toBeGreaterThan(0.1);
    expect(history.history.loss[0]).toBe(0);
  });

  it('bad weights name what was received and what is expected', async () => {
    const { x, y } = problem(true);
    const model = km.sequential([km.layers.dense({ units: OUT, activation: 'softmax', inputShape: [IN] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await expect(model.fit(x, y, { verbose: 0, sampleWeight: [1, 2] })).rejects.toThrow(/sampleWeight must hold one weight per sample, shape \[6\]; received shape \[2\]/);
    await expect(model.fit(x, y, { verbose: 0, sampleWeight: [1, 1, 1, -1, 1, 1] })).rejects.toThrow(/sampleWeight\[3\] must be a finite, non-negative number. Received: -1/);
    await expect(model.fit(x, y, { verbose: 0, sampleWeight: [1, 1, 1, 1, 1, 1], classWeight: { 0: 1 } })).rejects.toThrow(/both sampleWeight and classWeight/);
    await expect(model.fit(x, y, { verbose: 0, classWeight: { cat: 1 } as never })).rejects.toThrow(/classWeight keys must be class indices \(0, 1, \.\.\.\); received key 'cat'/);
    await expect(model.fit(x, y, { verbose: 0, classWeight: { 1: Number.NaN } })).rejects.toThrow(/classWeight\[1\] must be a finite, non-negative number. Received: NaN/);
    await expect(model.fit(x, y, { verbose: 0, classWeight: 3 as never })).rejects.toThrow(/classWeight must be an object mapping class indices to weights.*received number/);
  });
});
