import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { Random } from '../utils/random.js';

// tfjs-layers 4.22 is no reference here: it applies constraints in LayerVariable.write (setWeights)
// but its optimizers update the variables directly, so training never applies them.
beforeAll(() => km.ready());

/** Keras' constraint formulas in float64 on a [rows, cols] kernel, norms per column (axis 0). */
function constrainColumns(w: number[], rows: number, cols: number, lo: number, hi: number, rate: number): number[] {
  const out = [...w];
  for (let j = 0; j < cols; j++) {
    const norm = Math.sqrt(Array.from({ length: rows }, (_, r) => w[r * cols + j] ** 2).reduce((a, b) => a + b, 0));
    const desired = rate * Math.min(Math.max(norm, lo), hi) + (1 - rate) * norm;
    for (let r = 0; r < rows; r++) out[r * cols + j] = (w[r * cols + j] * desired) / (norm + 1e-7);
  }
  return out;
}

const [n, inputs, units] = [6, 4, 3];
const random = new Random(3);
const xs = Array.from({ length: n * inputs }, () => random.uniform(-1, 1));
const ys = Array.from({ length: n * units }, () => random.uniform(-1, 1));

/** One SGD step (lr 1) of a linear layer under mse, in float64: the weights before any constraint. */
function sgdStep(kernel: number[], bias: number[]): [number[], number[]] {
  const k = [...kernel], b = [...bias];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < units; j++) {
      let out = bias[j];
      for (let r = 0; r < inputs; r++) out += xs[i * inputs + r] * kernel[r * units + j];
      const dOut = (2 * (out - ys[i * units + j])) / (n * units);
      b[j] -= dOut;
      for (let r = 0; r < inputs; r++) k[r * units + j] -= xs[i * inputs + r] * dOut;
    }
  }
  return [k, b];
}

describe('constraints', () => {
  const cases = [
    ['maxNorm', km.constraints.maxNorm({ maxValue: 0.4 }), (w: number[]) => constrainColumns(w, inputs, units, 0, 0.4, 1)],
    ['unitNorm', km.constraints.unitNorm(), (w: number[]) => constrainColumns(w, inputs, units, 1, 1, 1)],
    ['minMaxNorm', km.constraints.minMaxNorm({ minValue: 1.2, maxValue: 1.5, rate: 0.6 }), (w: number[]) => constrainColumns(w, inputs, units, 1.2, 1.5, 0.6)],
    ['nonNeg', km.constraints.nonNeg(), (w: number[]) => w.map((v) => Math.max(v, 0))],
  ] as const;

  it.each(cases)('%s on Dense and on a 1×1 Conv2D (axis [0, 1, 2]) matches the formula after an SGD step', async (_name, constraint, reference) => {
    const convConstraint = constraint.className === 'NonNeg' ? constraint : { ...constraint, config: { ...constraint.config, axis: [0, 1, 2] } } as km.constraints.Constraint;
    const layers = [
      km.layers.dense({ units, inputShape: [inputs], kernelConstraint: constraint, biasConstraint: km.constraints.nonNeg(), biasInitializer: 'glorotUniform' }),
      km.layers.conv2d({ filters: units, kernelSize: 1, inputShape: [1, 1, inputs], kernelConstraint: convConstraint, biasConstraint: km.constraints.nonNeg(), biasInitializer: 'glorotUniform' }),
    ];
    for (const [layer, shape] of [[layers[0], [n, inputs]], [layers[1], [n, 1, 1, inputs]]] as const) {
      const model = km.sequential([layer]);
      model.compile({ optimizer: km.optimizers.sgd({ learningRate: 1 }), loss: 'mse' });
      const [k0, b0] = model.getWeights().map((w) => Array.from(w.dataSync()));
      const [k1, b1] = sgdStep(k0, b0);
      await model.fit(km.tensor(Float32Array.from(xs), [...shape]), km.tensor(Float32Array.from(ys), shape.length === 2 ? [n, units] : [n, 1, 1, units]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
      const [kernel, bias] = model.getWeights().map((w) => Array.from(w.dataSync()));
      const expected = reference(k1);
      expected.forEach((v, i) => expect(kernel[i]).toBeCloseTo(v, 5));
      b1.forEach((v, i) => expect(bias[i]).toBeCloseTo(Math.max(v, 0), 5));
      // The step must have needed the constraint, or the check shows nothing.
      expect(expected.some((v, i) => Math.abs(v - k1[i]) > 1e-3) || b1.some((v) => v < 0)).toBe(true);
    }
  });

  it('keep weights within bounds over MNIST training, while the loss still falls', async () => {
    const { train } = await km.datasets.mnist.load();
    const x = train.x.slice(0, 256);
    const y = train.y.slice(0, 256);
    km.utils.setRandomSeed(5);
    const model = km.sequential([
      km.layers.flatten({ inputShape: [28, 28] }),
      km.layers.dense({ units: 16, activation: 'relu', kernelConstraint: km.constraints.maxNorm({ maxValue: 0.5 }), biasConstraint: km.constraints.nonNeg() }),
      km.layers.dense({ units: 10, activation: 'softmax', kernelConstraint: km.constraints.minMaxNorm({ minValue: 0.8, maxValue: 1, rate: 0.5 }) }),
    ]);
    model.compile({ optimizer: km.optimizers.sgd({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const history = await model.fit(x, y, { epochs: 2, batchSize: 64, shuffle: false, verbose: 0 });
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);

    const [k1, b1, k2] = model.getWeights().map((w) => Array.from(w.dataSync()));
    const columnNorms = (w: number[], rows: number, cols: number) => Array.from({ length: cols }, (_, j) => Math.hypot(...Array.from({ length: rows }, (_, r) => w[r * cols + j])));
    columnNorms(k1, 784, 16).forEach((norm) => expect(norm).toBeLessThanOrEqual(0.5 + 1e-5));
    b1.forEach((v) => expect(v).toBeGreaterThanOrEqual(0));
    expect(columnNorms(k2, 16, 10).some((norm) => norm > 0.8 - 1e-3)).toBe(true);
  });

  it('bad arguments, unknown saved constraints and axes that do not fit the weight say what was received', async () => {
    expect(() => km.constraints.maxNorm({ maxValue: -1 })).toThrow(/maxValue must be a finite, non-negative number. Received: maxValue=-1/);
    expect(() => km.constraints.minMaxNorm({ minValue: 2, maxValue: 1 })).toThrow(/minValue must not exceed maxValue. Received: minValue=2, maxValue=1/);
    expect(() => km.constraints.minMaxNorm({ rate: 2 })).toThrow(/rate must be a number in \[0, 1\]. Received: rate=2/);
    expect(() => km.constraints.unitNorm({ axis: 'a' as never })).toThrow(/axis must be an integer or a non-empty array of integers. Received: axis="a"/);
    expect(() => km.layers.dense({ units: 2, kernelConstraint: { className: 'RadialConstraint', config: {} } })).toThrow(/kernelConstraint: unknown constraint 'RadialConstraint'. Known: 'MaxNorm', 'NonNeg', 'UnitNorm', 'MinMaxNorm'/);
    expect(() => km.layers.conv2d({ filters: 2, kernelSize: 1, biasConstraint: 3 as never })).toThrow(/biasConstraint must be a constraint from km.constraints.*received 3/);
    expect(() => km.layers.dense({ units: 2, kernelConstraint: { className: 'MaxNorm', config: { maxValue: 'big' } } })).toThrow(/kernelConstraint: maxValue must be a finite, non-negative number. Received: maxValue=big/);
    const model = km.sequential([km.layers.conv2d({ filters: 2, kernelSize: 2, inputShape: [3, 3, 1], kernelConstraint: km.constraints.maxNorm({ axis: [0, 3] }) })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(km.tensor(new Float32Array(18), [2, 3, 3, 1]), km.tensor(new Float32Array(16), [2, 2, 2, 2]), { verbose: 0 })).rejects.toThrow(/axis=\[0,3\] must name contiguous axes of the weight, of shape \[2, 2, 1, 2\]/);
  });
});
