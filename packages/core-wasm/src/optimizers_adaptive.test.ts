import { describe, it } from 'vitest';
import type { Core } from './core.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

const SIZES = [1, 3, 17, 63, 65];
const f = Math.fround;

/**
 * Runs `steps` kernel updates on fresh state buffers and the same naive float64 loop beside them,
 * then compares params and every state buffer.
 */
function checkSteps(
  core: Core, n: number, stateCount: number, initialState: number,
  kernel: (p: number, g: number, state: number[], t: number) => void,
  reference: (p: Float64Array, g: Float32Array, state: Float64Array[], t: number) => void,
): void {
  const p = Float64Array.from(randomArray(n, 3 * n));
  const state = Array.from({ length: stateCount }, () => new Float64Array(n).fill(initialState));
  const pp = put(core, Float32Array.from(p)), pg = core.malloc(4 * n);
  const ps = state.map((s) => put(core, Float32Array.from(s)));
  for (let t = 1; t <= 5; t++) {
    const g = randomArray(n, 100 * n + t);
    core.f32().set(g, pg / 4);
    kernel(pp, pg, ps, t);
    reference(p, g, state, t);
  }
  expectClose(get(core, pp, n), p, 1e-5, 1e-6);
  state.forEach((s, i) => expectClose(get(core, ps[i], n), s, 1e-5, 1e-7));
  for (const ptr of [pp, pg, ...ps]) core.free(ptr);
}

describe.each(FLAVORS)('adaptive optimizer kernels (%s)', (flavor) => {
  // The kernels take β as a double and round 1 − β from it, as Keras does (1 − f(0.999) would be
  // 1.3e-5 low); Adam's family updates the moments in Keras' form m += (g − m)·(1 − β).
  const [b1, b2, eps] = [0.9, 0.999, 1e-7];
  const [c1, c2] = [f(1 - b1), f(1 - b2)];

  it('amsgradUpdate keeps v̂ = max(v̂, v) and steps with it', async () => {
    const core = await coreFor(flavor);
    for (const n of SIZES) {
      checkSteps(core, n, 3, 0,
        (p, g, [m, v, vh], t) => core.amsgradUpdate(p, g, m, v, vh, n, 0.01 * t, b1, b2, eps),
        (p, g, [m, v, vh], t) => {
          for (let i = 0; i < n; i++) {
            m[i] += (g[i] - m[i]) * c1;
            v[i] += (g[i] * g[i] - v[i]) * c2;
            vh[i] = Math.max(vh[i], v[i]);
            p[i] -= (0.01 * t * m[i]) / (Math.sqrt(vh[i]) + eps);
          }
        });
    }
  });

  it('nadamUpdate combines m and g with the given coefficients', async () => {
    const core = await coreFor(flavor);
    for (const n of SIZES) {
      const coefs = (t: number) => [f(1.1 / t), f(0.3 / t), f(1 / (1 - 0.999 ** t))];
      checkSteps(core, n, 2, 0,
        (p, g, [m, v], t) => core.nadamUpdate(p, g, m, v, n, 0.01, b1, b2, eps, ...(coefs(t) as [number, number, number])),
        (p, g, [m, v], t) => {
          const [mc, gc, vs] = coefs(t);
          for (let i = 0; i < n; i++) {
            m[i] += (g[i] - m[i]) * c1;
            v[i] += (g[i] * g[i] - v[i]) * c2;
            p[i] -= (f(0.01) * (mc * m[i] + gc * g[i])) / (Math.sqrt(v[i] * vs) + eps);
          }
        });
    }
  });

  it('adamaxUpdate uses the infinity norm u = max(β2·u, |g|)', async () => {
    const core = await coreFor(flavor);
    for (const n of SIZES) {
      checkSteps(core, n, 2, 0,
        (p, g, [m, u], t) => core.adamaxUpdate(p, g, m, u, n, f(0.01 / (1 - b1 ** t)), b1, b2, eps),
        (p, g, [m, u], t) => {
          const lrT = f(0.01 / (1 - b1 ** t));
          for (let i = 0; i < n; i++) {
            m[i] += (g[i] - m[i]) * c1;
            u[i] = Math.max(f(b2) * u[i], Math.abs(g[i]));
            p[i] -= (lrT * m[i]) / (u[i] + eps);
          }
        });
    }
  });

  it('adagradUpdate accumulates squared gradients from the initial value', async () => {
    const core = await coreFor(flavor);
    for (const n of SIZES) {
      checkSteps(core, n, 1, 0.1,
        (p, g, [a]) => core.adagradUpdate(p, g, a, n, 0.05, eps),
        (p, g, [a]) => {
          for (let i = 0; i < n; i++) {
            a[i] += g[i] * g[i];
            p[i] -= (f(0.05) * g[i]) / Math.sqrt(a[i] + eps);
          }
        });
    }
  });

  it('adadeltaUpdate divides by the updated gradient mean, as Keras 3 does', async () => {
    const core = await coreFor(flavor);
    const rho = 0.95, r = f(rho), c = f(1 - rho);
    for (const n of SIZES) {
      checkSteps(core, n, 2, 0,
        (p, g, [a, d]) => core.adadeltaUpdate(p, g, a, d, n, 0.5, rho, eps),
        (p, g, [a, d]) => {
          for (let i = 0; i < n; i++) {
            a[i] = r * a[i] + c * g[i] * g[i];
            const delta = (g[i] * Math.sqrt(d[i] + eps)) / Math.sqrt(a[i] + eps);
            d[i] = r * d[i] + c * delta * delta;
            p[i] -= 0.5 * delta;
          }
        });
    }
  });

  // power 0.5 takes the SIMD path, 0.7 the scalar pow loop; l1 is large enough to zero some weights.
  // Both states start at 0.1 here (checkSteps' one initial value): any state is a valid start.
  for (const [power, l1, l2, shrink] of [[0.5, 0, 0, 0], [0.5, 0.3, 0.2, 0.1], [0.7, 0.3, 0.05, 0.1]] as const) {
    it(`ftrlUpdate power=${power} l1=${l1} l2=${l2} l2Shrinkage=${shrink}`, async () => {
      const core = await coreFor(flavor);
      const lr = f(0.1);
      for (const n of SIZES) {
        checkSteps(core, n, 2, 0.1,
          (p, g, [a, lin]) => core.ftrlUpdate(p, g, a, lin, n, lr, power, l1, l2, shrink),
          (p, g, [a, lin]) => {
            for (let i = 0; i < n; i++) {
              const aNew = a[i] + g[i] * g[i];
              lin[i] += g[i] + 2 * f(shrink) * p[i] - ((aNew ** power - a[i] ** power) / lr) * p[i];
              const clipped = Math.min(Math.max(lin[i], -f(l1)), f(l1));
              p[i] = (clipped - lin[i]) / (aNew ** power / lr + 2 * f(l2));
              a[i] = aNew;
            }
          });
      }
    });
  }

  for (const [centered, momentum] of [[false, 0], [true, 0], [false, 0.9], [true, 0.9]] as const) {
    it(`rmspropUpdate centered=${centered} momentum=${momentum}`, async () => {
      const core = await coreFor(flavor);
      const rho = 0.9, r = f(rho), c = f(1 - rho), mu = f(momentum);
      for (const n of SIZES) {
        checkSteps(core, n, 3, 0,
          (p, g, [s, a, b]) => core.rmspropUpdate(p, g, s, centered ? a : 0, momentum ? b : 0, n, 0.01, rho, momentum, eps),
          (p, g, [s, a, b]) => {
            for (let i = 0; i < n; i++) {
              s[i] = r * s[i] + c * g[i] * g[i];
              let denom = s[i] + eps;
              if (centered) {
                a[i] = r * a[i] + c * g[i];
                denom -= a[i] * a[i];
              }
              let inc = (f(0.01) * g[i]) / Math.sqrt(denom);
              if (momentum) inc = b[i] = mu * b[i] + inc;
              p[i] -= inc;
            }
          });
      }
    });
  }
});
