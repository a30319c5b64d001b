import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

describe('regularizers', () => {
  it('add l1·Σ|w| + l2·Σw² to the reported loss, and its gradient to the step (float64 finite differences)', async () => {
    const random = new Random(12);
    const [n, inputs, hidden, out] = [5, 3, 4, 2];
    km.utils.setRandomSeed(6);
    const kernelReg = { l1: 0.05, l2: 0.1 };
    const model = km.sequential([
      km.layers.dense({ units: hidden, activation: 'tanh', inputShape: [inputs], biasInitializer: 'glorotUniform', kernelRegularizer: km.regularizers.l1l2(kernelReg), biasRegularizer: km.regularizers.l2({ l2: 0.3 }) }),
      km.layers.dense({ units: out, kernelRegularizer: km.regularizers.l1({ l1: 0.02 }) }),
    ]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'mse' });
    const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: n }, () => Array.from({ length: out }, () => random.uniform(-1, 1)));
    const shapes = model.getWeights().map((w) => w.size);
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const split = (w: number[]) => {
      const parts: number[][] = [];
      let at = 0;
      for (const s of shapes) parts.push(w.slice(at, (at += s)));
      return parts;
    };
    const refLoss = (w: number[], withPenalty = true) => {
      const [k1, b1, k2, b2] = split(w);
      const data = xs.reduce((s, x, i) => {
        const h = b1.map((b, j) => Math.tanh(b + x.reduce((a, v, k) => a + v * k1[k * hidden + j], 0)));
        const o = b2.map((b, j) => b + h.reduce((a, v, k) => a + v * k2[k * out + j], 0));
        return s + o.reduce((a, v, j) => a + (v - ys[i][j]) ** 2, 0) / out;
      }, 0) / n;
      const penalty = k1.reduce((a, v) => a + kernelReg.l1 * Math.abs(v) + kernelReg.l2 * v * v, 0) + b1.reduce((a, v) => a + 0.3 * v * v, 0) + k2.reduce((a, v) => a + 0.02 * Math.abs(v), 0);
      return withPenalty ? data + penalty : data;
    };
    const x = km.tensor(xs);
    const y = km.tensor(ys);
    const [value] = await model.evaluate(x, y, { verbose: 0, batchSize: 2 });
    expect(value).toBeCloseTo(refLoss(params), 5);
    expect(refLoss(params) - refLoss(params, false)).toBeGreaterThan(0.05);

    const history = await model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(refLoss(params), 5);
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expectSgdStepMatchesLoss(params, after, refLoss);
  });

  it('on Conv2D: the penalty joins the loss, and its gradient the step, as on Dense', async () => {
    const random = new Random(5);
    const build = (regularized: boolean) => {
      const model = km.sequential([
        km.layers.conv2d({ inputShape: [4, 4, 2], filters: 3, kernelSize: 3, biasInitializer: 'glorotUniform', ...(regularized ? { kernelRegularizer: km.regularizers.l1l2({ l1: 0.03, l2: 0.2 }), biasRegularizer: km.regularizers.l2({ l2: 0.4 }) } : {}) }),
        km.layers.flatten(),
      ]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'mse' });
      return model;
    };
    const [plain, regularized] = [build(false), build(true)];
    const x = km.tensor(Array.from({ length: 3 * 32 }, () => random.uniform(-1, 1)), [3, 4, 4, 2]);
    const y = km.tensor(Array.from({ length: 3 * 12 }, () => random.uniform(-1, 1)), [3, 12]);
    plain.setWeights(regularized.getWeights());
    const [kernel, bias] = regularized.getWeights().map((w) => Array.from(w.dataSync()));
    const penalty = kernel.reduce((a, v) => a + 0.03 * Math.abs(v) + 0.2 * v * v, 0) + bias.reduce((a, v) => a + 0.4 * v * v, 0);
    const [withPenalty] = await regularized.evaluate(x, y, { verbose: 0 });
    const [without] = await plain.evaluate(x, y, { verbose: 0 });
    expect(withPenalty - without).toBeCloseTo(penalty, 5);

    await plain.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    await regularized.fit(x, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 });
    const [kPlain, bPlain] = plain.getWeights().map((w) => w.dataSync());
    const [kReg, bReg] = regularized.getWeights().map((w) => w.dataSync());
    kernel.forEach((v, i) => expect(kPlain[i] - kReg[i]).toBeCloseTo(0.03 * Math.sign(v) + 0.4 * v, 5));
    bias.forEach((v, i) => expect(bPlain[i] - bReg[i]).toBeCloseTo(0.8 * v, 5));
  });

  it('a frozen layer adds no penalty, as in Keras 3 (which sums regularizers over trainable weights only)', async () => {
    const random = new Random(8);
    const frozen = km.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: km.regularizers.l2({ l2: 0.5 }) });
    const model = km.sequential([frozen, km.layers.dense({ units: 2, kernelRegularizer: km.regularizers.l1({ l1: 0.1 }) })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = km.tensor(Array.from({ length: 20 }, () => random.uniform(-1, 1)), [5, 4]);
    const y = km.tensor(Array.from({ length: 10 }, () => random.uniform(-1, 1)), [5, 2]);
    const [kernel1, , kernel2] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const l2Term = kernel1.reduce((a, v) => a + 0.5 * v * v, 0);
    const l1Term = kernel2.reduce((a, v) => a + 0.1 * Math.abs(v), 0);
    const [trainable] = await model.evaluate(x, y, { verbose: 0 });
    frozen.trainable = false;
    const [withFrozen] = await model.evaluate(x, y, { verbose: 0 });
    expect(trainable - withFrozen).toBeCloseTo(l2Term, 5);
    expect(l2Term).toBeGreaterThan(0.05);
    // The head's penalty still counts: the loss less both terms is the plain data loss of either.
    frozen.trainable = true;
    const plain = km.sequential([km.layers.dense({ units: 3, inputShape: [4] }), km.layers.dense({ units: 2 })]);
    plain.compile({ optimizer: 'sgd', loss: 'mse' });
    plain.setWeights(model.getWeights());
    const [data] = await plain.evaluate(x, y, { verbose: 0 });
    expect(withFrozen - data).toBeCloseTo(l1Term, 5);
  });

  it('bad factors and unknown saved regularizers say what was received', () => {
    expect(() => km.regularizers.l2({ l2: -1 })).toThrow(/l2 must be a finite, non-negative number. Received: l2=-1/);
    expect(() => km.regularizers.l1l2({ l1: Number.NaN })).toThrow(/l1 must be a finite, non-negative number. Received: l1=NaN/);
    expect(() => km.layers.dense({ units: 2, kernelRegularizer: { className: 'OrthogonalRegularizer', config: {} } })).toThrow(/kernelRegularizer: unknown regularizer 'OrthogonalRegularizer'. Known: 'L1', 'L2', 'L1L2'/);
    expect(() => km.layers.dense({ units: 2, biasRegularizer: { l1: 'a' } as never })).toThrow(/biasRegularizer must be a regularizer from km.regularizers.*received \{"l1":"a"\}/);
  });
});
