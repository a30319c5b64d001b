import { describe, expect, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, FLAVORS, get, put } from './test_support.js';

// Optimizer state that decays into float32's subnormal range is stored as 0 (x86 handles subnormal
// operands through a slow microcode assist); everything above it decays exactly as before.
const MIN_NORMAL = 1.17549435e-38;
// Lanes that stay normal after one decay, lanes that fall below MIN_NORMAL, and lanes already subnormal.
const PATTERN = [3e-38, 1.2e-38, -1.2e-38, 1e-3, 2e-39, -5e-3, 1.25e-38, -4e-38, 0];
const N = 17; // four SIMD groups and a scalar tail
const signed = Float32Array.from({ length: N }, (_, i) => PATTERN[i % PATTERN.length]);
const nonNegative = signed.map(Math.abs);

/**
 * One state buffer: its start values and its factor per step when the gradient is 0. `moment`:
 * an Adam-family moment, updated in Keras' form m += (g − m)·(1 − β), so with g = 0 it loses
 * m·f32(1 − β) rather than being multiplied by f32(β).
 */
interface State { start: Float32Array; decay: number; moment?: boolean }

const f = Math.fround;
const decayOf = (state: State, start: number): number =>
  state.moment ? f(start - f(start * f(1 - state.decay))) : f(f(state.decay) * start);

interface Case {
  name: string;
  states: State[];
  step: (core: Core, params: number, grads: number, state: number[]) => void;
}

const CASES: Case[] = [
  { name: 'adamUpdate', states: [{ start: signed, decay: 0.9, moment: true }, { start: nonNegative, decay: 0.999, moment: true }], step: (c, p, g, [m, v]) => c.adamUpdate(p, g, m, v, N, 1e-3, 0.9, 0.999, 1e-7) },
  { name: 'amsgradUpdate', states: [{ start: signed, decay: 0.9, moment: true }, { start: nonNegative, decay: 0.999, moment: true }], step: (c, p, g, [m, v]) => c.amsgradUpdate(p, g, m, v, put(c, new Float32Array(N)), N, 1e-3, 0.9, 0.999, 1e-7) },
  { name: 'nadamUpdate', states: [{ start: signed, decay: 0.9, moment: true }, { start: nonNegative, decay: 0.999, moment: true }], step: (c, p, g, [m, v]) => c.nadamUpdate(p, g, m, v, N, 1e-3, 0.9, 0.999, 1e-7, 0.5, 0.1, 1.5) },
  { name: 'adamaxUpdate', states: [{ start: signed, decay: 0.9, moment: true }, { start: nonNegative, decay: 0.999 }], step: (c, p, g, [m, u]) => c.adamaxUpdate(p, g, m, u, N, 1e-3, 0.9, 0.999, 1e-7) },
  { name: 'adadeltaUpdate', states: [{ start: nonNegative, decay: 0.95 }, { start: nonNegative, decay: 0.95 }], step: (c, p, g, [a, d]) => c.adadeltaUpdate(p, g, a, d, N, 1e-3, 0.95, 1e-7) },
  { name: 'sgdUpdate (momentum)', states: [{ start: signed, decay: 0.9 }], step: (c, p, g, [vel]) => c.sgdUpdate(p, g, vel, N, 0.01, 0.9, false) },
  {
    name: 'rmspropUpdate (centered, momentum)',
    states: [{ start: nonNegative.map((v) => v + 1e-2), decay: 0.9 }, { start: signed, decay: 0.9 }, { start: signed, decay: 0.5 }],
    step: (c, p, g, [s, a, mom]) => c.rmspropUpdate(p, g, s, a, mom, N, 0.01, 0.9, 0.5, 1e-7),
  },
];

describe.each(FLAVORS)('decaying optimizer state near zero (%s)', (flavor) => {
  it.each(CASES)('$name stores 0 where the decayed value is subnormal, and the exact decay elsewhere', async ({ states, step }) => {
    const core = await coreFor(flavor);
    const params = put(core, new Float32Array(N).fill(0.25));
    const grads = put(core, new Float32Array(N));
    const pointers = states.map((s) => put(core, s.start));
    step(core, params, grads, pointers);
    let flushed = 0;
    states.forEach((state, k) => {
      const after = get(core, pointers[k], N);
      state.start.forEach((start, i) => {
        const decayed = decayOf(state, start);
        if (Math.abs(decayed) < MIN_NORMAL) {
          expect(after[i]).toBe(0);
          if (decayed !== 0) flushed++;
        } else expect(after[i]).toBeCloseTo(decayed, 45);
      });
    });
    expect(flushed).toBeGreaterThan(0);
    // Steps driven by state this small leave their weights where they were, flushed or not.
    const after = get(core, params, N);
    signed.forEach((start, i) => Math.abs(start) < 1e-30 && expect(after[i]).toBe(0.25));
  });
});
