import { describe, expect, it } from 'vitest';
import { LossKind } from './loss_kind.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

const EPS = 1e-7;
const clip = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

// Independent float64 formulas (Keras' per-element terms) for each kind.
const REFERENCE: Record<LossKind, (p: number, t: number, param: number) => number> = {
  [LossKind.MeanAbsoluteError]: (p, t) => Math.abs(p - t),
  [LossKind.MeanAbsolutePercentageError]: (p, t) => (100 * Math.abs(t - p)) / Math.max(Math.abs(t), EPS),
  [LossKind.MeanSquaredLogarithmicError]: (p, t) => (Math.log(Math.max(p, EPS) + 1) - Math.log(Math.max(t, EPS) + 1)) ** 2,
  [LossKind.Huber]: (p, t, delta) => (Math.abs(p - t) <= delta ? 0.5 * (p - t) ** 2 : 0.5 * delta ** 2 + delta * (Math.abs(p - t) - delta)),
  [LossKind.LogCosh]: (p, t) => Math.log(Math.cosh(p - t)),
  [LossKind.Poisson]: (p, t) => p - t * Math.log(p + EPS),
  [LossKind.KullbackLeiblerDivergence]: (p, t) => clip(t, EPS, 1) * Math.log(clip(t, EPS, 1) / clip(p, EPS, 1)),
  // Labels as given: the test labels mix −1, 0 and 1, which Keras does not convert.
  [LossKind.Hinge]: (p, t) => Math.max(1 - t * p, 0),
  [LossKind.SquaredHinge]: (p, t) => Math.max(1 - t * p, 0) ** 2,
  [LossKind.BinaryCrossentropyFromLogits]: (x, t, ls) => {
    const ts = t * (1 - ls) + 0.5 * ls;
    const s = 1 / (1 + Math.exp(-x));
    return -(ts * Math.log(s) + (1 - ts) * Math.log(1 - s));
  },
};

/** Inputs in the loss's domain: probabilities for KLD, positive rates for Poisson/MSLE, signed labels for hinges. */
function inputs(kind: LossKind, n: number): [Float32Array, Float32Array] {
  const positive = [LossKind.Poisson, LossKind.MeanSquaredLogarithmicError, LossKind.KullbackLeiblerDivergence].includes(kind);
  const p = randomArray(n, 11 + kind, positive ? 0.05 : -2, positive ? 0.95 : 2);
  let t = randomArray(n, 97 + kind, positive ? 0.05 : -2, positive ? 0.95 : 2);
  if (kind === LossKind.Hinge || kind === LossKind.SquaredHinge) t = t.map((v, i) => (v > 0 ? 1 : i % 2 ? -1 : 0));
  if (kind === LossKind.BinaryCrossentropyFromLogits) t = t.map((v) => (v > 0 ? 1 : 0));
  return [p, t];
}

const KINDS = Object.values(LossKind).filter((k): k is LossKind => typeof k === 'number');

describe.each(FLAVORS)('elementwiseLoss (%s)', (flavor) => {
  it.each(KINDS)('kind %i: loss matches the float64 formula and the gradient its finite differences', async (kind) => {
    const core = await coreFor(flavor);
    const n = 37;
    const param = kind === LossKind.Huber ? 0.7 : kind === LossKind.BinaryCrossentropyFromLogits ? 0.1 : 0;
    const [p, t] = inputs(kind, n);
    const pp = put(core, p), pt = put(core, t), pd = core.malloc(4 * n);
    const loss = core.elementwiseLoss(kind, pp, pt, pd, n, 0.5, param);
    const f = REFERENCE[kind];
    const expected = Array.from(p).reduce((s, v, i) => s + f(v, t[i], param), 0);
    expect(Math.abs(loss - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(1e-6);
    const h = 1e-6;
    const fd = Array.from(p, (v, i) => (0.5 * (f(v + h, t[i], param) - f(v - h, t[i], param))) / (2 * h));
    expectClose(get(core, pd, n), fd, 1e-4, 1e-4);
    for (const ptr of [pp, pt, pd]) core.free(ptr);
  });

  it.each([LossKind.Hinge, LossKind.SquaredHinge])('kind %i: labels that are all 0 or 1 count as −1 and 1, as Keras converts them', async (kind) => {
    const core = await coreFor(flavor);
    const n = 21;
    const p = randomArray(n, 5, -2, 2);
    const t = Float32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const pp = put(core, p), pt = put(core, t), pd = core.malloc(4 * n);
    const loss = core.elementwiseLoss(kind, pp, pt, pd, n, 1, 0);
    const f = REFERENCE[kind];
    const expected = Array.from(p).reduce((s, v, i) => s + f(v, 2 * t[i] - 1, 0), 0);
    expect(Math.abs(loss - expected) / Math.max(1, Math.abs(expected))).toBeLessThan(1e-6);
    const h = 1e-6;
    expectClose(get(core, pd, n), Array.from(p, (v, i) => (f(v + h, 2 * t[i] - 1, 0) - f(v - h, 2 * t[i] - 1, 0)) / (2 * h)), 1e-4, 1e-4);
    for (const ptr of [pp, pt, pd]) core.free(ptr);
  });
});
