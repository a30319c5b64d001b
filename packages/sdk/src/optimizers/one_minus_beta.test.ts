import { afterAll, describe, expect, it } from 'vitest';
import * as km from '../index.js';
import { backend } from '../backend/registry.js';
import { BACKENDS_HERE, useBackend } from '../testing/backends_here.js';
import { adadeltaRule, adamaxRule, adamRule, nadamRule, refStep, rmspropRule, type RefRule } from '../testing/optimizer_reference.js';
import type { Optimizer } from './optimizer.js';

// Keras forms 1 − β from the Python float and rounds it to float32 once. Rounded from float32 β
// instead, 1 − f32(0.999) is 9.9998713e-4, 1.3e-5 below 0.001, and the first step of Adam with
// β2 = 0.999 comes out 6.4e-6 too large. Starting from zero weights, the first step is the new
// weights themselves, so it can be compared with the float64 equations to float32 precision.
const N = 37;
const G = Float32Array.from({ length: N }, (_, i) => (i % 2 ? -1 : 1) * (0.25 + ((i * 7) % 11) / 8));

function firstStep(optimizer: Optimizer): Float32Array {
  const b = backend();
  const [params, grads] = [b.alloc(N, 'float32'), b.alloc(N, 'float32')];
  b.write(params, new Float32Array(N));
  b.write(grads, G);
  optimizer.attach(b, [{ key: {}, shape: [N] }]);
  optimizer.apply(params, grads);
  const out = b.read(params, N, 'float32') as Float32Array;
  b.free(params);
  b.free(grads);
  return out;
}

function referenceStep(rule: RefRule, lr: number): Float64Array {
  const p = new Float64Array(N);
  refStep(rule, { lr: () => lr }, p, Float64Array.from(G), {}, 1);
  return p;
}

/** Largest |ours/expected − 1| over the weights. */
function worstRelative(ours: ArrayLike<number>, expected: Float64Array): number {
  let worst = 0;
  expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(ours[i] / e - 1))));
  return worst;
}

// ε tiny where it would otherwise blur the step's dependence on v.
// `rule` is a factory: nadamRule keeps its momentum product between calls.
const cases: { name: string; kerasm: () => Optimizer; rule: () => RefRule; lr: number }[] = [
  { name: 'adam beta2=0.999', kerasm: () => km.optimizers.adam({ learningRate: 0.01, epsilon: 1e-12 }), rule: () => adamRule(0.9, 0.999, 1e-12), lr: 0.01 },
  { name: 'adam amsgrad beta2=0.999', kerasm: () => km.optimizers.adam({ learningRate: 0.01, epsilon: 1e-12, amsgrad: true }), rule: () => adamRule(0.9, 0.999, 1e-12, true), lr: 0.01 },
  { name: 'adamax beta1=0.999', kerasm: () => km.optimizers.adamax({ learningRate: 0.01, beta1: 0.999, epsilon: 1e-12 }), rule: () => adamaxRule(0.999, 0.999, 1e-12), lr: 0.01 },
  { name: 'nadam beta2=0.999', kerasm: () => km.optimizers.nadam({ learningRate: 0.01, epsilon: 1e-12 }), rule: () => nadamRule(0.9, 0.999, 1e-12), lr: 0.01 },
  { name: 'rmsprop rho=0.999', kerasm: () => km.optimizers.rmsprop({ learningRate: 0.01, rho: 0.999, epsilon: 1e-12 }), rule: () => rmspropRule(0.999, 0, 1e-12), lr: 0.01 },
  { name: 'adadelta rho=0.999', kerasm: () => km.optimizers.adadelta({ learningRate: 1, rho: 0.999 }), rule: () => adadeltaRule(0.999, 1e-7), lr: 1 },
];

describe.each(BACKENDS_HERE)('the first step forms 1 − β from the double β (%s)', (name) => {
  afterAll(() => useBackend('wasm'));

  it.each(cases)('$name matches the float64 Keras step to 1e-6 relative', async ({ kerasm, rule, lr }) => {
    await useBackend(name);
    const ours = firstStep(kerasm());
    const expected = referenceStep(rule(), lr);
    expect(Math.min(...expected.map(Math.abs))).toBeGreaterThan(1e-4); // every weight moved
    expect(worstRelative(ours, expected)).toBeLessThan(1e-6);
  });
});
