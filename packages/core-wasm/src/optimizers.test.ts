import { describe, it } from 'vitest';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';

const SIZES = [1, 3, 17, 63, 65];

describe.each(FLAVORS)('optimizers (%s)', (flavor) => {
  it('adamUpdate follows the Keras equations over several steps', async () => {
    const core = await coreFor(flavor);
    // The kernel takes β as a double and rounds 1 − β from it, as Keras does, then updates the
    // moments in Keras' form m += (g − m)·(1 − β).
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    const [c1, c2] = [Math.fround(1 - b1), Math.fround(1 - b2)];
    for (const n of SIZES) {
      const p = Float64Array.from(randomArray(n, n));
      const m = new Float64Array(n), v = new Float64Array(n);
      const pp = put(core, Float32Array.from(p)), pg = core.malloc(4 * n);
      const pm = put(core, new Float32Array(n)), pv = put(core, new Float32Array(n));
      for (let t = 1; t <= 5; t++) {
        const g = randomArray(n, 100 * n + t);
        core.f32().set(g, pg / 4);
        const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
        core.adamUpdate(pp, pg, pm, pv, n, lrT, b1, b2, eps);
        for (let i = 0; i < n; i++) {
          m[i] += (g[i] - m[i]) * c1;
          v[i] += (g[i] * g[i] - v[i]) * c2;
          p[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + eps);
        }
      }
      expectClose(get(core, pm, n), m, 1e-5, 1e-7);
      expectClose(get(core, pv, n), v, 1e-5, 1e-9);
      expectClose(get(core, pp, n), p, 1e-5, 1e-6);
      for (const ptr of [pp, pg, pm, pv]) core.free(ptr);
    }
  });

  for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
    it(`sgdUpdate momentum=${momentum} nesterov=${nesterov} over several steps`, async () => {
      const core = await coreFor(flavor);
      const lr = 0.05;
      for (const n of SIZES) {
        const p = Float64Array.from(randomArray(n, 7 * n));
        const vel = new Float64Array(n);
        const pp = put(core, Float32Array.from(p)), pg = core.malloc(4 * n);
        const pvel = momentum === 0 ? 0 : put(core, new Float32Array(n));
        for (let t = 1; t <= 5; t++) {
          const g = randomArray(n, 50 * n + t);
          core.f32().set(g, pg / 4);
          core.sgdUpdate(pp, pg, pvel, n, lr, momentum, nesterov);
          for (let i = 0; i < n; i++) {
            if (momentum === 0) p[i] -= lr * g[i];
            else {
              vel[i] = momentum * vel[i] - lr * g[i];
              p[i] += nesterov ? momentum * vel[i] - lr * g[i] : vel[i];
            }
          }
        }
        expectClose(get(core, pp, n), p, 1e-5, 1e-6);
        if (pvel) expectClose(get(core, pvel, n), vel, 1e-5, 1e-6);
        for (const ptr of [pp, pg, pvel]) if (ptr) core.free(ptr);
      }
    });
  }

  it('lionUpdate steps by ±lr along sign(β1·m + (1−β1)·g), 0 where that is 0', async () => {
    const core = await coreFor(flavor);
    const [lr, beta1, beta2] = [Math.fround(0.01), 0.9, 0.99];
    const [b1, b2, c1, c2] = [Math.fround(beta1), Math.fround(beta2), Math.fround(1 - beta1), Math.fround(1 - beta2)];
    for (const n of SIZES) {
      const p = Float64Array.from(randomArray(n, n));
      const m = new Float64Array(n);
      const pp = put(core, Float32Array.from(p)), pg = core.malloc(4 * n), pm = put(core, new Float32Array(n));
      for (let t = 1; t <= 5; t++) {
        const g = randomArray(n, 100 * n + t);
        g[n - 1] = 0; // the last weight never gets a gradient: its momentum stays 0, so it must not move
        core.f32().set(g, pg / 4);
        core.lionUpdate(pp, pg, pm, n, lr, beta1, beta2);
        for (let i = 0; i < n; i++) {
          p[i] -= lr * Math.sign(b1 * m[i] + c1 * g[i]);
          m[i] = b2 * m[i] + c2 * g[i];
        }
      }
      expectClose(get(core, pm, n), m, 1e-5, 1e-7);
      expectClose(get(core, pp, n), p, 1e-6, 1e-7);
      for (const ptr of [pp, pg, pm]) core.free(ptr);
    }
  });
});
