import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import {
  adadeltaRule, adafactorRule, adagradRule, adamaxRule, ftrlRule, lambRule, lionRule, adamRule, nadamRule, refStep, rmspropRule, sgdRule, type RefOptions, type RefRule,
} from '../testing/optimizer_reference.js';
import type { Optimizer } from './optimizer.js';

beforeAll(async () => {
  await km.ready();
  await tf.setBackend('cpu');
});

// The fixed problem: f(p) = Σ kᵢ(pᵢ − cᵢ)²/2 + sin(3pᵢ)/5 over 37 parameters (odd, to hit the kernels' tails).
const N = 37;
const K = Float64Array.from({ length: N }, (_, i) => 0.5 + ((i * 7) % 11) / 4);
const C = Float64Array.from({ length: N }, (_, i) => Math.cos(i) * 2);
const P0 = Float32Array.from({ length: N }, (_, i) => 1 + Math.sin(i * 1.3) * 0.5);
const gradient = (p: ArrayLike<number>) => Float64Array.from({ length: N }, (_, i) => K[i] * (p[i] - C[i]) + 0.6 * Math.cos(3 * p[i]));
const STEPS = 6;

// The 37 parameters as weights of several ranks, for the optimizers that work per weight tensor.
const SHAPES = [[3, 4], [4], [2, 3, 2], [9]];
const SHAPE_SIZES = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));

function runKerasm(optimizer: Optimizer, steps = STEPS, shapes: number[][] = [[N]]): Float32Array {
  const b = backend();
  const params = b.alloc(N, 'float32');
  const grads = b.alloc(N, 'float32');
  b.write(params, P0);
  optimizer.attach(b, shapes.map((shape) => ({ key: {}, shape })));
  for (let t = 0; t < steps; t++) {
    b.write(grads, Float32Array.from(gradient(b.read(params, N, 'float32'))));
    optimizer.apply(params, grads);
  }
  const out = b.read(params, N, 'float32') as Float32Array;
  b.free(params);
  b.free(grads);
  return out;
}

function runReference(rule: RefRule, options: RefOptions, steps = STEPS): Float64Array {
  const p = Float64Array.from(P0);
  const state = {};
  for (let t = 1; t <= steps; t++) refStep(rule, options, p, gradient(p), state, t);
  return p;
}

function runTfjs(optimizer: tf.Optimizer, steps = STEPS): Float32Array {
  const p = tf.variable(tf.tensor1d(P0));
  for (let t = 0; t < steps; t++) optimizer.applyGradients({ [p.name]: tf.tensor1d(Float32Array.from(gradient(p.dataSync()))) });
  return p.dataSync() as Float32Array;
}

/** ‖actual − expected‖₂ / ‖expected‖₂: parameters that pass near zero do not inflate it. */
function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i] - expected[i]) ** 2;
    size += expected[i] ** 2;
  }
  return Math.sqrt(diff / size);
}

const constant = (lr: number) => () => lr;

interface Case {
  name: string;
  kerasm: () => Optimizer;
  rule: RefRule;
  options: RefOptions;
  tfjs?: () => tf.Optimizer;
  /** Weight shapes the optimizer sees (default: one vector of N). */
  shapes?: number[][];
}

const cases: Case[] = [
  { name: 'sgd', kerasm: () => km.optimizers.sgd({ learningRate: 0.05 }), rule: sgdRule(), options: { lr: constant(0.05) }, tfjs: () => tf.train.sgd(0.05) },
  { name: 'sgd with the learning rate alone, as tfjs writes it', kerasm: () => km.optimizers.sgd(0.05), rule: sgdRule(), options: { lr: constant(0.05) }, tfjs: () => tf.train.sgd(0.05) },
  { name: 'sgd momentum', kerasm: () => km.optimizers.sgd({ learningRate: 0.05, momentum: 0.9 }), rule: sgdRule(0.9), options: { lr: constant(0.05) }, tfjs: () => tf.train.momentum(0.05, 0.9) },
  { name: "momentum with tf.train.momentum's arguments", kerasm: () => km.optimizers.momentum(0.05, 0.9), rule: sgdRule(0.9), options: { lr: constant(0.05) }, tfjs: () => tf.train.momentum(0.05, 0.9) },
  { name: "momentum with tf.train.momentum's useNesterov", kerasm: () => km.optimizers.momentum(0.05, 0.9, true), rule: sgdRule(0.9, true), options: { lr: constant(0.05) }, tfjs: () => tf.train.momentum(0.05, 0.9, true) },
  { name: 'sgd nesterov', kerasm: () => km.optimizers.sgd({ learningRate: 0.05, momentum: 0.9, nesterov: true }), rule: sgdRule(0.9, true), options: { lr: constant(0.05) } },
  // tfjs adds ε to the bias-corrected √v̂ where Keras adds it to √v; a tiny ε makes both the same.
  { name: 'adam', kerasm: () => km.optimizers.adam({ learningRate: 0.02 }), rule: adamRule(), options: { lr: constant(0.02) } },
  { name: 'adam (vs tfjs)', kerasm: () => km.optimizers.adam({ learningRate: 0.02, epsilon: 1e-12 }), rule: adamRule(0.9, 0.999, 1e-12), options: { lr: constant(0.02) }, tfjs: () => tf.train.adam(0.02, 0.9, 0.999, 1e-12) },
  { name: 'adam amsgrad', kerasm: () => km.optimizers.adam({ learningRate: 0.02, amsgrad: true }), rule: adamRule(0.9, 0.999, 1e-7, true), options: { lr: constant(0.02) } },
  { name: 'adamw', kerasm: () => km.optimizers.adamw({ learningRate: 0.02 }), rule: adamRule(), options: { lr: constant(0.02), weightDecay: 0.004 } },
  { name: 'adamax', kerasm: () => km.optimizers.adamax({ learningRate: 0.02 }), rule: adamaxRule(), options: { lr: constant(0.02) }, tfjs: () => tf.train.adamax(0.02, 0.9, 0.999, 1e-7) },
  { name: 'nadam', kerasm: () => km.optimizers.nadam({ learningRate: 0.02 }), rule: nadamRule(), options: { lr: constant(0.02) } },
  { name: 'adagrad', kerasm: () => km.optimizers.adagrad({ learningRate: 0.05 }), rule: adagradRule(), options: { lr: constant(0.05) }, tfjs: () => tf.train.adagrad(0.05, 0.1) },
  { name: 'rmsprop', kerasm: () => km.optimizers.rmsprop({ learningRate: 0.01 }), rule: rmspropRule(), options: { lr: constant(0.01) }, tfjs: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7) },
  { name: 'rmsprop momentum centered', kerasm: () => km.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true }), rule: rmspropRule(0.9, 0.5, 1e-7, true), options: { lr: constant(0.01) }, tfjs: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7, true) },
  // Adadelta's steps are small at first (√ε/√a), so a large rate makes them visible in 6 steps.
  { name: 'adadelta', kerasm: () => km.optimizers.adadelta({ learningRate: 1 }), rule: adadeltaRule(), options: { lr: constant(1) } },
  { name: 'adadelta rho epsilon', kerasm: () => km.optimizers.adadelta({ learningRate: 2, rho: 0.8, epsilon: 1e-4 }), rule: adadeltaRule(0.8, 1e-4), options: { lr: constant(2) } },
  { name: 'adadelta clipnorm weightDecay', kerasm: () => km.optimizers.adadelta({ learningRate: 1, clipnorm: 0.5, weightDecay: 0.05 }), rule: adadeltaRule(), options: { lr: constant(1), clipnorm: 0.5, weightDecay: 0.05 } },
  { name: 'lion', kerasm: () => km.optimizers.lion({ learningRate: 0.01 }), rule: lionRule(), options: { lr: constant(0.01) } },
  { name: 'lion beta weightDecay clipvalue', kerasm: () => km.optimizers.lion({ learningRate: 0.02, beta1: 0.5, beta2: 0.9, weightDecay: 0.1, clipvalue: 0.3 }), rule: lionRule(0.5, 0.9), options: { lr: constant(0.02), weightDecay: 0.1, clipvalue: 0.3 } },
  { name: 'ftrl', kerasm: () => km.optimizers.ftrl({ learningRate: 0.1 }), rule: ftrlRule(), options: { lr: constant(0.1) } },
  {
    name: 'ftrl with every option',
    kerasm: () => km.optimizers.ftrl({ learningRate: 0.1, learningRatePower: -0.7, initialAccumulatorValue: 0.3, l1RegularizationStrength: 0.2, l2RegularizationStrength: 0.1, l2ShrinkageRegularizationStrength: 0.05, beta: 0.5, globalClipnorm: 5 }),
    rule: ftrlRule(-0.7, 0.3, 0.2, 0.1, 0.05, 0.5),
    options: { lr: constant(0.1), globalClipnorm: 5 },
  },
  { name: 'ftrl l1 with a schedule', kerasm: () => km.optimizers.ftrl({ learningRate: km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 }), l1RegularizationStrength: 0.5 }), rule: ftrlRule(-0.5, 0.1, 0.5), options: { lr: (step) => 0.2 * 0.5 ** (step / 2) } },
  { name: 'lamb', kerasm: () => km.optimizers.lamb({ learningRate: 0.02 }), rule: lambRule(SHAPES), options: { lr: constant(0.02) }, shapes: SHAPES },
  {
    name: 'lamb beta epsilon clipnorm weightDecay',
    kerasm: () => km.optimizers.lamb({ learningRate: 0.05, beta1: 0.5, beta2: 0.9, epsilon: 1e-3, clipnorm: 1, weightDecay: 0.1 }),
    rule: lambRule(SHAPES, 0.5, 0.9, 1e-3),
    options: { lr: constant(0.05), clipnorm: 1, weightDecay: 0.1, segments: SHAPE_SIZES },
    shapes: SHAPES,
  },
  { name: 'lamb as one vector', kerasm: () => km.optimizers.lamb({ learningRate: 0.02 }), rule: lambRule([[N]]), options: { lr: constant(0.02) } },
  { name: 'adafactor', kerasm: () => km.optimizers.adafactor({ learningRate: 0.05 }), rule: adafactorRule(SHAPES), options: { lr: constant(0.05) }, shapes: SHAPES },
  {
    name: 'adafactor with every option and a schedule',
    kerasm: () => km.optimizers.adafactor({ learningRate: km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 2, decayRate: 0.5 }), beta2Decay: -0.5, epsilon1: 1e-20, epsilon2: 0.5, clipThreshold: 0.3, relativeStep: false, clipvalue: 0.8 }),
    rule: adafactorRule(SHAPES, -0.5, 1e-20, 0.5, 0.3),
    options: { lr: (step) => 0.2 * 0.5 ** (step / 2), clipvalue: 0.8 },
    shapes: SHAPES,
  },
  { name: 'adafactor globalClipnorm weightDecay', kerasm: () => km.optimizers.adafactor({ learningRate: 0.05, globalClipnorm: 2, weightDecay: 0.1 }), rule: adafactorRule(SHAPES), options: { lr: constant(0.05), globalClipnorm: 2, weightDecay: 0.1 }, shapes: SHAPES },
  { name: 'sgd clipvalue', kerasm: () => km.optimizers.sgd({ learningRate: 0.05, clipvalue: 0.5 }), rule: sgdRule(), options: { lr: constant(0.05), clipvalue: 0.5 } },
  { name: 'adam globalClipnorm', kerasm: () => km.optimizers.adam({ learningRate: 0.02, globalClipnorm: 1 }), rule: adamRule(), options: { lr: constant(0.02), globalClipnorm: 1 } },
  { name: 'sgd weightDecay', kerasm: () => km.optimizers.sgd({ learningRate: 0.05, weightDecay: 0.1 }), rule: sgdRule(), options: { lr: constant(0.05), weightDecay: 0.1 } },
  {
    name: 'sgd momentum with an exponentialDecay schedule',
    kerasm: () => km.optimizers.sgd({ learningRate: km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }), momentum: 0.9 }),
    rule: sgdRule(0.9),
    options: { lr: (step) => 0.1 * 0.5 ** (step / 2) },
  },
];

describe('optimizers follow the Keras 3 update equations', () => {
  it.each(cases)('$name: first steps match the float64 reference to 1e-6 relative', ({ kerasm, rule, options, shapes }) => {
    const ours = runKerasm(kerasm(), STEPS, shapes);
    const expected = runReference(rule, options);
    expect(relativeError(ours, P0)).toBeGreaterThan(1e-3); // the parameters really moved
    expect(relativeError(ours, expected)).toBeLessThan(1e-6);
  });

  it.each(cases.filter((c) => c.tfjs))('$name: matches tfjs-core 4.22', ({ kerasm, tfjs }) => {
    expect(relativeError(runKerasm(kerasm()), runTfjs(tfjs!()))).toBeLessThan(2e-6);
  });

  it("adadelta: tfjs-core 4.22 differs from Keras only by dividing by the previous gradient mean", () => {
    const options = { lr: constant(1) };
    const theirs = runTfjs(tf.train.adadelta(1, 0.95, 1e-7));
    expect(relativeError(theirs, runReference(adadeltaRule(0.95, 1e-7, true), options))).toBeLessThan(2e-6);
    const keras = runReference(adadeltaRule(), options);
    expect(relativeError(theirs, keras)).toBeGreaterThan(1e-4); // the difference is real
    expect(relativeError(runKerasm(km.optimizers.adadelta({ learningRate: 1 })), keras)).toBeLessThan(1e-6);
  });

  it('clipnorm clips each weight separately', () => {
    const segments = [10, 20, 7];
    const ours = runKerasm(km.optimizers.sgd({ learningRate: 0.05, clipnorm: 1.5 }), STEPS, segments.map((n) => [n]));
    const expected = runReference(sgdRule(), { lr: constant(0.05), clipnorm: 1.5, segments });
    const unclipped = runReference(sgdRule(), { lr: constant(0.05) });
    expect(relativeError(expected, unclipped)).toBeGreaterThan(1e-3); // the clip was active
    expect(relativeError(ours, expected)).toBeLessThan(1e-6);
  });

  it('reports the scheduled learning rate and trains a model with it', async () => {
    const schedule = km.optimizers.schedules.piecewiseConstantDecay({ boundaries: [1], values: [0.1, 0.01] });
    const optimizer = km.optimizers.sgd({ learningRate: schedule });
    const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer, loss: 'mse' });
    expect(optimizer.learningRate).toBe(0.1);
    await model.fit(km.tensor([[1, 2], [3, 4]]), km.tensor([[1], [2]]), { epochs: 3, batchSize: 1, verbose: 0 });
    expect(optimizer.iterations).toBe(6);
    expect(optimizer.learningRate).toBe(0.01);
    expect(optimizer.getConfig().learningRate).toEqual({ className: 'PiecewiseConstantDecay', config: { boundaries: [1], values: [0.1, 0.01] } });
  });

  it('every factory takes the learning rate, or a schedule, alone', () => {
    const factories = [km.optimizers.adam, km.optimizers.adamw, km.optimizers.sgd, km.optimizers.rmsprop, km.optimizers.adagrad, km.optimizers.adamax, km.optimizers.nadam, km.optimizers.adadelta, km.optimizers.lion, km.optimizers.ftrl, km.optimizers.lamb, km.optimizers.adafactor];
    for (const factory of factories) {
      // Adadelta's first steps are ~√ε/√a small: only a rate near its paper's 1.0 moves them visibly.
      const lr = factory === km.optimizers.adadelta ? 1 : 0.05;
      const byValue = runKerasm(factory(lr));
      expect(byValue).toEqual(runKerasm(factory({ learningRate: lr })));
      expect(relativeError(byValue, runKerasm(factory()))).toBeGreaterThan(1e-3); // not the default rate
      const schedule = () => km.optimizers.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
      expect(runKerasm(factory(schedule()))).toEqual(runKerasm(factory({ learningRate: schedule() })));
    }
  });

  it('momentum is SGD with momentum, and refuses an options object', () => {
    const optimizer = km.optimizers.momentum(0.02, 0.8, true);
    expect(optimizer).toBeInstanceOf(km.optimizers.SGD);
    expect([optimizer.learningRate, optimizer.momentum, optimizer.nesterov]).toEqual([0.02, 0.8, true]);
    expect(() => km.optimizers.momentum({ learningRate: 0.1 } as never, undefined as never)).toThrow(/\(learningRate, momentum, useNesterov\).*km\.optimizers\.sgd\(\{ learningRate, momentum, nesterov \}\)/);
  });

  it("setLearningRate and getClassName, as tfjs' optimizers have them", () => {
    const optimizer = km.optimizers.adam(0.01);
    optimizer.setLearningRate(0.5);
    expect(optimizer.learningRate).toBe(0.5);
    expect(() => optimizer.setLearningRate(-1)).toThrow(/learningRate must be a finite number ≥ 0/);
    expect(optimizer.getClassName()).toBe('Adam');
    expect(km.optimizers.momentum(0.1, 0.9).getClassName()).toBe('SGD');
  });

  it('compile accepts every optimizer by name', () => {
    for (const name of ['adam', 'adamw', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'nadam', 'adadelta', 'lion', 'ftrl', 'lamb', 'adafactor', 'Adadelta', 'LION', 'Lamb', 'AdaFactor']) {
      const model = km.sequential([km.layers.dense({ units: 1, inputShape: [2] })]);
      expect(() => model.compile({ optimizer: name, loss: 'mse' })).not.toThrow();
    }
  });
});

describe('optimizer option errors', () => {
  it('rejects two clipping options at once', () => {
    expect(() => km.optimizers.adam({ clipnorm: 1, clipvalue: 0.5 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm can be set. Received: clipnorm=1, clipvalue=0.5/);
  });

  it('rejects a non-positive clip and a negative weight decay', () => {
    expect(() => km.optimizers.sgd({ clipnorm: 0 })).toThrow(/clipnorm must be a positive finite number. Received: clipnorm=0/);
    expect(() => km.optimizers.rmsprop({ weightDecay: -1 })).toThrow(/weightDecay must be in \[0, Infinity\). Received: weightDecay=-1/);
  });

  it("rejects Adadelta's rho outside [0, 1) and a negative epsilon, naming the value", () => {
    expect(() => km.optimizers.adadelta({ rho: 1 })).toThrow(/^Adadelta: rho must be in \[0, 1\)\. Received: rho=1\.$/);
    expect(() => km.optimizers.adadelta({ rho: -0.5 })).toThrow(/Adadelta: rho must be in \[0, 1\)\. Received: rho=-0.5/);
    expect(() => km.optimizers.adadelta({ epsilon: -1e-7 })).toThrow(/Adadelta: epsilon must be in \[0, Infinity\)\. Received: epsilon=-1e-7/);
    expect(() => km.optimizers.adadelta({ rho: 0.9, momentum: 0.9 } as never)).toThrow(/momentum/);
  });

  it("rejects Lion's beta1 outside (0, 1] (0 is signSGD) and beta2 outside [0, 1)", () => {
    expect(() => km.optimizers.lion({ beta1: 0 })).toThrow(/^Lion: beta1 must be in \(0, 1\]; 0 degenerates to signSGD\. Received: beta1=0\.$/);
    expect(() => km.optimizers.lion({ beta1: 1.5 })).toThrow(/Received: beta1=1.5/);
    expect(() => km.optimizers.lion({ beta1: 1 })).not.toThrow();
    expect(() => km.optimizers.lion({ beta2: 1 })).toThrow(/Lion: beta2 must be in \[0, 1\)\. Received: beta2=1\./);
    expect(() => km.optimizers.lion({ epsilon: 1e-7 } as never)).toThrow(/epsilon/);
  });

  it("rejects Ftrl's positive learningRatePower and negative strengths, naming the value", () => {
    expect(() => km.optimizers.ftrl({ learningRatePower: 0.5 })).toThrow(/^Ftrl: learningRatePower must be a finite number ≤ 0 .*Received: learningRatePower=0.5\.$/);
    expect(() => km.optimizers.ftrl({ initialAccumulatorValue: -0.1 })).toThrow(/Ftrl: initialAccumulatorValue must be in \[0, Infinity\)\. Received: initialAccumulatorValue=-0.1/);
    expect(() => km.optimizers.ftrl({ l1RegularizationStrength: -1 })).toThrow(/Received: l1RegularizationStrength=-1/);
    expect(() => km.optimizers.ftrl({ l2RegularizationStrength: -1 })).toThrow(/Received: l2RegularizationStrength=-1/);
    expect(() => km.optimizers.ftrl({ l2ShrinkageRegularizationStrength: -1 })).toThrow(/Received: l2ShrinkageRegularizationStrength=-1/);
    expect(() => km.optimizers.ftrl({ beta: -1 })).toThrow(/Ftrl: beta must be in \[0, Infinity\)\. Received: beta=-1/);
    expect(() => km.optimizers.ftrl({ l1: 0.1 } as never)).toThrow(/has no option 'l1'/);
  });

  it("rejects Lamb's and Adafactor's bad options, naming the value", () => {
    expect(() => km.optimizers.lamb({ beta1: 1 })).toThrow(/^Lamb: beta1 must be in \[0, 1\)\. Received: beta1=1\.$/);
    expect(() => km.optimizers.lamb({ beta2: -0.1 })).toThrow(/Lamb: beta2 must be in \[0, 1\)\. Received: beta2=-0.1/);
    expect(() => km.optimizers.lamb({ epsilon: -1 })).toThrow(/Lamb: epsilon must be in \[0, Infinity\)\. Received: epsilon=-1/);
    expect(() => km.optimizers.lamb({ rho: 0.9 } as never)).toThrow(/has no option 'rho'/);
    expect(() => km.optimizers.adafactor({ beta2Decay: 0.8 })).toThrow(/^Adafactor: beta2Decay must be a finite number ≤ 0 .*Received: beta2Decay=0.8\.$/);
    expect(() => km.optimizers.adafactor({ epsilon1: -1 })).toThrow(/Adafactor: epsilon1 must be in \[0, Infinity\)\. Received: epsilon1=-1/);
    expect(() => km.optimizers.adafactor({ epsilon2: -1 })).toThrow(/Received: epsilon2=-1/);
    expect(() => km.optimizers.adafactor({ clipThreshold: 0 })).toThrow(/^Adafactor: clipThreshold must be a positive finite number\. Received: clipThreshold=0\.$/);
    expect(() => km.optimizers.adafactor({ relativeStep: 'yes' as never })).toThrow(/^Adafactor: relativeStep must be true or false\. Received: relativeStep=yes\.$/);
    expect(() => km.optimizers.adafactor({ beta1: 0.9 } as never)).toThrow(/has no option 'beta1'/);
  });

  it('rejects a learning rate that is neither a positive number nor a schedule', () => {
    expect(() => km.optimizers.nadam({ learningRate: 'fast' as unknown as number })).toThrow(/Nadam: learningRate must be a finite number ≥ 0 or a schedule.*Received: learningRate=fast/);
  });

  it("rejects TensorFlow.js' further positional arguments, naming the option to use", () => {
    const adam = km.optimizers.adam as (...args: unknown[]) => unknown;
    const sgd = km.optimizers.sgd as (...args: unknown[]) => unknown;
    expect(() => adam(0.01, 0.9)).toThrow(/^km\.optimizers\.adam takes one argument: the learning rate or an options object\. Received 2 arguments\. Pass the others by name, e\.g\. km\.optimizers\.adam\(\{ learningRate: 0\.01, beta1: \.\.\. \}\)\.$/);
    expect(() => sgd(0.01, 0.9)).toThrow(/km\.optimizers\.sgd\(\{ learningRate: 0\.01, momentum: \.\.\. \}\)/);
    expect(() => km.optimizers.rmsprop(-0.1)).toThrow(/RMSprop: learningRate must be a finite number ≥ 0 or a schedule.*Received: learningRate=-0.1/);
  });

  it('refuses to set the learning rate of a scheduled optimizer', () => {
    const optimizer = km.optimizers.adam({ learningRate: km.optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) });
    expect(() => (optimizer.learningRate = 0.01)).toThrow(/follows a CosineDecay schedule and cannot be set. Received: learningRate=0.01/);
    const constantOptimizer = km.optimizers.adam();
    expect(() => (constantOptimizer.learningRate = -1)).toThrow(/learningRate must be a finite number ≥ 0. Received: learningRate=-1/);
  });

  it('lists the valid names for an unknown optimizer', () => {
    expect(() => km.sequential([km.layers.dense({ units: 1, inputShape: [1] })]).compile({ optimizer: 'adabelief', loss: 'mse' })).toThrow(/Unknown optimizer 'adabelief'. Valid optimizers: 'adam', 'adamw', 'sgd', 'rmsprop', 'adagrad', 'adamax', 'nadam', 'adadelta', 'lion', 'ftrl', 'lamb', 'adafactor'/);
  });
});
