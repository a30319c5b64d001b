// The optimizer kernels take their decay rates (β, ρ) as doubles and round 1 − β from the double,
// as Keras and tfjs do. From float32 β the rest would be 1 − f32(0.999) = 9.9998713e-4, 1.3e-5
// below f32(0.001), which these tests would see in the first step's state.
import { describe, expect, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, FLAVORS, get, put, randomArray } from './test_support.js';

const f = Math.fround;
const BETA = 0.999;
const REST = f(1 - BETA);
// Odd and large enough for the SIMD body, the scalar tail and, in the threaded run, a split.
const N = 20_003;

/** Largest |got/expected − 1| over the elements where expected is not 0. */
function worstRelative(got: Float32Array, expected: Float64Array): number {
  let worst = 0;
  expected.forEach((e, i) => {
    if (e !== 0) worst = Math.max(worst, Math.abs(got[i] / e - 1));
  });
  return worst;
}

/**
 * One step from zeroed state: runs `step` with fresh buffers (params, grads, then `states` zeroed
 * state buffers) and returns the state buffers after it.
 */
function firstStep(core: Core, states: number, step: (p: number, g: number, s: number[]) => void): { g: Float32Array; after: Float32Array[] } {
  const g = randomArray(N, 5, -2, 2);
  const pp = put(core, randomArray(N, 6)), pg = put(core, g);
  const ps = Array.from({ length: states }, () => put(core, new Float32Array(N)));
  step(pp, pg, ps);
  const after = ps.map((ptr) => get(core, ptr, N));
  for (const ptr of [pp, pg, ...ps]) core.free(ptr);
  return { g, after };
}

const times = (g: Float32Array, scale: number, square = false, plus = 0) => Float64Array.from(g, (x) => scale * ((square ? x * x : x) + plus));

describe.each(FLAVORS)('optimizer kernels form 1 − β from the double β (%s)', (flavor) => {
  // 1e-6 leaves room for the float32 products; the old rounding is 1.3e-5 off.
  const TOLERANCE = 1e-6;

  it('adamUpdate and amsgradUpdate: m = (1 − β1)·g, v = (1 − β2)·g² after the first step', async () => {
    const core = await coreFor(flavor);
    const adam = firstStep(core, 2, (p, g, [m, v]) => core.adamUpdate(p, g, m, v, N, 0.01, BETA, BETA, 1e-7));
    const ams = firstStep(core, 3, (p, g, [m, v, vh]) => core.amsgradUpdate(p, g, m, v, vh, N, 0.01, BETA, BETA, 1e-7));
    for (const { g, after: [m, v] } of [adam, ams]) {
      expect(worstRelative(m, times(g, REST))).toBeLessThan(TOLERANCE);
      expect(worstRelative(v, times(g, REST, true))).toBeLessThan(TOLERANCE);
    }
  });

  it('nadamUpdate, adamaxUpdate and lambUpdate: the same first moments', async () => {
    const core = await coreFor(flavor);
    const nadam = firstStep(core, 2, (p, g, [m, v]) => core.nadamUpdate(p, g, m, v, N, 0.01, BETA, BETA, 1e-7, 0.5, 0.1, 1000));
    expect(worstRelative(nadam.after[0], times(nadam.g, REST))).toBeLessThan(TOLERANCE);
    expect(worstRelative(nadam.after[1], times(nadam.g, REST, true))).toBeLessThan(TOLERANCE);
    const adamax = firstStep(core, 2, (p, g, [m, u]) => core.adamaxUpdate(p, g, m, u, N, 10, BETA, BETA, 1e-7));
    expect(worstRelative(adamax.after[0], times(adamax.g, REST))).toBeLessThan(TOLERANCE);
    const lamb = firstStep(core, 2, (p, g, [m, v]) => core.lambUpdate(p, g, m, v, N, 0.01, BETA, BETA, 1e-7, 1 - BETA, 1 - BETA));
    expect(worstRelative(lamb.after[0], times(lamb.g, REST))).toBeLessThan(TOLERANCE);
    expect(worstRelative(lamb.after[1], times(lamb.g, REST, true))).toBeLessThan(TOLERANCE);
  });

  it('lionUpdate, rmspropUpdate, adadeltaUpdate and adafactorUpdate: (1 − β) or (1 − ρ) from the double', async () => {
    const core = await coreFor(flavor);
    const lion = firstStep(core, 1, (p, g, [m]) => core.lionUpdate(p, g, m, N, 0.01, 0.9, BETA));
    expect(worstRelative(lion.after[0], times(lion.g, REST))).toBeLessThan(TOLERANCE);
    const rms = firstStep(core, 3, (p, g, [s, a, mom]) => core.rmspropUpdate(p, g, s, a, mom, N, 0.01, BETA, 0.5, 1e-7));
    expect(worstRelative(rms.after[0], times(rms.g, REST, true))).toBeLessThan(TOLERANCE);
    expect(worstRelative(rms.after[1], times(rms.g, REST))).toBeLessThan(TOLERANCE);
    const adadelta = firstStep(core, 2, (p, g, [a, d]) => core.adadeltaUpdate(p, g, a, d, N, 1, BETA, 1e-7));
    expect(worstRelative(adadelta.after[0], times(adadelta.g, REST, true))).toBeLessThan(TOLERANCE);
    // Adafactor's β = 1 − t^beta2Decay nears 1 late in training; 0.999 is t ≈ 5,600 at −0.8.
    const adafactor = firstStep(core, 1, (p, g, [v]) => core.adafactorUpdate(p, g, 0, 0, v, 1, 1, N, false, 0.01, BETA, 1e-30, 1e-3, 1));
    expect(worstRelative(adafactor.after[0], times(adafactor.g, REST, true, 1e-30))).toBeLessThan(TOLERANCE);
  });

  // f32(β) + f32(1 − β) is 1 + 1.3e-8 at 0.999, so a mean built as f32(β)·v + f32(1 − β)·g² drifts
  // 1.3e-5 above g² (6e-6 by step 3,000); Keras' form m += (g − m)·(1 − β) needs only 1 − β.
  it("adamUpdate's v follows the float64 running mean over 3,000 steps (Keras' form of the update)", async () => {
    const core = await coreFor(flavor);
    const n = 67, steps = 3000;
    const g = randomArray(n, 11, 0.5, 2);
    const pp = put(core, new Float32Array(n)), pg = put(core, g), pm = put(core, new Float32Array(n)), pv = put(core, new Float32Array(n));
    for (let t = 1; t <= steps; t++) core.adamUpdate(pp, pg, pm, pv, n, 0, BETA, BETA, 1e-7);
    // The float64 running mean with the same rounded rate: (1 − (1 − REST)ᵗ)·g².
    const expected = times(g, 1 - (1 - REST) ** steps, true);
    expect(worstRelative(get(core, pv, n), expected)).toBeLessThan(2e-6);
    for (const ptr of [pp, pg, pm, pv]) core.free(ptr);
  });
});
