// tfjs' core-API training, variables and optimizer.minimize, as tfjs' polynomial-regression example
// writes it: kerasm's run against tfjs' own (CPU backend) from the same values, step by step.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await km.ready();
});

const made: km.Variable[] = [];
afterEach(() => {
  for (const v of made.splice(0)) v.dispose();
});

const xs = Array.from({ length: 40 }, (_, i) => -1 + i / 20);
const ys = xs.map((x) => -0.8 * x ** 3 - 0.2 * x ** 2 + 0.9 * x + 0.5 + 0.05 * Math.sin(13 * x));
const start = [0.3, -0.6, 0.1, 0.7];

/** The example's cubic a·x³ + b·x² + c·x + d fitted by `steps` minimize calls; returns the costs and the final coefficients. */
function kerasmFit(optimizer: km.optimizers.Optimizer, steps: number): { costs: number[]; coefficients: number[] } {
  const [a, b, c, d] = start.map((v, i) => km.variable(km.scalar(v), true, `coefficient${i}`));
  made.push(a, b, c, d);
  const x = km.tensor(xs);
  const y = km.tensor(ys);
  const predict = () => km.tidy(() => a.mul(x.pow(km.scalar(3))).add(b.mul(x.square())).add(c.mul(x)).add(d));
  const costs = Array.from({ length: steps }, () => {
    const cost = optimizer.minimize(() => predict().sub(y).square().mean(), true)!;
    return cost.dataSync()[0];
  });
  return { costs, coefficients: [a, b, c, d].map((v) => v.dataSync()[0]) };
}

function tfjsFit(optimizer: tf.Optimizer, steps: number): { costs: number[]; coefficients: number[] } {
  const [a, b, c, d] = start.map((v) => tf.variable(tf.scalar(v)));
  const x = tf.tensor1d(xs);
  const y = tf.tensor1d(ys);
  const predict = () => tf.tidy(() => tf.add(tf.add(tf.add(tf.mul(a, tf.pow(x, tf.scalar(3))), tf.mul(b, tf.square(x))), tf.mul(c, x)), d));
  const costs = Array.from({ length: steps }, () => optimizer.minimize(() => tf.mean(tf.square(tf.sub(predict(), y))) as tf.Scalar, true)!.dataSync()[0]);
  const coefficients = [a, b, c, d].map((v) => v.dataSync()[0]);
  tf.dispose([a, b, c, d, x, y]);
  return { costs, coefficients };
}

describe('optimizer.minimize over km.variable', () => {
  it.each([
    ['sgd(0.5)', () => km.train.sgd(0.5), () => tf.train.sgd(0.5)],
    ['momentum(0.1, 0.9)', () => km.train.momentum(0.1, 0.9), () => tf.train.momentum(0.1, 0.9)],
    ['rmsprop(0.01)', () => km.train.rmsprop(0.01), () => tf.train.rmsprop(0.01)],
  ] as const)("fits tfjs' polynomial-regression example as tfjs does with %s", (_name, ours, theirs) => {
    const result = kerasmFit(ours(), 60);
    const reference = tfjsFit(theirs(), 60);
    result.costs.forEach((cost, step) => expect(cost, `step ${step}`).toBeCloseTo(reference.costs[step], 5));
    result.coefficients.forEach((v, i) => expect(v).toBeCloseTo(reference.coefficients[i], 5));
    expect(result.costs[59]).toBeLessThan(result.costs[0] / 5);
  });

  it('variableGrads keys the gradients by name, leaving out variables the cost does not read', () => {
    const w = km.variable(km.tensor([1, -2, 3]), true, 'w');
    const unused = km.variable(km.tensor([5]), true, 'unused');
    const frozen = km.variable(km.tensor([2]), false, 'frozen');
    made.push(w, unused, frozen);
    const { value, grads } = km.variableGrads(() => w.square().mul(frozen).sum());
    expect(value.dataSync()[0]).toBe(28);
    expect(Object.keys(grads)).toEqual(['w']);
    expect(grads.w.arraySync()).toEqual([4, -8, 12]);
    // With varList, a non-trainable variable is differentiated too.
    expect(km.variableGrads(() => w.square().mul(frozen).sum(), [frozen]).grads.frozen.arraySync()).toEqual([14]);
  });

  it('keeps its state (momentum) from call to call, and variables outlive km.tidy', () => {
    const v = km.tidy(() => km.variable(km.scalar(1), true, 'kept'));
    made.push(v);
    const optimizer = km.train.momentum(0.1, 0.5);
    optimizer.minimize(() => v.square()); // velocity −0.2, v = 0.8
    optimizer.minimize(() => v.square()); // velocity 0.5·(−0.2) − 0.1·1.6 = −0.26, v = 0.54
    expect(v.dataSync()[0]).toBeCloseTo(0.54, 6);
  });

  it('errors name the cause and the fix', () => {
    const w = km.variable(km.tensor([1, 2]), true, 'w2');
    made.push(w);
    expect(() => km.variable(km.scalar(0), true, 'w2')).toThrow("km.variable(): a variable named 'w2' exists already");
    expect(() => km.train.sgd(0.1).minimize(() => w.square())).toThrow('km.variableGrads(): f must return a scalar cost, as tfjs requires. Received a tensor of shape [2]');
    expect(() => km.train.sgd(0.1).minimize(() => km.scalar(3), false, [w])).toThrow("km.variableGrads(): the cost does not depend on any of ['w2']. Compute it from them inside f, with km ops and models applied to data.");
    expect(() => w.assign(km.tensor([1, 2, 3]))).toThrow("Variable 'w2'.assign takes a float32 tensor of its shape [2]. Received: a float32 tensor of shape [3].");
    expect(() => km.train.sgd(0.1).applyGradients({ nope: km.tensor([1]) })).toThrow("SGD.applyGradients: no live variable or model weight is named 'nope'.");
    expect(() => km.train.sgd(0.1).applyGradients({ w2: km.tensor([1, 2, 3]) })).toThrow("SGD.applyGradients: the gradient of 'w2' must be a tensor of its shape [2].");
    expect(() => km.variableGrads('loss' as never)).toThrow('km.variableGrads() takes a function of no arguments that returns the cost: km.variableGrads(() => loss(model.apply(xs, { training: true }), ys)). Received: string.');
    expect(() => km.variableGrads(() => km.scalar(1), [])).toThrow('km.variableGrads(): varList is empty; list the variables or model weights (model.trainableWeights) to differentiate against, or leave it out for all of them.');
    const gone = km.tensor([1]);
    gone.dispose();
    expect(() => km.variable(gone)).toThrow('km.variable(): the initial value was disposed. Make the variable before disposing the tensor.');
  });
});
