import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

describe('activity regularizers', () => {
  it('add l1·Σ|y| + l2·Σy² of the batch outputs to the loss, and its gradient to the step (float64 finite differences)', async () => {
    const random = new Random(21);
    const [n, inputs, hidden, out] = [5, 3, 4, 3];
    km.utils.setRandomSeed(9);
    // The softmax output carries a penalty too, so the loss must not fuse softmax into the cross-entropy.
    const model = km.sequential([
      km.layers.dense({ units: hidden, activation: 'tanh', inputShape: [inputs], biasInitializer: 'glorotUniform', activityRegularizer: km.regularizers.l1l2({ l1: 0.05, l2: 0.1 }) }),
      km.layers.dense({ units: out, activation: 'softmax', activityRegularizer: km.regularizers.l2({ l2: 0.2 }) }),
    ]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'categoricalCrossentropy' });
    const xs = Array.from({ length: n }, () => Array.from({ length: inputs }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: n }, (_, i) => Array.from({ length: out }, (_, j): number => (j === i % out ? 1 : 0)));
    const shapes = model.getWeights().map((w) => w.size);
    const params = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const refLoss = (w: number[], withPenalty = true) => {
      const parts: number[][] = [];
      let at = 0;
      for (const s of shapes) parts.push(w.slice(at, (at += s)));
      const [k1, b1, k2, b2] = parts;
      let data = 0;
      let penalty = 0;
      for (const [i, x] of xs.entries()) {
        const h = b1.map((b, j) => Math.tanh(b + x.reduce((a, v, k) => a + v * k1[k * hidden + j], 0)));
        const z = b2.map((b, j) => b + h.reduce((a, v, k) => a + v * k2[k * out + j], 0));
        const e = z.map((v) => Math.exp(v - Math.max(...z)));
        const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
        data -= ys[i].reduce((a, t, j) => a + t * Math.log(p[j]), 0) / n;
        penalty += h.reduce((a, v) => a + 0.05 * Math.abs(v) + 0.1 * v * v, 0) + p.reduce((a, v) => a + 0.2 * v * v, 0);
      }
      return withPenalty ? data + penalty : data;
    };
    const x = km.tensor(xs);
    const y = km.tensor(ys);
    const [value] = await model.evaluate(x, y, { verbose: 0, batchSize: n });
    expect(value).toBeCloseTo(refLoss(params), 5);
    expect(refLoss(params) - refLoss(params, false)).toBeGreaterThan(0.1);

    const history = await model.fit(x, y, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(history.history.loss[0]).toBeCloseTo(refLoss(params), 5);
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expectSgdStepMatchesLoss(params, after, refLoss);
  });

  it('on Conv2D: the penalty of the feature maps joins the reported loss', async () => {
    km.utils.setRandomSeed(4);
    const conv = km.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], activation: 'relu', activityRegularizer: km.regularizers.l1({ l1: 0.3 }) });
    const model = km.sequential([conv, km.layers.flatten(), km.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const random = new Random(2);
    const x = km.tensor(Float32Array.from({ length: 2 * 9 }, () => random.uniform(0, 1)), [2, 3, 3, 1]);
    const y = km.tensor(Float32Array.from([0.5, -0.5]), [2, 1]);
    const plain = km.sequential([km.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], activation: 'relu' })]);
    plain.setWeights(model.getWeights().slice(0, 2));
    const maps = Array.from(plain.predict(x).dataSync());
    const prediction = Array.from(model.predict(x).dataSync());
    const mse = prediction.reduce((a, p, i) => a + (p - [0.5, -0.5][i]) ** 2, 0) / 2;
    const penalty = 0.3 * maps.reduce((a, v) => a + Math.abs(v), 0);
    expect(penalty).toBeGreaterThan(0.01);
    const [value] = await model.evaluate(x, y, { verbose: 0, batchSize: 2 });
    expect(value).toBeCloseTo(mse + penalty, 5);
  });

  it('a bad activity regularizer says what was received', () => {
    expect(() => km.layers.conv2d({ filters: 1, kernelSize: 1, activityRegularizer: { l2: 'x' } as never })).toThrow(/Conv2D layer '.*' activityRegularizer must be a regularizer from km.regularizers.*received \{"l2":"x"\}/);
  });
});
