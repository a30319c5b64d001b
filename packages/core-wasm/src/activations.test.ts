import { describe, expect, it } from 'vitest';
import { Activation } from './activation.js';
import { coreFor, expectClose, FLAVORS, get, put, randomArray } from './test_support.js';
import { activationDerivativeRef, activationRef, ELEMENTWISE_ACTIVATIONS } from './test_activations.js';

const SHAPES: [number, number][] = [[1, 1], [3, 17], [17, 3], [2, 63], [2, 65], [4, 784]];

function softmaxRef(x: ArrayLike<number>, rows: number, cols: number): number[] {
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: cols }, (_, c) => x[r * cols + c]);
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const s = e.reduce((a, b) => a + b, 0);
    y.push(...e.map((v) => v / s));
  }
  return y;
}

const logSoftmaxRef = (x: ArrayLike<number>, rows: number, cols: number): number[] => softmaxRef(x, rows, cols).map(Math.log);

const KINDS = [...ELEMENTWISE_ACTIVATIONS, Activation.Softmax, Activation.LogSoftmax] as const;

/** f(x) of any kind, the row-wise ones taken along each row. */
function forwardRef(kind: (typeof KINDS)[number], x: ArrayLike<number>, rows: number, cols: number): number[] {
  if (kind === Activation.Softmax) return softmaxRef(x, rows, cols);
  if (kind === Activation.LogSoftmax) return logSoftmaxRef(x, rows, cols);
  return Array.from(x, activationRef[kind]);
}

describe.each(FLAVORS)('activations (%s)', (flavor) => {
  for (const kind of KINDS) {
    it(`${Activation[kind]} forward, out of place and in place`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of SHAPES) {
        const x = randomArray(rows * cols, rows * 100 + cols, -6, 6);
        const expected = forwardRef(kind, x, rows, cols);
        const px = put(core, x), py = core.malloc(4 * rows * cols);
        core.activationForward(kind, px, py, rows, cols);
        expectClose(get(core, py, rows * cols), expected, 1e-5, 1e-6);
        expect(Array.from(get(core, px, rows * cols))).toEqual(Array.from(x));
        core.activationForward(kind, px, px, rows, cols);
        expectClose(get(core, px, rows * cols), expected, 1e-5, 1e-6);
        core.free(px);
        core.free(py);
      }
    });

    it(`${Activation[kind]} backward from the forward output, dx aliasing dy or not`, async () => {
      const core = await coreFor(flavor);
      for (const [rows, cols] of SHAPES) {
        // ±7 reaches relu6's and hardSigmoid's flat parts.
        const x = randomArray(rows * cols, rows * 7 + cols, -7, 7);
        const dy = randomArray(rows * cols, rows * 11 + cols);
        const px = put(core, x), pdy = put(core, dy), pdx = core.malloc(4 * rows * cols);
        core.activationForward(kind, px, px, rows, cols);
        const y = get(core, px, rows * cols);
        let expected: number[];
        if (kind === Activation.Softmax) {
          expected = [];
          for (let r = 0; r < rows; r++) {
            let s = 0;
            for (let c = 0; c < cols; c++) s += dy[r * cols + c] * y[r * cols + c];
            for (let c = 0; c < cols; c++) expected.push(y[r * cols + c] * (dy[r * cols + c] - s));
          }
        } else if (kind === Activation.LogSoftmax) {
          // d/dx of x − log Σ eˣ: dy − softmax(x)·Σ dy, from the float64 softmax of x.
          const p = softmaxRef(x, rows, cols);
          expected = [];
          for (let r = 0; r < rows; r++) {
            let s = 0;
            for (let c = 0; c < cols; c++) s += dy[r * cols + c];
            for (let c = 0; c < cols; c++) expected.push(dy[r * cols + c] - p[r * cols + c] * s);
          }
        } else {
          expected = Array.from(x, (v, i) => dy[i] * activationDerivativeRef[kind](v));
        }
        core.activationBackward(kind, px, pdy, pdx, rows, cols);
        expectClose(get(core, pdx, rows * cols), expected, 1e-5, 1e-6);
        core.activationBackward(kind, px, pdy, pdy, rows, cols);
        expectClose(get(core, pdy, rows * cols), expected, 1e-5, 1e-6);
        core.free(px);
        core.free(pdy);
        core.free(pdx);
      }
    });
  }

  it('log-softmax stays finite and exact for huge logits, where log(softmax) would give -Infinity', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([1e4, 0, -1e4, 3, 2, 1]);
    const px = put(core, x);
    core.activationForward(Activation.LogSoftmax, px, px, 2, 3);
    expect(core.hasNonFinite(px, 6)).toBe(false);
    expectClose(get(core, px, 6), [0, -1e4, -2e4, ...logSoftmaxRef([3, 2, 1], 1, 3)], 1e-6, 1e-6);
    core.free(px);
  });

  it('softmax rows sum to 1 and stay finite for huge logits', async () => {
    const core = await coreFor(flavor);
    const rows = 4, cols = 10;
    const x = Float32Array.from({ length: rows * cols }, (_, i) => (i % 3) * 1e4 + (i % 7) * 1e3 - 3e4);
    const px = put(core, x);
    core.activationForward(Activation.Softmax, px, px, rows, cols);
    const y = get(core, px, rows * cols);
    expect(core.hasNonFinite(px, rows * cols)).toBe(false);
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += y[r * cols + c];
      expect(Math.abs(s - 1)).toBeLessThan(1e-6);
    }
    expectClose(y, softmaxRef(x, rows, cols), 1e-5, 1e-7);
    core.free(px);
  });

  it('sigmoid and tanh saturate without overflow for large |x|', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([-1e30, -1e4, -100, -88.8, 88.8, 100, 1e4, 1e30, 0]);
    for (const kind of [Activation.Sigmoid, Activation.Tanh] as const) {
      const px = put(core, x), py = core.malloc(4 * x.length);
      core.activationForward(kind, px, py, 1, x.length);
      expect(core.hasNonFinite(py, x.length)).toBe(false);
      expectClose(get(core, py, x.length), Array.from(x, activationRef[kind]), 1e-6, 1e-30);
      core.free(px);
      core.free(py);
    }
  });

  it('sigmoid and tanh stay within 3 ulp of float64 over a dense sweep, and no value depends on its lane', async () => {
    const core = await coreFor(flavor);
    // 0 to ±20 in 1e-3 steps, then the tiny magnitudes where tanh(x) ≈ x must keep its digits.
    const sweep = Array.from({ length: 20001 }, (_, i) => i * 1e-3).concat(Array.from({ length: 40 }, (_, k) => 10 ** (-k / 2)));
    const x = Float32Array.from(sweep.flatMap((v) => [v, -v]));
    const ulp = (v: number): number => {
      const f = Math.fround(Math.abs(v));
      return f === 0 ? 2 ** -149 : Math.fround(f * (1 + 2 ** -23)) - f || 2 ** -149;
    };
    for (const kind of [Activation.Sigmoid, Activation.Tanh] as const) {
      const px = put(core, x), py = core.malloc(4 * x.length);
      core.activationForward(kind, px, py, 1, x.length);
      const y = get(core, py, x.length);
      let worst = 0;
      x.forEach((v, i) => {
        const exact = activationRef[kind](v);
        // Sigmoid's tiny outputs sit below e^-87 only past the sweep; every value here is normal.
        worst = Math.max(worst, Math.abs(y[i] - exact) / ulp(exact));
      });
      expect(worst, Activation[kind]).toBeLessThanOrEqual(3);
      // Shifted by one lane (and through the scalar tail), every value gives the same bits.
      const shifted = put(core, Float32Array.from([0.5, ...x]));
      const ps = core.malloc(4 * (x.length + 1));
      core.activationForward(kind, shifted, ps, 1, x.length + 1);
      expect(Array.from(get(core, ps, x.length + 1).subarray(1))).toEqual(Array.from(y));
      for (const p of [px, py, shifted, ps]) core.free(p);
    }
  });

  it('elu, selu and softplus stay finite and exact for large |x|; softplus keeps its tiny gradient', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([-1e30, -1e4, -100, -88.8, -20, -1e-6, 0, 1e-6, 20, 88.8, 100, 1e4, 1e30]);
    for (const kind of [Activation.Elu, Activation.Selu, Activation.Softplus] as const) {
      const px = put(core, x), py = core.malloc(4 * x.length);
      core.activationForward(kind, px, py, 1, x.length);
      expect(core.hasNonFinite(py, x.length)).toBe(false);
      // rtol 1e-6 checks -1·(scale·α) at the far left and log(1 + e^x) ≈ e^x to 6 digits, 1e-30 absolute.
      expectClose(get(core, py, x.length), Array.from(x, activationRef[kind]), 1e-6, 1e-30);
      const pdy = put(core, new Float32Array(x.length).fill(1));
      core.activationBackward(kind, py, pdy, pdy, 1, x.length);
      expect(core.hasNonFinite(pdy, x.length)).toBe(false);
      // Softplus' gradient at x = -20 is e^-20 ≈ 2e-9, which 1 - e^(-y) in float32 would round to 0.
      // ELU's and SELU's, y + 1 and y + scale·α, are only known to y's float32 spacing near -1 and -1.76.
      const atol = kind === Activation.Softplus ? 1e-30 : 2.4e-7;
      expectClose(get(core, pdy, x.length), Array.from(x, activationDerivativeRef[kind]), 1e-5, atol);
      for (const p of [px, py, pdy]) core.free(p);
    }
  });

  it('exponential overflows to Infinity, not NaN, and its gradient follows (as in TensorFlow.js)', async () => {
    const core = await coreFor(flavor);
    const x = Float32Array.from([-1e30, -200, 0, 88, 89, 200, 1e30]);
    const px = put(core, x);
    core.activationForward(Activation.Exponential, px, px, 1, x.length);
    const y = Array.from(get(core, px, x.length));
    expect(y).toEqual([0, 0, 1, Math.fround(Math.exp(88)), Infinity, Infinity, Infinity]);
    const pdy = put(core, new Float32Array(x.length).fill(0.5));
    core.activationBackward(Activation.Exponential, px, pdy, pdy, 1, x.length);
    expect(Array.from(get(core, pdy, x.length))).toEqual(y.map((v) => Math.fround(v * 0.5)));
    core.free(px);
    core.free(pdy);
  });
});
