import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';
import { expectSgdStepMatchesLoss } from '../testing/sgd_gradients.js';

beforeAll(() => km.ready());

const EPS = 1e-7;
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const softmax = (z: number[]) => {
  const e = z.map((v) => Math.exp(v - Math.max(...z)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

// Keras' per-sample losses in float64, written from the documented formulas.
type SampleLoss = (p: number[], t: number[]) => number;
const signed = (t: number) => (t === 0 ? -1 : t);
const cases: { name: string; loss: () => string | km.losses.Loss; ref: SampleLoss; targets: 'real' | 'positive' | 'probability' | 'binary' | 'noisy' | 'onehot' | 'label'; activation?: 'linear' | 'sigmoid' | 'softmax' }[] = [
  { name: 'meanAbsoluteError', loss: () => 'mae', ref: (p, t) => mean(p.map((v, i) => Math.abs(v - t[i]))), targets: 'real' },
  { name: 'meanAbsolutePercentageError', loss: () => 'mape', ref: (p, t) => mean(p.map((v, i) => (100 * Math.abs(t[i] - v)) / Math.max(Math.abs(t[i]), EPS))), targets: 'real' },
  { name: 'meanSquaredLogarithmicError', loss: () => 'msle', ref: (p, t) => mean(p.map((v, i) => (Math.log(Math.max(v, EPS) + 1) - Math.log(Math.max(t[i], EPS) + 1)) ** 2)), targets: 'positive', activation: 'sigmoid' },
  { name: 'huber (delta 0.3)', loss: () => km.losses.huber({ delta: 0.3 }), ref: (p, t) => mean(p.map((v, i) => (Math.abs(v - t[i]) <= 0.3 ? 0.5 * (v - t[i]) ** 2 : 0.3 * Math.abs(v - t[i]) - 0.045))), targets: 'real' },
  { name: 'logCosh', loss: () => 'logCosh', ref: (p, t) => mean(p.map((v, i) => Math.log(Math.cosh(v - t[i])))), targets: 'real' },
  { name: 'poisson', loss: () => 'poisson', ref: (p, t) => mean(p.map((v, i) => v - t[i] * Math.log(v + EPS))), targets: 'positive', activation: 'sigmoid' },
  { name: 'kullbackLeiblerDivergence', loss: () => 'kld', ref: (p, t) => p.reduce((s, v, i) => s + clip(t[i], EPS, 1) * Math.log(clip(t[i], EPS, 1) / clip(v, EPS, 1)), 0), targets: 'probability', activation: 'softmax' },
  { name: 'hinge', loss: () => 'hinge', ref: (p, t) => mean(p.map((v, i) => Math.max(1 - signed(t[i]) * v, 0))), targets: 'binary' },
  { name: 'squaredHinge', loss: () => 'squared_hinge', ref: (p, t) => mean(p.map((v, i) => Math.max(1 - signed(t[i]) * v, 0) ** 2)), targets: 'binary' },
  {
    name: 'binaryCrossentropy fromLogits + labelSmoothing 0.2',
    loss: () => km.losses.binaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 }),
    ref: (z, t) => mean(z.map((v, i) => {
      const s = 1 / (1 + Math.exp(-v));
      const ts = t[i] * 0.8 + 0.1;
      return -(ts * Math.log(s) + (1 - ts) * Math.log(1 - s));
    })),
    targets: 'binary',
  },
  {
    name: 'binaryCrossentropy labelSmoothing 0.2 (probabilities)',
    loss: () => km.losses.binaryCrossentropy({ labelSmoothing: 0.2 }),
    ref: (p, t) => mean(p.map((v, i) => {
      const ts = t[i] * 0.8 + 0.1;
      return -(ts * Math.log(clip(v, EPS, 1 - EPS)) + (1 - ts) * Math.log(1 - clip(v, EPS, 1 - EPS)));
    })),
    targets: 'binary',
    activation: 'sigmoid',
  },
  {
    // Keras' DCGAN adds up to 0.05 of noise to its 0/1 labels, so real labels exceed 1.
    name: 'binaryCrossentropy on labels with noise beyond [0, 1]',
    loss: () => 'binary_crossentropy',
    ref: (p, t) => mean(p.map((v, i) => -(t[i] * Math.log(clip(v, EPS, 1 - EPS)) + (1 - t[i]) * Math.log(1 - clip(v, EPS, 1 - EPS))))),
    targets: 'noisy',
    activation: 'sigmoid',
  },
  { name: 'categoricalCrossentropy fromLogits', loss: () => km.losses.categoricalCrossentropy({ fromLogits: true }), ref: (z, t) => -softmax(z).reduce((s, p, i) => s + t[i] * Math.log(p), 0), targets: 'onehot' },
  { name: 'sparseCategoricalCrossentropy fromLogits', loss: () => km.losses.sparseCategoricalCrossentropy({ fromLogits: true }), ref: (z, t) => -Math.log(softmax(z)[t[0]]), targets: 'label' },
  {
    name: 'categoricalCrossentropy labelSmoothing 0.3',
    loss: () => km.losses.categoricalCrossentropy({ labelSmoothing: 0.3 }),
    ref: (p, t) => -p.reduce((s, v, i) => s + (t[i] * 0.7 + 0.1) * Math.log(clip(v, EPS, 1 - EPS)), 0),
    targets: 'onehot',
    activation: 'softmax',
  },
  {
    name: 'sparseCategoricalCrossentropy fromLogits + labelSmoothing 0.3',
    loss: () => km.losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }),
    ref: (z, t) => -softmax(z).reduce((s, p, i) => s + ((i === t[0] ? 0.7 : 0) + 0.1) * Math.log(p), 0),
    targets: 'label',
  },
  {
    name: 'categoricalHinge',
    loss: () => 'categorical_hinge',
    ref: (p, t) => Math.max(Math.max(...p.map((v, i) => (1 - t[i]) * v)) - p.reduce((s, v, i) => s + t[i] * v, 0) + 1, 0),
    targets: 'onehot',
  },
  {
    name: 'cosineSimilarity',
    loss: () => km.losses.cosineSimilarity(),
    ref: (p, t) => {
      const norm = (v: number[]) => Math.sqrt(Math.max(v.reduce((s, x) => s + x * x, 0), 1e-12));
      return -p.reduce((s, v, i) => s + (v / norm(p)) * (t[i] / norm(t)), 0);
    },
    targets: 'real',
  },
];

const [N, IN, OUT] = [6, 4, 3];

function activate(z: number[], activation: 'linear' | 'sigmoid' | 'softmax'): number[] {
  if (activation === 'sigmoid') return z.map((v) => 1 / (1 + Math.exp(-v)));
  if (activation === 'softmax') return softmax(z);
  return z;
}

describe('losses against float64 references and finite differences', () => {
  it.each(cases)('$name', async ({ loss, ref, targets, activation = 'linear' }) => {
    const random = new Random(21);
    km.utils.setRandomSeed(4);
    const model = km.sequential([km.layers.dense({ units: OUT, activation, inputShape: [IN], biasInitializer: 'glorotUniform' })]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: loss() });
    const xs = Array.from({ length: N }, () => Array.from({ length: IN }, () => random.uniform(-1, 1)));
    const ys = Array.from({ length: N }, () => {
      const hot = Math.floor(random.next() * OUT);
      switch (targets) {
        case 'real': return Array.from({ length: OUT }, () => random.uniform(-1.5, 1.5));
        case 'positive': return Array.from({ length: OUT }, () => random.uniform(0.1, 2));
        case 'probability': return softmax(Array.from({ length: OUT }, () => random.uniform(-2, 2)));
        case 'binary': return Array.from({ length: OUT }, () => (random.next() > 0.5 ? 1 : 0));
        case 'noisy': return Array.from({ length: OUT }, () => (random.next() > 0.5 ? 1 : 0) + 0.05 * random.next());
        case 'onehot': return Array.from({ length: OUT }, (_, j) => (j === hot ? 1 : 0));
        case 'label': return [hot];
      }
    });
    const x = km.tensor(xs);
    const y = targets === 'label' ? km.tensor(ys.map((r) => r[0]), undefined, 'int32') : km.tensor(ys);
    const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const params = [...kernel, ...bias];
    const refLoss = (w: number[]) => mean(xs.map((row, s) => {
      const z = Array.from({ length: OUT }, (_, j) => w[IN * OUT + j] + row.reduce((acc, v, i) => acc + v * w[i * OUT + j], 0));
      return ref(activate(z, activation), ys[s]);
    }));

    const [value] = await model.evaluate(x, y, { verbose: 0 });
    expect(Math.abs(value - refLoss(params)) / Math.max(1, Math.abs(refLoss(params)))).toBeLessThan(1e-5);

    await model.fit(x, y, { epochs: 1, batchSize: N, shuffle: false, verbose: 0 });
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const expected = expectSgdStepMatchesLoss(params, after, refLoss);
    expect(expected.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });
});

describe('loss option errors', () => {
  it('labelSmoothing out of range, and a bad Huber delta', () => {
    expect(() => km.losses.binaryCrossentropy({ labelSmoothing: 2 })).toThrow(/labelSmoothing must be in \[0, 1\]. Received: labelSmoothing=2/);
    expect(() => km.losses.binaryCrossentropy({ labelSmoothing: -0.5 })).toThrow(/labelSmoothing must be in \[0, 1\]. Received: labelSmoothing=-0.5/);
    expect(km.losses.binaryCrossentropy({ labelSmoothing: 0.1 }).savedAs).toEqual({ className: 'BinaryCrossentropy', config: { fromLogits: false, labelSmoothing: 0.1 } });
    expect(() => km.losses.huber({ delta: 0 })).toThrow(/delta must be a positive number. Received: delta=0/);
    expect(() => km.losses.categoricalCrossentropy({ labelSmoothing: -0.1 })).toThrow(/categoricalCrossentropy: labelSmoothing must be in \[0, 1\]. Received: labelSmoothing=-0.1/);
    expect(() => km.losses.sparseCategoricalCrossentropy({ labelSmoothing: 1.5 })).toThrow(/sparseCategoricalCrossentropy: labelSmoothing must be in \[0, 1\]. Received: labelSmoothing=1.5/);
  });

  it('binaryCrossentropy from logits still checks targets lie in [0, 1]', async () => {
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]);
    model.compile({ optimizer: 'sgd', loss: km.losses.binaryCrossentropy({ fromLogits: true }) });
    await expect(model.fit(km.tensor([[1]]), km.tensor([[3]]), { verbose: 0 })).rejects.toThrow(/expects targets in \[0, 1\] \(probabilities of class 1, with label noise a little beyond\); value 3 at index 0/);
    await expect(model.fit(km.tensor([[1]]), km.tensor([[-1]]), { verbose: 0 })).rejects.toThrow(/value -1 at index 0 is not/);
  });
});

describe('targets one axis short of an output ending in 1', () => {
  // Keras and tfjs expand [n] targets to [n, 1]; the run must equal the one given [n, 1] targets.
  it.each(['meanSquaredError', 'binaryCrossentropy', 'meanAbsoluteError'])('%s trains on [n] targets exactly as on [n, 1]', async (loss) => {
    const x = km.tensor(Array.from({ length: 12 }, (_, i) => [Math.sin(i), Math.cos(3 * i)]));
    const values = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const histories = [];
    for (const y of [km.tensor(values), km.tensor(values.map((v) => [v]))]) {
      km.utils.setRandomSeed(7);
      const model = km.sequential([km.layers.dense({ units: 1, activation: loss === 'binaryCrossentropy' ? 'sigmoid' : 'linear', inputShape: [2] })]);
      model.compile({ optimizer: 'adam', loss, metrics: ['mae'] });
      histories.push((await model.fit(x, y, { epochs: 3, batchSize: 4, seed: 1, verbose: 0 })).history);
    }
    expect(histories[0].loss.every((v) => Number.isFinite(v))).toBe(true);
    expect(histories[0].loss[2]).not.toBe(histories[0].loss[0]);
    expect(histories[0]).toEqual(histories[1]);
  });

  it('other shapes are still refused', async () => {
    const model = km.sequential([km.layers.dense({ units: 2, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(model.fit(km.tensor([[1, 2]]), km.tensor([3]), { verbose: 0 })).rejects.toThrow(/expects targets of shape \[1, 2\] but received targets of shape \[1\]/);
  });
});
